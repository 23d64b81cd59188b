"""POST /currents: mains, circuit and home-battery currents from outside (interfaces.md 1.7)."""

# Each part is taken only where it applies (the meter type is API, a master or a
# standalone controller), else left out of the answer; a bad value answers "Value not
# allowed!" under its key and changes nothing. The mains readings restart the 11 s
# mains timeout and the API staleness (regulation/meters.py, charging.md 3.5); the
# battery value counts in Solar while at most 60 s old (regulation/solar.py, 4.2).

from smartevse.api import feed
from smartevse.api.params import NOT_ALLOWED, is_node, to_int
from smartevse.core.states import METER_API


def post_currents(app, params, body):
    """POST /currents (1.7): (200, the answer, {} when nothing applied)."""
    out = {}
    values = app.settings.values
    node = is_node(app)
    if "battery_current" in params:
        _battery(app, to_int(params["battery_current"]), node, out)
    if values["mains_meter_type"] == METER_API:
        readings = feed.three(params, "L")
        if readings is not None:
            _mains(app, readings, node, out)
    if values["circuit_meter_type"] == METER_API:
        readings = feed.three(params, "circuit_L")
        if isinstance(readings, str):
            out[readings] = NOT_ALLOWED
        elif readings is not None and node:
            out["circuit"] = {"TOTAL": feed.NOT_ON_NODE}    # as the fork answers
        elif readings is not None:
            record = feed.meter(app, "circuit_meter")
            record.currents_da[:] = readings
            record.update_epoch_s = feed.epoch_s(app)
            app.evse.circuit_reading(readings[0], readings[1], readings[2])   # charging.md 4.8
            out["circuit"] = feed.phases(readings)
    return 200, out


def _battery(app, current_da, node, out):
    if node:
        out["battery_current"] = feed.NOT_ON_NODE
        return
    try:
        app.evse.home_battery(current_da)
    except ValueError:
        out["battery_current"] = NOT_ALLOWED
        return
    app.home_battery_epoch_s = feed.epoch_s(app)
    out["battery_current"] = current_da


def _mains(app, readings, node, out):
    if isinstance(readings, str):
        out[readings] = NOT_ALLOWED
        return
    if node:
        out["TOTAL"] = feed.NOT_ON_NODE
        return
    record = feed.meter(app, "mains_meter")
    record.original_da[:] = readings
    record.update_epoch_s = feed.epoch_s(app)
    evse = app.evse
    evse.mains_reading(readings[0], readings[1], readings[2])
    record.currents_da = evse.mains_irms_da      # after the battery correction
    out["original"] = {"L1": readings[0], "L2": readings[1], "L3": readings[2]}
    corrected = feed.phases(evse.mains_irms_da)
    out["L1"] = corrected["L1"]
    out["L2"] = corrected["L2"]
    out["L3"] = corrected["L3"]
    out["TOTAL"] = corrected["TOTAL"]
