"""GET /modbus.json: what the controller reads from its meters (interfaces.md 1.15)."""

# From the Modbus poll's records (modbus/meter_poll.py MeterData) or, for type API,
# the network-fed ones (api/feed.py: API and the HomeWizard P1); a value a meter does not
# give reads 0.

from smartevse.api.settings_get import option_label
from smartevse.core.states import METER_API, METER_HOMEWIZARD_P1

_ROLES = (("mains_meter", "mains_meter_type", "mains_meter_address", "mains"),
          ("ev_meter", "ev_meter_type", "ev_meter_address", "ev"),
          ("circuit_meter", "circuit_meter_type", "circuit_meter_address", None))


def _record(app, role, kind, poll_name):
    if kind == METER_API or kind == METER_HOMEWIZARD_P1 or poll_name is None:
        return getattr(app, role, None)
    poll = app.modbus
    return getattr(poll, poll_name, None) if poll is not None else None


def _get(record, name, default):
    return getattr(record, name, default) if record is not None else default


def get_modbus_json(app, params, body):
    values = app.settings.values
    doc = {}
    for role, type_key, address_key, poll_name in _ROLES:
        kind = values[type_key]
        record = _record(app, role, kind, poll_name)
        currents = _get(record, "current_da", None) or _get(record, "currents_da", (0, 0, 0))
        powers = _get(record, "phase_power_w", (0, 0, 0))
        import_wh = _get(record, "import_wh", 0)
        export_wh = _get(record, "export_wh", 0)
        block = {"type": option_label(type_key, kind), "address": values[address_key]}
        for n in range(3):
            block["irms_L%d" % (n + 1)] = currents[n]
        for n in range(3):
            block["power_L%d_W" % (n + 1)] = powers[n]
        block["power_measured_W"] = _get(record, "power_w", 0)
        block["import_energy_Wh"] = import_wh
        block["export_energy_Wh"] = export_wh
        block["net_energy_Wh"] = import_wh - export_wh
        block["session_energy_Wh"] = _get(record, "charged_wh", 0)
        for n in range(3):
            block["energy_L%d_Wh" % (n + 1)] = 0      # no meter of the table gives it yet
        doc[role] = block
    return 200, doc
