"""POST /settings: which parameters change what, in the fork's order (interfaces.md 1.5).

Each parameter is accepted or refused on its own: a refused one changes nothing and
answers an error string under its response key, the accepted ones in the same request
apply. Values are checked by the one settings table through `app.configure` (which
also runs the side effects of settings-and-menu.md 1.3); this module adds only what
REST decides itself: master-only parameters refused on a node ("Value not allowed!"),
the REST mode numbering of 0.3, the override-current rules (charging.md 12 D13-D15),
phase-switch requests, the delayed-charging window and the texts of the answer.
Numbers are parsed leniently like the fork's `String.toInt()` (non-numeric -> 0),
unknown parameters are ignored. The MQTT and OCPP blocks live in `api_settings_net`.
"""

from micropython import const

from smartevse.api import settings_get as api_settings_get
from smartevse.api import settings_net as api_settings_net
from smartevse.api.params import NOT_ALLOWED, is_node, to_int
from smartevse.core.states import ACCESS_OFF, ACCESS_PAUSE, MODE_SOLAR

C2_MISSING_TEXT = "C2 contactor not present"
_MASTER = const(1)               # refused on a node (loadbl >= 2)
_SILENT = const(2)               # out of range: no answer at all (lcdlock, cablelock ...)
_BOOL = const(4)                 # answers true / false instead (upstream `stop_timer`)
_BACKLIGHT_S = const(120)        # `backlight=n` lights n x 120 s (settings-and-menu.md 3.7)
_BACKLIGHT_MAX_S = const(65535)
_DUTY_MAX = const(1024)
_DUTY_RELEASE = const(100)       # override_pwm < 0: 10 % until the next cycle (6 A)
# REST `mode` (0.3) -> internal mode; 0 OFF and 4 PAUSE are access changes.
_REST_MODES = (None, 0, 2, 1, None)

# (request parameter, settings key, response key, flags), in processing order (1.5).
_HEAD_ROWS = (
    ("current_min", "current_min", "current_min", _MASTER),
    ("current_max_sum_mains", "current_max_sum_mains", "current_max_sum_mains", _MASTER),
    ("max_circuit_mains", "max_circuit_mains", "max_circuit_mains", _MASTER),
    ("ramp_rate_divisor", "ramp_rate_divisor", "ramp_rate_divisor", 0),
    ("ema_alpha", "ema_alpha", "ema_alpha", 0),
    ("smart_deadband", "smart_deadband", "smart_deadband", 0),
    ("max_ramp_rate", "max_ramp_rate", "max_ramp_rate", 0),
    ("oscillation_boost_max", "oscillation_boost_max", "oscillation_boost_max", 0),
    ("idiff_ema_weight", "idiff_ema_weight", "idiff_ema_weight", 0),
    ("max_sum_mains_timer", "max_sum_mains_time", "max_sum_mains_time", _MASTER),
    ("capacity_limit", "capacity_limit", "capacity_limit", 0),
    ("mains_meter_timeout", "mains_meter_timeout", "mains_meter_timeout", _MASTER),
)
_STOP_TIMER_ROWS = (
    ("stop_timer", "solar_stop_time", "stop_timer", _MASTER | _BOOL),
)
_SOLAR_ROWS = (
    ("solar_start_current", "solar_start_current", "solar_start_current", _MASTER),
    ("solar_max_import", "solar_max_import", "solar_max_import", _MASTER),
)
_TAIL_ROWS = (
    ("prio_strategy", "prio_strategy", "prio_strategy", _MASTER),
    ("rotation_interval", "rotation_interval", "rotation_interval", _MASTER),
    ("idle_timeout", "idle_timeout", "idle_timeout", _MASTER),
    ("modes_disabled", "modes_disabled", "modes_disabled", 0),
    ("lcdlock", "lcdlock", "lcdlock", _SILENT),
    ("cablelock", "cablelock", "cablelock", _SILENT),
    ("linky_hp_bypass", "linky_hp_bypass", "linky_hp_bypass", _SILENT),
    ("linky_failsafe", "linky_failsafe", "linky_failsafe", _SILENT),
)
# Refusals whose text is not the plain one (interfaces.md 1.5).
_ERROR_TEXTS = {"capacity_limit": "Value not allowed! (0-25000)"}


def apply_rows(app, params, rows, out):
    """Validate and apply the table-driven parameters present in params."""
    values = app.settings.values
    node = is_node(app)
    for param, key, answer, flags in rows:
        if param not in params:
            continue
        if flags & _MASTER and node:
            error = NOT_ALLOWED
        else:
            error = app.configure(key, to_int(params[param]))
        if flags & _BOOL:
            out[answer] = error is None
        elif error is None:
            out[answer] = values[key]
        elif not flags & _SILENT:
            out[answer] = _ERROR_TEXTS.get(param, NOT_ALLOWED)


def post_settings(app, params, body):
    """POST /settings (interfaces.md 1.5): (200, the answer object)."""
    out = {}
    api_settings_net.apply_mqtt_publish_options(app, params)
    if "mqtt_update" in params:
        api_settings_net.apply_mqtt_block(app, params, out)
        return 200, out
    if "backlight" in params:
        count = to_int(params["backlight"])
        app.backlight_s = min(max(count, 0) * _BACKLIGHT_S, _BACKLIGHT_MAX_S)
        out["Backlight"] = count
    apply_rows(app, params, _HEAD_ROWS, out)
    if "disable_override_current" in params:
        set_override(app, 0)
        out["disable_override_current"] = "OK"
    if "custombutton" in params:
        app.evse.set_custom_button(to_int(params["custombutton"]) > 0)
        out["custombutton"] = app.evse.custom_button
    if "starttime" in params:
        _post_delayed_window(app, params, out)
    if "mode" in params:
        out["mode"] = _post_mode(app, params["mode"])
    if "enable_C2" in params:
        error = app.configure("enable_C2", to_int(params["enable_C2"]))
        name = api_settings_get.option_label("enable_C2", app.settings.values["enable_C2"])
        out["settings"] = {"enable_C2": name if error is None else NOT_ALLOWED}
    if "phases" in params:
        _post_phases(app, to_int(params["phases"]), out)
    apply_rows(app, params, _STOP_TIMER_ROWS, out)
    if "override_current" in params:
        _post_override_current(app, to_int(params["override_current"]), out)
    apply_rows(app, params, _SOLAR_ROWS, out)
    if "override_pwm" in params:
        out["override_pwm"] = _post_override_pwm(app, to_int(params["override_pwm"]))
    # required_evccid belongs to modem builds only; this product has no modem (D6).
    apply_rows(app, params, _TAIL_ROWS, out)
    if to_int(params.get("ocpp_update", "0")) == 1:
        api_settings_net.apply_ocpp_block(app, params, out)
    app.request_save()           # persisted by the 1 s service, rate-limited (6.2)
    return 200, out


def _post_mode(app, text):
    """`mode` (0.3): 0 access OFF, 4 PAUSE, 1/2/3 Normal/Solar/Smart. Echoes the text.
    Text without a number ("SMART", "") is "any other value" of 0.3 and refused: read
    as toInt() it would be 0 and switch the charger OFF."""
    rest_mode = to_int(text) if _has_number(text) else -1
    if rest_mode == 0:
        app.configure("access", ACCESS_OFF)
    elif rest_mode == 4:
        app.configure("access", ACCESS_PAUSE)
    elif 0 < rest_mode < 4:
        # set_mode refuses a disabled mode and Smart/Solar without a mains meter
        # (charging.md 4.1); either refusal changes nothing.
        if app.configure("mode", _REST_MODES[rest_mode]) is not None:
            return NOT_ALLOWED
    else:
        return NOT_ALLOWED
    return text


def _has_number(text):
    """True when toInt() would read at least one digit (blanks and a sign first)."""
    text = str(text).strip()
    if text[:1] == "-" or text[:1] == "+":
        text = text[1:]
    return "0" <= text[:1] <= "9"


def _post_phases(app, phases, out):
    """Request a 1P/3P switch through contactor 2 (charging.md 6.4)."""
    if phases != 1 and phases != 3:
        out["phases"] = NOT_ALLOWED
    elif app.settings.values["enable_C2"] == 0:
        out["phases"] = C2_MISSING_TEXT
    elif is_node(app):
        out["phases"] = NOT_ALLOWED
    else:
        evse = app.evse
        previous = evse.phases
        switching = phases != previous
        if switching:
            evse.request_phases(phases)      # applied on the next C entry (6.4)
        out["phases"] = phases
        out["switching"] = switching
        out["previous_phases"] = previous


def set_override(app, current_da):
    """Set the override current (dA, 0 = none): a ceiling on the offer (12 D13)."""
    app.evse.set_override_current(current_da)


def _post_override_current(app, current_da, out):
    """0 always; else MIN x 10 .. MAX x 10 on a master or standalone. Refused in
    Solar, where the answer leaves the key out (charging.md 12 D15)."""
    values = app.settings.values
    if values["mode"] == MODE_SOLAR:
        return
    if current_da != 0 and (is_node(app) or current_da < values["current_min"] * 10
                            or current_da > values["current_max"] * 10):
        out["override_current"] = NOT_ALLOWED
        return
    set_override(app, current_da)
    out["override_current"] = app.evse.override_current_da


def _post_override_pwm(app, duty):
    """Expert CP duty override: 0 pilot off, < 0 release, 1..1024 raw duty. Refused
    while the core offers no `override_pwm(duty)` (-1 releases)."""
    override = getattr(app.evse, "override_pwm", None)
    if override is None or duty > _DUTY_MAX:
        return NOT_ALLOWED
    if duty < 0:
        override(-1)
        return _DUTY_RELEASE
    override(duty)
    return duty


# --- delayed charging window (charging.md 9.1) ------------------------------------

def parse_local_time(text):
    """"YYYY-MM-DDTHH:MM" (optionally ":SS") local time -> local epoch s, or None."""
    text = str(text).strip()
    t = text.find("T")
    if t < 0:
        return None
    date = text[:t].split("-")
    clock = text[t + 1:].split(":")
    if len(date) != 3 or len(clock) < 2 or len(clock) > 3:
        return None
    numbers = []
    for part in date + clock:
        if not part or len(part) > 4 or not _digits(part):
            return None
        numbers.append(int(part))
    year, month, day, hour, minute = numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]
    if len(clock) == 3 and numbers[5] > 59:
        return None
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)
            and hour <= 23 and minute <= 59):
        return None
    return _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60


def _digits(part):
    for ch in part:
        if not "0" <= ch <= "9":
            return False
    return True


def _days_in_month(year, month):
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(year, month, day):
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    if month <= 2:
        year -= 1
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _post_delayed_window(app, params, out):
    """starttime / stoptime / repeat as the fork: a future start turns access OFF
    until then; a past or unparsable one clears start, stop and repeat. stoptime and
    repeat count only with a valid future start; a stop not after start clears it.
    With the clock unknown a parsed start counts as future (the fork compares with
    an unsynchronised clock at 1970)."""
    values = app.settings.values
    now_s = app.now_epoch_s()
    start_s = parse_local_time(params["starttime"])
    if start_s is not None and (now_s is None or start_s > now_s) \
            and app.configure("starttime", start_s) is None:
        app.configure("access", ACCESS_OFF)
    else:
        app.configure("starttime", 0)
        app.configure("stoptime", 0)
        app.configure("repeat", 0)
    if values["starttime"] and "stoptime" in params:
        stop_s = parse_local_time(params["stoptime"])
        if stop_s is None or (now_s is not None and stop_s <= now_s) \
                or stop_s <= values["starttime"] or app.configure("stoptime", stop_s):
            app.configure("stoptime", 0)
        out["stoptime"] = values["stoptime"]
        if "repeat" in params:
            repeat = to_int(params["repeat"])
            if app.configure("repeat", repeat) is None:
                out["repeat"] = repeat
    out["starttime"] = values["starttime"]
