"""The Linky HP/HC gate through the simulator (charging.md 9.1; settings-and-menu.md 3.5
status texts; decision L1 in docs/architecture.md): an Eastron-type mains meter that is a
Linky TIC gateway tells peak (HP) and off-peak (HC) hours every ~120 s (modbus.md 8.6)."""

from sim import Simulation

LINKY_READ_S = 125        # the Linky registers are read at t == 0 of the poll, every ~120 s


def _linky(peak, **settings):
    values = {"mains_meter_type": "Eastron3P", "mains_meter_address": 11}
    values.update(settings)
    s = Simulation(settings=values, start="2026-01-01T08:00:00")
    s.plant.mains.tic_gateway(peak=peak)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(10)
    return s


def _status_line(s):
    return s.display_text()[-1]


def test_peak_hours_pause_charging_with_wait_hc_and_off_peak_resumes():
    """Given a Linky gateway in peak hours, no bypass, no delayed start or stop, when the EV
    asks for current, then access is PAUSE, the contactor stays open and the display and
    observe() say WAIT HC; when off-peak (HC) begins, then at the next Linky read access is
    ON and the EV charges (9.1, settings-and-menu.md 3.5)."""
    s = _linky(peak=True)
    o = s.observe()
    assert o["access"] == "pause" and o["contactor1"] is False
    assert o["linky_gate"] == "WAIT HC" and _status_line(s) == "WAIT HC"
    s.plant.mains.tic_gateway(peak=False)
    s.advance(LINKY_READ_S)
    o = s.observe()
    assert o["access"] == "on" and o["state"] == "Charging" and o["linky_gate"] is None


def test_the_hp_bypass_charges_in_peak_hours():
    """Given a Linky gateway in peak hours and linky_hp_bypass on, when the EV asks for
    current, then it charges and the gate says nothing (9.1)."""
    s = _linky(peak=True, linky_hp_bypass=1)
    o = s.observe()
    assert o["access"] == "on" and o["state"] == "Charging" and o["linky_gate"] is None


def test_peak_hours_while_charging_pause_it_and_a_start_by_hand_is_paused_again():
    """Given the EV charging off-peak, when peak hours begin, then at the next Linky read
    access turns PAUSE and the contactor opens; an ON by hand (REST mode Normal) is held
    back again within a second: only the bypass charges in HP (9.1)."""
    s = _linky(peak=False)
    assert s.observe()["state"] == "Charging"
    s.plant.mains.tic_gateway(peak=True)
    s.advance(LINKY_READ_S)
    o = s.observe()
    assert o["access"] == "pause" and o["contactor1"] is False and o["linky_gate"] == "WAIT HC"
    s.rest("POST", "/settings", {"mode": "1"})
    s.advance(2)
    assert s.observe()["access"] == "pause"


def test_off_peak_never_lifts_a_stop_made_by_a_person():
    """Given peak hours pausing the EV, when a person stops charging (access OFF) and then
    off-peak begins, then access stays OFF: the gate lifts only its own pause (decision
    L1); the status line still says WAIT HC while peak hours last (3.5)."""
    s = _linky(peak=True)
    s.rest("POST", "/settings", {"mode": "0"})
    s.advance(2)
    assert s.observe()["access"] == "off" and _status_line(s) == "WAIT HC"
    s.plant.mains.tic_gateway(peak=False)
    s.advance(LINKY_READ_S)
    o = s.observe()
    assert o["access"] == "off" and o["contactor1"] is False


def test_lost_linky_data_pauses_with_the_fail_safe_and_changes_nothing_without_it():
    """Given the EV charging off-peak, when the gateway stops answering and linky_failsafe
    is on, then at the next Linky read access is PAUSE with LINKY OFFLINE on the display
    and in observe(); without the fail-safe the EV goes on charging (9.1, 3.5)."""
    for failsafe, access in ((1, "pause"), (0, "on")):
        s = _linky(peak=False, linky_failsafe=failsafe)
        assert s.observe()["state"] == "Charging"
        s.plant.mains.online(False)
        s.advance(LINKY_READ_S)
        o = s.observe()
        assert o["access"] == access, failsafe
        if failsafe:
            assert o["contactor1"] is False and o["linky_gate"] == "LINKY OFFLINE"
            assert _status_line(s) == "LINKY OFFLINE"
        else:
            assert o["state"] == "Charging" and o["linky_gate"] is None


def test_a_delayed_charging_window_takes_precedence_over_the_linky_gate():
    """Given a delayed-charging window 08:10-09:00 and a Linky gateway in peak hours, when
    the start time comes, then access is ON and the EV charges in HP: the gate acts only
    with neither a start nor a stop time set (9.1)."""
    s = _linky(peak=True)
    s.rest("POST", "/settings", {"starttime": "2026-01-01T08:10", "stoptime": "2026-01-01T09:00"})
    s.advance(2)
    assert s.observe()["access"] == "off" and s.observe()["linky_gate"] is None
    s.advance(600)
    o = s.observe()
    assert o["access"] == "on" and o["state"] == "Charging" and o["linky_gate"] is None
