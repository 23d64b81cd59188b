"""Draws the screens of ui/screens.py on the 128 x 64 OLED with displayio (3.1).

Thin adapter: it decides nothing. One Group per layout, built once; showing a Screen
switches the root Group when the layout changes and redraws a text slot (ui/textline.py)
only when its text changed, then refreshes the panel if the display does not refresh
itself. The device display and the host one (sim/display.py) are driven identically.
"""

import displayio

from ui import font
from ui.screens import LAYOUTS, ScreenModel, text_lines
from ui.textline import TextLine

_WHITE = 0xFFFFFF


class OledView:
    """The screens on one displayio display; also the `view` the app calls each second."""

    def __init__(self, display, model=None):
        self.display = display
        self.model = model if model is not None else ScreenModel()
        self._line = displayio.Bitmap(128, 1, 2)
        self._line.fill(1)
        self._palette = displayio.Palette(2)
        self._palette[0] = 0
        self._palette[1] = _WHITE
        # Text slots share a row's width (left and right text on row 0): their
        # background is transparent so one slot never hides another.
        self._text_palette = displayio.Palette(2)
        self._text_palette[1] = _WHITE
        self._text_palette.make_transparent(0)
        self._groups = []
        self._labels = []
        self._texts = []
        for slots, lines_y in LAYOUTS:
            self._build_layout(slots, lines_y)
        self._layout = -1
        self._blank = displayio.Group()
        display.root_group = self._blank         # boot: panel cleared (3.8)
        self._refresh()

    def _build_layout(self, slots, lines_y):
        """Build the Group of one layout (slots as in screens.LAYOUTS); returns its index."""
        group = displayio.Group()
        labels = []
        for row, scale, align, x in slots:
            label = TextLine(font.SMALL if scale == 1 else font.BIG, scale, align, x, row,
                             self._text_palette)
            group.append(label.group)
            labels.append(label)
        for y in lines_y:
            group.append(displayio.TileGrid(self._line, pixel_shader=self._palette, y=y))
        self._groups.append(group)
        self._labels.append(labels)
        self._texts.append([""] * len(labels))
        return len(self._groups) - 1

    def show(self, screen):
        """Draw a Screen; returns True when anything on the panel changed."""
        changed = False
        if screen.layout != self._layout:
            self.display.root_group = self._groups[screen.layout]
            self._layout = screen.layout
            changed = True
        labels = self._labels[screen.layout]
        texts = self._texts[screen.layout]
        for i in range(len(labels)):
            text = screen.texts[i]
            if text != texts[i]:
                labels[i].set(text)
                texts[i] = text
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
