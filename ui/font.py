"""The OLED fonts: 5x7 glyphs on a 6 x 8 cell, plus the status icons (settings-and-menu.md 3.1).

The glyph data is the classic 5x7 LCD font (ASCII 32..126; the table SmartEVSE's own GLCD
code draws with), one byte per column, least significant bit = top pixel, followed by the
icons of 3.1 under Unicode code points that name them, so a row reads as text too
(`"\u26a1 NORMAL"`). Two fonts share the table:

- `SMALL`: fixed 6 px advance, 8 px line (21 characters per row);
- `BIG`: drawn at scale 2, the original's low-resolution big font: empty outer columns are
  dropped except on digits, then a 1 px gap, so `MAINS METER` fits in 120 px.

At start-up the table becomes one Bitmap, the glyphs side by side 5 columns each (about
500 bytes); drawing a character copies its columns out of it with one C call
(`bitmaptools.blit`), so no Bitmap or Glyph object is kept per character.
"""

from micropython import const

import bitmaptools
import displayio

from ui.icons import ICONS

_FIRST = const(32)
_LAST = const(126)
_UNKNOWN = const(63 - 32)    # the sheet index of '?': stands in for a character the font lacks
_SMALL_ADVANCE = const(6)

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
    index = _index(chr(codepoint))
    if index == _UNKNOWN and codepoint != _FIRST + _UNKNOWN:
        return None
    return _COLUMNS[index * 5:index * 5 + 5]


def _index(char):
    """The glyph number of a character in the table (and the sheet); '?' when it lacks it."""
    code = ord(char)
    if _FIRST <= code <= _LAST:
        return code - _FIRST
    icon = ICONS.find(char)
    return _UNKNOWN if icon < 0 else _LAST - _FIRST + 1 + icon


def _sheet():
    """The whole table as one Bitmap, 8 px high, glyph n in columns 5n..5n+4."""
    width = len(_COLUMNS)
    pixels = bytearray(width * 8)              # row by row, one byte per pixel
    for x in range(width):
        bits = _COLUMNS[x]
        for y in range(8):
            if bits & (1 << y):
                pixels[y * width + x] = 1
    bitmap = displayio.Bitmap(width, 8, 2)
    bitmaptools.arrayblit(bitmap, pixels)      # one C call
    return bitmap


SHEET = _sheet()


def _span(index, condensed):
    """First and end column drawn (the original's GLCD_font_condense for the big font)."""
    cols = index * 5
    start = 0
    end = 5
    if condensed and not 16 <= index <= 25:          # digits keep their width
        if _COLUMNS[cols] == 0:
            start = 2 if _COLUMNS[cols + 1] == 0 else 1
        if _COLUMNS[cols + 4] == 0:
            end = 4
    return start, end


class Font5x8:
    """One of the two fonts over the sheet: how wide a character is and how it is drawn."""

    def __init__(self, condensed=False):
        self._condensed = condensed
        spans = bytearray(2 * (len(_COLUMNS) // 5))  # per glyph: first and end column
        for index in range(len(spans) // 2):
            spans[2 * index], spans[2 * index + 1] = _span(index, condensed)
        self._spans = bytes(spans)

    def width(self, char):
        """The columns of ink drawn for a character (its glyph's width)."""
        i = 2 * _index(char)
        return self._spans[i + 1] - self._spans[i]

    def advance(self, char):
        """How far the next character starts: 6 px, or the width plus a 1 px gap
        condensed."""
        return self.width(char) + 1 if self._condensed else _SMALL_ADVANCE

    def draw(self, bitmap, char, x, end):
        """Copy a character's glyph into `bitmap` at x, background left as it is (one C
        call), unless it would stick out of columns 0..end-1; returns the advance."""
        index = _index(char)
        left = 5 * index + self._spans[2 * index]
        width = 5 * index + self._spans[2 * index + 1] - left
        if x >= 0 and x + width <= end:
            bitmaptools.blit(bitmap, SHEET, x, 0, x1=left, y1=0, x2=left + width, y2=8,
                             skip_source_index=0)
        return width + 1 if self._condensed else _SMALL_ADVANCE


SMALL = Font5x8()
BIG = Font5x8(condensed=True)
