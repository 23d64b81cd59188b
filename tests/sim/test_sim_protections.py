"""Protections through the simulator: each raises its flag, opens the contactors, and
recovers as specified (charging.md 3, 8, 12 D4/D12; docs/architecture.md fail-safe)."""

from sim import Simulation
from smartevse import log
from tests.helpers import charging_simulation


def charging(settings=None):
    return charging_simulation(settings, seconds=2.0)


def test_temperature_above_max_stops_and_recovers_below_max_minus_10():
    """Given C with MAX TEMP 65, when the board reaches 66 C, then TEMP_HIGH, C1 and the
    contactors open; at 55 C it stays; below 55 C it clears and charging resumes after
    the charge delay (3.3, 2.5-10/13)."""
    s = charging()
    s.plant.temperature(66)
    s.advance(1.1)
    o = s.observe()
    assert "TEMP_HIGH" in o["errors"] and o["pwm_duty"] == 1024
    s.advance(0.1)
    assert s.observe()["contactor1"] is False
    s.plant.temperature(55)
    s.advance(5.0)
    assert "TEMP_HIGH" in s.observe()["errors"]
    s.plant.temperature(54)
    s.advance(1.1)
    assert "TEMP_HIGH" not in s.observe()["errors"]
    s.advance(20.0)
    o = s.observe()
    assert o["state"] == "Charging" and o["contactor1"] is True


def test_temperature_at_max_does_not_trip():
    """Given MAX TEMP 65, when the board is at exactly 65 C, then no error (3.3: above)."""
    s = charging()
    s.plant.temperature(65)
    s.advance(3.0)
    assert s.observe()["errors"] == []


def test_rcm_trip_opens_the_contactors_within_one_tick_and_latches():
    """Given RCMON enabled and C, when the RCM input trips, then RCM_TRIPPED, B1 and both
    contactors open within 10 ms; releasing the input does not clear it (3.4)."""
    s = charging({"RCMON": "Enabled"})
    s.plant.rcm(True)
    s.advance(0.01)
    o = s.observe()
    assert "RCM_TRIPPED" in o["errors"] and o["contactor1"] is False and o["contactor2"] is False
    s.plant.rcm(False)
    s.advance(10.0)
    o = s.observe()
    assert "RCM_TRIPPED" in o["errors"] and o["state"] == "Charging Stopped"


def test_rcm_is_cleared_by_a_switch_press_with_the_input_low():
    """Given a latched RCM trip, when the user presses the external switch with the RCM
    input low, then the flag clears and the EV charges again (3.4, 3.6)."""
    s = charging({"RCMON": "Enabled", "SWITCH": "Custom B"})
    s.plant.rcm(True)
    s.advance(0.5)
    s.plant.switch(True)           # pressed while still tripped: stays
    s.advance(0.5)
    s.plant.switch(False)
    s.advance(0.5)
    assert "RCM_TRIPPED" in s.observe()["errors"]
    s.plant.rcm(False)
    s.plant.switch(True)
    s.advance(0.5)
    s.plant.switch(False)
    assert "RCM_TRIPPED" not in s.observe()["errors"]
    s.advance(10.0)
    assert s.observe()["state"] == "Charging"


def test_rcm_is_ignored_when_rcmon_is_disabled():
    """Given RCMON Disabled, when the RCM input is high, then nothing trips (3.4)."""
    s = charging()
    s.plant.rcm(True)
    s.advance(1.0)
    o = s.observe()
    assert o["errors"] == [] and o["contactor1"] is True


def test_switch_disabled_press_stops_a_charge_for_15s():
    """Given SWITCH Disabled, when the switch is pressed in C, then C1 with a 15 s charge
    delay, and charging resumes by itself (3.6)."""
    s = charging()
    s.plant.switch(True)
    s.advance(0.3)
    s.plant.switch(False)
    s.advance(1.0)
    o = s.observe()
    assert o["contactor1"] is False and 10 <= o["charge_delay_s"] <= 15
    s.advance(20.0)
    assert s.observe()["state"] == "Charging"


def test_access_switch_follows_its_position():
    """Given SWITCH Access S, when the switch opens, then access OFF and charging stops;
    when it closes, access ON (3.6)."""
    s = Simulation(settings={"SWITCH": "Access S"})
    s.plant.switch(True)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(2.0)
    assert s.observe()["state"] == "Charging"
    s.plant.switch(False)
    s.advance(1.0)
    o = s.observe()
    assert o["access"] == "off" and o["contactor1"] is False
    s.plant.switch(True)
    s.advance(0.5)
    assert s.observe()["access"] == "on"


def test_cable_lock_locks_before_the_contactor_closes():
    """Given a solenoid lock on a socket, when the EV connects and asks for current,
    then the cable is locked before contactor 1 closes; after unplugging it unlocks
    (8, 12 D4)."""
    s = Simulation(settings={"LOCK": "Solenoid"})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    saw_closed_unlocked = False
    for _ in range(300):
        s.advance(0.01)
        o = s.observe()
        if o["contactor1"] and o["lock"] != "locked":
            saw_closed_unlocked = True
    o = s.observe()
    assert o["state"] == "Charging" and o["lock"] == "locked" and not saw_closed_unlocked
    s.plant.ev.pilot("A")
    s.advance(1.5)
    assert s.observe()["lock"] == "unlocked"


def test_jammed_lock_never_closes_the_contactor_and_reports_lock_error():
    """Given a motor lock that is jammed, when the EV asks for current, then the state
    stays B with +12 V and contactors open; after 3 failed attempts LOCK_ERROR; it clears
    when the lock confirms (12 D4, D12)."""
    s = Simulation(settings={"LOCK": "Motor"})
    s.plant.lock.jam()
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(20.0)
    o = s.observe()
    assert o["state_id"] == 1 and o["contactor1"] is False and o["pwm_duty"] == 1024
    assert "LOCK_ERROR" in o["errors"]
    s.plant.lock.jam(False)
    s.advance(8.0)
    o = s.observe()
    assert "LOCK_ERROR" not in o["errors"] and o["state"] == "Charging"


def test_an_exception_in_a_service_opens_the_contactors_and_the_loop_goes_on():
    """Given C, when a service raises, then both contactors open and the pilot is +12 V
    within one tick, the fault is shown, and the loop keeps running (docs/architecture.md)."""
    s = charging()
    app = s.app
    original = app.lock.step_100ms

    def broken(*args):
        raise RuntimeError("lock driver crashed")

    app.lock.step_100ms = broken
    s.advance(0.1)
    o = s.observe()
    assert o["contactor1"] is False and o["pwm_duty"] == 1024
    assert "lock driver crashed" in o["fault"]
    app.lock.step_100ms = original
    before = app.loop.passes
    s.advance(1.0)
    assert app.loop.passes == before + 100
    assert s.observe()["display_text"][0] == "ERROR"
    s.advance(60.0)
    o = s.observe()
    assert o["fault"] is None and o["display_text"][0] != "ERROR"
    assert o["state"] == "Charging"


def test_a_repeating_fault_is_logged_once_a_second_not_every_tick():
    """Given a fault in the 10 ms path, when it repeats every tick for 3 s, then the
    contactors stay open and the log gets about one line per second (no flood)."""
    s = charging()
    app = s.app
    lines_before = log.written()

    def broken(*args):
        raise ValueError("bad sample")

    app.evse.tick_10ms = broken
    s.advance(3.0)
    o = s.observe()
    assert o["contactor1"] is False and o["pwm_duty"] == 1024
    assert app.fault_count == 300
    assert 3 <= log.written() - lines_before <= 6


def test_a_silent_mains_meter_stops_smart_charging_and_normal_mode_recovers():
    """Given Smart mode with a mains meter that never answers, when 11 s pass, then
    CT_NOCOMM and no charging; when the user switches to Normal, the error clears and
    the EV charges (charging.md 3.5: only Smart/Solar need the meter; 1.4 rule 8)."""
    s = Simulation(settings={"MODE": "Smart"})
    s.plant.mains.online(False)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(13.0)
    o = s.observe()
    assert "CT_NOCOMM" in o["errors"] and o["contactor1"] is False
    s.configure({"MODE": "Normal"})
    s.advance(10.0)
    o = s.observe()
    assert o["errors"] == [] and o["state"] == "Charging"
