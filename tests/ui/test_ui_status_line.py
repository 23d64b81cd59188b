"""The status line, row 7 of the status screen (settings-and-menu.md 3.5, D4)."""
from smartevse.core.states import (ACCESS_OFF, ACCESS_ON, ACCESS_PAUSE, LESS_6A, MODE_SMART,
                                   MODE_SOLAR, STATE_B, STATE_C, STATE_D)
from ui.screens import ScreenModel
from ui.status import status_line
from ui.status_view import StatusView


def _view(**values):
    view = StatusView()
    for key, value in values.items():
        setattr(view, key, value)
    return view


def test_lock_error_comes_first():
    """Given a cable-lock error in state D with no power, then `Lock error` (3.5 order)."""
    view = _view(lock_error=True, state_id=STATE_D, error_flags=LESS_6A)
    assert status_line(view, 0) == "Lock error"


def test_state_d_asks_for_ventilation():
    """Given state D, then `Ventilation required` (charging.md 12 D6)."""
    assert status_line(_view(state_id=STATE_D, error_flags=LESS_6A), 0) == "Ventilation required"


def test_not_enough_power_waits_for_power_or_solar():
    """Given LESS_6A with access ON, then `WAITING FOR POWER`, or `WAITING FOR SOLAR` in
    Solar mode; with access OFF the wait is not shown."""
    assert status_line(_view(error_flags=LESS_6A, state_id=STATE_C), 0) == "WAITING FOR POWER"
    assert status_line(_view(error_flags=LESS_6A, mode=MODE_SOLAR), 0) == "WAITING FOR SOLAR"
    assert status_line(_view(error_flags=LESS_6A, access=ACCESS_OFF), 0) == "ACCESS DENIED"


def _rotation(view, seconds=48):
    return [status_line(view, s) for s in range(0, seconds, 4)]


def test_charging_rotates_every_4_s_without_ev_meter():
    """Given state C on 3 phases, no EV meter, grid relay closed, then the line rotates
    every 4 s: `3P CHARGING`, `CHARGING`, `CHARGING`, and again (3.5)."""
    view = _view(state_id=STATE_C, phases=3)
    assert [status_line(view, s) for s in range(8)] == ["3P CHARGING"] * 4 + ["CHARGING"] * 4
    assert _rotation(view, 24) == ["3P CHARGING", "CHARGING", "CHARGING"] * 2


def test_charging_rotation_with_grid_relay_and_ev_meter():
    """Given state C on 1 phase, the grid relay open and an EV meter at 11.04 kW with
    4.20 kWh, then the rotation is 1P CHARGING, LIMITED, CHARGING, 11.0 kW, 4.20 kWh,
    CHARGING (3.5)."""
    view = _view(state_id=STATE_C, phases=1, grid_relay_open=True, ev_meter_type=4,
                 ev_power_w=11040, session_wh=4200, session_live=True)
    assert _rotation(view, 24) == ["1P CHARGING", "LIMITED", "CHARGING", "11.0 kW",
                                   "4.20 kWh", "CHARGING"]


def test_solar_stop_countdown_replaces_charging():
    """Given Solar charging while the solar stop timer runs 125 s and the capacity timer
    90 s, then `STOP IN 01:30` replaces `CHARGING` in the rotation (D4)."""
    view = _view(state_id=STATE_C, mode=MODE_SOLAR, solar_stop_timer_s=125,
                 max_sum_mains_timer_s=90)
    assert _rotation(view, 12) == ["3P CHARGING", "STOP IN 01:30", "STOP IN 01:30"]
    view.mode = MODE_SMART
    assert _rotation(view, 12) == ["3P CHARGING", "CHARGING", "CHARGING"]


def test_phase_switch_pending_shows_direction_and_delay():
    """Given a pending switch from 3 to 1 phase with 45 s charge delay, then
    `3P -> 1P 45` (3.5); a request equal to the phases in use is not pending."""
    assert status_line(_view(state_id=STATE_B, phases=3, phase_switch_to=1,
                             charge_delay_s=45), 0) == "3P -> 1P 45"
    assert status_line(_view(phases=1, phase_switch_to=3), 0) == "1P -> 3P"
    assert status_line(_view(phases=3, phase_switch_to=3), 0) == "READY TO CHARGE"


def test_ready_paused_rfid_and_denied():
    """Given access ON, PAUSE, or OFF with and without an RFID reader, then READY TO
    CHARGE [<s>], PAUSED, PRESENT/INVALID RFID CARD, ACCESS DENIED (3.5)."""
    assert status_line(_view(), 0) == "READY TO CHARGE"
    assert status_line(_view(charge_delay_s=60), 0) == "READY TO CHARGE 60"
    assert status_line(_view(access=ACCESS_PAUSE), 0) == "PAUSED"
    assert status_line(_view(access=ACCESS_OFF, rfid_reader=1), 0) == "PRESENT RFID CARD"
    assert status_line(_view(access=ACCESS_OFF, rfid_reader=2,
                             rfid_status_text="Invalid"), 0) == \
        "INVALID RFID CARD"
    assert status_line(_view(access=ACCESS_OFF, rfid_reader=6), 0) == "ACCESS DENIED"
    assert status_line(_view(access=ACCESS_OFF), 0) == "ACCESS DENIED"


def test_status_line_is_row_7_of_the_screen():
    """Given state C at second 4 after a button event at second 0, then row 7 is the
    second rotation entry."""
    model = ScreenModel()
    view = _view(state_id=STATE_C, access=ACCESS_ON)
    model.restart_rotation(100)
    assert model.compose(view, 104).lines()[7] == "CHARGING"
