"""Screens drawn through the real SSD1306 displayio driver (settings-and-menu.md 3.1, 3.4).

The picture is read back from the fake panel's GDDRAM, i.e. from the bytes the unchanged
adafruit_displayio_ssd1306 driver sent (docs/architecture.md "displayio -> PNG").
"""
import pytest

from sim.display import HostDisplay
from ui.font import columns
from ui.icons import ICON_NORMAL
from ui.oled import OledView
from smartevse.core.states import CT_NOCOMM, STATE_B
from ui.status_view import StatusView


@pytest.fixture
def oled():
    return OledView(HostDisplay())


def _status_view():
    view = StatusView()
    view.state_id = STATE_B
    view.offered_da = 160
    view.mains_da = (-10, -12, -10)
    return view


def _lit(image, box):
    """Coordinates of lit pixels inside box (x0, y0, x1, y1), ends exclusive."""
    x0, y0, x1, y1 = box
    return [(x, y) for y in range(y0, y1) for x in range(x0, x1) if image.getpixel((x, y))]


def test_status_screen_lines_and_rows_land_on_the_grid(oled):
    """Given the status screen, when drawn, then the lines at y = 10 and 52 are lit across
    the width, row 0 text stays in y 0..7, rows 2-5 in y 16..47, row 7 in y 56..63."""
    oled.show(oled.model.compose(_status_view(), 0))
    image = oled.display.to_image()
    assert image.size == (128, 64) and image.mode == "1"
    for y in (10, 52):
        assert len(_lit(image, (0, y, 128, y + 1))) == 128
    for y0, y1 in ((8, 10), (11, 16), (48, 52), (53, 56)):
        assert _lit(image, (0, y0, 128, y1)) == []
    assert _lit(image, (0, 0, 128, 8))
    assert _lit(image, (0, 56, 128, 64))
    for row in (2, 3, 4, 5):
        assert _lit(image, (0, 8 * row, 128, 8 * row + 8))


def test_row_0_icon_is_the_glyph_of_3_1_in_gddram(oled):
    """Given NORMAL mode, when drawn, then panel page 0 columns 0..4 hold exactly the bolt
    icon's bytes (LSB = top pixel, as 3.1 lists them), column 5 is the gap."""
    oled.show(oled.model.compose(_status_view(), 0))
    ram = oled.display.panel.ram
    assert bytes(ram[0:5]) == bytes(columns(ord(ICON_NORMAL)))
    assert ram[5] == 0
    # "N" of NORMAL after icon + space: cell 2 starts at x = 12
    assert bytes(ram[12:17]) == bytes(columns(ord("N")))


def test_state_letter_is_right_aligned_ending_at_column_126(oled):
    """Given state B (B2), when drawn, then 'B2' occupies cells 116..127 of page 0 with ink
    ending at x = 126, as the original's right alignment at x = 127."""
    oled.show(oled.model.compose(_status_view(), 0))
    ram = oled.display.panel.ram
    assert bytes(ram[116:121]) == bytes(columns(ord("B")))
    assert bytes(ram[122:127]) == bytes(columns(ord("2")))
    assert ram[127] == 0


def test_error_screen_is_big_and_centred(oled):
    """Given CT_NOCOMM with a Modbus mains meter, when drawn, then ERROR NO is 16 px tall
    text on rows 0-1, centred on x = 64 (3.1, 3.3)."""
    view = StatusView()
    view.error_flags = CT_NOCOMM
    view.mains_meter_type = 1
    oled.show(oled.model.compose(view, 0))
    image = oled.display.to_image()
    top = _lit(image, (0, 0, 128, 16))
    xs = [x for x, _ in top]
    ys = [y for _, y in top]
    assert min(ys) == 0 and max(ys) >= 13
    assert abs((min(xs) + max(xs)) / 2 - 64) <= 2
    assert _lit(image, (0, 16, 128, 32))          # SERIAL COM on rows 2-3
    assert oled.text_lines()[0:4] == ["ERROR NO", "", "SERIAL COM", ""]


def test_layouts_share_the_rows_and_leave_nothing_behind(oled):
    """Given the status screen, an error screen in big text over the same rows, and a
    message, when the status screen comes back, then the panel holds exactly the first
    picture: a row placed for another layout is redrawn, not left as it was."""
    view = _status_view()
    oled.show(oled.model.compose(view, 0))
    first = bytes(oled.display.panel.ram)
    view.error_flags = CT_NOCOMM
    view.mains_meter_type = 1
    oled.show(oled.model.compose(view, 1))
    assert bytes(oled.display.panel.ram) != first
    oled.show_message(["UPDATE", "line 3", "", "", "line 7"])
    view.error_flags = 0
    view.mains_meter_type = 0
    oled.show(oled.model.compose(view, 0))
    assert bytes(oled.display.panel.ram) == first


def test_unchanged_screen_sends_nothing_to_the_panel(oled):
    """Given a screen on the panel, when the same text is shown again, then no label is
    rebuilt and nothing is sent; when one row changes, the panel is refreshed."""
    view = _status_view()
    assert oled.show(oled.model.compose(view, 0)) is True
    writes = oled.display.panel.writes
    assert oled.show(oled.model.compose(view, 1)) is False
    assert oled.display.panel.writes == writes
    view.offered_da = 100
    assert oled.show(oled.model.compose(view, 2)) is True
    assert oled.display.panel.writes > writes
    assert oled.text_lines()[2] == "EV SET 10.0A"


def test_text_lines_follow_the_shown_screen(oled):
    """Given the view before and after its first screen, then text_lines is blank, then
    the 8 rows of the status screen (the simulator's display_text)."""
    assert oled.text_lines() == [""] * 8
    oled.show(oled.model.compose(_status_view(), 0))
    lines = oled.text_lines()
    assert lines[0].startswith(ICON_NORMAL + " NORMAL") and lines[0].endswith("B2")
    assert lines[2:6] == ["EV SET 16.0A", "MAIN 25A->-3.2A", "GRID N/A", "SESSION N/A"]
    assert lines[7] == "READY TO CHARGE"


def test_png_is_written_at_scale(tmp_path, oled):
    """Given a drawn screen, when saved at scale 4, then a 512 x 256 PNG exists."""
    from PIL import Image

    oled.show(oled.model.compose(_status_view(), 0))
    path = tmp_path / "oled.png"
    oled.display.save_png(str(path), scale=4)
    assert Image.open(path).size == (512, 256)
