"""Meter feeds and phase requests over MQTT `/Set/` (interfaces.md 1.7, 2.4; charging.md
3.5, 4.2, 6.2a; issue 11 items 6, 7), through the firmware's command handling
(`Simulation.mqtt_set`)."""

from sim import Simulation
from tests.helpers import charging_simulation

PREFIX = "SmartEVSE/51446/"


def test_home_battery_current_counts_for_60_s_and_is_published():
    """Given a standalone controller, when Set/HomeBatteryCurrent says 30 (dA, charging),
    then the regulation holds 3.0 A, HomeBatteryCurrent is published and GET /settings
    shows it; 61 s later without a new value it is dropped (charging.md 4.2)."""
    s = Simulation()
    assert s.mqtt_set("Set/HomeBatteryCurrent", "30")
    s.advance(2)
    assert s.observe()["home_battery_da"] == 30
    assert s.mqtt_published()[PREFIX + "HomeBatteryCurrent"] == "30"
    assert s.rest("GET", "/settings")[1]["home_battery"]["current"] == 30
    s.advance(62)
    assert s.observe()["home_battery_da"] == 0
    assert not s.mqtt_set("HomeBatteryCurrent", "lots")


def test_a_node_refuses_the_battery_and_mains_feeds():
    """Given a power-share node, when it gets Set/HomeBatteryCurrent or Set/MainsMeter,
    then both are dropped: the master owns the mains (interfaces.md 2.4 "master only")."""
    s = Simulation(nodes=2)
    node = s.node(2)
    assert not node.mqtt_set("HomeBatteryCurrent", "30")
    assert not node.mqtt_set("MainsMeter", "10:10:10")
    assert node.observe()["home_battery_da"] == 0


def test_api_mains_feed_regulates_and_falls_back_to_mains_limit_when_stale():
    """Given MAINS MET API in Smart mode, when Set/MainsMeter sends L1:L2:L3 in dA, then the
    regulation reads them; when the feed stops, no CT_NOCOMM at 11 s (the staleness
    fallback is on, 120 s), and after 120 s every phase reads MAINS x 10 until the next
    update (charging.md 3.5; interfaces.md 1.7)."""
    s = Simulation(settings={"mains_meter_type": "API", "mode": "Smart"})
    assert s.mqtt_set("MainsMeter", "100:50:-20")
    s.advance(1)
    assert s.observe()["mains_da"] == [100, 50, -20]
    s.advance(30)
    assert "CT_NOCOMM" not in s.observe()["errors"]
    s.advance(95)
    assert s.observe()["mains_da"] == [250, 250, 250]          # MAINS 25 A
    assert "CT_NOCOMM" not in s.observe()["errors"]
    assert s.mqtt_set("MainsMeter", "10:10:10")
    s.advance(1)
    assert s.observe()["mains_da"] == [10, 10, 10]


def test_api_mains_feed_without_staleness_fallback_raises_ct_nocomm_after_11_s():
    """Given MAINS MET API in Smart mode with the staleness timeout 0 (off, Set/
    MainsMeterTimeout), when the feed stops, then CT_NOCOMM after 11 s, cleared by the next
    update (charging.md 3.5)."""
    s = Simulation(settings={"mains_meter_type": "API", "mode": "Smart"})
    assert s.mqtt_set("MainsMeterTimeout", "0")
    assert s.mqtt_set("MainsMeter", "100:50:20")
    s.advance(13)
    assert "CT_NOCOMM" in s.observe()["errors"]
    assert s.mqtt_set("MainsMeter", "100:50:20")
    s.advance(2)
    assert "CT_NOCOMM" not in s.observe()["errors"]


def test_mains_feed_is_refused_unless_the_mains_meter_is_api():
    """Given the default Sensorbox mains meter, when Set/MainsMeter arrives, then it is
    dropped (interfaces.md 2.4 "mains type API"); out-of-range values are dropped too."""
    s = Simulation()
    assert not s.mqtt_set("MainsMeter", "1:2:3")
    api = Simulation(settings={"mains_meter_type": "API"})
    assert not api.mqtt_set("MainsMeter", "1:2:2001")
    assert not api.mqtt_set("MainsMeter", "1:2")


def test_ev_meter_feed_sets_currents_power_and_energy():
    """Given EV METER API, when Set/EVMeter sends L1:L2:L3:W:Wh, then the EV currents,
    EVChargePower and EVImportActiveEnergy follow; currents above 999 dA are not applied
    while power and energy still are (interfaces.md 2.4)."""
    s = Simulation(settings={"ev_meter_type": "API", "mode": "Smart"})
    assert s.mqtt_set("EVMeter", "60:61:62:4140:123456")
    s.advance(12)
    published = s.mqtt_published()
    assert s.observe()["ev_da"] == [60, 61, 62]
    assert published[PREFIX + "EVChargePower"] == "4140"
    assert published[PREFIX + "EVImportActiveEnergy"] == "123456"
    assert published[PREFIX + "EVCurrentL2"] == "61"
    assert s.mqtt_set("EVMeter", "1000:0:0:100:200")
    assert s.observe()["ev_da"] == [60, 61, 62]


def test_an_outside_phase_request_holds_for_the_session_within_contact_2():
    """Given charging on 3 phases in Normal with CONTACT 2 Always On, when evcc asks for 1
    phase (Set/Phases 1), then the controller stops, switches and charges on contactor 1
    alone, and Normal's wish for 3 phases does not undo it for the session; after the EV
    is unplugged and plugged again it charges on 3 phases (charging.md 6.2a, 6.4)."""
    s = charging_simulation()
    assert s.observe()["contactor2"] and s.observe()["phases"] == 3
    assert s.mqtt_set("Phases", "1")
    s.advance(25)                        # C1, B1 with a 15 s charge delay, then C (6.4)
    o = s.observe()
    assert o["state"] == "Charging" and o["contactor1"] and not o["contactor2"]
    s.advance(60)
    assert s.observe()["phases"] == 1 and not s.observe()["contactor2"]
    assert s.mqtt_published()[PREFIX + "NrOfPhases"] == "1"
    s.plant.ev.pilot("A")
    s.advance(3)
    s.plant.ev.pilot("C")
    s.advance(25)
    assert s.observe()["contactor2"] and s.observe()["phases"] == 3


def test_a_three_phase_request_is_refused_with_contact_2_always_off():
    """Given CONTACT 2 Always Off, when Set/Phases 3 arrives, then it is dropped: the
    installer forbids closing contactor 2 (charging.md 6.2a)."""
    s = charging_simulation({"enable_C2": "Always Off"})
    assert not s.mqtt_set("Phases", "3")
    assert not s.mqtt_set("Phases", "2")
    s.advance(5)
    assert not s.observe()["contactor2"]
