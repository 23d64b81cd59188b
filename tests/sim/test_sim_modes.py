"""Smart and Solar closed loop through the simulator: the mains meter reads house load - PV
+ the EV's draw per phase, the controller regulates on it (charging.md 4.3-4.7, 6.3, 6.4;
issue 9 item 6). One controller; the Sensorbox on the simulated bus is the mains meter."""

from sim import Simulation

SENSORBOX = 1


def _smart(**extra):
    settings = {"mains_meter_type": SENSORBOX, "MAX": 32, "MAINS": 25, "mode": "Smart"}
    settings.update(extra)
    s = Simulation(settings=settings)
    s.plant.cable(rating_a=32)
    return s


def _solar(**extra):
    settings = {"mains_meter_type": SENSORBOX, "MAX": 16, "MIN": 6, "START": 4, "STOP": 1,
                "IMPORT": 0, "mode": "Solar"}
    settings.update(extra)
    s = Simulation(settings=settings)
    s.plant.cable(rating_a=32)
    return s


def _solar_charging(contact2, then_s):
    """Solar charging on a sunny 10 A export per phase, `then_s` seconds after it started."""
    s = _solar(**{"CONTACT 2": contact2})
    s.plant.mains.pv_da(100, 100, 100)
    s.plant.ev.pilot("C")
    assert _run_until(s, 60, lambda o: o["contactor1"]) is not None
    s.advance(then_s)
    return s


def _run_until(s, seconds, done, step=0.5):
    """Advance in `step`s until done(observe()) or `seconds` ran out; the time it took."""
    waited = 0.0
    while waited < seconds:
        s.advance(step)
        waited += step
        if done(s.observe()):
            return waited
    return None


def test_smart_converges_to_the_mains_limit_and_stays_under_it():
    """Given Smart, MAINS 25 A, MAX 32, a house load of 10 A per phase, when the EV charges,
    then within a minute the EV draws 15 A (the offer 15.0-15.1 A: an EV draws what the
    duty encodes, rounded down, 1.1) and the highest phase reads 25 A, never above it once
    settled (4.6 3b, 3e, 4)."""
    s = _smart()
    s.plant.mains.load_da(100, 100, 100)
    s.plant.ev.pilot("C")
    s.advance(60)
    highest = []
    for _ in range(30):
        s.advance(2)
        highest.append(max(s.observe()["mains_da"]))
    assert 150 <= s.observe()["advertised_da"] <= 151 and s.plant.ev.draw_da[0] == 150
    assert max(highest) == 250


def test_a_house_load_step_reduces_the_offer_in_the_next_cycle():
    """Given Smart settled at 15 A under MAINS 25 A, when the house load rises by 5 A per
    phase, then the offer drops within one mains reading and one regulation cycle (4 s) and
    settles at 10 A with the mains back at 25 A (4.3, 4.6 4)."""
    s = _smart()
    s.plant.mains.load_da(100, 100, 100)
    s.plant.ev.pilot("C")
    s.advance(60)
    before_da = s.observe()["advertised_da"]
    assert 150 <= before_da <= 151          # the duty's 14.9 A rounded down: 15.1 A (1.1)
    s.plant.mains.load_da(150, 150, 150)
    took = _run_until(s, 10, lambda o: o["advertised_da"] < before_da, step=0.1)
    assert took is not None and took <= 4.0
    s.advance(60)
    o = s.observe()
    assert 100 <= o["advertised_da"] <= 101 and 245 <= max(o["mains_da"]) <= 250   # duty steps


def test_solar_waits_for_start_surplus_then_charges_at_min_for_40_s():
    """Given Solar, START 4 A, when the export is 1 A per phase (3 A summed), then the EV waits;
    at 5 A per phase (15 A summed > START) it charges at MIN 6 A for the first 40 s (4.5 1, 4.7 a)."""
    s = _solar(**{"CONTACT 2": "Always On"})
    s.plant.mains.pv_da(10, 10, 10)
    s.plant.ev.pilot("C")
    s.advance(60)
    assert s.observe()["contactor1"] is False
    s.plant.mains.pv_da(50, 50, 50)
    took = _run_until(s, 60, lambda o: o["state"] == "Charging" and o["contactor1"])
    assert took is not None
    s.advance(30)
    assert s.observe()["advertised_da"] == 60


def test_solar_stops_after_stop_minutes_of_import_and_restarts_on_surplus():
    """Given Solar, STOP 1 min, IMPORT 0, charging at MIN on 3 phases with Always On, when the
    sun goes (the EV's 18 A all imported), then charging goes on for STOP minutes and stops
    with LESS_6A; when the sun is back it restarts after the 15 s restart delay (4.7 a, b; 2.5-4)."""
    s = _solar_charging("Always On", 60)
    s.plant.mains.pv_da(0, 0, 0)
    s.advance(50)
    assert s.observe()["contactor1"] and 0 < s.observe()["solar_stop_timer_s"] <= 60
    took = _run_until(s, 30, lambda o: not o["contactor1"])
    assert took is not None
    assert "LESS_6A" in s.observe()["errors"]
    s.plant.mains.pv_da(100, 100, 100)
    took = _run_until(s, 60, lambda o: o["contactor1"])
    assert took is not None and took >= 14


def _watch_contactor2(s, seconds):
    """Advance in 10 ms ticks; True if contactor 2 ever changed while the EV drew current."""
    before = s.board.contactor2.value
    for _ in range(int(seconds * 100)):
        s.advance(0.01)
        now = s.board.contactor2.value
        if now != before and any(s.plant.ev.draw_da):
            return True
        before = now
    return False


def test_solar_switches_3p_to_1p_after_30_s_and_back_after_63_s_never_under_load():
    """Given Solar, CONTACT 2 Auto, MIN 6, MAX 16, charging on 3 phases, when the PV drops to
    2 A per phase (import >= MIN), then after about 30 s the offer stops, both contactors open
    and it resumes on 1 phase; with spare export at 1P MAX it returns to 3 phases after about
    63 s once the 300 s hold-down is over; contactor 2 never changes while current flows
    (4.7 b, c; 6.3; 6.4)."""
    s = _solar_charging("Auto", 100)
    assert s.observe()["contactor2"]
    s.plant.mains.pv_da(20, 20, 20)
    took = _run_until(s, 60, lambda o: o["state"] == "Charging Stopped" or not o["contactor1"])
    assert took is not None and 28 <= took <= 40
    assert not _watch_contactor2(s, 30)
    o = s.observe()
    assert o["phases"] == 1 and o["contactor1"] and not o["contactor2"]
    assert o["phase_hold_down_s"] > 250
    s.plant.mains.pv_da(150, 150, 150)
    took = _run_until(s, 600, lambda o: o["phase_request"] == 3 or o["contactor2"])
    assert took is not None and took >= 250           # the hold-down, then 63 s
    assert not _watch_contactor2(s, 40)
    assert s.observe()["phases"] == 3 and s.observe()["contactor2"]


def test_absurd_export_never_offers_above_max_or_the_cable():
    """Given Smart, MAX 32 with a 13 A cable, when the meter reports a 200 A export per phase,
    then the offer is 13 A at most (bad input; 4.4, D13)."""
    s = _smart()
    s.plant.cable(rating_a=13)
    s.plant.mains.pv_da(2000, 2000, 2000)
    s.plant.ev.pilot("C")
    for _ in range(30):
        s.advance(2)
        assert s.observe()["advertised_da"] <= 130
    assert s.observe()["advertised_da"] == 130


def test_a_silent_mains_meter_stops_smart_charging_after_11_s():
    """Given Smart charging, when the mains meter stops answering, then within 11 s plus a
    reading the charge stops with CT_NOCOMM (3.5: stale readings stop charging)."""
    s = _smart()
    s.plant.ev.pilot("C")
    s.advance(20)
    assert s.observe()["contactor1"]
    s.plant.mains.online(False)
    took = _run_until(s, 30, lambda o: "CT_NOCOMM" in o["errors"])
    assert took is not None and took <= 14
    s.advance(10)
    assert not s.observe()["contactor1"]


def test_a_charging_home_battery_counts_as_surplus_in_solar():
    """Given Solar, START 4, PV 10 A per phase all going into a home battery charging at 30 A,
    when the battery's current is reported, then the controller sees the surplus and starts (4.2)."""
    s = _solar(**{"CONTACT 2": "Always On"})
    s.plant.mains.pv_da(100, 100, 100)
    s.plant.mains.battery_da(300)
    s.plant.ev.pilot("C")
    took = _run_until(s, 60, lambda o: o["contactor1"])
    assert took is not None and s.observe()["home_battery_da"] == 300


def test_a_slow_ev_follows_a_new_offer_after_its_response_time():
    """Given an EV answering after 2 s, when the offer rises from 6 A, then its draw stays at
    6 A for 2 s and follows afterwards (issue 9 item 8)."""
    s = Simulation()
    s.plant.ev.response_s(2)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(1.5)
    assert s.plant.ev.draw_da == [0, 0, 0]
    s.advance(2)
    assert s.observe()["advertised_da"] == 130
    assert s.plant.ev.draw_da[0] == s.board.offered_da() > 120


def test_not_enough_current_stops_smart_after_about_20_s_and_it_resumes_60_s_after():
    """Given Smart charging, MAINS 25 A, when the house alone draws 22 A per phase (MIN 6 A no
    longer fits), then charging goes on for the grace of 10 hard-shortage cycles (about 20 s),
    stops with LESS_6A; when the load falls it clears, and it charges again after ChargeDelay
    60 s (3.2, 2.5-14)."""
    s = _smart()
    s.plant.mains.load_da(100, 100, 100)
    s.plant.ev.pilot("C")
    s.advance(30)
    s.plant.mains.load_da(220, 220, 220)
    s.advance(14)
    assert s.observe()["contactor1"]
    took = _run_until(s, 20, lambda o: "LESS_6A" in o["errors"])
    assert took is not None
    assert _run_until(s, 10, lambda o: not o["contactor1"]) is not None     # C1, then B1
    s.plant.mains.load_da(100, 100, 100)
    took = _run_until(s, 90, lambda o: o["contactor1"])
    assert took is not None and 55 <= took <= 66


def test_capacity_with_cap_stop_stops_after_its_minutes():
    """Given Smart, CAPACITY 30 A summed, CAP STOP 1 min, when the house alone takes 12 A per
    phase (36 A summed), then once the offer is down at MIN charging continues for 1 minute,
    the summains timer visible in observe(), and stops with LESS_6A (4.8)."""
    s = _smart(CAPACITY=30, **{"CAP STOP": 1})
    s.plant.ev.pilot("C")
    s.advance(20)
    s.plant.mains.load_da(120, 120, 120)
    s.advance(30)
    o = s.observe()
    assert o["contactor1"] and 0 < o["summains_timer_s"] <= 60
    took = _run_until(s, 70, lambda o: not o["contactor1"])
    assert took is not None and "LESS_6A" in s.observe()["errors"]
