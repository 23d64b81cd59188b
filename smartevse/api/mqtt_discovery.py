"""Home Assistant MQTT discovery: one retained config per entity (interfaces.md 2.5).

Pure: `config(app, prefix, ip, i)` -> (topic, JSON payload) of entity `i`, or None when
its condition does not hold (meter not configured, no battery value yet); `COUNT`
entities. Names and unique ids are byte-identical to the fork's, so existing Home
Assistant installations keep their entity history. Every value is a JSON string (2.5).
"""

import json

from smartevse.core.states import METER_DISABLED

# The entity table (mqtt_entities.py) packed at import: one row per entity in one text
# (fields tab-separated, the extra pairs as JSON), the extra keys of each kind as JSON, and the table's module dropped: its tuples and
# strings would stay alive with any function of a module (they share its constants), ~7 KB
# of device heap while connected (issue 11 "On the device").


def _pack():
    import sys
    import smartevse.api as package
    from smartevse.api import mqtt_entities as table
    rows = "\n".join(["\t".join(row[:5]) + ("\t" + json.dumps(row[5]) if len(row) > 5 else "")
                      for row in table.ENTITIES])
    kinds = {}
    for kind, pairs in table.KINDS.items():
        kinds[kind] = json.dumps(pairs)
    del sys.modules["smartevse.api.mqtt_entities"]
    try:
        delattr(package, "mqtt_entities")
    except AttributeError:
        pass
    return rows, kinds, len(table.ENTITIES)


_ROWS, _KINDS, COUNT = _pack()
del _pack
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


def _row(i):
    """Entity i of the packed table: [component, name, condition, kind(, command, extra)]."""
    start = 0
    for _ in range(i):
        start = _ROWS.find("\n", start) + 1
    end = _ROWS.find("\n", start)
    row = (_ROWS[start:] if end < 0 else _ROWS[start:end]).split("\t")
    if len(row) > 5:
        row[5] = json.loads(row[5])
    return row


def config(app, prefix, ip, i):
    """(topic, payload) of entity i, or None when it does not apply now (2.5)."""
    entity = _row(i)
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
    for key, value in json.loads(_KINDS[kind]):
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
