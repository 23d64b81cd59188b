"""One manual Modbus transaction, sent between the master's poll rounds (interfaces.md 1.15)."""

# The request is `app.modbus_manual` (checked and queued by api/modbus_cmd.py): a dict of
# address, function (3, 4, 6, 16), register, count, values. MeterPoll sends it while the
# bus is idle between two rounds and hands the reply back here; the dict then carries
# `done`, and `data` (the registers read, [] for a write) or `error`.

from smartevse.modbus import frame
from smartevse.modbus.transaction import RESULT_REPLY

_DATA_AT = 3                   # address, function, byte count, then the registers
_EXCEPTION = 2                 # transaction results (modbus/transaction.py)
_TIMEOUT = 3


def start(app, bus, now_ms):
    """Send the queued request; True when it went on the bus."""
    request = app.modbus_manual
    if request["done"] or request.get("sent"):
        return False
    function = request["function"]
    address = request["address"]
    register = request["register"]
    count = request["count"]
    if function == 3 or function == 4:
        n = frame.build_read(bus.tx, address, function, register, count)
    elif function == 6:
        n = frame.build_write_single(bus.tx, address, function, register,
                                     request["values"][0])
    else:
        n = frame.build_write_multiple(bus.tx, address, register, request["values"], count)
    # a read's reply carries 2 bytes a register, a write's echoes register and quantity (1.3)
    bus.start(n, address, function, 5 + 2 * count if function == 3 or function == 4 else 8)
    request["sent"] = True
    return True


def finish(app, bus, now_ms):
    """The bus is DONE with the manual request: keep its result."""
    request = app.modbus_manual
    result = bus.result
    if result == RESULT_REPLY:
        data = []
        function = request["function"]
        if function == 3 or function == 4:
            rx = bus.rx
            at = bus.reply_at + _DATA_AT
            for i in range(request["count"]):
                data.append((rx[at + 2 * i] << 8) | rx[at + 2 * i + 1])
        request["data"] = data
    elif result == _EXCEPTION:
        request["error"] = "exception code " + str(bus.exception_code)
    elif result == _TIMEOUT:
        request["error"] = "no reply (timeout)"
    else:
        request["error"] = "bad reply"
    request["done_ms"] = now_ms
    request["done"] = True
