"""A standalone controller's cuts for MAINS against its per-cycle ramp limits, closed loop
through the simulator (charging.md 4.3, 4.6 steps 4, 6, 7; decision R1 in
docs/architecture.md: a cut a limit needs takes effect in the same cycle, the 3 A ramp
holds for rises and for cuts no limit needs)."""

from sim import Simulation

SENSORBOX = 1


def _smart_at(house_da, response_s=0.0):
    s = Simulation(settings={"mains_meter_type": SENSORBOX, "MAX": 32, "MAINS": 25,
                             "mode": "Smart"})
    s.plant.ev.response_s(response_s)
    s.plant.cable(rating_a=32)
    s.plant.mains.load_da(house_da, house_da, house_da)
    s.plant.ev.pilot("C")
    s.advance(120)
    return s


def _offers(s, seconds):
    """The present offer, then every distinct one (dA), and the highest mains phase,
    sampled each 0.1 s."""
    offers, peaks = [s.observe()["advertised_da"]], []
    for _ in range(int(seconds * 10)):
        s.advance(0.1)
        o = s.observe()
        if not offers or offers[-1] != o["advertised_da"]:
            offers.append(o["advertised_da"])
        peaks.append(max(o["mains_da"]))
    return offers, peaks


def test_a_10_a_house_load_step_cuts_the_offer_under_mains_in_one_cycle():
    """Given Smart, MAINS 25 A, the EV settled at 20 A on 5 A of house load, when the house
    takes 10 A more per phase, then the next offer is already the 10 A the limit leaves (one
    cut, not 3 A a cycle), made within one reading and one cycle (4 s); one cycle (2 s) later
    no phase reads above 25 A, and none does for the next minute, the EV staying within 1 A
    of 10 A (4.6 4, 6, 7; R1)."""
    s = _smart_at(50)
    assert s.observe()["advertised_da"] == 200
    s.plant.mains.load_da(150, 150, 150)
    offers, peaks = _offers(s, 6)
    assert offers[0] == 200 and 95 <= offers[1] <= 101
    cut_at = peaks.index(max(peaks))                       # the step shows at once
    over = [i for i, peak in enumerate(peaks) if peak > 251]
    assert len(over) <= 40 + 20 - cut_at                   # reading + cycle + one cycle
    offers, peaks = _offers(s, 60)
    assert max(peaks) <= 251 and all(95 <= offer <= 105 for offer in offers)


def test_a_slow_ev_is_cut_once_not_again_while_it_follows():
    """Given the EV answering a new offer after 2 s, when the house load steps up by 10 A
    under MAINS 25 A, then the offer falls once to about 10 A and never under 9.5 A: a
    reading taken before the EV followed is not taken as house load (R1; IEC 61851-1
    allows a car 5 s)."""
    s = _smart_at(50, response_s=2.0)
    s.plant.mains.load_da(150, 150, 150)
    offers, peaks = _offers(s, 30)
    assert offers[0] == 200 and min(offers) >= 95 and offers[1] <= 101
    assert max(peaks[-100:]) <= 251


def test_a_lower_house_load_still_raises_the_offer_3_a_a_cycle():
    """Given Smart settled at 10 A on 15 A of house load, when the house load falls by 8 A,
    then the offer rises by at most 3 A a cycle to the 18 A now left (4.6 6, 7)."""
    s = _smart_at(150)
    assert 95 <= s.observe()["advertised_da"] <= 101
    s.plant.mains.load_da(70, 70, 70)
    offers, peaks = _offers(s, 90)
    assert max(b - a for a, b in zip(offers, offers[1:])) <= 30
    assert 170 <= offers[-1] <= 181 and max(peaks) <= 251


def test_a_cloud_lowers_a_solar_offer_3_a_a_cycle_far_under_mains():
    """Given Solar at 16 A on three phases with 20 A of export before the EV, when a cloud
    leaves 8 A of export, then the offer falls at most 3 A a cycle: importing is Solar's
    business, no limit needs the cut (4.6 3g, 6, 7; R1)."""
    s = Simulation(settings={"mains_meter_type": SENSORBOX, "MAX": 16, "MIN": 6, "START": 4,
                             "STOP": 10, "mode": "Solar", "CONTACT 2": "Always On"})
    s.plant.cable(rating_a=32)
    s.plant.mains.pv_da(200, 200, 200)
    s.plant.ev.pilot("C")
    s.advance(180)
    assert s.observe()["advertised_da"] == 160
    s.plant.mains.pv_da(80, 80, 80)
    offers, _ = _offers(s, 60)
    steps = [a - b for a, b in zip(offers, offers[1:])]
    assert max(steps) <= 30 and offers[-1] <= 90



def test_a_standalone_cuts_on_the_reading_that_shows_a_house_load_step():
    """Given Smart, MAINS 25 A, the EV answering after 2 s and settled at 20 A on 5 A of
    house load, when the house takes 10 A more per phase, then the offer falls within 0.1 s
    of the mains reading that shows the step (the reading starts the cycle, 4.3; not the
    next 2 s tick), and from 2.1 s after it (the EV's answer) no phase reads above 25 A for
    a minute: one cycle of transient, 0 A above MAINS in steady state (4.6 4; R1)."""
    s = _smart_at(50, response_s=2.0)
    s.plant.mains.load_da(150, 150, 150)
    seen_at = None
    peaks = []
    for tenth in range(640):
        s.advance(0.1)
        o = s.observe()
        if seen_at is None and max(o["mains_da"]) > 250:
            seen_at = tenth
            assert o["advertised_da"] <= 101
        peaks.append(max(s.plant.mains.current_da()))
    assert seen_at is not None and seen_at <= 20
    assert max(peaks[seen_at + 21:]) <= 250


def test_a_standalone_whose_meter_went_silent_still_runs_its_cycle_on_the_tick():
    """Given Normal with a Sensorbox that stops answering and the EV charging at MAX 16 A,
    when MAX is lowered to 10 A, then the offer follows within two 2 s ticks (3 A a cycle,
    4.6 6): without readings the 1 s timer still starts the cycle (4.3)."""
    s = Simulation(settings={"mains_meter_type": SENSORBOX, "MAX": 16, "mode": "Normal"})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(30)
    assert s.observe()["advertised_da"] == 160
    s.plant.mains.online(False)
    s.advance(20)
    s.configure({"MAX": 10})
    s.advance(5)
    assert s.observe()["advertised_da"] == 100
