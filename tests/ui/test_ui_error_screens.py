"""Error screens outside the menu (settings-and-menu.md 3.2, 3.3)."""
import pytest

from smartevse.core.states import (CT_NOCOMM, EV_NOCOMM, LESS_6A, RCM_TEST, RCM_TRIPPED,
                                   TEMP_HIGH)
from ui.error_screen import error_rows
from ui.layout import LAYOUT_BIG, LAYOUT_STATUS
from ui.screens import ScreenModel
from ui.status_view import StatusView


def _screen(error_flags, mains_meter_type=1, now_s=0):
    view = StatusView()
    view.error_flags = error_flags
    view.mains_meter_type = mains_meter_type
    return ScreenModel().compose(view, now_s)


@pytest.mark.parametrize("flags, meter, rows", [
    (EV_NOCOMM, 1, ("CAN'T READ", "EV METER", "CHECK CFG", "OR WIRING")),
    (CT_NOCOMM, 9, ("CAN'T READ", "MAINS METER", "CHECK CFG", "OR WIRING")),
    (CT_NOCOMM, 13, ("CAN'T READ", "MAINS METER", "CHECK CFG", "OR WIRING")),
    (CT_NOCOMM, 1, ("ERROR NO", "SERIAL COM", "CHECK CFG", "OR WIRING")),
    (CT_NOCOMM, 4, ("ERROR NO", "SERIAL COM", "CHECK CFG", "OR WIRING")),
    (TEMP_HIGH, 1, ("HIGH TEMP", "ERROR", "CHARGING", "STOPPED")),
    (RCM_TRIPPED, 1, ("RESIDUAL", "FAULT", "CURRENT", "DETECTED")),
])
def test_error_screen_shows_its_four_big_rows(flags, meter, rows):
    """Given an error flag (and the mains meter type), when the screen is chosen,
    then the big-font error screen shows the 4 rows of 3.3 on rows 0, 2, 4, 6."""
    screen = _screen(flags, meter)
    assert screen.layout == LAYOUT_BIG
    assert tuple(screen.texts) == rows
    assert screen.lines()[0:8:2] == list(rows)
    assert screen.lines()[1:8:2] == ["", "", "", ""]


def test_ev_meter_error_wins_over_mains_and_temperature():
    """Given EV_NOCOMM, CT_NOCOMM and TEMP_HIGH together, then the EV meter screen shows
    (3.3 priority order)."""
    assert _screen(EV_NOCOMM | CT_NOCOMM | TEMP_HIGH).texts[1] == "EV METER"
    assert _screen(CT_NOCOMM | TEMP_HIGH | RCM_TRIPPED).texts[1] == "SERIAL COM"
    assert _screen(TEMP_HIGH | RCM_TRIPPED).texts[0] == "HIGH TEMP"


def test_rcm_pages_alternate_every_4_s():
    """Given RCM_TRIPPED, when the seconds go by, then page A (RESIDUAL...) shows for 4 s,
    then page B (PRESS BUTTON TO RESET) for 4 s, and so on (3.3)."""
    model = ScreenModel()
    view = StatusView()
    view.error_flags = RCM_TRIPPED
    firsts = [model.compose(view, now_s).texts[0] for now_s in range(12)]
    assert firsts == ["RESIDUAL"] * 4 + ["PRESS"] * 4 + ["RESIDUAL"] * 4
    assert tuple(model.compose(view, 5).texts) == ("PRESS", "BUTTON", "TO", "RESET")


def test_button_event_restarts_the_rcm_page_cycle():
    """Given page B showing, when a button event restarts the rotation clock, then page A
    shows again for 4 s (3.5 "Rotation clock")."""
    model = ScreenModel()
    view = StatusView()
    view.error_flags = RCM_TRIPPED
    assert model.compose(view, 5).texts[0] == "PRESS"
    model.restart_rotation(5)
    assert [model.compose(view, s).texts[0] for s in (5, 8, 9)] == ["RESIDUAL", "RESIDUAL", "PRESS"]


def test_rcm_self_test_shows_no_error_screen():
    """Given RCM_TRIPPED during the RCM self-test, then no RCM screen (3.3 "not in RCM
    test"): the status screen shows, with state letter E."""
    screen = _screen(RCM_TRIPPED | RCM_TEST)
    assert screen.layout == LAYOUT_STATUS
    assert screen.texts[1] == "E"
    assert error_rows(RCM_TRIPPED | RCM_TEST, 1, 0) is None


def test_not_enough_power_has_no_error_screen():
    """Given only LESS_6A, then the status screen shows (3.2: LESS_6A is no error screen)."""
    assert _screen(LESS_6A).layout == LAYOUT_STATUS
