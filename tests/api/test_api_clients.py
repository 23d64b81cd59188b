"""Existing REST clients, replayed: evcc's SmartEVSE REST charger and the Home Assistant
REST custom component send exactly these requests and read these fields (interfaces.md
0.3, 1.1, 1.4, 1.5; charging.md 6.2a; issue 11 item 7).

evcc (REST template): status = GET /settings `.evse.iec61851_state`, enabled =
`.evse.charging_enabled`, enable = POST /settings?mode=1 / mode=0, maxcurrent = POST
/settings?override_current=<A x 10>, phases1p3p = POST /settings?phases=1|3, power,
currents and energy from `.ev_meter`. Home Assistant's component posts the number
entities as Python floats (`str(value * 10)` -> "83.0") and the mode select as 0..3.
"""

from sim import Simulation


def get(s):
    status, doc = s.rest("GET", "/settings")
    assert status == 200
    return doc


def post(s, **params):
    status, answer = s.rest("POST", "/settings", params)
    assert status == 200
    return answer


def plugged(**settings):
    s = Simulation(settings=settings or None)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("B")
    s.advance(2.0)
    return s


def charging(**settings):
    s = plugged(**settings)
    s.plant.ev.pilot("C")
    s.advance(5.0)
    assert s.observe()["state"] == "Charging"
    return s


# --- evcc ------------------------------------------------------------------------------

def test_evcc_reads_b_and_enabled_while_the_car_waits():
    """Given a car plugged in (B2) with access ON, when evcc reads GET /settings, then
    `iec61851_state` "B" and `charging_enabled` true: allowed to charge (1.4, decided
    2026-11-30 against the fork's "state C or C1")."""
    evse = get(plugged())["evse"]
    assert evse["iec61851_state"] == "B" and evse["iec61851_substate"] == "B2"
    assert evse["charging_enabled"] is True


def test_evcc_disable_then_enable_stops_and_restarts_the_charge():
    """Given charging, when evcc disables (POST mode=0) the answer echoes "0", the charge
    stops (contactors open, B1) and evcc reads `charging_enabled` false, mode "OFF"; when
    it enables again (POST mode=1) the answer echoes "1" and, once the charge delay has
    passed, the car charges again in Normal with `charging_enabled` true (0.3, 1.4, 1.5)."""
    s = charging()
    assert post(s, mode="0") == {"mode": "0"}
    s.advance(8.0)
    doc = get(s)
    assert doc["mode"] == "OFF" and doc["mode_id"] == 0
    assert doc["evse"]["charging_enabled"] is False and doc["evse"]["iec61851_state"] == "B"
    assert s.observe()["contactor1"] is False
    assert post(s, mode="1") == {"mode": "1"}
    doc = get(s)
    assert doc["mode"] == "NORMAL" and doc["mode_id"] == 1 and doc["evse"]["access"] == 1
    s.advance(70.0)                      # the charge delay after a stop (charging.md 2.7)
    doc = get(s)
    assert doc["evse"]["charging_enabled"] is True
    assert doc["evse"]["iec61851_state"] == "C" and doc["evse"]["state_id"] == 2
    assert s.observe()["contactor1"] is True


def test_evcc_maxcurrent_sets_a_ceiling_in_deciamps():
    """Given charging at MAX 16 A, when evcc sets maxcurrent 10 A (POST override_current=100),
    then the answer is 100, GET `settings.override_current` 100 and the EV is offered 10.0 A
    (charging.md 12 D13)."""
    s = charging(MAX=16)
    assert post(s, override_current="100") == {"override_current": 100}
    s.advance(4.0)
    assert get(s)["settings"]["override_current"] == 100
    assert s.observe()["advertised_da"] == 100


def test_evcc_1p_request_holds_for_the_session_and_ends_at_unplug():
    """Given charging on 3 phases with CONTACT 2 Auto in Normal, when evcc asks for 1 phase
    (POST phases=1), then the answer is {1, switching, previous 3}, the charge goes on with
    contactor 2 open and `nrofphases` 1, and Normal's own wish for 3P does not undo it for
    the rest of the session; after unplug and a new session it is 3P again (charging.md
    6.2a, 6.4)."""
    s = charging(enable_C2="Auto")
    assert get(s)["evse"]["nrofphases"] == 3
    assert post(s, phases="1") == {"phases": 1, "switching": True, "previous_phases": 3}
    s.advance(30.0)
    o = s.observe()
    assert o["state"] == "Charging" and o["contactor1"] and not o["contactor2"]
    assert get(s)["evse"]["nrofphases"] == 1
    s.advance(300.0)                     # past the 300 s hold-down: still the request's 1P
    assert s.observe()["contactor2"] is False and get(s)["evse"]["nrofphases"] == 1
    s.plant.ev.pilot("A")                # unplugged: the session ends
    s.advance(3.0)
    s.plant.ev.pilot("B")
    s.advance(2.0)
    s.plant.ev.pilot("C")
    s.advance(10.0)
    o = s.observe()
    assert o["state"] == "Charging" and o["contactor2"] is True
    assert get(s)["evse"]["nrofphases"] == 3


def test_evcc_reads_power_currents_and_energy_of_an_api_ev_meter():
    """Given EV METER type API fed by POST /ev_meter, when evcc reads GET /settings, then
    `ev_meter.import_active_power` (W), `currents.L1..L3` (dA) and `charged_wh` (Wh since
    the session began) are the fed values (1.4, 1.8)."""
    s = plugged(ev_meter_type="API")
    s.rest("POST", "/ev_meter", {"import_active_energy": "1000", "export_active_energy": "0",
                                 "import_active_power": "0"})
    s.plant.ev.pilot("C")
    s.advance(3.0)
    s.rest("POST", "/ev_meter", {"L1": "160", "L2": "159", "L3": "161"})
    s.rest("POST", "/ev_meter", {"import_active_energy": "1420", "export_active_energy": "0",
                                 "import_active_power": "11040"})
    meter = get(s)["ev_meter"]
    assert meter["import_active_power"] == 11040
    assert meter["currents"] == {"TOTAL": 480, "L1": 160, "L2": 159, "L3": 161}
    assert meter["charged_wh"] == 420 and meter["total_wh"] == 1420


# --- Home Assistant REST custom component ----------------------------------------------

def test_home_assistant_override_current_as_a_float_text_parses_as_atoi():
    """Given Normal mode, when Home Assistant sends override_current=83.0 (8.3 A x 10 as a
    Python float), then it reads as 83 like C's atoi, and GET shows 83 (1.1)."""
    s = charging()
    assert post(s, override_current="83.0") == {"override_current": 83}
    assert get(s)["settings"]["override_current"] == 83


def test_home_assistant_mode_select_uses_the_upstream_numbering():
    """Given a mains meter (Sensorbox), when Home Assistant's select sends 3, 2, 1, 0, then
    GET reads SMART 3, SOLAR 2, NORMAL 1, OFF 0 with `evse.mode` the internal 1, 2, 0
    (0.3 decided numbering)."""
    s = plugged(mains_meter_type="Sensorbox")
    for sent, name, internal in (("3", "SMART", 1), ("2", "SOLAR", 2), ("1", "NORMAL", 0)):
        assert post(s, mode=sent) == {"mode": sent}
        doc = get(s)
        assert (doc["mode"], doc["mode_id"], doc["evse"]["mode"]) == (name, int(sent), internal)
    assert post(s, mode="0") == {"mode": "0"}
    assert get(s)["mode"] == "OFF" and get(s)["evse"]["access"] == 0


def test_home_assistant_solar_numbers_as_float_texts():
    """Given a master in Solar, when Home Assistant posts stop_timer=10.0,
    solar_start_current=4.0 and solar_max_import=2.0, then each is taken as its integer
    (1.1, 1.5, 0.3)."""
    s = plugged(mains_meter_type="Sensorbox", mode="Solar")
    answer = post(s, stop_timer="10.0", solar_start_current="4.0", solar_max_import="2.0")
    assert answer["solar_start_current"] == 4 and answer["solar_max_import"] == 2
    settings = get(s)["settings"]
    assert settings["solar_stop_time"] == 10
    assert settings["solar_start_current"] == 4 and settings["solar_max_import"] == 2


def test_evcc_1p_request_under_contact2_always_on_is_honoured_for_the_session():
    """Given CONTACT 2 Always On (the default) charging on 3 phases, when evcc asks for 1
    phase, then contactor 2 opens and the charge goes on on one phase: opening it is always
    safe (charging.md 6.2a)."""
    s = charging()
    assert post(s, phases="1") == {"phases": 1, "switching": True, "previous_phases": 3}
    s.advance(30.0)
    o = s.observe()
    assert o["state"] == "Charging" and o["contactor1"] and not o["contactor2"]
    assert get(s)["evse"]["nrofphases"] == 1
