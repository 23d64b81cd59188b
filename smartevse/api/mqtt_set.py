"""MQTT `<prefix>/Set/<Topic>` commands (interfaces.md 2.4): what each payload changes.

Pure: a command comes in as its topic suffix and payload text and goes to the same
paths as REST (settings through `app.apply_settings(..., SOURCE_MQTT)`, the override and
phase rules of api/settings_post.py, meter feeds through the handlers of POST /currents
and /ev_meter, api/currents.py and api/ev_meter.py: one entry point for both). An
invalid payload is dropped silently and changes nothing; `command` says whether it was
taken, so the link forces a publish cycle (2.2).
"""

from smartevse.api import settings_post
from smartevse.api.params import NOT_ALLOWED, to_int
from smartevse.core.states import (ACCESS_OFF, ACCESS_PAUSE, METER_API, MODE_NORMAL, MODE_SMART,
                                   MODE_SOLAR)
from smartevse.settings import facts
from smartevse.settings.changes import SOURCE_MQTT

# Set/Mode texts (0.2, 0.3) -> ("access", value) or ("mode", value)
_MODES = {"Off": ("access", ACCESS_OFF), "Pause": ("access", ACCESS_PAUSE),
          "Normal": ("mode", MODE_NORMAL), "Smart": ("mode", MODE_SMART),
          "Solar": ("mode", MODE_SOLAR)}
# Set/<Topic> of a plain integer setting -> its key (ranges are the table's)
_NUMBERS = {"CurrentMaxSumMains": "current_max_sum_mains", "PrioStrategy": "prio_strategy",
            "RotationInterval": "rotation_interval", "IdleTimeout": "idle_timeout",
            "MQTTHeartbeat": "mqtt_heartbeat", "MainsMeterTimeout": "mains_meter_timeout",
            "CapacityLimit": "capacity_limit", "MaxCircuitMains": "max_circuit_mains",
            "RampRateDivisor": "ramp_rate_divisor", "EmaAlpha": "ema_alpha",
            "SmartDeadBand": "smart_deadband", "MaxRampRate": "max_ramp_rate",
            "OscillationBoostMax": "oscillation_boost_max", "IdiffEmaWeight": "idiff_ema_weight"}
# Set/DiagProfile: name or number -> the capture profile of /diag/start, None = stop (1.17)
_DIAG = {"off": None, "0": None, "general": "general", "1": "general", "loadbal": "loadbal",
         "3": "loadbal", "modbus": "modbus", "4": "modbus", "fast": "fast", "5": "fast"}
_COLORS = {"ColorOff": "color_off", "ColorNormal": "color_normal", "ColorSmart": "color_smart",
           "ColorSolar": "color_solar", "ColorCustom": "color_custom"}


def command(app, suffix, payload):
    """Carry out one `/Set/<suffix>` command; True when it was taken."""
    payload = payload.strip()
    if suffix in _NUMBERS:
        return _number(payload) and _change(app, _NUMBERS[suffix], to_int(payload))
    if suffix in _COLORS:
        rgb = parse_rgb(payload)
        return rgb >= 0 and _change(app, _COLORS[suffix], rgb)
    if suffix == "Mode":
        target = _MODES.get(payload)
        return target is not None and _change(app, target[0], target[1])
    if suffix == "CurrentOverride":
        return _number(payload) and _override(app, to_int(payload))
    if suffix == "CustomButton":
        app.evse.set_custom_button(payload == "On")
        return True
    if suffix == "CableLock":
        return _change(app, "cablelock", 1 if payload == "1" else 0)
    if suffix == "EnableC2":
        return _enable_c2(app, payload)
    if suffix == "MQTTChangeOnly":
        flag = {"1": 1, "ON": 1, "0": 0, "OFF": 0}.get(payload.upper())
        return flag is not None and _change(app, "mqtt_change_only", flag)
    if suffix == "Phases":
        out = {}
        settings_post._post_phases(app, to_int(payload) if _number(payload) else 0, out)
        return "switching" in out
    if suffix == "HomeBatteryCurrent":
        if not _number(payload):
            return False
        from smartevse.api import currents     # the feeds' handlers: with the first feed
        answer = currents.post_currents(app, {"battery_current": payload}, None)[1]
        return isinstance(answer.get("battery_current"), int)
    if suffix == "MainsMeter":
        phases = parse_fields(payload, 3, -2000, 2000)
        if phases is None or app.settings.values["mains_meter_type"] != METER_API:
            return False
        from smartevse.api import currents
        answer = currents.post_currents(app, {"L1": phases[0], "L2": phases[1],
                                              "L3": phases[2]}, None)[1]
        return isinstance(answer.get("TOTAL"), int)
    if suffix == "CPPWMOverride":      # -1 release, 0 pilot off, 1..1024 duty (expert)
        duty = to_int(payload) if _number(payload) else -2
        return -1 <= duty <= 1024 and \
            settings_post._post_override_pwm(app, duty) != NOT_ALLOWED
    if suffix == "DiagProfile":        # the log capture of /diag (interfaces.md 1.17)
        key = payload.lower()
        if key not in _DIAG:
            return False
        from smartevse.api import diag
        if _DIAG[key] is None:
            diag.post_stop(app, {}, None)
        else:
            diag.post_start(app, {"profile": _DIAG[key]}, None)
        return True
    if suffix == "CircuitMeter":
        return _circuit_meter(app, payload)
    if suffix == "EVMeter":
        return _ev_meter(app, payload)
    if suffix == "RFID":               # a card swipe, the logic of POST /rfid (1.9)
        if app.board.rfid_uart is None:
            return False               # no reader: its routes are not even loaded
        from smartevse.api.rfid_routes import post_rfid
        return "rfid" in post_rfid(app, {"rfid": payload}, None)[1]
    if suffix == "HomeWizardIP" or suffix == "LinkyMeter":
        from smartevse.api import mqtt_feeds   # loaded with the first such command
        if suffix == "LinkyMeter":
            return mqtt_feeds.linky_meter(app, payload)
        return mqtt_feeds.home_wizard_ip(app, payload)
    return False                       # unknown, or a modem build's topic


def parse_rgb(text):
    """"R,G,B" with 0..255 each -> 0xRRGGBB, or -1."""
    parts = parse_fields(text, 3, 0, 255, ",")
    if parts is None:
        return -1
    return parts[0] << 16 | parts[1] << 8 | parts[2]


def parse_fields(text, count, low, high, sep=":"):
    """`count` integers separated by `sep`, each in low..high -> list, or None."""
    parts = text.split(sep)
    if len(parts) != count:
        return None
    values = []
    for part in parts:
        if not _number(part):
            return None
        value = to_int(part)
        if not low <= value <= high:
            return None
        values.append(value)
    return values


def _number(text):
    """A payload that holds an integer, as atoi reads it ("83.0" -> 83)."""
    text = text.strip()
    if text[:1] == "-" or text[:1] == "+":
        text = text[1:]
    return "0" <= text[:1] <= "9"


def _change(app, key, value):
    return not app.apply_settings({key: value}, SOURCE_MQTT)


def _override(app, current_da):
    # 0 clears; else master/standalone in Normal or Smart within MIN x 10 .. MAX x 10 (2.4)
    values = app.settings.values
    if current_da != 0:
        if app.settings.is_node() or values["mode"] == MODE_SOLAR:
            return False
        if not values["current_min"] * 10 <= current_da <= values["current_max"] * 10:
            return False
    settings_post.set_override(app, current_da)
    return True


def _enable_c2(app, payload):
    # "0".."4" or the exact option name (2.4; "Solar Off" = 2 as upstream, 0.3)
    i = facts.index("enable_C2")
    if _number(payload) and len(payload) == 1:
        return _change(app, "enable_C2", to_int(payload))
    for value in range(5):
        if facts.option_text(i, value) == payload:
            return _change(app, "enable_C2", value)
    return False


def _circuit_meter(app, payload):
    # L1:L2:L3 dA, circuit type API, master only: through POST /currents' handler (1.7)
    phases = parse_fields(payload, 3, -2000, 2000)
    if phases is None or app.settings.values["circuit_meter_type"] != METER_API:
        return False
    from smartevse.api import currents
    answer = currents.post_currents(app, {"circuit_L1": phases[0], "circuit_L2": phases[1],
                                          "circuit_L3": phases[2]}, None)[1]
    return isinstance(answer.get("circuit", {}).get("TOTAL"), int)


def _ev_meter(app, payload):
    # L1:L2:L3:W:Wh; currents only if each 0..999, W if >= 0 (|W| <= 100000), Wh if >= 0
    # (import := Wh, export := 0): through POST /ev_meter's handler (interfaces.md 1.8)
    parts = payload.split(":")
    if len(parts) != 5 or not all(_number(part) for part in parts) \
            or app.settings.values["ev_meter_type"] != METER_API:
        return False
    from smartevse.api import ev_meter, feed
    values = [to_int(part) for part in parts]
    params = {}
    if all(0 <= v <= 999 for v in values[:3]):
        params["L1"], params["L2"], params["L3"] = values[:3]
    record = feed.meter(app, "ev_meter")
    power_w = values[3] if 0 <= values[3] <= 100000 else record.power_w
    if values[4] >= 0:
        params["import_active_energy"] = values[4]
        params["export_active_energy"] = 0
        params["import_active_power"] = power_w
    else:
        record.power_w = power_w
    ev_meter.post_ev_meter(app, params, None)
    return True
