"""The OLED fonts and icons (settings-and-menu.md 3.1)."""
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
    """Given ASCII 32..126, then every glyph is 5 x 8 with a 6 px advance (21 per row)."""
    for code in range(32, 127):
        glyph = font.SMALL.get_glyph(code)
        assert (glyph.width, glyph.height, glyph.shift_x, glyph.dy) == (5, 8, 6, 0)
    assert font.SMALL.get_bounding_box() == (6, 8, 0, 0)


def test_glyph_bitmap_matches_column_bytes():
    """Given 'A' (7C 12 11 12 7C), then its bitmap has pixel (x, y) set for bit y of
    column x."""
    glyph = font.SMALL.get_glyph(ord("A"))
    cols = font.columns(ord("A"))
    for x in range(5):
        for y in range(8):
            assert glyph.bitmap[x, y] == (cols[x] >> y) & 1


def test_unknown_character_draws_a_question_mark():
    """Given a character the font lacks, then the '?' glyph stands in."""
    assert font.SMALL.get_glyph(0x4E2D) is font.SMALL.get_glyph(ord("?"))


def test_big_font_condenses_like_the_original():
    """Given the big font, then empty outer columns are dropped except on digits, plus a
    1 px gap, so an 11-character line such as MAINS METER fits 128 px at scale 2."""
    assert font.BIG.get_glyph(ord("I")).shift_x == 4
    assert font.BIG.get_glyph(ord("1")).shift_x == 6
    assert font.BIG.get_glyph(ord(" ")).shift_x == 3
    width = sum(font.BIG.get_glyph(ord(c)).shift_x for c in "MAINS METER") - 1
    assert 2 * width <= 128
