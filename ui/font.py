"""The OLED fonts: 5x7 glyphs on a 6 x 8 cell, plus the status icons (settings-and-menu.md 3.1).

The glyph data is the classic 5x7 LCD font (ASCII 32..126; the table SmartEVSE's own GLCD
code draws with), one byte per column, least significant bit = top pixel, followed by the
icons of 3.1 under Unicode code points that name them, so a row reads as text too
(`"\u26a1 NORMAL"`). Two fonts share the table:

- `SMALL`: fixed 6 px advance, 8 px line (21 characters per row);
- `BIG`: drawn at scale 2, the original's low-resolution big font: empty outer columns are
  dropped except on digits, then a 1 px gap, so `MAINS METER` fits in 120 px.

A glyph's bitmap is built on first use and kept: a screen uses about 30 distinct glyphs,
which costs far less RAM than a bitmap font file and needs no file read at boot.
"""

import bitmaptools
import displayio
import fontio

from ui.icons import ICONS

_FIRST = 32
_LAST = 126
_UNKNOWN = 63                # '?' stands in for a character the font lacks

# 5 column bytes per glyph, ASCII 32..126, then the icons in ui.icons.ICONS order.
_COLUMNS = (
    b"\x00\x00\x00\x00\x00"  # space
    b"\x00\x00\x5f\x00\x00"  # !
    b"\x00\x07\x00\x07\x00"  # "
    b"\x14\x7f\x14\x7f\x14"  # #
    b"\x24\x2a\x7f\x2a\x12"  # $
    b"\x23\x13\x08\x64\x62"  # %
    b"\x36\x49\x56\x20\x50"  # &
    b"\x00\x08\x07\x03\x00"  # '
    b"\x00\x1c\x22\x41\x00"  # (
    b"\x00\x41\x22\x1c\x00"  # )
    b"\x2a\x1c\x7f\x1c\x2a"  # *
    b"\x08\x08\x3e\x08\x08"  # +
    b"\x00\x80\x70\x30\x00"  # ,
    b"\x08\x08\x08\x08\x08"  # -
    b"\x00\x00\x60\x60\x00"  # .
    b"\x20\x10\x08\x04\x02"  # /
    b"\x3e\x51\x49\x45\x3e"  # 0
    b"\x00\x42\x7f\x40\x00"  # 1
    b"\x72\x49\x49\x49\x46"  # 2
    b"\x21\x41\x49\x4d\x33"  # 3
    b"\x18\x14\x12\x7f\x10"  # 4
    b"\x27\x45\x45\x45\x39"  # 5
    b"\x3c\x4a\x49\x49\x31"  # 6
    b"\x41\x21\x11\x09\x07"  # 7
    b"\x36\x49\x49\x49\x36"  # 8
    b"\x46\x49\x49\x29\x1e"  # 9
    b"\x00\x00\x14\x00\x00"  # :
    b"\x00\x40\x34\x00\x00"  # ;
    b"\x00\x08\x14\x22\x41"  # <
    b"\x14\x14\x14\x14\x14"  # =
    b"\x00\x41\x22\x14\x08"  # >
    b"\x02\x01\x59\x09\x06"  # ?
    b"\x3e\x41\x5d\x59\x4e"  # @
    b"\x7c\x12\x11\x12\x7c"  # A
    b"\x7f\x49\x49\x49\x36"  # B
    b"\x3e\x41\x41\x41\x22"  # C
    b"\x7f\x41\x41\x41\x3e"  # D
    b"\x7f\x49\x49\x49\x41"  # E
    b"\x7f\x09\x09\x09\x01"  # F
    b"\x3e\x41\x41\x51\x73"  # G
    b"\x7f\x08\x08\x08\x7f"  # H
    b"\x00\x41\x7f\x41\x00"  # I
    b"\x20\x40\x41\x3f\x01"  # J
    b"\x7f\x08\x14\x22\x41"  # K
    b"\x7f\x40\x40\x40\x40"  # L
    b"\x7f\x02\x1c\x02\x7f"  # M
    b"\x7f\x04\x08\x10\x7f"  # N
    b"\x3e\x41\x41\x41\x3e"  # O
    b"\x7f\x09\x09\x09\x06"  # P
    b"\x3e\x41\x51\x21\x5e"  # Q
    b"\x7f\x09\x19\x29\x46"  # R
    b"\x26\x49\x49\x49\x32"  # S
    b"\x03\x01\x7f\x01\x03"  # T
    b"\x3f\x40\x40\x40\x3f"  # U
    b"\x1f\x20\x40\x20\x1f"  # V
    b"\x3f\x40\x38\x40\x3f"  # W
    b"\x63\x14\x08\x14\x63"  # X
    b"\x03\x04\x78\x04\x03"  # Y
    b"\x61\x59\x49\x4d\x43"  # Z
    b"\x00\x7f\x41\x41\x41"  # [
    b"\x02\x04\x08\x10\x20"  # backslash
    b"\x00\x41\x41\x41\x7f"  # ]
    b"\x04\x02\x01\x02\x04"  # ^
    b"\x40\x40\x40\x40\x40"  # _
    b"\x00\x03\x07\x08\x00"  # `
    b"\x20\x54\x54\x78\x40"  # a
    b"\x7f\x28\x44\x44\x38"  # b
    b"\x38\x44\x44\x44\x28"  # c
    b"\x38\x44\x44\x28\x7f"  # d
    b"\x38\x54\x54\x54\x18"  # e
    b"\x00\x08\x7e\x09\x02"  # f
    b"\x18\xa4\xa4\x9c\x78"  # g
    b"\x7f\x08\x04\x04\x78"  # h
    b"\x00\x44\x7d\x40\x00"  # i
    b"\x20\x40\x40\x3d\x00"  # j
    b"\x7f\x10\x28\x44\x00"  # k
    b"\x00\x41\x7f\x40\x00"  # l
    b"\x7c\x04\x78\x04\x78"  # m
    b"\x7c\x08\x04\x04\x78"  # n
    b"\x38\x44\x44\x44\x38"  # o
    b"\xfc\x18\x24\x24\x18"  # p
    b"\x18\x24\x24\x18\xfc"  # q
    b"\x7c\x08\x04\x04\x08"  # r
    b"\x48\x54\x54\x54\x24"  # s
    b"\x04\x04\x3f\x44\x24"  # t
    b"\x3c\x40\x40\x20\x7c"  # u
    b"\x1c\x20\x40\x20\x1c"  # v
    b"\x3c\x40\x30\x40\x3c"  # w
    b"\x44\x28\x10\x28\x44"  # x
    b"\x4c\x90\x90\x90\x7c"  # y
    b"\x44\x64\x54\x4c\x44"  # z
    b"\x00\x08\x36\x41\x00"  # {
    b"\x00\x00\x77\x00\x00"  # |
    b"\x00\x41\x36\x08\x00"  # }
    b"\x02\x01\x02\x04\x02"  # ~
    # icons (3.1): filled square, two bars, bolt, sun, double arrow, degree sign
    b"\x3c\x7e\x7e\x7e\x3c"
    b"\x7e\x7e\x00\x7e\x7e"
    b"\x48\x2c\x16\x05\x04"
    b"\x2a\x1c\x7f\x1c\x2a"
    b"\x1c\x3e\x08\x3e\x1c"
    b"\x00\x02\x05\x02\x00"
)


def columns(codepoint):
    """The 5 column bytes of a code point (LSB = top pixel), or None if the font lacks it."""
    if _FIRST <= codepoint <= _LAST:
        index = codepoint - _FIRST
    elif chr(codepoint) in ICONS:
        index = _LAST - _FIRST + 1 + ICONS.index(chr(codepoint))
    else:
        return None
    return _COLUMNS[index * 5:index * 5 + 5]


def _span(cols, codepoint, condensed):
    """First and end column drawn (the original's GLCD_font_condense for the big font)."""
    start = 0
    end = 5
    if condensed and not 48 <= codepoint <= 57:      # digits keep their width
        if cols[0] == 0:
            start = 2 if cols[1] == 0 else 1
        if cols[4] == 0:
            end = 4
    return start, end


class Font5x8:
    """A fontio-compatible font over the 5x7 table (what adafruit_display_text needs)."""

    ascent = 8          # the whole 8 px cell is above the baseline: text top = row top
    descent = 0

    def __init__(self, condensed=False):
        self._condensed = condensed
        self._glyphs = {}
        self._unknown = self.get_glyph(_UNKNOWN)      # built now: no recursion when drawing

    def get_bounding_box(self):
        return (6, 8, 0, 0)

    def get_glyph(self, codepoint):
        glyph = self._glyphs.get(codepoint)
        if glyph is None:
            cols = columns(codepoint)
            if cols is None:
                return self._unknown
            # _span and _make_glyph one after the other, not nested: the glyph is built
            # on the display's deepest call chain (the pystack budget).
            start, end = _span(cols, codepoint, self._condensed)
            glyph = self._make_glyph(cols, start, end)
            self._glyphs[codepoint] = glyph
        return glyph

    def _make_glyph(self, cols, start, end):
        width = end - start
        pixels = bytearray(width * 8)          # row by row, one byte per pixel
        for x in range(width):
            bits = cols[start + x]
            for y in range(8):
                if bits & (1 << y):
                    pixels[y * width + x] = 1
        bitmap = displayio.Bitmap(width, 8, 2)
        # One C call per glyph: no Python frame per pixel on the label's deep chain.
        bitmaptools.arrayblit(bitmap, pixels, 0, 0, width, 8)
        advance = width + 1 if self._condensed else 6
        return fontio.Glyph(bitmap, 0, width, 8, 0, 0, advance, 0)


SMALL = Font5x8()
BIG = Font5x8(condensed=True)
