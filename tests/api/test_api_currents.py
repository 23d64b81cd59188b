"""POST /currents and /ev_meter: mains, home battery and EV meter values from the network
feed the regulation, with the staleness rules (interfaces.md 1.7, 1.8; charging.md 3.5,
4.2, 12 D14; issue 11 item 6)."""

import pytest

from sim import Simulation

NA = "Value not allowed!"
START_EPOCH_S = 1767254400            # the simulation's default start, 2026-01-01T08:00:00


def currents(s, **params):
    status, answer = s.rest("POST", "/currents", {k: str(v) for k, v in params.items()})
    assert status == 200
    return answer


def feed(s, seconds, l1, l2, l3, every_s=2.0, **extra):
    """An energy manager posting the mains currents every `every_s` seconds."""
    t = 0.0
    while t < seconds:
        currents(s, L1=l1, L2=l2, L3=l3, **extra)
        s.advance(every_s)
        t += every_s


def charging_on_api(**settings):
    s = Simulation(settings={"mains_meter_type": "API", "MAINS": 25, "MAX": 16, **settings})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("B")
    feed(s, 2.0, 0, 0, 0)
    s.plant.ev.pilot("C")
    feed(s, 10.0, 0, 0, 0)
    return s


def test_mains_feed_answers_original_corrected_and_total_and_shows_in_get():
    """Given MAINS METER API, when L1=50 (with a P1 feed's trailing blank), L2=60, L3=-10
    are posted, then the answer carries `original` and the phases with their TOTAL 100,
    and GET `phase_currents` shows them with the update's epoch (1.4, 1.7)."""
    s = Simulation(settings={"mains_meter_type": "API"})
    answer = currents(s, L1="50 ", L2=60, L3=-10)
    assert answer == {"original": {"L1": 50, "L2": 60, "L3": -10},
                      "L1": 50, "L2": 60, "L3": -10, "TOTAL": 100}
    phases = s.rest("GET", "/settings")[1]["phase_currents"]
    assert (phases["L1"], phases["L2"], phases["L3"], phases["TOTAL"]) == (50, 60, -10, 100)
    assert phases["original_data"] == {"TOTAL": 100, "L1": 50, "L2": 60, "L3": -10}
    assert phases["last_data_update"] == START_EPOCH_S
    assert s.observe()["mains_da"] == [50, 60, -10]


def closed_loop(s, seconds, house_da):
    """An energy manager posting the mains as a meter sees them: house plus the EV."""
    for _ in range(int(seconds / 2)):
        draw = s.plant.ev.draw_da
        currents(s, L1=house_da + draw[0], L2=house_da + draw[1], L3=house_da + draw[2])
        s.advance(2.0)


def test_smart_mode_regulates_on_the_fed_mains_currents():
    """Given Smart, MAINS 25 A and MAX 16 A on an API mains meter, when the feed reports
    2 A of house load per phase plus the EV, the EV is offered MAX; when the house takes
    14 A per phase, the offer comes down towards the 11 A left under MAINS (charging.md
    4.6)."""
    s = charging_on_api(mode="Smart")
    closed_loop(s, 40.0, 20)
    assert s.observe()["advertised_da"] == 160
    closed_loop(s, 60.0, 140)
    o = s.observe()
    assert o["state"] == "Charging" and 60 <= o["advertised_da"] <= 120
    assert max(o["mains_da"]) <= 260


def test_without_staleness_a_silent_feed_raises_ct_nocomm_after_11_s():
    """Given Smart on an API mains meter with the API staleness off (0), when the feed stops,
    then CT_NOCOMM within 11..13 s stops the charge; a new post clears it (3.5)."""
    s = charging_on_api(mode="Smart", mains_meter_timeout=0)
    s.advance(8.0)                        # the last post came 2 s before: 10 s silent
    assert "CT_NOCOMM" not in s.observe()["errors"]
    s.advance(4.0)
    o = s.observe()
    assert "CT_NOCOMM" in o["errors"] and o["contactor1"] is False
    currents(s, L1=0, L2=0, L3=0)
    s.advance(1.0)
    assert "CT_NOCOMM" not in s.observe()["errors"]


def test_with_staleness_a_silent_feed_reads_mains_x10_after_120_s_and_no_error():
    """Given Smart on an API mains meter with the default staleness of 120 s, when the feed
    stops, then no CT_NOCOMM is raised, and once 120 s have passed every phase reads
    MAINS x 10 so the current can no longer rise; the next post restores the readings
    (charging.md 3.5, D14; interfaces.md 1.7)."""
    s = charging_on_api(mode="Smart")
    assert s.app.settings.values["mains_meter_timeout"] == 120
    s.advance(60.0)
    o = s.observe()
    assert o["errors"] == [] and o["mains_da"] == [0, 0, 0]
    s.advance(62.0)
    o = s.observe()
    assert o["mains_da"] == [250, 250, 250] and "CT_NOCOMM" not in o["errors"]
    currents(s, L1=30, L2=30, L3=30)
    assert s.observe()["mains_da"] == [30, 30, 30]


def test_home_battery_charging_counts_as_surplus_in_solar():
    """Given Solar with CONTACT 2 Always On, when the battery charges at 30.0 A
    (battery_current=300), then each mains phase is lowered by a third of it: the answer's
    `original` keeps the values as sent (charging.md 4.2, interfaces.md 1.7)."""
    s = Simulation(settings={"mains_meter_type": "API", "mode": "Solar"})
    assert currents(s, battery_current=300) == {"battery_current": 300}
    answer = currents(s, L1=-20, L2=10, L3=40)
    assert answer["original"] == {"L1": -20, "L2": 10, "L3": 40}
    assert (answer["L1"], answer["L2"], answer["L3"], answer["TOTAL"]) == (-120, -90, -60, -270)
    battery = s.rest("GET", "/settings")[1]["home_battery"]
    assert battery == {"current": 300, "last_update": START_EPOCH_S}


def test_with_contact2_always_off_the_whole_battery_goes_to_l1():
    """Given a single-phase site (CONTACT 2 Always Off) in Solar, when the battery charges
    at 9.0 A, then L1 alone is lowered by 90 (charging.md 4.2)."""
    s = Simulation(settings={"mains_meter_type": "API", "mode": "Solar",
                             "enable_C2": "Always Off"})
    currents(s, battery_current=90)
    answer = currents(s, L1=50, L2=0, L3=0)
    assert (answer["L1"], answer["L2"], answer["L3"]) == (-40, 0, 0)


def test_battery_value_is_forgotten_after_60_s():
    """Given Solar and a battery value, when 61 s pass without a new one, then the next
    mains post is not corrected and GET home_battery reads current 0, last_update 0 (4.2)."""
    s = Simulation(settings={"mains_meter_type": "API", "mode": "Solar"})
    currents(s, battery_current=300)
    s.advance(61.0)
    answer = currents(s, L1=10, L2=10, L3=10)
    assert (answer["L1"], answer["L2"], answer["L3"]) == (10, 10, 10)
    assert s.rest("GET", "/settings")[1]["home_battery"] == {"current": 0, "last_update": 0}


def test_battery_outside_smart_or_normal_is_stored_but_not_applied():
    """Given Smart, when a battery value and mains readings come, then the readings stay as
    sent: the battery counts only in Solar (4.2)."""
    s = Simulation(settings={"mains_meter_type": "API", "mode": "Smart"})
    currents(s, battery_current=300)
    answer = currents(s, L1=10, L2=10, L3=10)
    assert answer["TOTAL"] == 30


def test_a_node_refuses_battery_mains_and_circuit_values():
    """Given a power-share node (loadbl 2) with API mains and circuit meters, when battery,
    mains and circuit values are posted, then each is refused with "not allowed on slave"
    (1.7; the circuit's answer as the fork's)."""
    s = Simulation(settings={"loadbl": 2, "mains_meter_type": "API", "circuit_meter_type": "API"})
    answer = currents(s, battery_current=100, L1=1, L2=2, L3=3, circuit_L1=1, circuit_L2=2,
                      circuit_L3=3)
    assert answer == {"battery_current": "not allowed on slave", "TOTAL": "not allowed on slave",
                      "circuit": {"TOTAL": "not allowed on slave"}}
    assert s.app.evse.reg.battery_da == 0


def test_mains_values_without_an_api_meter_or_incomplete_are_ignored():
    """Given a Sensorbox mains meter, when L1..L3 are posted, then {} and the readings are
    untouched; given an API meter, when only L1 and L2 come, then {} too (1.7)."""
    s = Simulation(settings={"mains_meter_type": "Sensorbox"})
    assert currents(s, L1=100, L2=100, L3=100) == {}
    s = Simulation(settings={"mains_meter_type": "API"})
    assert currents(s, L1=100, L2=100) == {}
    assert s.observe()["mains_da"] == [0, 0, 0]


@pytest.mark.parametrize("params, key", [
    ({"L1": "40000", "L2": "0", "L3": "0"}, "L1"),
    ({"L1": "0", "L2": "0", "L3": "-99999"}, "L3"),
    ({"battery_current": "10001"}, "battery_current"),
])
def test_absurd_values_are_refused_and_change_nothing(params, key):
    """Given an API mains meter, when a phase beyond +/-3276.7 A or a battery beyond
    +/-1000 A is posted, then that key answers "Value not allowed!" and no reading changes
    (issue 11 "Bad input")."""
    s = Simulation(settings={"mains_meter_type": "API", "mode": "Solar"})
    assert currents(s, **params) == {key: NA}
    assert s.observe()["mains_da"] == [0, 0, 0] and s.app.evse.reg.battery_da == 0


def test_circuit_values_need_an_api_circuit_meter():
    """Given CIRCUIT METER type API, when circuit_L1..3 are posted, then the answer is
    {"circuit": {L1, L2, L3, TOTAL}} and GET `circuit_meter.currents` shows them (1.7)."""
    s = Simulation(settings={"circuit_meter_type": "API"})
    answer = currents(s, circuit_L1=10, circuit_L2=20, circuit_L3=30)
    assert answer == {"circuit": {"L1": 10, "L2": 20, "L3": 30, "TOTAL": 60}}
    assert s.rest("GET", "/settings")[1]["circuit_meter"]["currents"] == \
        {"TOTAL": 60, "L1": 10, "L2": 20, "L3": 30}


# --- POST /ev_meter (1.8) ---------------------------------------------------------------

def test_ev_meter_currents_answer_and_feed_the_ev_meter_timeout():
    """Given EV METER type API in Smart, when the EV currents are posted, then the answer
    is {"ev_meter": {"currents": ...}}; when they stop for 64 s EV_NOCOMM is raised
    (charging.md 3.5)."""
    s = charging_on_api(mode="Smart", ev_meter_type="API")
    status, answer = s.rest("POST", "/ev_meter", {"L1": "60", "L2": "61", "L3": "62"})
    assert (status, answer) == (200, {"ev_meter": {"currents": {
        "L1": 60, "L2": 61, "L3": 62, "TOTAL": 183}}})
    assert s.observe()["ev_da"] == [60, 61, 62]
    feed(s, 60.0, 0, 0, 0)
    assert "EV_NOCOMM" not in s.observe()["errors"]
    feed(s, 8.0, 0, 0, 0)
    assert "EV_NOCOMM" in s.observe()["errors"]


def test_ev_meter_energy_answers_wh_under_the_historic_kwh_names():
    """Given EV METER type API, when import 5000 Wh, export 200 Wh and 3680 W are posted,
    then `total_kwh` is 4800 (Wh, import - export) and `charged_kwh` 0 before a session
    (1.8: the *_kwh keys carry Wh)."""
    s = Simulation(settings={"ev_meter_type": "API"})
    status, answer = s.rest("POST", "/ev_meter", {"import_active_energy": "5000",
                                                  "export_active_energy": "200",
                                                  "import_active_power": "3680"})
    assert answer == {"ev_meter": {"import_active_power": 3680, "import_active_energy": 5000,
                                   "export_active_energy": 200, "total_kwh": 4800,
                                   "charged_kwh": 0}}


def test_ev_meter_values_without_an_api_ev_meter_are_ignored():
    """Given no EV meter, when EV currents are posted, then {} and nothing changes (1.8)."""
    s = Simulation()
    assert s.rest("POST", "/ev_meter", {"L1": "60", "L2": "61", "L3": "62"}) == (200, {})
    assert s.observe()["ev_da"] == [0, 0, 0]
