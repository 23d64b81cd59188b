"""Stand-in for CircuitPython's `fontio`: Glyph and the built-in font type."""
from displayio import Bitmap


class Glyph:
    def __init__(self, bitmap, tile_index, width, height, dx, dy, shift_x, shift_y):
        self.bitmap = bitmap
        self.tile_index = tile_index
        self.width = width
        self.height = height
        self.dx = dx
        self.dy = dy
        self.shift_x = shift_x
        self.shift_y = shift_y


class BuiltinFont:
    """A 6 x 12 cell font whose glyphs are blank (the gate checks code paths, not pixels)."""

    def __init__(self):
        self.bitmap = Bitmap(6, 12, 2)
        self._glyph = Glyph(self.bitmap, 0, 6, 12, 0, -2, 6, 0)

    def get_bounding_box(self):
        return (6, 12)

    def get_glyph(self, codepoint):
        return self._glyph
