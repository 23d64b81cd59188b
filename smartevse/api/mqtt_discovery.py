"""Home Assistant MQTT discovery: one retained config per entity (interfaces.md 2.5).

Pure: `config(app, prefix, ip, i)` -> (topic, JSON payload) of entity `i`, or None when
its condition does not hold (meter not configured, no battery value yet); `COUNT`
entities. Names and unique ids are byte-identical to the fork's, so existing Home
Assistant installations keep their entity history. Every value is a JSON string (2.5).
"""

import json

from smartevse.core.states import METER_DISABLED

# Kinds of extra keys (2.5): name -> ((key, value), ...)
_CUR = (("device_class", "current"), ("state_class", "measurement"),
        ("unit_of_measurement", "A"), ("value_template", "{{ value | int / 10 }}"))
_POW = (("device_class", "power"), ("state_class", "measurement"), ("unit_of_measurement", "W"))
_NRG = (("device_class", "energy"), ("unit_of_measurement", "Wh"),
        ("state_class", "total_increasing"))
_DIAG = (("entity_category", "diagnostic"),)
_KINDS = {
    "cur": _CUR, "pow": _POW, "nrg": _NRG, "": (), "diag": _DIAG,
    "nrgt": (("device_class", "energy"), ("unit_of_measurement", "Wh"), ("state_class", "total")),
    "rssi": _DIAG + (("device_class", "signal_strength"), ("unit_of_measurement", "dBm"),
                     ("state_class", "measurement")),
    "temp": _DIAG + (("device_class", "temperature"), ("unit_of_measurement", "\u00b0C"),
                     ("state_class", "measurement")),
    "uptime": _DIAG + (("device_class", "duration"), ("unit_of_measurement", "s"),
                       ("state_class", "total_increasing"), ("enabled_by_default", "false")),
    "count": _DIAG + (("state_class", "total_increasing"), ("enabled_by_default", "false")),
    "heap": _DIAG + (("unit_of_measurement", "B"), ("state_class", "measurement"),
                     ("enabled_by_default", "false")),
    "dur": (("device_class", "duration"), ("unit_of_measurement", "s")),
    "box": (("mode", "box"),),
}
# (component, entity name, condition, kind, command suffix, extra pairs); condition:
# "" always, "mains", "ev", "battery", "circuit"
_N = "number"
_S = "sensor"
_ENTITIES = (
    (_S, "Charge Current", "", "cur"), (_S, "Max Current", "", "cur"),
    (_S, "Mains Current L1", "mains", "cur"), (_S, "Mains Current L2", "mains", "cur"),
    (_S, "Mains Current L3", "mains", "cur"),
    (_S, "EV Current L1", "ev", "cur"), (_S, "EV Current L2", "ev", "cur"),
    (_S, "EV Current L3", "ev", "cur"),
    (_S, "Home Battery Current", "battery", "cur"),
    (_S, "Mains Power L1", "mains", "pow"), (_S, "Mains Power L2", "mains", "pow"),
    (_S, "Mains Power L3", "mains", "pow"),
    (_S, "EV Power L1", "ev", "pow"), (_S, "EV Power L2", "ev", "pow"),
    (_S, "EV Power L3", "ev", "pow"),
    (_S, "Mains Import Active Energy", "mains", "nrg"),
    (_S, "Mains Export Active Energy", "mains", "nrg"),
    (_S, "Mains Energy L1", "mains", "nrg"), (_S, "Mains Energy L2", "mains", "nrg"),
    (_S, "Mains Energy L3", "mains", "nrg"),
    (_S, "EV Import Active Energy", "ev", "nrg"), (_S, "EV Export Active Energy", "ev", "nrg"),
    (_S, "EV Energy L1", "ev", "nrg"), (_S, "EV Energy L2", "ev", "nrg"),
    (_S, "EV Energy L3", "ev", "nrg"),
    (_S, "EV Charge Power", "ev", "pow"), (_S, "EV Energy Charged", "ev", "nrgt"),
    (_S, "EV Total Energy Charged", "ev", "nrg"),
    (_S, "Circuit Current L1", "circuit", "cur"), (_S, "Circuit Current L2", "circuit", "cur"),
    (_S, "Circuit Current L3", "circuit", "cur"), (_S, "Circuit Power", "circuit", "pow"),
    (_S, "Circuit Import Energy", "circuit", "nrg"),
    (_S, "Circuit Export Energy", "circuit", "nrg"),
    (_N, "Max Circuit Mains", "", "box", "MaxCircuitMains",
     (("device_class", "current"), ("unit_of_measurement", "A"), ("min", "0"), ("max", "600"))),
    (_N, "Ramp Rate Divisor", "", "box", "RampRateDivisor", (("min", "1"), ("max", "20"))),
    (_N, "Ema Alpha", "", "box", "EmaAlpha", (("min", "0"), ("max", "100"))),
    (_N, "Smart Dead Band", "", "box", "SmartDeadBand", (("min", "0"), ("max", "50"))),
    (_N, "Max Ramp Rate", "", "box", "MaxRampRate", (("min", "0"), ("max", "100"))),
    (_N, "Oscillation Boost Max", "", "box", "OscillationBoostMax", (("min", "0"), ("max", "20"))),
    (_N, "Idiff Ema Weight", "", "box", "IdiffEmaWeight", (("min", "1"), ("max", "4"))),
    (_S, "EV Plug State", "", ""), (_S, "Access", "", ""), (_S, "State", "", ""),
    (_S, "RFID", "", ""), (_S, "RFIDLastRead", "", ""), (_S, "NrOfPhases", "", ""),
    (_S, "OCPP", "", ""), (_S, "OCPPConnection", "", ""),
    ("text", "LED Color Off", "", "", "ColorOff"),
    ("text", "LED Color Normal", "", "", "ColorNormal"),
    ("text", "LED Color Smart", "", "", "ColorSmart"),
    ("text", "LED Color Solar", "", "", "ColorSolar"),
    ("text", "LED Color Custom", "", "", "ColorCustom"),
    ("select", "Custom Button", "", "", "CustomButton", (("options", ["On", "Off"]),)),
    (_S, "Error", "", "diag"), (_S, "WiFi SSID", "", "diag"), (_S, "WiFi BSSID", "", "diag"),
    (_S, "WiFi RSSI", "", "rssi"), (_S, "ESP Temp", "", "temp"),
    (_S, "Linky Internal Temp C", "", "temp"), (_S, "ESP Uptime", "", "uptime"),
    (_S, "LoadBl", "", "diag"), (_S, "PairingPin", "", "diag"),
    (_S, "Firmware Version", "", "diag"),
    (_S, "MeterTimeoutCount", "", "count"), (_S, "MeterRecoveryCount", "", "count"),
    (_S, "ApiStaleCount", "", "count"),
    ("select", "Mode", "", "", "Mode",
     (("options", ["Off", "Normal", "Smart", "Pause", "Solar"]),)),
    ("select", "EnableC2", "", "", "EnableC2",
     (("options", ["Not present", "Always Off", "Solar Off", "Always On", "Auto"]),)),
    (_N, "Charge Current Override", "", "", "CurrentOverride",
     (("device_class", "current"), ("unit_of_measurement", "A"), ("min", "0"), ("max", "MAX"),
      ("mode", "slider"),
      ("value_template", "{{ (value | int / 10) if value | is_number else none }}"),
      ("command_template", "{{ value | int * 10 }}"))),
    (_N, "Current Max Sum Mains", "", "box", "CurrentMaxSumMains",
     (("device_class", "current"), ("unit_of_measurement", "A"), ("min", "0"), ("max", "600"))),
    ("select", "Cable Lock", "", "", "CableLock", (("options", ["0", "1"]),)),
    ("select", "Priority Strategy", "", "", "PrioStrategy",
     (("state_topic", "PrioStrategy"), ("options", ["0", "1", "2"]))),
    (_N, "Rotation Interval", "", "box", "RotationInterval",
     (("min", "0"), ("max", "1440"), ("unit_of_measurement", "min"))),
    (_N, "Idle Timeout", "", "box", "IdleTimeout",
     (("min", "30"), ("max", "300"), ("unit_of_measurement", "s"))),
    (_S, "Rotation Timer", "", "diag"), (_S, "Schedule State", "", "diag"),
    (_S, "Free Heap", "", "heap"), (_S, "MQTT Msg Count", "", "count"),
    (_N, "Capacity Limit", "", "box", "CapacityLimit",
     (("device_class", "power"), ("unit_of_measurement", "W"), ("min", "0"), ("max", "25000"))),
    (_S, "Capacity Window Avg", "", "pow"), (_S, "Capacity Monthly Peak", "", "pow"),
    (_S, "Capacity Headroom", "", "pow"),
    ("switch", "MQTT Change Only", "", "", "MQTTChangeOnly",
     (("entity_category", "config"), ("payload_on", "1"), ("payload_off", "0"))),
    (_N, "MQTT Heartbeat", "", "box", "MQTTHeartbeat",
     (("entity_category", "config"), ("min", "10"), ("max", "300"),
      ("unit_of_measurement", "s"))),
    (_S, "SolarStopTimer", "", "dur"),
)
COUNT = len(_ENTITIES)
_METER_KEYS = {"mains": "mains_meter_type", "ev": "ev_meter_type",
               "circuit": "circuit_meter_type"}


def suffix(name):
    """The topic suffix of an entity name: its spaces removed ("Charge Current")."""
    return name.replace(" ", "")


def snake(text):
    """CamelCase -> snake_case, "-" -> "_" ("EVPlugState" -> "ev_plug_state")."""
    out = []
    n = len(text)
    for i in range(n):
        c = text[i]
        if "A" <= c <= "Z" and i > 0:
            before = text[i - 1]
            after = text[i + 1] if i + 1 < n else ""
            if "a" <= before <= "z" or "0" <= before <= "9" or \
                    ("A" <= before <= "Z" and "a" <= after <= "z"):
                out.append("_")
        out.append("_" if c == "-" else c.lower())
    return "".join(out)


def applies(app, condition):
    if not condition:
        return True
    if condition == "battery":
        return bool(getattr(app, "home_battery_epoch_s", 0))
    return app.settings.values[_METER_KEYS[condition]] != METER_DISABLED


def config(app, prefix, ip, i):
    """(topic, payload) of entity i, or None when it does not apply now (2.5)."""
    entity = _ENTITIES[i]
    component, name, condition, kind = entity[0], entity[1], entity[2], entity[3]
    if not applies(app, condition):
        return None
    own = suffix(name)
    uid = prefix + "-" + own
    device = {"model": "SmartEVSE v3", "identifiers": prefix, "name": prefix,
              "manufacturer": "Stegen", "sw_version": app.version}
    if ip:
        device["configuration_url"] = "http://" + ip
    doc = {"name": name, "object_id": uid,
           "default_entity_id": component + "." + prefix + "_" + snake(own),
           "unique_id": uid, "state_topic": prefix + "/" + own,
           "availability_topic": prefix + "/connected", "device": device}
    for key, value in _KINDS[kind]:
        doc[key] = value
    if len(entity) > 4:
        doc["command_topic"] = prefix + "/Set/" + entity[4]
    if len(entity) > 5:
        for key, value in entity[5]:
            if key == "state_topic":
                value = prefix + "/" + value
            elif value == "MAX":
                value = str(app.settings.values["current_max"])
            doc[key] = value
    return "homeassistant/" + component + "/" + uid + "/config", json.dumps(doc)
