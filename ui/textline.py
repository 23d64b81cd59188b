"""One line of OLED text drawn straight into a Bitmap (settings-and-menu.md 3.1).

Decides nothing. A slot of `ui.screens.LAYOUTS` (row, scale, align, x) becomes a TileGrid
over a Bitmap as wide as the panel, in a Group that scales it; `set(text)` clears the
bitmap and has the font copy each glyph with one C call (`Font5x8.draw`). Shallow on purpose:
adafruit_display_text's bitmap_label runs six library frames deep on every text change,
the firmware's deepest chain, and the pystack budget (ARCHITECTURE.md "Device budget")
has no room for it. Text is anchored as bitmap_label anchored it: the box is the sum of
the glyph advances, its left, right or centre at x.
"""

import displayio

from ui.screens import ALIGN_LEFT, ALIGN_RIGHT

_ROW_PX = 8
_PANEL_PX = 128


class TextLine:
    """A text slot: `group` goes into the layout's Group; `set(text)` draws it."""

    def __init__(self, font, scale, align, x, row, palette):
        self._font = font
        self._align = align
        self._x = x // scale                     # the anchor in bitmap pixels
        self._bitmap = displayio.Bitmap(_PANEL_PX // scale, _ROW_PX, 2)
        self.group = displayio.Group(scale=scale, y=_ROW_PX * row)
        self.group.append(displayio.TileGrid(self._bitmap, pixel_shader=palette))

    def set(self, text):
        bitmap = self._bitmap
        font = self._font
        bitmap.fill(0)
        width = 0
        for char in text:
            width += font.advance(char)
        x = self._x
        if self._align == ALIGN_RIGHT:
            x -= width
        elif self._align != ALIGN_LEFT:
            x -= width // 2
        for char in text:
            x += font.draw(bitmap, char, x)
