"""POST /ev_meter: the EV meter's currents and energy from outside (interfaces.md 1.8)."""

# Only with EV METER type API. The currents restart the 64 s EV-meter timeout (charging.md
# 3.5); the energy counters answer `total_kwh` and `charged_kwh` in Wh (historic names).

from smartevse.api import feed
from smartevse.api.params import NOT_ALLOWED, to_int
from smartevse.core.states import METER_API

_ENERGY = ("import_active_energy", "export_active_energy", "import_active_power")
_WH_LIMIT = 2147483647


def post_ev_meter(app, params, body):
    """POST /ev_meter (1.8): (200, {"ev_meter": ...}), {} when nothing applied."""
    if app.settings.values["ev_meter_type"] != METER_API:
        return 200, {}
    out = {}
    readings = feed.three(params, "L")
    if isinstance(readings, str):
        out[readings] = NOT_ALLOWED
        return 200, out
    block = {}
    record = feed.meter(app, "ev_meter")
    if readings is not None:
        app.evse.ev_meter_reading(readings[0], readings[1], readings[2])
        record.currents_da[:] = readings
        record.update_epoch_s = feed.epoch_s(app)
        block["currents"] = feed.phases(readings)
    if _ENERGY[0] in params and _ENERGY[1] in params and _ENERGY[2] in params:
        numbers = [to_int(params[name]) for name in _ENERGY]
        if numbers[0] < 0 or numbers[1] < 0 or numbers[0] >= _WH_LIMIT:
            out["import_active_energy"] = NOT_ALLOWED
            return 200, out
        record.import_wh, record.export_wh, record.power_w = numbers
        record.energy_wh = numbers[0] - numbers[1]
        record.charged_wh = record.energy_wh - record.start_wh if record.start_wh >= 0 else 0
        block["import_active_power"] = numbers[2]
        block["import_active_energy"] = numbers[0]
        block["export_active_energy"] = numbers[1]
        block["total_kwh"] = record.energy_wh
        block["charged_kwh"] = record.charged_wh
    if block:
        out["ev_meter"] = block
    return 200, out
