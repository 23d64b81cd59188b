"""The status screen rows 0-5 (settings-and-menu.md 3.4)."""
import pytest

from ui.icons import ICON_NORMAL, ICON_PAUSED, ICON_SMART, ICON_SOLAR, ICON_STOPPED
from smartevse.core.states import (ACCESS_OFF, ACCESS_ON, ACCESS_PAUSE, CT_NOCOMM, LESS_6A,
                                   MODE_NORMAL, MODE_SMART, MODE_SOLAR, RCM_TEST)
from ui.fmt import fmt_d1, fmt_kw, fmt_kwh
from ui.layout import LAYOUT_STATUS
from ui.screens import ScreenModel
from ui.status import iec_letter
from ui.status_view import StatusView


def _texts(**values):
    view = StatusView()
    for key, value in values.items():
        setattr(view, key, value)
    screen = ScreenModel().compose(view, 0)
    assert screen.layout == LAYOUT_STATUS
    return screen.texts


@pytest.mark.parametrize("access, mode, title", [
    (ACCESS_OFF, MODE_SOLAR, ICON_STOPPED + " STOPPED"),
    (ACCESS_PAUSE, MODE_SMART, ICON_PAUSED + " PAUSED"),
    (ACCESS_ON, MODE_SOLAR, ICON_SOLAR + " SOLAR"),
    (ACCESS_ON, MODE_SMART, ICON_SMART + " SMART"),
    (ACCESS_ON, MODE_NORMAL, ICON_NORMAL + " NORMAL"),
])
def test_row_0_shows_mode_icon_and_word(access, mode, title):
    """Given access and mode, then row 0 shows the icon, a space and the word (3.4):
    access OFF and PAUSE win over the mode."""
    assert _texts(access=access, mode=mode)[0] == title


@pytest.mark.parametrize("state_id, letter", [
    (0, "A"), (1, "B2"), (2, "C2"), (3, "D"), (4, "B1"), (5, "B1"), (6, "C2"), (7, "C2"),
    (8, "B1"), (9, "B1"), (10, "C1"), (14, "E"), (15, "F"), (99, "F"),
])
def test_row_0_right_shows_iec_state(state_id, letter):
    """Given a state id, then row 0 ends with its IEC 61851 letter (interfaces.md 0.2)."""
    assert iec_letter(state_id, 0) == letter
    assert _texts(state_id=state_id)[1] == letter


@pytest.mark.parametrize("flags, letter", [(LESS_6A, "B2"), (CT_NOCOMM, "E"), (RCM_TEST, "E"),
                                           (LESS_6A | CT_NOCOMM, "E")])
def test_any_error_but_less_6a_forces_e(flags, letter):
    """Given state B and error flags, then any flag other than LESS_6A shows E (3.4)."""
    assert iec_letter(1, flags) == letter


def test_row_0_right_letter_sits_at_the_row_end():
    """Given the status screen, then its text form keeps the letter at column 21."""
    view = StatusView()
    view.state_id = 10
    lines = ScreenModel().compose(view, 0).lines()
    assert len(lines) == 8
    assert lines[0] == ICON_NORMAL + " NORMAL" + " " * 11 + "C1"


def test_ev_row_without_and_with_ev_meter():
    """Given 16.0 A offered, then row 2 is `EV SET 16.0A`; with an EV meter reading
    15.8 A it is `EV   16.0A->15.8A` (3.4)."""
    assert _texts(offered_da=160)[2] == "EV SET 16.0A"
    assert _texts(offered_da=160, ev_meter_type=4, ev_da=158)[2] == "EV   16.0A->15.8A"


def test_main_row_shows_limit_and_signed_sum():
    """Given MAINS 25 A and phase currents -1.0, -1.2, -1.0 A, then row 3 is
    `MAIN 25A->-3.2A` (3.4); without a mains meter the sum is N/A."""
    assert _texts(mains_limit_a=25, mains_da=(-10, -12, -10))[3] == "MAIN 25A->-3.2A"
    assert _texts(mains_limit_a=40, mains_da=(101, 0, 0))[3] == "MAIN 40A->10.1A"
    assert _texts(mains_limit_a=25, mains_da=None)[3] == "MAIN 25A->N/A"


def test_grid_row_shows_mains_kw_or_na():
    """Given no mains power, then `GRID N/A`; given -3249 W, then `GRID -3.2 kW` (D10)."""
    assert _texts()[4] == "GRID N/A"
    assert _texts(mains_power_w=-3249)[4] == "GRID -3.2 kW"
    assert _texts(mains_power_w=11040)[4] == "GRID 11.0 kW"


def test_session_row_none_live_last():
    """Given no session, a live one and a finished one, then row 5 reads
    `SESSION N/A`, `SESSION LIVE 4.20 kWh`, `SESSION LAST 12.35kWh` (cut to 21, unit kept)."""
    assert _texts()[5] == "SESSION N/A"
    assert _texts(session_wh=4200, session_live=True)[5] == "SESSION LIVE 4.20 kWh"
    assert _texts(session_wh=12345, session_live=False)[5] == "SESSION LAST 12.35kWh"


def test_every_status_row_fits_21_characters():
    """Given extreme values, then no row is longer than 21 characters (3.4)."""
    texts = _texts(offered_da=800, ev_meter_type=1, ev_da=-7999, mains_limit_a=200,
                   mains_da=(-32000, -32000, -32000), mains_power_w=-999999,
                   session_wh=99999999, session_live=True, state_id=2, phases=3)
    assert all(len(t) <= 21 for t in texts)


def test_integer_formatting_helpers():
    """Given integers, then one decimal for dA and kW, two for kWh, negatives kept."""
    assert [fmt_d1(v) for v in (0, 5, -5, 160, -32)] == ["0.0", "0.5", "-0.5", "16.0", "-3.2"]
    assert [fmt_kw(v) for v in (0, -49, -50, 4150, -12345)] == \
        ["0.0", "0.0", "-0.1", "4.2", "-12.3"]
    assert [fmt_kwh(v) for v in (0, 4, 5, 4200, 12345)] == ["0.00", "0.00", "0.01", "4.20", "12.35"]
