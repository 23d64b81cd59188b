"""Safe on the LAN and safe with bad input: no GET changes state, no GET returns a secret,
every refused parameter changes nothing, no request raises (interfaces.md 0.3, 1.1, 1.2,
1.6, 1.7; issue 11 item 8 and "Bad input")."""

import functools
import json

import pytest
from hypothesis import HealthCheck, example, given, settings as hsettings, strategies as st

from sim import Simulation
from smartevse.api import routes

NA = "Value not allowed!"
SECRETS = {"mqtt_password": "hunter2-secret", "ocpp_auth_key": "k3y-0f-the-backend"}
PIN = 8642
GET_PATHS = sorted(path.replace("*", "x.diag") for method, path in routes.ROUTES
                   if method == "GET")
TEXT = st.one_of(st.integers(-10 ** 6, 10 ** 6).map(str), st.text(max_size=12),
                 st.sampled_from(["", " 50 ", "83.0", "1e3", "-0", "255", "256", "+7",
                                  "0x10", "\u00e9", "9" * 30]))
FAST = hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def state_of(s):
    """What a GET must never change: settings, NVM, the core, the running firmware."""
    app = s.app
    evse = app.evse
    return (dict(app.settings.values), bytes(s.nvm), evse.state, evse.access,
            evse.override_current_da, list(evse.mains_irms_da), evse.reg.battery_da, app)


def as_text(answer):
    if isinstance(answer, (bytes, bytearray)):
        return bytes(answer).decode("latin-1")
    return answer if isinstance(answer, str) else json.dumps(answer)


@pytest.fixture(scope="module")
def charging_sim():
    s = Simulation(settings={"mains_meter_type": "API", "mode": "Smart", "lcd_pin": PIN})
    s.app.apply_settings(dict(SECRETS, ocpp_mode=1))
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    for _ in range(3):
        s.rest("POST", "/currents", {"L1": "10", "L2": "10", "L3": "10"})
        s.advance(2.0)
    return s


def test_every_get_route_is_listed():
    """Given the route table, then the GETs of 1.3 are there (the erase and reboot actions
    are not: they are POST only, 0.3)."""
    assert "/settings" in GET_PATHS and "/lcd" in GET_PATHS and "/sessions" in GET_PATHS
    assert "/reboot" not in GET_PATHS and "/erasesettings" not in GET_PATHS


@FAST
@given(st.sampled_from(GET_PATHS), st.dictionaries(st.text(max_size=12), TEXT, max_size=5))
def test_no_get_changes_state_whatever_its_parameters(charging_sim, path, params):
    """Given a charging controller, when any GET route is asked with any parameters
    (including the names of POST parameters), then nothing a user could notice changes:
    settings, NVM, state, access, override, meter readings, and no reboot follows (0.3)."""
    s = charging_sim
    before = state_of(s)
    status, answer = s.rest("GET", path, params)
    assert 200 <= status < 600
    as_text(answer)
    assert state_of(s) == before


@pytest.mark.parametrize("path", GET_PATHS)
def test_no_get_returns_a_secret_or_the_pin(charging_sim, path):
    """Given an MQTT password, an OCPP auth key and an LCD PIN, when each GET route is read,
    then none of them appears in the answer; GET /settings says only that they are set
    (0.3, 1.4)."""
    text = as_text(charging_sim.rest("GET", path)[1])
    for secret in SECRETS.values():
        assert secret not in text
    assert str(PIN) not in text


def test_get_settings_says_the_secrets_are_set(charging_sim):
    """Given both secrets set, then `mqtt.password_set` and `ocpp.auth_key_set` are true."""
    doc = charging_sim.rest("GET", "/settings")[1]
    assert doc["mqtt"]["password_set"] is True and doc["ocpp"]["auth_key_set"] is True


@FAST
@given(st.sampled_from(["off", "normal", "smart", "solar", "custom"]),
       st.dictionaries(st.sampled_from(["R", "G", "B", "r", "x"]), TEXT, max_size=4))
def test_a_colour_is_either_taken_whole_or_not_at_all(name, params):
    """Given any parameters, when POST /color_<name>, then either the answer is the colour
    now shown by GET, or {} and the colour is unchanged (1.6)."""
    s = Simulation()
    before = s.rest("GET", "/settings")[1]["color"][name]
    status, answer = s.rest("POST", "/color_" + name, params)
    after = s.rest("GET", "/settings")[1]["color"][name]
    assert status == 200
    if answer == {}:
        assert after == before
    else:
        assert answer == {"color": {name: after}}
        assert all(0 <= after[c] <= 255 for c in "RGB")


@FAST
@given(st.dictionaries(st.sampled_from(["L1", "L2", "L3", "battery_current", "circuit_L1",
                                        "circuit_L2", "circuit_L3", "x"]), TEXT, max_size=7),
       st.sampled_from([0, 2]))
def test_currents_refused_change_nothing_and_taken_reach_the_core(params, loadbl):
    """Given an API mains meter in Solar, on a standalone or a node, when any parameters
    are posted to /currents, then a refused part ("Value not allowed!", "not allowed on
    slave") leaves the readings and the battery as they were, and a taken one is what the
    core holds (1.7)."""
    s = Simulation(settings={"mains_meter_type": "API", "mode": "Solar", "loadbl": loadbl})
    status, answer = s.rest("POST", "/currents", params)
    assert status == 200 and isinstance(answer, dict)
    reg = s.app.evse.reg
    if "original" not in answer:
        assert s.observe()["mains_da"] == [0, 0, 0]
    else:
        assert [answer["L1"], answer["L2"], answer["L3"]] == reg.mains_irms_da
    if isinstance(answer.get("battery_current"), int):
        assert reg.battery_da == answer["battery_current"]
    else:
        assert reg.battery_da == 0
    for key, value in answer.items():
        if isinstance(value, str):
            assert value in (NA, "not allowed on slave")
    if loadbl:
        assert "circuit" not in answer or answer["circuit"] == {"TOTAL": "not allowed on slave"}


@FAST
@given(st.sampled_from(sorted(set(routes.ROUTES))),
       st.dictionaries(st.text(max_size=10), TEXT, max_size=4),
       st.one_of(st.none(), st.text(max_size=40), st.binary(max_size=40)))
def test_no_request_raises_whatever_its_parameters_and_body(route, params, body):
    """Given any route, when it gets random parameters and a random body, then it answers
    a status and an answer the HTTP server can send (never an exception: a raising handler
    would be a 500 on the device) (issue 11 "Bad input")."""
    method, path = route
    s = Simulation()
    status, answer = s.rest(method, path.replace("*", "f"), params, body)
    assert 200 <= status < 600
    assert routes.content_type(path, answer)
    if isinstance(answer, (dict, list)):
        json.dumps(answer)


@functools.lru_cache(maxsize=1)
def _c_strtol():
    import ctypes
    import ctypes.util
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.strtol.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
    libc.strtol.restype = ctypes.c_long
    return libc.strtol


def _esp32_atoi(raw):
    # the ESP32's atoi is newlib's (int)strtol(s, NULL, 10) with a 32-bit long: out of
    # range it clamps to LONG_MIN/LONG_MAX (the host's 64-bit long would wrap when cast)
    return max(-2 ** 31, min(2 ** 31 - 1, _c_strtol()(raw, None, 10)))


@FAST
@given(st.text(alphabet=" \t\n\r\v\f+-0123456789.eEx aZ", max_size=14))
@example("2200000000")
@example("-2200000000")
@example("-2147483648")
def test_query_numbers_parse_exactly_as_c_atoi(text):
    """Given any short text of blanks, signs, digits and letters, when the REST layer reads
    it as a number, then it is what the ESP32's C atoi returns (interfaces.md 1.1: "83.0"
    -> 83, "50 " -> 50, "abc" -> 0, "2200000000" -> 2147483647: its 32-bit strtol clamps)."""
    from smartevse.api.params import to_int
    assert to_int(text) == _esp32_atoi(text.encode())
