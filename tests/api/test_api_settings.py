"""GET and POST /settings through the firmware's request handling (interfaces.md 0, 1.1-1.5)."""

import calendar
import datetime
import json

import pytest
from hypothesis import given, settings as hsettings, strategies as st, HealthCheck

from sim import Simulation
from smartevse.api import routes as api
from smartevse.api.settings_post import parse_local_time
from smartevse.api.params import to_int
from smartevse.settings.table import COUNT, KEYS, NIDS
from smartevse.settings.text_rules import backend_url_error, charge_box_id_error

NA = "Value not allowed!"


def sim(**settings):
    return Simulation(settings=settings or None)


def post(s, **params):
    status, body = s.rest("POST", "/settings", params)
    assert status == 200
    return body


def get(s):
    status, body = s.rest("GET", "/settings")
    assert status == 200
    json.dumps(body)              # serialisable as it is
    return body


def connected(**settings):
    s = sim(**settings)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("B")
    s.advance(1.0)
    return s


# --- routing ---------------------------------------------------------------------------

def test_unknown_path_is_404_not_found():
    """Given any controller, when GET /nothing, then 404 {"error": "Not found"} (1.1)."""
    s = sim()
    assert s.rest("GET", "/nothing") == (404, {"error": "Not found"})


def test_known_path_with_another_method_is_405():
    """Given /settings, when DELETE, then 405 (1.3 lists GET and POST only)."""
    s = sim()
    status, body = s.rest("DELETE", "/settings")
    assert status == 405 and "error" in body


def test_routes_are_a_table_later_issues_extend():
    """Given a new handler, when add_route, then handle() dispatches to it (1.3)."""
    api.add_route("GET", "/test_only_route", lambda app, params, body: (200, {"ok": 1}))
    try:
        assert api.handle(sim().app, "get", "/test_only_route?x=1", {}, None) == (200, {"ok": 1})
    finally:
        del api.ROUTES[("GET", "/test_only_route")]


# --- GET /settings (1.4) ----------------------------------------------------------------

TOP = {"version": str, "serialnr": int, "mode": str, "mode_id": int, "car_connected": bool}
EVSE = {"temp": int, "temp_max": int, "connected": bool, "access": int, "mode": int,
        "loadbl": int, "pwm": int, "custombutton": bool, "state": str, "state_id": int,
        "error": str, "error_id": int, "rfidreader": str, "nrofphases": int, "rfid": str,
        "iec61851_state": str, "iec61851_substate": str, "charging_enabled": bool,
        "solar_stop_timer": int}
SETTINGS_INT = ("charge_current", "override_current", "current_min", "current_max",
                "current_main", "current_max_circuit", "current_max_sum_mains",
                "circuit_meter_type", "circuit_meter_address", "max_circuit_mains",
                "ramp_rate_divisor", "ema_alpha", "smart_deadband", "max_ramp_rate",
                "oscillation_boost_max", "idiff_ema_weight", "max_sum_mains_time",
                "starttime", "stoptime", "repeat", "lcdlock", "lock", "cablelock",
                "linky_hp_bypass", "linky_failsafe", "linky_available", "linky_is_hp",
                "linky_is_hc", "ledmode", "modes_disabled", "solar_start_current",
                "solar_max_import", "solar_stop_time", "auth_mode", "prio_strategy",
                "rotation_interval", "idle_timeout", "capacity_limit",
                "capacity_window_avg", "capacity_monthly_peak", "capacity_headroom")
MQTT = {"host": str, "port": int, "topic_prefix": str, "username": str, "password_set": bool,
        "tls": bool, "status": str, "smartevse_server": bool, "change_only": bool,
        "heartbeat": int}
OCPP = {"mode": str, "backend_url": str, "cb_id": str, "auth_key_set": bool, "auto_auth": str,
        "auto_auth_idtag": str, "status": str, "tx_active": bool, "tx_starts": int,
        "tx_stops": int, "auth_accepts": int, "auth_rejects": int, "auth_timeouts": int,
        "smart_charging_active": bool, "current_limit_a": (int, float), "lb_conflict": bool}
CURRENTS = ("TOTAL", "L1", "L2", "L3")


def _types(block, spec):
    for key, kind in spec.items():
        assert isinstance(block[key], kind), key


def test_get_has_every_documented_key_with_its_type():
    """Given a fresh standalone controller, when GET /settings, then every key of 1.4 is
    there with its type; the not-yet-built parts carry their defaults; no wifi block
    while not associated, no schedule/nodes on a standalone (1.4)."""
    body = get(sim())
    _types(body, TOP)
    _types(body["evse"], EVSE)
    for key in SETTINGS_INT:
        assert isinstance(body["settings"][key], int), key
    assert body["settings"]["enable_C2"] == "Always On"
    assert body["settings"]["mains_meter"] == "Sensorbox"
    assert body["settings"]["auth_required"] is False
    _types(body["mqtt"], MQTT)
    _types(body["ocpp"], OCPP)
    assert body["mqtt"]["status"] == "Disconnected" and body["ocpp"]["status"] == "Disconnected"
    assert body["home_battery"] == {"current": 0, "last_update": 0}
    ev = body["ev_meter"]
    assert set(ev) == {"description", "address", "import_active_power", "total_wh",
                       "charged_wh", "currents", "import_active_energy",
                       "export_active_energy"}
    assert set(ev["currents"]) == set(CURRENTS)
    assert set(body["mains_meter"]) == {"import_active_energy", "export_active_energy",
                                        "phases", "apparent_power_va"}
    phases = body["phase_currents"]
    assert set(phases) == set(CURRENTS) | {"last_data_update", "original_data"}
    assert set(phases["original_data"]) == set(CURRENTS)
    assert body["backlight"]["status"] in ("ON", "OFF", "DIMMED")
    assert body["color"]["solar"] == {"R": 255, "G": 170, "B": 0}
    assert set(body["color"]) == {"off", "normal", "smart", "solar", "custom"}
    for absent in ("wifi", "schedule", "nodes", "circuit_meter"):
        assert absent not in body
    assert body["evse"]["state"] == "Ready to Charge (A)"
    assert body["evse"]["rfid"] == "Not Installed" and "rfid_lastread" not in body["evse"]


def test_get_connected_ev_shows_b2_pwm_and_car_connected():
    """Given an EV plugged in (B), when GET, then "Connected to EV (B2)", pwm 102 (6 A),
    car_connected true, IEC B/B2, charging enabled: allowed to charge (1.4, decided
    2026-11-30), 0.2)."""
    body = get(connected())
    evse = body["evse"]
    assert evse["state"] == "Connected to EV (B2)" and evse["state_id"] == 1
    assert evse["pwm"] == 102 and body["car_connected"] is True and evse["connected"] is True
    assert (evse["iec61851_state"], evse["iec61851_substate"]) == ("B", "B2")
    assert evse["charging_enabled"] is True and evse["error"] == "None"


def test_get_less_6a_moves_into_the_state_text_and_error_stays_none():
    """Given LESS_6A alone, when GET, then the state reads "... - No Power Available"
    and error "None" / error_id 0 (0.2, 1.4)."""
    s = connected()
    s.app.evse.error_flags = 0x01
    evse = get(s)["evse"]
    assert evse["state"] == "Connected to EV (B2) - No Power Available"
    assert (evse["error"], evse["error_id"]) == ("None", 0)
    assert evse["iec61851_state"] == "B"


def test_get_hard_error_forces_e_and_names_the_highest_bit():
    """Given TEMP_HIGH and RCM_TRIPPED with LESS_6A, when GET, then error "RCM Tripped",
    id 5, IEC E / E, and LESS_6A still in the state text (0.2)."""
    s = connected()
    s.app.evse.error_flags = 0x01 | 0x04 | 0x10
    evse = get(s)["evse"]
    assert (evse["error"], evse["error_id"]) == ("RCM Tripped", 5)
    assert (evse["iec61851_state"], evse["iec61851_substate"]) == ("E", "E")
    assert evse["state"] == "Connected to EV (E) - No Power Available"


def test_get_lock_error_is_appended_to_the_state_text():
    """Given the cable-lock error, when GET, then the state text ends in " - Lock error"
    while state_id stays 1 and no error bit is reported (charging.md 12 D12)."""
    s = connected()
    s.app.lock.error = True
    evse = get(s)["evse"]
    assert evse["state"] == "Connected to EV (B2) - Lock error"
    assert evse["state_id"] == 1 and evse["error_id"] == 0


def test_get_schedule_and_nodes_only_on_a_master():
    """Given PWR SHARE Master, when GET, then `schedule` has 8 states and `nodes` 8 rows
    (1.4 "master only")."""
    body = get(sim(loadbl=1))
    assert len(body["schedule"]["state"]) == 8 and "rotation_timer" in body["schedule"]
    assert len(body["nodes"]) == 8
    assert set(body["nodes"][0]) == {"current", "state", "sched"}


def test_get_backlight_follows_the_rest_backlight_command():
    """Given backlight=2 posted, when GET, then timer 240 s and status ON; backlight=0
    -> OFF (settings-and-menu.md 3.7)."""
    s = sim()
    assert post(s, backlight="2") == {"Backlight": 2}
    assert get(s)["backlight"] == {"timer": 240, "status": "ON"}
    post(s, backlight="0")
    assert get(s)["backlight"] == {"timer": 0, "status": "OFF"}


# --- mode numbering (0.3) ---------------------------------------------------------------

@pytest.mark.parametrize("rest_mode, name, internal, access", [
    ("1", "NORMAL", 0, 1), ("2", "SOLAR", 2, 1), ("3", "SMART", 1, 1),
    ("0", "OFF", None, 0), ("4", "PAUSE", None, 2)])
def test_mode_numbering_round_trips(rest_mode, name, internal, access):
    """Given a controller with a mains meter, when POST mode=n, then the text is echoed
    and GET shows mode/mode_id n with the internal mode and access (0.3)."""
    s = sim()
    assert post(s, mode=rest_mode) == {"mode": rest_mode}
    body = get(s)
    assert (body["mode"], body["mode_id"]) == (name, int(rest_mode))
    assert body["evse"]["access"] == access
    if internal is not None:
        assert body["evse"]["mode"] == internal


@pytest.mark.parametrize("value", ["5", "-1", "99"])
def test_mode_outside_the_numbering_is_refused_and_changes_nothing(value):
    """Given Smart, when POST mode=5, then "Value not allowed!" and Smart stays (0.3)."""
    s = sim(mode="Smart")
    assert post(s, mode=value) == {"mode": NA}
    assert get(s)["mode_id"] == 3


def test_mode_disabled_by_modes_disabled_is_refused():
    """Given MODES No Smart, when POST mode=3, then "Value not allowed!" (1.5, D8)."""
    s = sim(modes_disabled=2)
    assert post(s, mode="3") == {"mode": NA}
    assert get(s)["mode"] == "NORMAL"


def test_smart_without_mains_meter_is_refused():
    """Given no mains meter on a standalone, when POST mode=3, then refused and Normal
    stays (charging.md 4.1)."""
    s = sim(mains_meter_type=0)
    assert post(s, mode="3") == {"mode": NA}
    assert get(s)["mode"] == "NORMAL"


# --- table-driven parameters: limits, exact texts, nothing changed on refusal (1.5) ---

# (parameter, settings key, response key, accepted values, refused values)
LIMITS = [
    ("current_min", "current_min", "current_min", [6, 16], [5, 17]),
    ("current_max_sum_mains", "current_max_sum_mains", "current_max_sum_mains",
     [0, 10, 600], [1, 9, 601]),
    ("max_circuit_mains", "max_circuit_mains", "max_circuit_mains", [0, 10, 600], [9, 601]),
    ("ramp_rate_divisor", "ramp_rate_divisor", "ramp_rate_divisor", [1, 20], [0, 21]),
    ("ema_alpha", "ema_alpha", "ema_alpha", [0, 100], [-1, 101]),
    ("smart_deadband", "smart_deadband", "smart_deadband", [0, 50], [-1, 51]),
    ("max_ramp_rate", "max_ramp_rate", "max_ramp_rate", [0, 100], [-1, 101]),
    ("oscillation_boost_max", "oscillation_boost_max", "oscillation_boost_max", [0, 20],
     [-1, 21]),
    ("idiff_ema_weight", "idiff_ema_weight", "idiff_ema_weight", [1, 4], [0, 5]),
    ("max_sum_mains_timer", "max_sum_mains_time", "max_sum_mains_time", [0, 60], [-1, 61]),
    ("mains_meter_timeout", "mains_meter_timeout", "mains_meter_timeout", [0, 10, 3600],
     [9, 3601]),
    ("solar_start_current", "solar_start_current", "solar_start_current", [0, 48], [-1, 49]),
    ("solar_max_import", "solar_max_import", "solar_max_import", [0, 48], [-1, 49]),
    ("prio_strategy", "prio_strategy", "prio_strategy", [0, 2], [-1, 3]),
    ("rotation_interval", "rotation_interval", "rotation_interval", [0, 30, 1440],
     [29, 1441]),
    ("idle_timeout", "idle_timeout", "idle_timeout", [30, 300], [29, 301]),
    ("modes_disabled", "modes_disabled", "modes_disabled", [0, 2, 4, 6], [1, 7]),
]


@pytest.mark.parametrize("param, key, answer, good, bad", LIMITS)
def test_parameter_accepted_at_its_limits(param, key, answer, good, bad):
    """Given a standalone controller, when POST a parameter at each limit, then the
    answer echoes the stored value and the setting holds it (1.5)."""
    s = sim()
    for value in good:
        assert post(s, **{param: str(value)}) == {answer: value}
        assert s.app.settings.values[key] == value


@pytest.mark.parametrize("param, key, answer, good, bad", LIMITS)
def test_parameter_refused_just_outside_with_the_exact_text(param, key, answer, good, bad):
    """Given a standalone controller, when POST a parameter just outside its range,
    then "Value not allowed!" and the setting is unchanged (1.5)."""
    s = sim()
    before = s.app.settings.values[key]
    for value in bad:
        assert post(s, **{param: str(value)}) == {answer: NA}
        assert s.app.settings.values[key] == before


def test_stop_timer_answers_true_or_false_as_upstream():
    """Given stop_timer (Solar STOP, 0..60 min), when 0 and 60, then true and stored;
    -1 and 61 answer false and change nothing (0.3: upstream's answer)."""
    s = sim()
    for value in (0, 60):
        assert post(s, stop_timer=str(value)) == {"stop_timer": True}
        assert s.app.settings.values["solar_stop_time"] == value
    for value in (-1, 61):
        assert post(s, stop_timer=str(value)) == {"stop_timer": False}
    assert s.app.settings.values["solar_stop_time"] == 60


def test_capacity_limit_has_its_own_refusal_text():
    """Given capacity_limit, when 0 and 25000, then accepted; -1 and 25001 answer
    "Value not allowed! (0-25000)" and change nothing (1.5)."""
    s = sim()
    assert post(s, capacity_limit="25000") == {"capacity_limit": 25000}
    assert post(s, capacity_limit="0") == {"capacity_limit": 0}
    for value in ("-1", "25001"):
        assert post(s, capacity_limit=value) == {"capacity_limit": "Value not allowed! (0-25000)"}
    assert s.app.settings.values["capacity_limit"] == 0


@pytest.mark.parametrize("param", ["lcdlock", "cablelock", "linky_hp_bypass", "linky_failsafe"])
def test_flags_accept_0_and_1_and_ignore_other_values_silently(param):
    """Given a 0/1 flag, when 1 then 2, then 1 is echoed and stored, 2 answers nothing
    and changes nothing (1.5 "out of range silently ignored")."""
    s = sim()
    assert post(s, **{param: "1"}) == {param: 1}
    assert post(s, **{param: "2"}) == {}
    assert post(s, **{param: "-1"}) == {}
    assert s.app.settings.values[param] == 1
    assert post(s, **{param: "0"}) == {param: 0}


def test_enable_c2_answers_the_name_under_settings_and_refuses_5():
    """Given enable_C2, when 0..4, then settings.enable_C2 is the name; 5 is refused
    (1.5: "must be validated")."""
    s = sim()
    names = ["Not present", "Always Off", "Solar Off", "Always On", "Auto"]
    for value, name in enumerate(names):
        assert post(s, enable_C2=str(value)) == {"settings": {"enable_C2": name}}
    assert post(s, enable_C2="5") == {"settings": {"enable_C2": NA}}
    assert s.app.settings.values["enable_C2"] == 4


def test_partial_application_one_good_one_bad():
    """Given one valid and one invalid parameter, when POSTed together, then the valid
    one applies and the invalid one answers its error (1.5)."""
    s = sim()
    assert post(s, current_min="10", idle_timeout="10") == {"current_min": 10,
                                                            "idle_timeout": NA}
    assert s.app.settings.values["current_min"] == 10
    assert s.app.settings.values["idle_timeout"] == 60


def test_unknown_parameters_are_ignored():
    """Given parameters the API does not know, when POSTed, then {} (1.1)."""
    s = sim()
    before = dict(s.app.settings.values)
    assert post(s, current_max="20", foo="1", temp_max="50") == {}
    assert s.app.settings.values == before


def test_numbers_are_parsed_leniently():
    """Given "12abc" and "abc", when POSTed, then read as 12 and 0 like the fork (1.1)."""
    s = sim()
    assert post(s, current_min="12abc") == {"current_min": 12}
    assert post(s, current_min="abc") == {"current_min": NA}
    assert to_int(" -7x") == -7 and to_int("9" * 40) == 2147483647


def test_a_post_marks_the_settings_for_saving():
    """Given clean settings, when any POST, then the settings are dirty: the 1 s
    service writes them, rate-limited (settings-and-menu.md 6.2)."""
    s = sim()
    s.app.settings.dirty = False
    post(s, current_min="7")
    assert s.app.settings.dirty is True


# --- node restrictions (1.5 "master only") -----------------------------------------------

MASTER_ONLY = [("current_min", "10"), ("current_max_sum_mains", "100"),
               ("max_circuit_mains", "100"), ("max_sum_mains_timer", "5"),
               ("prio_strategy", "1"), ("rotation_interval", "60"), ("idle_timeout", "100"),
               ("stop_timer", "5"), ("solar_start_current", "5"), ("solar_max_import", "5"),
               ("mains_meter_timeout", "60")]


@pytest.mark.parametrize("param, value", MASTER_ONLY)
def test_node_refuses_master_only_parameters(param, value):
    """Given PWR SHARE Node 1 (loadbl 2), when POST a master-only parameter with a valid
    value, then "Value not allowed!" and nothing changes (1.5)."""
    s = sim(loadbl=2)
    before = dict(s.app.settings.values)
    body = post(s, **{param: value})
    assert list(body.values()) == [False if param == "stop_timer" else NA]
    assert s.app.settings.values == before


def test_node_accepts_parameters_that_are_not_master_only():
    """Given a node, when POST capacity_limit and lcdlock, then both apply (1.5)."""
    s = sim(loadbl=2)
    assert post(s, capacity_limit="5000", lcdlock="1") == {"capacity_limit": 5000, "lcdlock": 1}


# --- override current (1.5, charging.md 12 D13-D15) -----------------------------------------

def test_override_current_accepted_from_min_to_max_and_refused_outside():
    """Given MIN 6 A and MAX 13 A in Normal, when override 60 and 130 dA, then accepted;
    59 and 131 refused and the override unchanged (1.5)."""
    s = sim()
    assert post(s, override_current="60") == {"override_current": 60}
    assert post(s, override_current="130") == {"override_current": 130}
    for value in ("59", "131"):
        assert post(s, override_current=value) == {"override_current": NA}
    assert s.app.evse.override_current_da == 130
    assert get(s)["settings"]["override_current"] == 130


def test_override_current_zero_is_always_allowed_even_on_a_node():
    """Given a node, when override 100 then 0, then 100 refused and 0 accepted (1.5)."""
    s = sim(loadbl=2)
    assert post(s, override_current="100") == {"override_current": NA}
    assert post(s, override_current="0") == {"override_current": 0}


def test_override_current_is_refused_in_solar_and_left_out_of_the_answer():
    """Given Solar, when POST override_current=100, then the key is absent from the
    answer and no override is set (charging.md 12 D15)."""
    s = sim(mode="Solar")
    assert post(s, override_current="100", current_min="8") == {"current_min": 8}
    assert s.app.evse.override_current_da == 0


def test_override_current_is_cleared_on_a_mode_change():
    """Given an override in Normal, when the mode becomes Smart, then it is 0 (D15);
    with both in one request the override applies after the mode (1.5 order)."""
    s = sim()
    post(s, override_current="100")
    assert post(s, mode="3") == {"mode": "3"}
    assert s.app.evse.override_current_da == 0
    assert post(s, mode="1", override_current="80") == {"mode": "1", "override_current": 80}
    assert s.app.evse.override_current_da == 80


def test_disable_override_current_answers_ok():
    """Given an override, when disable_override_current, then "OK" and 0 (1.5)."""
    s = sim()
    post(s, override_current="100")
    assert post(s, disable_override_current="") == {"disable_override_current": "OK"}
    assert s.app.evse.override_current_da == 0


# --- phases, custom button, override_pwm (1.5) -------------------------------------------

def test_phases_request_answers_switching_and_previous_phases():
    """Given 3 phases and CONTACT 2 Auto, when phases=1, then {phases 1, switching true,
    previous_phases 3} (1.5)."""
    s = connected(enable_C2="Auto", mode="Smart")
    assert post(s, phases="1") == {"phases": 1, "switching": True, "previous_phases": 3}


@pytest.mark.parametrize("settings, value, error", [
    ({}, "2", NA),
    ({"enable_C2": "Not present"}, "1", "C2 contactor not present"),
    ({"loadbl": 2}, "1", NA),
    ({"enable_C2": "Always Off"}, "3", NA),
])
def test_phases_errors(settings, value, error):
    """Given phases not 1/3, no C2 contactor, a node, or 3P under CONTACT 2 Always Off, when
    POST phases, then the error of 1.5 / charging.md 6.2a."""
    assert post(sim(**settings), phases=value) == {"phases": error}


def test_custombutton_answers_a_bool():
    """Given custombutton=1 then 0, then true then false (1.5)."""
    s = sim()
    assert post(s, custombutton="1") == {"custombutton": True}
    assert get(s)["evse"]["custombutton"] is True
    assert post(s, custombutton="0") == {"custombutton": False}


def test_override_pwm_above_1024_is_refused():
    """Given override_pwm=1025, then "Value not allowed!" (1.5: raw duty 1..1024)."""
    assert post(sim(), override_pwm="1025") == {"override_pwm": NA}


# --- delayed charging window (1.5, charging.md 9.1) ----------------------------------------

def _epoch(text):
    return calendar.timegm(datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M").timetuple())


def test_future_starttime_sets_the_window_and_access_off():
    """Given local time 2026, when starttime 2030-01-01T07:00 with stoptime 09:00 and
    repeat 1, then the epochs are echoed and access is OFF until then (1.5, 9.1)."""
    s = sim()
    body = post(s, starttime="2030-01-01T07:00", stoptime="2030-01-01T09:00", repeat="1")
    assert body == {"starttime": _epoch("2030-01-01T07:00"),
                    "stoptime": _epoch("2030-01-01T09:00"), "repeat": 1}
    got = get(s)
    assert got["settings"]["starttime"] == body["starttime"] and got["mode"] == "OFF"


@pytest.mark.parametrize("text", ["2020-01-01T07:00", "\"2030-01-01T07:00\"", "tomorrow",
                                  "2030-13-01T07:00", "2030-02-30T07:00", ""])
def test_past_or_unparsable_starttime_clears_the_window(text):
    """Given a window set, when starttime is past, quoted or unparsable, then start,
    stop and repeat are cleared (1.5, 1.21 quotes)."""
    s = sim()
    post(s, starttime="2030-01-01T07:00", stoptime="2030-01-01T09:00", repeat="1")
    assert post(s, starttime=text) == {"starttime": 0}
    values = s.app.settings.values
    assert (values["starttime"], values["stoptime"], values["repeat"]) == (0, 0, 0)


def test_stoptime_not_after_start_is_cleared():
    """Given starttime 09:00, when stoptime 08:00, then stoptime 0 (1.5)."""
    s = sim()
    body = post(s, starttime="2030-01-01T09:00", stoptime="2030-01-01T08:00")
    assert body == {"starttime": _epoch("2030-01-01T09:00"), "stoptime": 0}


def test_parse_local_time_reads_the_fork_format():
    """Given "YYYY-MM-DDTHH:MM", then the local epoch; seconds allowed; junk -> None."""
    assert parse_local_time("2024-02-29T23:59") == _epoch("2024-02-29T23:59")
    assert parse_local_time("2024-02-29T23:59:30") == _epoch("2024-02-29T23:59")
    for bad in ("2023-02-29T10:00", "2024-01-01 10:00", "2024-01-01T24:00", "x-y-zT1:2"):
        assert parse_local_time(bad) is None


# --- MQTT block (1.5) --------------------------------------------------------------------

def test_mqtt_update_processes_only_the_mqtt_parameters():
    """Given mqtt_update=1 with MQTT and other parameters, when POSTed, then only the
    MQTT keys answer and current_min is untouched (1.5)."""
    s = sim()
    body = post(s, mqtt_update="1", mqtt_host="10.0.0.28", mqtt_port="0",
                mqtt_topic_prefix="", mqtt_username="ha", mqtt_password="secret",
                mqtt_tls="1", current_min="10", mqtt_heartbeat="30")
    assert body == {"mqtt_host": "10.0.0.28", "mqtt_port": 1883,
                    "mqtt_topic_prefix": "SmartEVSE-51446", "mqtt_username": "ha",
                    "mqtt_password_set": True, "mqtt_tls": True}
    values = s.app.settings.values
    assert values["current_min"] == 6 and values["mqtt_heartbeat"] == 30
    mqtt = get(s)["mqtt"]
    assert mqtt["host"] == "10.0.0.28" and mqtt["password_set"] is True
    assert "secret" not in json.dumps(get(s))


def test_mqtt_password_placeholder_or_empty_keeps_the_stored_one():
    """Given a stored password, when "" or the 8-bullet placeholder, then kept (1.5)."""
    s = sim()
    post(s, mqtt_update="1", mqtt_password="secret")
    for value in ("", "\u2022" * 8):
        assert post(s, mqtt_update="1", mqtt_password=value) == {"mqtt_password_set": True}
    assert s.app.settings.values["mqtt_password"] == "secret"


def test_mqtt_heartbeat_outside_10_300_is_ignored_silently():
    """Given mqtt_heartbeat 5, when POSTed, then no answer and 25 (the default, 2.2) stays (1.5)."""
    s = sim()
    assert post(s, mqtt_heartbeat="5") == {}
    assert s.app.settings.values["mqtt_heartbeat"] == 25


def test_mqtt_parameters_without_mqtt_update_are_ignored():
    """Given mqtt_host without mqtt_update, then nothing changes (1.5)."""
    s = sim()
    assert post(s, mqtt_host="x") == {}
    assert s.app.settings.values["mqtt_host"] == ""


# --- OCPP block (1.5) --------------------------------------------------------------------

def test_ocpp_block_needs_ocpp_update_1():
    """Given ocpp parameters without ocpp_update=1, then ignored (1.5)."""
    s = sim()
    assert post(s, ocpp_mode="1", ocpp_update="0") == {}
    assert s.app.settings.values["ocpp_mode"] == 0


def test_ocpp_block_sets_mode_url_id_and_key():
    """Given ocpp_update=1, when mode 1 with a valid URL, id and key, then all apply
    and GET shows them without the key (1.5, 1.4)."""
    s = sim()
    body = post(s, ocpp_update="1", ocpp_mode="1", ocpp_backend_url="wss://cs.example.com/ocpp",
                ocpp_cb_id="CP-1", ocpp_auth_key="k" * 40, ocpp_auto_auth="1",
                ocpp_auto_auth_idtag="FREE")
    assert body == {"ocpp_mode": 1, "ocpp_backend_url": "wss://cs.example.com/ocpp",
                    "ocpp_cb_id": "CP-1", "ocpp_auth_key": "k" * 40, "ocpp_auto_auth": 1,
                    "ocpp_auto_auth_idtag": "FREE"}
    ocpp = get(s)["ocpp"]
    assert ocpp["mode"] == "Enabled" and ocpp["auth_key_set"] is True
    assert ocpp["auto_auth"] == "Enabled" and "auth_key" not in ocpp


def test_ocpp_values_need_ocpp_enabled():
    """Given OCPP disabled, when a valid URL, then "Can only update when OCPP enabled"."""
    s = sim()
    assert post(s, ocpp_update="1", ocpp_backend_url="ws://cs.example.com/") == {
        "ocpp_backend_url": "Can only update when OCPP enabled"}


@pytest.mark.parametrize("url, error", [
    ("", "URL is empty"),
    ("http://cs.example.com", "URL must start with ws:// or wss://"),
    ("ws://", "URL must start with ws:// or wss://"),
    ("ws://user:pw@cs.example.com/", "URL must not contain embedded user:pass@ credentials"),
    ("ws://127.0.0.1:9000/", "URL must not point to the charger itself (loopback / 127.x / ::1)"),
    ("ws://localhost/", "URL must not point to the charger itself (loopback / 127.x / ::1)"),
    ("ws://[::1]:80/", "URL must not point to the charger itself (loopback / 127.x / ::1)"),
    ("ws://0.0.0.0", "URL must not point to the charger itself (loopback / 127.x / ::1)"),
    ("ws://169.254.1.1/", "URL must not point to link-local (169.254.x / fe80::)"),
    ("ws://cs.example.com/a b", "Invalid URL"),
    ("ws://cs.example.com/\u00e9", "Invalid URL"),
])
def test_ocpp_backend_url_errors(url, error):
    """Given a bad URL, when posted with OCPP enabled, then the fork's text and the
    stored URL unchanged (1.5)."""
    s = sim()
    assert post(s, ocpp_update="1", ocpp_mode="1", ocpp_backend_url=url) == {
        "ocpp_mode": 1, "ocpp_backend_url": error}
    assert s.app.settings.values["ocpp_backend_url"] == ""


def test_ocpp_charge_box_id_and_key_errors():
    """Given a bad ChargeBoxId or a 41-char key, then the texts of 1.5."""
    assert charge_box_id_error("") == "ChargeBoxId is empty"
    assert charge_box_id_error("x" * 21) == "ChargeBoxId exceeds 20 characters"
    assert charge_box_id_error("a<b") == "ChargeBoxId contains invalid characters"
    assert charge_box_id_error("x" * 20) is None
    assert backend_url_error("ws://localhostx.example/") is None
    s = sim()
    assert post(s, ocpp_update="1", ocpp_mode="1", ocpp_auth_key="k" * 41) == {
        "ocpp_mode": 1, "ocpp_auth_key": "Auth key exceeds 40 characters"}


# --- fuzz: random requests never raise and never store an invalid value -------------------

PARAMS = ["backlight", "current_min", "current_max_sum_mains", "max_circuit_mains",
          "ramp_rate_divisor", "ema_alpha", "smart_deadband", "max_ramp_rate",
          "oscillation_boost_max", "idiff_ema_weight", "max_sum_mains_timer", "capacity_limit",
          "disable_override_current", "custombutton", "starttime", "stoptime", "repeat", "mode",
          "enable_C2", "phases", "stop_timer", "override_current", "solar_start_current",
          "solar_max_import", "override_pwm", "prio_strategy", "rotation_interval",
          "idle_timeout", "modes_disabled", "lcdlock", "cablelock", "linky_hp_bypass",
          "linky_failsafe", "mains_meter_timeout", "mqtt_heartbeat", "mqtt_change_only",
          "mqtt_update", "mqtt_host", "mqtt_port", "mqtt_password", "mqtt_topic_prefix",
          "ocpp_update", "ocpp_mode", "ocpp_backend_url", "ocpp_cb_id", "ocpp_auth_key",
          "ocpp_auto_auth", "ocpp_auto_auth_idtag"]
VALUES = st.one_of(st.integers(-100000, 100000).map(str), st.text(max_size=30),
                   st.sampled_from(["0", "1", "3", "4", "2030-01-01T07:00", "ws://a.b/",
                                    "1e3", " 12", "-0", "\u2022" * 8]))


@hsettings(max_examples=150, deadline=None,
           suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.one_of(st.sampled_from(PARAMS), st.text(max_size=10)), VALUES,
                       max_size=8),
       st.sampled_from([0, 1, 2]))
def test_fuzzed_posts_never_raise_and_never_store_an_invalid_value(params, loadbl):
    """Given any role, when a random POST, then 200 with a JSON object, every stored
    setting within the settings table, and the override 0 or within MIN..MAX (1.5)."""
    s = sim(loadbl=loadbl)
    status, body = s.rest("POST", "/settings", params)
    assert status == 200 and isinstance(body, dict)
    json.dumps(body)
    values = s.app.settings.values
    for i in range(COUNT):
        if NIDS[i]:
            assert s.app.settings.stored_ok(KEYS[i], values[KEYS[i]]), KEYS[i]
    override = s.app.evse.override_current_da
    assert override == 0 or values["current_min"] * 10 <= override <= values["current_max"] * 10
    get(s)


def test_mqtt_ca_cert_is_answered_with_the_file_to_copy():
    """Given mqtt_update=1 with a PEM in mqtt_ca_cert, when POSTed, then the answer names
    the file on the CIRCUITPY drive (a PEM does not fit NVM: docs/architecture.md) and the
    other MQTT parameters of the request still apply (1.5)."""
    s = sim()
    body = post(s, mqtt_update="1", mqtt_host="broker", mqtt_ca_cert="-----BEGIN CERTIFICATE-----")
    assert "/certs/mqtt_ca.pem" in body["mqtt_ca_cert_set"]
    assert "CIRCUITPY" in body["mqtt_ca_cert_set"]
    assert body["mqtt_host"] == "broker"


@pytest.mark.parametrize("state_id", range(0, 16))
def test_rest_iec_letter_and_the_oled_state_come_from_one_table(state_id):
    """Given any state id, then GET's iec61851_state is the first letter of what the
    OLED shows in row 0 (interfaces.md 0.2, settings-and-menu.md 3.4)."""
    from smartevse.api.settings_get import iec_letter, iec_substate
    from ui.status import iec_letter as oled_state
    assert iec_letter(state_id, 0) == oled_state(state_id, 0)[0]
    assert oled_state(state_id, 0).startswith(iec_substate(state_id, 0))


def test_get_settings_shows_the_currents_the_meters_on_rs485_read():
    """Given Smart mode with the Sensorbox measuring 6.0/7.0/8.0 A at the mains, when the
    controller has polled it, then GET /settings `phase_currents` shows those dA with
    their TOTAL, as the EV meter's block shows what it read (interfaces.md 1.4)."""
    s = Simulation(settings={"MODE": "Smart"})
    s.plant.mains.load_da(60, 70, 80)
    s.advance(6.0)
    status, doc = s.rest("GET", "/settings")
    assert status == 200
    phases = doc["phase_currents"]
    assert (phases["L1"], phases["L2"], phases["L3"], phases["TOTAL"]) == (60, 70, 80, 210)
