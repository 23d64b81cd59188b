"""POST /api/modbus/cmd and GET /api/modbus/result: one manual Modbus transaction
(interfaces.md 1.15)."""

# The request is checked here and queued as `app.modbus_manual` (one at a time); the
# Modbus master (`app.modbus`, modbus/meter_poll.py with modbus/manual.py) sends it
# between two poll rounds. Without an RS485 master the request is refused with 503.

import json

from smartevse.api.params import is_node


def _bad(status, error):
    return status, {"ok": False, "error": error}


def _int_field(doc, name, low, high, default=None):
    value = doc.get(name, default)
    if type(value) is not int or not low <= value <= high:
        raise ValueError(name + " must be " + str(low) + ".." + str(high))
    return value


def parse(body):
    """The request of a JSON body: {address, function, register, count, values}."""
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body).decode()
    doc = json.loads(body or "")
    if not isinstance(doc, dict):
        raise ValueError("a JSON object is expected")
    function = doc.get("function")
    if function not in (3, 4, 6, 16) or type(function) is not int:
        raise ValueError("function must be 3, 4, 6 or 16")
    request = {"address": _int_field(doc, "address", 1, 247), "function": function,
               "register": _int_field(doc, "register", 0, 65535)}
    if function == 6:
        request["values"] = [_int_field(doc, "value", 0, 65535)]
        request["count"] = 1
    elif function == 16:
        values = doc.get("values")
        if not isinstance(values, list) or not 1 <= len(values) <= 8 or \
                [v for v in values if type(v) is not int or not 0 <= v <= 65535]:
            raise ValueError("values must be 1..8 registers of 0..65535")
        request["values"] = values
        request["count"] = len(values)
    else:
        request["count"] = _int_field(doc, "count", 1, 32, 1)
    return request


def post_cmd(app, params, body):
    if is_node(app):
        return _bad(409, "slave mode: Modbus client not active")
    try:
        request = parse(body)
    except ValueError as exc:           # json.JSONDecodeError is a ValueError too
        return _bad(400, str(exc) or "invalid JSON")
    pending = getattr(app, "modbus_manual", None)
    if pending is not None and not pending.get("done", False):
        return _bad(409, "a request is already pending")
    poll = app.modbus
    if poll is None or not hasattr(poll, "manual_sent"):
        return _bad(503, "manual Modbus transactions are not available on this controller")
    request["done"] = False
    app.modbus_manual = request
    answer = {"ok": True, "queued": True}
    for key in ("address", "function", "register", "count"):
        answer[key] = request[key]
    return 202, answer


def get_result(app, params, body):
    request = getattr(app, "modbus_manual", None)
    out = {"pending": request is not None and not request["done"],
           "done": request is not None and request["done"],
           "ok": request is not None and request["done"] and "error" not in request}
    for key in ("address", "function", "register", "count"):
        out[key] = request[key] if request is not None else 0
    if request is not None and request["done"]:
        age_ms = (app.board.ticks_ms() - request["done_ms"]) & 0x1FFFFFFF   # 2**29 ticks
        out["age_ms"] = age_ms
        if "error" in request:
            out["error"] = request["error"]
        else:
            out["data"] = request.get("data", [])
    return 200, out
