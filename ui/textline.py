"""One row of OLED text drawn straight into a Bitmap (settings-and-menu.md 3.1).

Decides nothing. A TextLine is one panel row (and, on row 0, its right-hand slot): a
TileGrid over a Bitmap as wide as the panel, in a Group at the row's y that scales it.
The layouts of `ui.layout.LAYOUTS` share these rows: `place(scale, align, x)` puts the
row at a slot's scale and anchor (a big slot covers its row and the next), `set(text)`
clears the bitmap and has the font copy each glyph with one C call (`Font5x8.draw`).
Shallow on purpose: adafruit_display_text's bitmap_label runs six library frames deep on
every text change, the firmware's deepest chain, and the pystack budget (architecture.md
"Device budget") has no room for it. Text is anchored as bitmap_label anchored it: the box
is the sum of the glyph advances, its left, right or centre at x.
"""

import displayio

from ui import font
from ui.layout import ALIGN_FRAMED, ALIGN_LEFT, ALIGN_RIGHT

_ROW_PX = 8
_PANEL_PX = 128


class TextLine:
    """A text row: `group` goes into the view's Group; `place()` then `set(text)` draw it."""

    def __init__(self, row, palette):
        self._bitmap = displayio.Bitmap(_PANEL_PX, _ROW_PX, 2)
        self.group = displayio.Group(y=_ROW_PX * row)
        self.group.append(displayio.TileGrid(self._bitmap, pixel_shader=palette))
        self.place(1, ALIGN_LEFT, 0)

    def place(self, scale, align, x):
        """Take a layout slot's scale (1 small, 2 big), alignment and anchor x (panel px);
        the row is blank afterwards."""
        self._font = font.SMALL if scale == 1 else font.BIG
        self._align = align
        self._x = x // scale                     # the anchor in bitmap pixels
        self._end = _PANEL_PX // scale           # the bitmap columns on the panel
        self.group.scale = scale
        self._bitmap.fill(0)

    def set(self, text):
        bitmap = self._bitmap
        face = self._font
        end = self._end
        align = self._align
        bitmap.fill(0)
        first = 0
        last = len(text)
        if align == ALIGN_FRAMED and last:
            # menu rows (2.6): the first character at x = 0, the last at x = 120, the
            # rest centred on 64 (inline, not a helper: one frame less on the pystack)
            face.draw(bitmap, text[0], 0, end)
            if last > 1:
                face.draw(bitmap, text[last - 1], 120 * end // _PANEL_PX, end)
            first = 1
            last -= 1
        width = 0
        for k in range(first, last):
            width += face.advance(text[k])
        x = self._x
        if align == ALIGN_RIGHT:
            x -= width
        elif align == ALIGN_FRAMED:
            x = 64 * end // _PANEL_PX - width // 2
        elif align != ALIGN_LEFT:
            x -= width // 2
        for k in range(first, last):
            x += face.draw(bitmap, text[k], x, end)
