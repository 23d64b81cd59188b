"""What the controller publishes over MQTT: `<prefix>/<Topic>` payloads (interfaces.md 2.3).

Pure: `snapshot(app, out)` fills `out` with {topic suffix: payload text} for every topic
whose condition holds now (meters configured, master only, a battery value seen ...);
`retained(suffix)` is the R column. Energy counters are left out while 0 (the zero-guard
of 2.2). The link (smartevse/net/mqtt_link.py) decides when each one goes out.
"""

import gc
import json

from smartevse.api.settings_get import (_meter_value as meter_value, error_name, ocpp_limit_a,
                                        option_label, wifi_station)
from smartevse.core.states import (ACCESS_OFF, ACCESS_PAUSE, CT_NOCOMM, LESS_6A, LOADBL_MASTER,
                                   LOADBL_FIRST_NODE, METER_API, METER_DISABLED,
                                   METER_HOMEWIZARD_P1, STATE_A, STATE_NAMES)

# Not retained (2.3 "R" column; every `Linky*` topic too); every other topic is retained.
_NOT_RETAINED = ("MainsCurrentL1", "MainsCurrentL2", "MainsCurrentL3",
                 "MainsImportActiveEnergy", "MainsExportActiveEnergy", "MainsPowerL1",
                 "MainsPowerL2", "MainsPowerL3", "EVCurrentL1", "EVCurrentL2", "EVCurrentL3",
                 "EVImportActiveEnergy", "EVExportActiveEnergy", "EVPowerL1", "EVPowerL2",
                 "EVPowerL3", "EVChargePower", "EVTotalEnergyCharged", "ESPTemp",
                 "CustomButton", "WiFiRSSI", "ESPUptime", "PairingPin", "HomeBatteryCurrent",
                 "OCPPConnection", "OCPPTxActive", "OCPPCurrentLimit", "OCPPSmartCharging",
                 "RotationTimer", "ScheduleState", "FreeHeap", "MQTTMsgCount",
                 "MeterTimeoutCount", "MeterRecoveryCount", "ApiStaleCount",
                 "CapacityWindowAvg", "CapacityMonthlyPeak", "CapacityHeadroom",
                 "SolarStopTimer", "CircuitCurrentL1", "CircuitCurrentL2", "CircuitCurrentL3",
                 "CircuitPower", "CircuitImportEnergy", "CircuitExportEnergy")
# Published once per value, never again by a heartbeat or a forced cycle: the record of
# the session that ended (1.14); the link's cache is reset on connect, so a record that
# could not go out (or went out before a reconnect) is sent again once online (2.3).
SESSION_TOPIC = "Session/Complete"
# StateID: the internal state names by state id (2.3; read by evcc's templates)
STATE_IDS = ("A", "B", "C", "D", "COMM_B", "COMM_B_OK", "COMM_C", "COMM_C_OK", "Activate",
             "B1", "C1", "MODEM_REQ", "MODEM_WAIT", "MODEM_DONE", "MODEM_DENIED")
_MODES = ("Normal", "Smart", "Solar")
_ACCESS = ("Deny", "Allow", "Pause")
_PRIO = ("ModbusAddr", "FirstConn", "LastConn")
_SCHED = ("Inactive", "Active", "Paused")
_RFID_TEXTS = ("Ready to read card", "Present", "Card Stored", "Card Deleted",
               "Card already stored", "Card not in storage", "Card Storage full", "Invalid")
_FIXED = (("MaxCircuitMains", "max_circuit_mains"), ("RampRateDivisor", "ramp_rate_divisor"),
          ("EmaAlpha", "ema_alpha"), ("SmartDeadBand", "smart_deadband"),
          ("MaxRampRate", "max_ramp_rate"), ("OscillationBoostMax", "oscillation_boost_max"),
          ("IdiffEmaWeight", "idiff_ema_weight"), ("LoadBl", "loadbl"),
          ("CurrentMaxSumMains", "current_max_sum_mains"), ("CapacityLimit", "capacity_limit"),
          ("MQTTChangeOnly", "mqtt_change_only"), ("MQTTHeartbeat", "mqtt_heartbeat"))
_COLORS = (("LEDColorOff", "color_off"), ("LEDColorNormal", "color_normal"),
           ("LEDColorSmart", "color_smart"), ("LEDColorSolar", "color_solar"),
           ("LEDColorCustom", "color_custom"))


def retained(suffix):
    return suffix not in _NOT_RETAINED and not suffix.startswith("Linky")


def mode_text(access, mode):
    """`Mode`: Off, Pause, or the charging mode's name (0.2)."""
    if access == ACCESS_OFF:
        return "Off"
    if access == ACCESS_PAUSE:
        return "Pause"
    return _MODES[mode] if 0 <= mode < len(_MODES) else "N/A"


def state_text(state, lock_error):
    """`State`: the web name; "Lock error" after a failed cable lock (0.2, charging.md 12)."""
    if lock_error and state != STATE_A:
        return "Lock error"
    return STATE_NAMES[state] if 0 <= state < len(STATE_NAMES) else "NOSTATE"


def snapshot(app, out):
    """Fill `out` with {suffix: payload} of every topic that applies now (2.3)."""
    v = app.settings.values
    evse = app.evse
    _meters(app, v, out)
    linky = app.linky           # a Set/LinkyMeter bridge's record has `values` (modbus.md 8.6)
    if linky is not None and linky.available and getattr(linky, "values", None):
        from smartevse.api import mqtt_linky
        mqtt_linky.fill_bridge(linky, out)
    for suffix, key in _FIXED:
        out[suffix] = str(v[key])
    for suffix, key in _COLORS:
        rgb = v[key]
        out[suffix] = "%d,%d,%d" % (rgb >> 16 & 255, rgb >> 8 & 255, rgb & 255)
    out["ESPTemp"] = str(evse.temperature_c)
    out["Mode"] = mode_text(evse.access, v["mode"])
    out["StateID"] = STATE_IDS[evse.state] if 0 <= evse.state < len(STATE_IDS) else "NOSTATE"
    out["MaxCurrent"] = str(v["current_max"] * 10)
    out["CustomButton"] = "On" if evse.custom_button else "Off"
    out["ChargeCurrent"] = str(evse.balanced_da)
    out["ChargeCurrentOverride"] = str(evse.override_current_da)
    out["NrOfPhases"] = str(evse.phases)
    out["Access"] = _ACCESS[evse.access] if 0 <= evse.access <= 2 else "N/A"
    reader = v["rfid_reader"]
    out["RFID"] = _rfid(app.rfid_status_text) if reader else "Not Installed"
    if reader:
        out["RFIDLastRead"] = getattr(app, "rfid_lastread", "")
    out["EnableC2"] = option_label("enable_C2", v["enable_C2"])
    out["State"] = state_text(evse.state, app.lock.error)
    out["Error"] = error_name(evse.error_flags & ~LESS_6A)
    out["EVPlugState"] = "Disconnected" if evse.state == STATE_A else "Connected"
    ssid, bssid, rssi = wifi_station(app.board.net) or ("", "", 0)
    out["WiFiSSID"] = ssid
    out["WiFiBSSID"] = bssid
    out["WiFiRSSI"] = str(rssi)
    out["ESPUptime"] = str(app.uptime_s())
    netlink = getattr(app, "netlink", None)
    out["PairingPin"] = netlink.pin_text() if netlink is not None else ""
    out["FirmwareVersion"] = app.version
    if getattr(app, "home_battery_epoch_s", 0):
        out["HomeBatteryCurrent"] = str(evse.reg.battery_da)
    ocpp = getattr(app, "ocpp", None)
    out["OCPP"] = "Enabled" if v["ocpp_mode"] else "Disabled"
    out["OCPPConnection"] = "Connected" if getattr(ocpp, "connected", False) else "Disconnected"
    out["OCPPTxActive"] = "true" if getattr(ocpp, "tx_active", False) else "false"
    limit_a = ocpp_limit_a(app)
    out["OCPPCurrentLimit"] = "%.1f" % limit_a if limit_a >= 0 else "none"
    out["OCPPSmartCharging"] = "Conflict" if getattr(ocpp, "lb_conflict", False) else \
        "Active" if limit_a >= 0 else "Inactive"
    if v["lock"]:
        out["CableLock"] = str(v["cablelock"])
    if v["loadbl"] == LOADBL_MASTER:
        out["PrioStrategy"] = _PRIO[v["prio_strategy"]]
        out["RotationInterval"] = str(v["rotation_interval"])
        out["IdleTimeout"] = str(v["idle_timeout"])
        out["RotationTimer"] = str(evse.reg.rotation_timer_s)
        out["ScheduleState"] = ",".join(_SCHED[s] if s <= 2 else "N/A"
                                        for s in evse.reg.node_sched)
    mem_free = getattr(gc, "mem_free", None)    # CircuitPython's free heap; none on a host
    if mem_free is not None:
        out["FreeHeap"] = str(mem_free())
    link = getattr(app, "mqtt", None)
    out["MQTTMsgCount"] = str(getattr(link, "received", 0))
    out["ApiStaleCount"] = str(evse.reg.api_stale_count)
    out["MeterTimeoutCount"] = str(evse.reg.meter_timeouts)
    out["MeterRecoveryCount"] = str(evse.reg.meter_recoveries)
    out["SolarStopTimer"] = str(evse.solar_stop_timer_s)
    capacity = getattr(app, "capacity", None)    # loaded only while CAP PEAK is set
    out["CapacityWindowAvg"] = str(getattr(capacity, "window_avg_w", 0))
    out["CapacityMonthlyPeak"] = str(getattr(capacity, "monthly_peak_w",
                                             v["capacity_monthly_peak"]))
    out["CapacityHeadroom"] = str(getattr(capacity, "headroom_w", 0))
    sessions = getattr(app, "sessions", None)
    if sessions is not None and sessions.last is not None:
        from smartevse.api.sessions_get import as_json
        out[SESSION_TOPIC] = json.dumps(as_json(sessions.last))


def _rfid(status):
    # the status text as the RFID part keeps it, or the table text of its number (0.2)
    if isinstance(status, int):
        return _RFID_TEXTS[status] if 0 <= status < len(_RFID_TEXTS) else "NOSTATUS"
    return status


def _meters(app, v, out):
    # Mains, EV meter: currents always when configured; energies only above 0 (2.2)
    evse = app.evse
    poll = getattr(app, "modbus", None)
    if v["mains_meter_type"] != METER_DISABLED or v["loadbl"] >= LOADBL_FIRST_NODE:
        _phases(out, "MainsCurrentL", evse.mains_irms_da)
        mains = getattr(poll, "mains", None)
        if v["mains_meter_type"] == METER_HOMEWIZARD_P1:
            mains = getattr(app, "homewizard", None)     # the P1 reading's powers, energies (8.7)
        if mains is not None:
            _phases(out, "MainsPowerL", mains.phase_power_w)
            _energy(out, "MainsImportActiveEnergy", mains.import_wh)
            _energy(out, "MainsExportActiveEnergy", mains.export_wh)
        eastron = getattr(poll, "eastron", None)   # an Eastron-type mains (modbus.md 8.6)
        if eastron is not None:
            for i in range(3):
                _energy(out, "MainsEnergyL%d" % (i + 1), eastron.phase_import_wh[i])
            if eastron.available and not evse.error_flags & CT_NOCOMM:
                from smartevse.api import mqtt_linky      # Linky data: its topics (2.3)
                mqtt_linky.fill(eastron, out)
    if v["ev_meter_type"] != METER_DISABLED:
        _phases(out, "EVCurrentL", evse.ev_irms_da)
        # the API type's record (api/feed.py), else what the Modbus poll read
        ev = getattr(app, "ev_meter", None) if v["ev_meter_type"] == METER_API \
            else getattr(poll, "ev", None)
        power_w = getattr(ev, "power_w", 0)
        import_wh = getattr(ev, "import_wh", 0)
        export_wh = getattr(ev, "export_wh", 0)
        out["EVChargePower"] = str(power_w)
        _energy(out, "EVImportActiveEnergy", import_wh)
        _energy(out, "EVExportActiveEnergy", export_wh)
        out["EVTotalEnergyCharged"] = str(import_wh - export_wh)
        out["EVEnergyCharged"] = str(getattr(ev, "charged_wh", 0))
        if ev is not None and hasattr(ev, "phase_power_w"):
            _phases(out, "EVPowerL", ev.phase_power_w)
    if v["circuit_meter_type"] != METER_DISABLED:      # the sub-panel meter (fork, 2.3)
        _phases(out, "CircuitCurrentL", meter_value(app, "circuit", "currents_da", (0, 0, 0)))
        out["CircuitPower"] = str(meter_value(app, "circuit", "power_w", 0))
        _energy(out, "CircuitImportEnergy", meter_value(app, "circuit", "import_wh", 0))
        _energy(out, "CircuitExportEnergy", meter_value(app, "circuit", "export_wh", 0))


def _phases(out, name, values):
    out[name + "1"] = str(values[0])
    out[name + "2"] = str(values[1])
    out[name + "3"] = str(values[2])


def _energy(out, name, wh):
    if wh > 0:
        out[name] = str(wh)


def plan(snap, last_payload, last_s, now_s, forced, change_only, heartbeat_s, cycle_s, out):
    """Append to `out` the suffixes of `snap` to publish in this cycle (2.2): all when
    forced or change-only is off, else those changed, never published since connect, or
    that would be silent longer than the heartbeat by the next cycle (`cycle_s` away):
    no topic is silent longer than the heartbeat (25 s < evcc's 30 s timeout)."""
    due_s = heartbeat_s - cycle_s
    for suffix in snap:
        if suffix == SESSION_TOPIC:
            if last_payload.get(suffix) != snap[suffix]:
                out.append(suffix)
        elif forced or not change_only or last_payload.get(suffix) != snap[suffix] \
                or suffix not in last_s or now_s - last_s[suffix] > due_s:
            out.append(suffix)
