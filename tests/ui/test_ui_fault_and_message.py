"""One-off screens: the loop's fail-safe fault and safe-mode messages (docs/architecture.md
"The cooperative loop", "Firmware update"; settings-and-menu.md 3.2)."""
from smartevse.core.states import TEMP_HIGH
from ui.layout import LAYOUT_BIG, LAYOUT_NOTE, LAYOUT_STATUS
from ui.screens import ScreenModel
from ui.status_view import StatusView


def test_fault_stays_until_cleared():
    """Given a service raised, when show_fault is called, then `ERROR` and the text show
    on every following second, over error screens, until clear_fault()."""
    model = ScreenModel()
    view = StatusView()
    model.show_fault("ZeroDivisionError: division by zero")
    view.error_flags = TEMP_HIGH
    for now_s in range(3):
        screen = model.compose(view, now_s)
        assert screen.layout == LAYOUT_NOTE
        assert screen.lines()[0] == "ERROR"
        assert screen.lines()[3:5] == ["ZeroDivisionError:", "division by zero"]
    model.clear_fault()
    assert model.compose(view, 3).texts[0] == "HIGH TEMP"
    view.error_flags = 0
    assert model.compose(view, 4).layout == LAYOUT_STATUS


def test_long_fault_text_is_wrapped_and_cut():
    """Given a 200-character exception text, then at most 5 rows of 21 characters."""
    model = ScreenModel()
    model.show_fault("x" * 50 + " " + "word " * 30)
    lines = model.screen.lines()
    assert all(len(line) <= 21 for line in lines)
    assert lines[3] == "x" * 21 and lines[7] != ""


def test_safe_mode_message_in_big_font():
    """Given safe mode, when the message is shown, then UPDATE / INCOMPLETE in big rows."""
    model = ScreenModel()
    screen = model.show_message(("", "UPDATE", "INCOMPLETE"))
    assert screen.layout == LAYOUT_BIG
    assert screen.lines()[2] == "UPDATE" and screen.lines()[4] == "INCOMPLETE"


def test_boot_screen_is_blank():
    """Given power-up, before the first second, then the panel is cleared (3.8)."""
    assert ScreenModel().text_lines() == [""] * 8
