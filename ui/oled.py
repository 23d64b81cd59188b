"""Draws the screens (ui/layout.py Screen) on the 128 x 64 OLED with displayio (3.1).

Thin adapter: it decides nothing. One Group holds a text row per panel row (ui/textline.py)
and the horizontal lines, built once and shared by every layout: showing a Screen whose
layout differs places the rows the layout uses at its slots and hides the others and the
lines it lacks; a slot is redrawn only when its text changed. Then the panel refreshes if
the display does not refresh itself. The device display and the host one (sim/display.py)
are driven identically.
"""

import displayio

from ui.backlight import SLEEP_AFTER_S, contrast
from ui.layout import ALIGN_RIGHT, LAYOUTS, text_lines
from ui.screens import ScreenModel
from ui.textline import TextLine

_WHITE = 0xFFFFFF


class OledView:
    """The screens on one displayio display; also the `view` the app calls each second."""

    def __init__(self, display, model=None):
        self.display = display
        self.model = model if model is not None else ScreenModel()
        self._line = displayio.Bitmap(128, 1, 2)
        self._line.fill(1)
        palette = displayio.Palette(2)
        palette[0] = 0
        palette[1] = _WHITE
        # Text rows share the panel's width (left and right text on row 0): their
        # background is transparent so one row never hides another.
        text_palette = displayio.Palette(2)
        text_palette[1] = _WHITE
        text_palette.make_transparent(0)
        self._root = displayio.Group()
        self._rows = []                          # TextLines, one per (row, right-hand)
        self._slots = []                         # per layout: each slot's index in _rows
        self._texts = []                         # per layout: each slot's text drawn
        self._rules = []                         # the horizontal lines, TileGrids
        places = []
        for slots, lines_y in LAYOUTS:
            indexes = []
            for row, _, align, _ in slots:
                place = 2 * row + (align == ALIGN_RIGHT)
                if place not in places:
                    places.append(place)
                    self._rows.append(TextLine(row, text_palette))
                    self._root.append(self._rows[-1].group)
                indexes.append(places.index(place))
            self._slots.append(indexes)
            self._texts.append([""] * len(slots))
            for y in lines_y:
                if all(rule.y != y for rule in self._rules):
                    self._rules.append(displayio.TileGrid(self._line, pixel_shader=palette,
                                                          y=y))
                    self._root.append(self._rules[-1])
        # LCD PIN underline (2.4): 11 x 2 px on y = 48-49 under the digit being edited
        self._cursor_bitmap = displayio.Bitmap(11, 2, 2)
        self._cursor_bitmap.fill(1)
        self._cursor = displayio.TileGrid(self._cursor_bitmap, pixel_shader=palette, y=48)
        self._cursor.hidden = True
        self._root.append(self._cursor)
        self._layout = -1
        self._contrast = 255
        self._asleep = False
        display.root_group = displayio.Group()   # boot: panel cleared (3.8)
        self._refresh()

    def _switch(self, layout):
        """Place the rows the layout uses at its slots (blank), hide the rest."""
        slots, lines_y = LAYOUTS[layout]
        for line in self._rows:
            line.group.hidden = True
        indexes = self._slots[layout]
        texts = self._texts[layout]
        for i in range(len(slots)):
            _, scale, align, x = slots[i]
            line = self._rows[indexes[i]]
            line.place(scale, align, x)
            line.group.hidden = False
            texts[i] = ""
        for rule in self._rules:
            rule.hidden = rule.y not in lines_y
        if self._layout < 0:
            self.display.root_group = self._root
        self._layout = layout

    def show(self, screen):
        """Draw a Screen; returns True when anything on the panel changed."""
        changed = False
        if screen.layout != self._layout:
            self._switch(screen.layout)
            changed = True
        indexes = self._slots[screen.layout]
        texts = self._texts[screen.layout]
        for i in range(len(indexes)):
            text = screen.texts[i]
            if text != texts[i]:
                self._rows[indexes[i]].set(text)
                texts[i] = text
                changed = True
        cursor = self._cursor
        if (screen.cursor_x < 0) != cursor.hidden or cursor.x != max(screen.cursor_x, 0):
            cursor.hidden = screen.cursor_x < 0
            cursor.x = max(screen.cursor_x, 0)
            changed = True
        if changed:
            self._refresh()
        return changed

    def text_lines(self):
        """What the panel shows, as 8 rows of text (blank before the first screen)."""
        if self._layout < 0:
            return [""] * 8
        return text_lines(self._layout, self._texts[self._layout])

    # --- the app's view interface -----------------------------------------------------
    def update(self, app, now_s):
        """Once per second: choose and draw the screen for the app's current values."""
        self.show(self.model.update(app, now_s))
        self.backlight(contrast(app.backlight_s), app.dark_s >= SLEEP_AFTER_S)

    def backlight(self, level, asleep):
        """Panel contrast and sleep (3.7), sent only when they change."""
        if level != self._contrast:
            self._contrast = level
            self.display.brightness = level / 255
        if asleep != self._asleep:
            self._asleep = asleep
            sleep = getattr(self.display, "sleep" if asleep else "wake", None)
            if sleep is not None:
                sleep()

    def reinit(self):
        """`<`+`>` (2.2): send the whole panel again (recovers a garbled panel)."""
        self._layout = -1
        self.display.root_group = displayio.Group()
        self._refresh()

    def show_fault(self, text):
        """Called by the fail-safe: only the model changes; the display service draws it
        on its next second, so no displayio work runs in the fault handler's call chain."""
        self.model.show_fault(text)

    def clear_fault(self):
        self.model.clear_fault()

    def show_message(self, rows):
        self.show(self.model.show_message(rows))

    def _refresh(self):
        if not self.display.auto_refresh:
            self.display.refresh()
