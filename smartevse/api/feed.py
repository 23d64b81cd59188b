"""What an external meter sent over the network (interfaces.md 1.7, 1.8, 1.4)."""

# One record per meter fed by POST /currents or /ev_meter (type API), read by GET
# /settings under `mains_meter`, `ev_meter`, `circuit_meter` and `phase_currents`. The
# readings themselves go to the charging core (`mains_reading`, `ev_meter_reading`).

from smartevse.api.params import to_int

NOT_ON_NODE = "not allowed on slave"
CURRENT_LIMIT_DA = 32767           # a per-phase value beyond +/- 3276.7 A is no reading


class FedMeter:
    """The last values of one network-fed meter."""

    def __init__(self):
        self.currents_da = [0, 0, 0]
        self.original_da = [0, 0, 0]
        self.update_epoch_s = 0
        self.power_w = 0
        self.import_wh = 0
        self.export_wh = 0
        self.energy_wh = 0
        self.charged_wh = 0
        self.start_wh = -1          # energy at the start of the session, -1 = none yet


def meter(app, name):
    """The app's record `name` (mains_meter, ev_meter, circuit_meter), made on first use."""
    record = getattr(app, name, None)
    if record is None:
        record = FedMeter()
        setattr(app, name, record)
    return record


def epoch_s(app):
    now_s = app.now_epoch_s()
    return 0 if now_s is None else now_s


def three(params, prefix):
    """[l1, l2, l3] in dA when all three are present, None when one is missing, or
    the text of the first refused value."""
    out = []
    for n in ("1", "2", "3"):
        name = prefix + n
        if name not in params:
            return None
        value = to_int(params[name])
        if not -CURRENT_LIMIT_DA <= value <= CURRENT_LIMIT_DA:
            return name
        out.append(value)
    return out


def phases(values):
    """{"L1", "L2", "L3", "TOTAL"} of three dA values."""
    return {"L1": values[0], "L2": values[1], "L3": values[2],
            "TOTAL": values[0] + values[1] + values[2]}
