"""GET /settings: the full status and configuration object (interfaces.md 1.4).

Decides the texts a client reads: the state text with its IEC substate and the soft
conditions appended (" - No Power Available" for LESS_6A, " - Lock error" for the
cable-lock error, charging.md 12 D12), the error name and id of the highest hard error
bit (0.2), the IEC 61851 letter (any error other than LESS_6A forces E), and the REST
mode numbering of 0.3 (0 OFF, 1 NORMAL, 2 SOLAR, 3 SMART, 4 PAUSE).

Parts of the product that a later issue builds (meters, MQTT and OCPP links, Wi-Fi,
power-share tables) are read from optional app attributes; until they exist their
blocks carry the documented defaults (zeros, "Disconnected"), and the `wifi` block is
left out as it is while not associated.
"""

from smartevse.core.states import (ACCESS_OFF, ACCESS_ON, ACCESS_PAUSE, AUTH_OFF, LESS_6A, LOADBL_MASTER,
                                   LOADBL_STANDALONE, METER_HOMEWIZARD_P1, NR_EVSES, STATE_B,
                                   STATE_B1, STATE_C, STATE_C1, STATE_NAMES, iec_state)
from smartevse.settings import facts
from smartevse.settings.table import (COUNT, F_SECRET, FLAGS, KEYS, R_AS_BOOL,
                                      R_AS_ENABLED, R_AS_OPTION, R_EMPTY_SERIAL, R_GET, R_MQTT,
                                      R_OCPP, REST_NAMES, RESTS)

ERROR_NAMES = (
    "No Power Available", "Communication Error", "Temperature High",
    "EV Meter Comm Error", "RCM Tripped", "RCM Test", "Test IO", "Flash Error",
)
# Internal mode (0 Normal, 1 Smart, 2 Solar) -> REST name and mode_id (0.3).
_MODE_NAMES = ("NORMAL", "SMART", "SOLAR")
_MODE_IDS = (1, 3, 2)
_SCHEDULE_NAMES = ("Inactive", "Active", "Paused")
_NODE_NAMES = ("Idle", "Request", "Charging")


def error_id(flags):
    """Position of the highest set error bit + 1; 0 when none (interfaces.md 0.2)."""
    n = 0
    while flags:
        flags >>= 1
        n += 1
    return n


def error_name(flags):
    """Web name of the highest set error bit, "None" when no bit is set."""
    n = error_id(flags)
    return ERROR_NAMES[n - 1] if 0 < n <= len(ERROR_NAMES) else "None"


def iec_letter(state, flags):
    """IEC 61851 letter: E on any error but LESS_6A, else the state's letter."""
    return iec_state(state, flags)[0]


def iec_substate(state, flags):
    """"B1", "B2", "C1", "C2" for the four charging states, else the plain letter (1.4)."""
    text = iec_state(state, flags)
    if state == STATE_B or state == STATE_B1 or state == STATE_C or state == STATE_C1:
        return text
    return text[0]


def state_text(state, flags, lock_error):
    """The `evse.state` text, e.g. "Connected to EV (B2) - No Power Available"."""
    name = STATE_NAMES[state] if 0 <= state < len(STATE_NAMES) else "NOSTATE"
    text = name + " (" + iec_substate(state, flags) + ")"
    if flags & LESS_6A:
        text += " - " + ERROR_NAMES[0]
    if lock_error:
        text += " - Lock error"
    return text


def charging_enabled(access, state, flags):
    """evcc's `enabled` (1.4, decided 2026-11-30): access ON (so the mode is not OFF or
    PAUSE) and the state A, B or C: not B1, C1 or an error state (E)."""
    return (access == ACCESS_ON and state != STATE_B1 and state != STATE_C1
            and iec_letter(state, flags) in "ABC")


def rest_mode(access, mode):
    """(name, mode_id) of GET `mode` / `mode_id` (0.3); ("N/A", -1) if inconsistent."""
    if access == ACCESS_OFF:
        return "OFF", 0
    if access == ACCESS_PAUSE:
        return "PAUSE", 4
    if 0 <= mode < len(_MODE_NAMES):
        return _MODE_NAMES[mode], _MODE_IDS[mode]
    return "N/A", -1


def option_label(key, value):
    """The settings table's option text for value (meter names, EnableC2 ...)."""
    return facts.option_text(facts.index(key), value)


def wifi_station(net):
    """(ssid, bssid "AA:BB:..", rssi dBm) of the access point the station joined, or None
    (1.4 `wifi`, MQTT WiFiSSID/WiFiBSSID/WiFiRSSI); a wired host network has none."""
    station = getattr(net, "station", None)
    return None if station is None else station()


def _part(app, part, name, default):
    """An attribute of an optional app part (a meter, the MQTT link ...), or default."""
    obj = getattr(app, part, None)
    if obj is None:
        return default
    return getattr(obj, name, default)


_MODBUS_FIELDS = {"currents_da": "current_da", "original_da": "current_da",
                  "energy_wh": "import_wh"}


def _meter_value(app, name, field, default):
    """A field of meter `name` (mains, ev, circuit): the record fed over the network
    (POST /currents, /ev_meter) when there is one, else the meter read on RS485."""
    record = getattr(app, name + "_meter", None)
    if record is None:
        record = getattr(getattr(app, "modbus", None), name, None)
        field = _MODBUS_FIELDS.get(field, field)
    if record is None:
        return default
    return getattr(record, field, default)


def _currents(values):
    total = values[0] + values[1] + values[2]
    return {"TOTAL": total, "L1": values[0], "L2": values[1], "L3": values[2]}


def _rgb(colour):
    """A colour setting (0xRRGGBB) -> {R, G, B}."""
    return {"R": (colour >> 16) & 0xFF, "G": (colour >> 8) & 0xFF, "B": colour & 0xFF}


def get_settings(app, params, body):
    """GET /settings (interfaces.md 1.4): (200, the whole object)."""
    values = app.settings.values
    evse = app.evse
    access = evse.access
    mode_name, mode_id = rest_mode(access, values["mode"])
    connected = bool(evse.ev_connected)      # CP not at +12 V (1.4)
    doc = {
        "version": app.version,
        "serialnr": app.serial_nr,
        "mode": mode_name,
        "mode_id": mode_id,
        "car_connected": connected,
    }
    net = app.board.net         # its portal_errors: access points the radio refused (1.18)
    station = wifi_station(net)
    if station is not None or getattr(net, "portal_errors", 0):
        ssid, bssid, rssi = station or ("", "", 0)
        doc["wifi"] = {
            "status": "WL_CONNECTED" if station else "UNKNOWN",
            "ssid": ssid, "rssi": rssi, "bssid": bssid,
            "portal_errors": net.portal_errors,
            "portal_last_error": net.portal_last_error,
        }
    doc["evse"] = _evse_block(app, values, connected)
    doc["settings"] = _settings_block(app, values)
    if values["loadbl"] == LOADBL_MASTER:
        _add_master_tables(app, doc)
    doc["mqtt"] = _mqtt_block(app, values)
    doc["ocpp"] = _ocpp_block(app, values)
    reg = evse.reg
    fresh = reg.battery_age_s <= 60          # older is cleared (charging.md 4.2)
    doc["home_battery"] = {
        "current": reg.battery_da if fresh else 0,
        "last_update": getattr(app, "home_battery_epoch_s", 0) if fresh else 0,
    }
    _add_meter_blocks(app, values, doc)
    timer_s = app.backlight_s
    doc["backlight"] = {
        "timer": timer_s,
        "status": "ON" if timer_s > 1 else ("DIMMED" if timer_s == 1 else "OFF"),
    }
    doc["color"] = {
        "off": _rgb(values["color_off"]),
        "normal": _rgb(values["color_normal"]),
        "smart": _rgb(values["color_smart"]),
        "solar": _rgb(values["color_solar"]),
        "custom": _rgb(values["color_custom"]),
    }
    return 200, doc


def _evse_block(app, values, connected):
    evse = app.evse
    state = evse.state
    flags = evse.error_flags
    hard = flags & ~LESS_6A
    reader = values["rfid_reader"]
    block = {
        "temp": evse.temperature_c,
        "temp_max": values["temp_max"],
        "connected": connected,
        "access": evse.access,
        "mode": values["mode"],
        "loadbl": values["loadbl"],
        "pwm": evse.duty_1024,
        "custombutton": bool(evse.custom_button),
        "solar_stop_timer": evse.solar_stop_timer_s,
        "state": state_text(state, flags, app.lock.error),
        "state_id": state,
        "error": error_name(hard),
        "error_id": error_id(hard),
        "rfidreader": option_label("rfid_reader", reader),
        "nrofphases": evse.phases,
        "rfid": app.rfid_status_text if reader else "Not Installed",
        "iec61851_state": iec_letter(state, flags),
        "iec61851_substate": iec_substate(state, flags),
        "charging_enabled": charging_enabled(evse.access, state, flags),
    }
    if reader:
        block["rfid_lastread"] = getattr(app, "rfid_lastread", "")
    return block


def _settings_block(app, values):
    evse = app.evse
    block = {
        "charge_current": evse.balanced_da,
        "override_current": evse.override_current_da,
    }
    for i in range(COUNT):                # the table's R_GET rows, in storage units
        if RESTS[i] & R_GET:
            key = KEYS[i]
            if RESTS[i] & R_AS_OPTION:
                block[REST_NAMES.get(key, key)] = facts.option_text(i, values[key])
            else:
                block[key] = values[key]
    block["linky_available"] = _part(app, "linky", "available", 0)
    block["linky_is_hp"] = _part(app, "linky", "is_hp", 0)
    block["linky_is_hc"] = _part(app, "linky", "is_hc", 0)
    block["auth_required"] = values["auth_mode"] != AUTH_OFF
    block["capacity_window_avg"] = _part(app, "capacity", "window_avg_w", 0)
    block["capacity_monthly_peak"] = _part(app, "capacity", "monthly_peak_w", 0)
    block["capacity_headroom"] = _part(app, "capacity", "headroom_w", 0)
    return block


def _block_values(app, values, block, prefix, doc):
    """The settings of one block (`mqtt`, `ocpp`) under their names without the prefix:
    a secret as `<name>_set` (never the secret itself, 0.3), flags as the row says."""
    for i in range(COUNT):
        rest = RESTS[i]
        if not rest & block:
            continue
        key = KEYS[i]
        value = values[key]
        name = key[len(prefix):]
        if FLAGS[i] & F_SECRET:
            doc[name + "_set"] = value != ""
        elif rest & R_AS_BOOL:
            doc[name] = bool(value)
        elif rest & R_AS_ENABLED:
            doc[name] = "Enabled" if value else "Disabled"
        elif rest & R_EMPTY_SERIAL and not value:
            doc[name] = "SmartEVSE/" + str(app.serial_nr)
        else:
            doc[name] = value
    return doc


def _add_master_tables(app, doc):
    """`schedule` and `nodes`: the power-share master's view of the 8 controllers, from
    its regulation record: priority scheduling's state (charging.md 5.3: 0 Inactive,
    1 Active, 2 Paused) and the rotation timer."""
    reg = app.evse.reg
    schedule = reg.node_sched
    names = []
    nodes = []
    for i in range(NR_EVSES):
        sched = schedule[i]
        sched_name = _SCHEDULE_NAMES[sched] if sched <= 2 else "N/A"
        names.append(sched_name)
        node = reg.node_state[i]            # STATE_A/B/C read Idle/Request/Charging
        nodes.append({
            "current": reg.node_balanced_da[i],
            "state": _NODE_NAMES[node] if 0 <= node <= 2 else "N/A",
            "sched": sched_name,
        })
    doc["schedule"] = {
        "state": names,
        "rotation_timer": reg.rotation_timer_s,
    }
    doc["nodes"] = nodes


def _mqtt_block(app, values):
    doc = _block_values(app, values, R_MQTT, "mqtt_", {})
    doc["status"] = "Connected" if _part(app, "mqtt", "connected", False) else "Disconnected"
    doc["smartevse_server"] = bool(values["app_server"])
    return doc


def ocpp_limit_a(app):
    """The charging-profile ceiling in whole A, -1 when none (interfaces.md 3.8)."""
    limit_da = app.evse.reg.ocpp_limit_da
    return limit_da // 10 if limit_da >= 0 else -1


def _ocpp_block(app, values):
    limit_a = ocpp_limit_a(app)
    doc = _block_values(app, values, R_OCPP, "ocpp_", {})
    doc["status"] = "Connected" if _part(app, "ocpp", "connected", False) else "Disconnected"
    doc["tx_active"] = _part(app, "ocpp", "tx_active", False)
    cp = _part(app, "ocpp", "cp", None)         # the OCPP link's charge point: its counters
    for name in ("tx_starts", "tx_stops", "auth_accepts", "auth_rejects", "auth_timeouts"):
        doc[name] = getattr(cp, name, 0)
    doc["smart_charging_active"] = values["loadbl"] == LOADBL_STANDALONE and limit_a >= 0
    doc["current_limit_a"] = limit_a
    doc["lb_conflict"] = _part(app, "ocpp", "lb_conflict", False)
    return doc


_ZERO3 = (0, 0, 0)


def _add_meter_blocks(app, values, doc):
    ev_type = values["ev_meter_type"]
    doc["ev_meter"] = {
        "description": option_label("ev_meter_type", ev_type),
        "address": values["ev_meter_address"],
        "import_active_power": _meter_value(app, "ev", "power_w", 0),
        "total_wh": _meter_value(app, "ev", "energy_wh", 0),
        "charged_wh": _meter_value(app, "ev", "charged_wh", 0),
        "currents": _currents(_meter_value(app, "ev", "currents_da", _ZERO3)),
        "import_active_energy": _meter_value(app, "ev", "import_wh", 0),
        "export_active_energy": _meter_value(app, "ev", "export_wh", 0),
    }
    mains_type = values["mains_meter_type"]
    mains = {
        "import_active_energy": _meter_value(app, "mains", "import_wh", 0),
        "export_active_energy": _meter_value(app, "mains", "export_wh", 0),
        "phases": _meter_value(app, "mains", "phases", 3),
        "apparent_power_va": _meter_value(app, "mains", "apparent_power_va", 0),
    }
    if mains_type == METER_HOMEWIZARD_P1:
        # a manual IP (MQTT Set/HomeWizardIP, 2.4) before the discovered host
        host = getattr(app, "homewizard_ip", "") or _meter_value(app, "mains", "host", "")
        mains["host"] = host if host else "HomeWizard P1 Not Found"
        # the poller's health (modbus.md 8.7): answers that gave no reading, the last why
        mains["errors"] = _part(app, "homewizard", "errors", 0)
        mains["last_error"] = _part(app, "homewizard", "last_error", "")
    doc["mains_meter"] = mains
    circuit_type = values["circuit_meter_type"]
    if circuit_type:
        doc["circuit_meter"] = {
            "description": option_label("circuit_meter_type", circuit_type),
            "address": values["circuit_meter_address"],
            "import_active_energy": _meter_value(app, "circuit", "import_wh", 0),
            "export_active_energy": _meter_value(app, "circuit", "export_wh", 0),
            "power": _meter_value(app, "circuit", "power_w", 0),
            "currents": _currents(_meter_value(app, "circuit", "currents_da", _ZERO3)),
        }
    phases = _currents(_meter_value(app, "mains", "currents_da", _ZERO3))
    phases["last_data_update"] = _meter_value(app, "mains", "update_epoch_s", 0)
    phases["original_data"] = _currents(_meter_value(app, "mains", "original_da", _ZERO3))
    doc["phase_currents"] = phases
