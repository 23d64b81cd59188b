"""Decides what the live-data WebSocket /ws/data says (interfaces.md 1.19): its fields."""
# Pure: `fill(app, out)` puts the fields of every message in `out`, `fill_sync(app, out)`
# the sync-only ones (the values GET /settings reports under the same meaning, 1.4);
# `changed(now, last)` is the "state" message's dict, or None when nothing changed. The
# dicts are kept and refilled with the same keys, so a message with no change allocates
# little (the server, net/ws_data.py, runs it every 500 ms).

from smartevse.api.settings_get import _meter_value as meter_value
from smartevse.api.settings_get import rest_mode

_ZERO3 = (0, 0, 0)
_EVSE_MODES = (1, 3, 2)        # internal mode (Normal, Smart, Solar) -> REST number (0.3)
_PHASES = ("phase_L1", "phase_L2", "phase_L3")
_EV = ("evmeter_L1", "evmeter_L2", "evmeter_L3")


def fill(app, out):
    """The fields of 1.19 sent in every message, now."""
    v = app.settings.values
    evse = app.evse
    reg = evse.reg
    mode = v["mode"]
    out["mode_id"] = rest_mode(evse.access, mode)[1]
    out["state_id"] = evse.state
    out["error_flags"] = evse.error_flags
    out["charge_current"] = evse.balanced_da
    out["temp"] = evse.temperature_c
    out["pwm"] = evse.duty_1024
    out["car_connected"] = bool(evse.ev_connected)
    out["loadbl"] = v["loadbl"]
    out["override_current"] = evse.override_current_da
    mains = meter_value(app, "mains", "currents_da", _ZERO3)
    ev = meter_value(app, "ev", "currents_da", _ZERO3)
    for i in range(3):
        out[_PHASES[i]] = mains[i]
        out[_EV[i]] = ev[i]
    out["evmeter_power"] = meter_value(app, "ev", "power_w", 0)
    out["evmeter_charged_wh"] = meter_value(app, "ev", "charged_wh", 0)
    fresh = reg.battery_age_s <= 60          # older is cleared (charging.md 4.2), as in 1.4
    out["battery_current"] = reg.battery_da if fresh else 0
    out["battery_last_update"] = getattr(app, "home_battery_epoch_s", 0) if fresh else 0
    out["evse_mode"] = _EVSE_MODES[mode] if 0 <= mode < 3 else 1
    out["linky_is_hp"] = getattr(getattr(app, "linky", None), "is_hp", 0)


def fill_sync(app, out):
    """The fields a sync adds: `temp_max`, `current_min`, `current_max` (A) and
    `phases_last_update` (1.19)."""
    v = app.settings.values
    out["temp_max"] = v["temp_max"]
    out["current_min"] = v["current_min"]
    out["current_max"] = v["current_max"]
    out["phases_last_update"] = meter_value(app, "mains", "update_epoch_s", 0)


def changed(now, last):
    """{field: value} of what `now` holds different from `last` (which takes it), or None."""
    delta = None
    for key in now:
        value = now[key]
        if key not in last or last[key] != value:
            if delta is None:
                delta = {}
            delta[key] = value
            last[key] = value
    return delta
