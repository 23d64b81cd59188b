"""POST /settings: which parameters change what, in the fork's order (interfaces.md 1.5).

Decides the order of the request's parts (the fork's: MQTT publish options, the MQTT
block alone, backlight, override off, custom button, the delayed-charging window, the
settings, phases, override current and PWM, the OCPP block) and the parameters that
are not settings: the override-current rules (charging.md 12 D13-D15), phase-switch
requests, the backlight, the custom button and the delayed-charging window. The
settings parameters go through `api/settings_apply.py`; the MQTT and OCPP blocks are
`api/settings_net.py`. Each parameter is accepted or refused on its own; unknown
parameters are ignored.
"""

from micropython import const

from smartevse.api.params import NOT_ALLOWED, is_node, to_int
from smartevse.api.settings_apply import apply_rows
from smartevse.core import policy
from smartevse.core.states import ACCESS_OFF, C2_NOT_PRESENT, MODE_SOLAR
from smartevse.settings.changes import SOURCE_REST
from smartevse.settings.table import R_POST, R_PUBLISH

C2_MISSING_TEXT = "C2 contactor not present"
_BACKLIGHT_S = const(120)        # `backlight=n` lights n x 120 s (settings-and-menu.md 3.7)
_BACKLIGHT_MAX_S = const(65535)
_DUTY_MAX = const(1024)
_DUTY_RELEASE = const(100)       # override_pwm < 0: 10 % until the next cycle (6 A)


def post_settings(app, params, body):
    """POST /settings (interfaces.md 1.5): (200, the answer object)."""
    out = {}
    apply_rows(app, params, R_PUBLISH, out)
    if "mqtt_update" in params:
        from smartevse.api import settings_net      # imported for the rare network blocks
        settings_net.post_mqtt_block(app, params, out)
        return 200, out
    if "backlight" in params:
        count = to_int(params["backlight"])
        app.backlight_s = min(max(count, 0) * _BACKLIGHT_S, _BACKLIGHT_MAX_S)
        out["Backlight"] = count
    if "disable_override_current" in params:
        set_override(app, 0)
        out["disable_override_current"] = "OK"
    if "custombutton" in params:
        app.evse.set_custom_button(to_int(params["custombutton"]) > 0)
        out["custombutton"] = app.evse.custom_button
    if "starttime" in params:
        _post_delayed_window(app, params, out)
    apply_rows(app, params, R_POST, out)
    if "phases" in params:
        _post_phases(app, to_int(params["phases"]), out)
    if "override_current" in params:
        _post_override_current(app, to_int(params["override_current"]), out)
    if "override_pwm" in params:
        out["override_pwm"] = _post_override_pwm(app, to_int(params["override_pwm"]))
    # required_evccid belongs to modem builds only; this product has no modem (D6).
    if to_int(params.get("ocpp_update", "0")) == 1:
        from smartevse.api import settings_net
        settings_net.post_ocpp_block(app, params, out)
    app.request_save()           # persisted by the 1 s service, rate-limited (6.2)
    return 200, out


# --- parameters that are not settings ------------------------------------------------------

def _post_phases(app, phases, out):
    """Request a 1P/3P switch through contactor 2 (charging.md 6.4)."""
    if phases != 1 and phases != 3:
        out["phases"] = NOT_ALLOWED
    elif app.settings.values["enable_C2"] == C2_NOT_PRESENT:
        out["phases"] = C2_MISSING_TEXT
    elif is_node(app) or (phases == 3 and policy.single_phase_forced_by_installer(app.settings.values)):
        out["phases"] = NOT_ALLOWED        # 6.2a: Always Off (Solar Off in Solar) forbids 3P
    else:
        previous = app.evse.phases
        switching = phases != previous
        if switching:
            app.evse.request_phases(phases)      # applied on the next C entry (6.4)
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


def _change(app, key, value):
    """One setting through the generic apply path, as REST: None or the error."""
    return app.apply_settings({key: value}, SOURCE_REST).get(key)


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
            and _change(app, "starttime", start_s) is None:
        _change(app, "access", ACCESS_OFF)
    else:
        _change(app, "starttime", 0)
        _change(app, "stoptime", 0)
        _change(app, "repeat", 0)
    if values["starttime"] and "stoptime" in params:
        stop_s = parse_local_time(params["stoptime"])
        if stop_s is None or (now_s is not None and stop_s <= now_s) \
                or stop_s <= values["starttime"] or _change(app, "stoptime", stop_s):
            _change(app, "stoptime", 0)
        out["stoptime"] = values["stoptime"]
        if "repeat" in params:
            repeat = to_int(params["repeat"])
            if _change(app, "repeat", repeat) is None:
                out["repeat"] = repeat
    out["starttime"] = values["starttime"]
