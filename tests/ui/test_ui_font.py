"""The OLED fonts and icons (settings-and-menu.md 3.1)."""
import displayio
import pytest

from ui import font, icons

_ICONS = [
    (icons.ICON_STOPPED, b"\x3c\x7e\x7e\x7e\x3c"),
    (icons.ICON_PAUSED, b"\x7e\x7e\x00\x7e\x7e"),
    (icons.ICON_NORMAL, b"\x48\x2c\x16\x05\x04"),
    (icons.ICON_SOLAR, b"\x2a\x1c\x7f\x1c\x2a"),
    (icons.ICON_SMART, b"\x1c\x3e\x08\x3e\x1c"),
    (icons.DEGREE, b"\x00\x02\x05\x02\x00"),
]


@pytest.mark.parametrize("icon, cols", _ICONS)
def test_icon_columns_are_those_of_3_1(icon, cols):
    """Given an icon code point, then its 5 columns are the bytes of 3.1 (LSB = top)."""
    assert bytes(font.columns(ord(icon))) == cols


def test_small_font_covers_printable_ascii_in_6x8_cells():
    """Given ASCII 32..126, then every glyph is 5 columns wide with a 6 px advance (21 per
    row)."""
    for code in range(32, 127):
        assert (font.SMALL.width(chr(code)), font.SMALL.advance(chr(code))) == (5, 6)
    assert font.SHEET.height == 8


def _drawn(face, char):
    """The pixels a font draws for one character into an empty line, as {(x, y)}."""
    line = displayio.Bitmap(128, 8, 2)
    advance = face.draw(line, char, 0, 128)
    return advance, {(x, y) for x in range(128) for y in range(8) if line[x, y]}


def test_glyph_pixels_match_column_bytes():
    """Given 'A' (7C 12 11 12 7C), when drawn, then pixel (x, y) is set for bit y of
    column x and nothing else is drawn."""
    cols = font.columns(ord("A"))
    advance, lit = _drawn(font.SMALL, "A")
    assert advance == 6
    assert lit == {(x, y) for x in range(5) for y in range(8) if (cols[x] >> y) & 1}


def test_unknown_character_draws_a_question_mark():
    """Given a character the font lacks, then the '?' glyph stands in."""
    assert font.columns(0x4E2D) is None
    assert _drawn(font.SMALL, "\u4e2d") == _drawn(font.SMALL, "?")
    assert _drawn(font.BIG, "\x07") == _drawn(font.BIG, "?")


def test_a_glyph_that_would_stick_out_is_not_drawn():
    """Given x past the line's end, then nothing is drawn and the advance still counts."""
    line = displayio.Bitmap(16, 8, 2)
    assert font.SMALL.draw(line, "A", 4, 8) == 6
    assert font.SMALL.draw(line, "A", -1, 16) == 6
    assert not any(line[x, y] for x in range(16) for y in range(8))


def test_big_font_condenses_like_the_original():
    """Given the big font, then empty outer columns are dropped except on digits, plus a
    1 px gap, so an 11-character line such as MAINS METER fits 128 px at scale 2."""
    assert font.BIG.advance("I") == 4
    assert font.BIG.advance("1") == 6
    assert font.BIG.advance(" ") == 3
    width = sum(font.BIG.advance(c) for c in "MAINS METER") - 1
    assert 2 * width <= 128
    advance, lit = _drawn(font.BIG, "I")                  # 00 41 7F 41 00: columns 1..3
    assert advance == 4 and {x for x, _ in lit} == {0, 1, 2}
