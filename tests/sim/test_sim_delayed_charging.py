"""Delayed charging through REST and the simulator (charging.md 9.1, interfaces.md 1.5)."""

from sim import Simulation


def test_a_future_start_time_holds_charging_until_then():
    """Given 08:00 local, when starttime 08:10 is posted and the EV asks for current,
    then access is OFF and nothing charges until 08:10; then it charges."""
    s = Simulation(start="2026-01-01T08:00:00")
    status, body = s.rest("POST", "/settings", {"starttime": "2026-01-01T08:10"})
    assert status == 200 and body["starttime"] > 0
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(590)
    o = s.observe()
    assert o["access"] == "off" and o["contactor1"] is False
    s.advance(15)
    o = s.observe()
    assert o["access"] == "on" and o["state"] == "Charging"
    assert s.app.settings.values["starttime"] == 0


def test_a_stop_time_ends_the_window_and_repeat_moves_it_a_day():
    """Given a window 08:01-08:03 with daily repeat, when 08:03 passes, then charging
    stops (access OFF) and both times move 24 h ahead."""
    s = Simulation(start="2026-01-01T08:00:00")
    status, body = s.rest("POST", "/settings", {"starttime": "2026-01-01T08:01",
                                                "stoptime": "2026-01-01T08:03", "repeat": "1"})
    start, stop = body["starttime"], body["stoptime"]
    assert stop - start == 120 and body["repeat"] == 1
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(65)
    assert s.observe()["state"] == "Charging"
    s.advance(120)
    o = s.observe()
    assert o["access"] == "off" and o["contactor1"] is False
    values = s.app.settings.values
    assert (values["starttime"], values["stoptime"]) == (start + 86400, stop + 86400)


def test_a_pending_start_holds_solar_too_and_the_sun_decides_after_it():
    """Given Solar with a sunny 10 A export per phase and a start time 08:10 pending, when the
    mode is set again (Solar -> Smart -> Solar), then access stays OFF (set_mode does not bypass
    the schedule) and observe() shows the window; at 08:10 access turns ON and, the sun still
    there, the EV charges; the window is then gone (9.1, 4.1)."""
    s = Simulation(start="2026-01-01T08:00:00",
                   settings={"mains_meter_type": 1, "mode": "Solar", "CONTACT 2": "Always On"})
    s.plant.mains.pv_da(100, 100, 100)
    status, body = s.rest("POST", "/settings", {"starttime": "2026-01-01T08:10"})
    assert status == 200
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(60)
    s.configure({"mode": "Smart"})
    s.configure({"mode": "Solar"})
    s.advance(60)
    o = s.observe()
    assert o["access"] == "off" and not o["contactor1"]
    assert o["delayed"] == {"start_s": body["starttime"], "stop_s": None, "repeat": False}
    s.advance(480 + 30)
    o = s.observe()
    assert o["access"] == "on" and o["contactor1"] and o["delayed"]["start_s"] is None
