"""Decodes a HomeWizard P1 meter's answer to GET /api/v1/data (modbus.md 8.7)."""
# No socket, no clock, no float: numbers are read as decimal text, since a device float
# keeps ~22 bits (35264.809 kWh would lose tens of Wh). The answer is one HTTP/1.x
# response, complete by its Content-Length or the close; its JSON body is checked for
# its braces and the numbers we take, not parsed whole (no dict of ~30 floats per poll).
# The request is HTTP/1.0, so the answer is never chunked (RFC 9112 7.1).

_CURRENTS = (b'"active_current_l1_a"', b'"active_current_l2_a"', b'"active_current_l3_a"')
_POWERS = (b'"active_power_l1_w"', b'"active_power_l2_w"', b'"active_power_l3_w"')
_IMPORT = b'"total_power_import_kwh"'
_EXPORT = b'"total_power_export_kwh"'


def complete(buf, fill):
    """True once `buf[:fill]` holds the whole answer by its Content-Length (else the
    close ends it)."""
    end = buf.find(b"\r\n\r\n", 0, fill)
    if end < 0:
        return False
    head = bytes(buf[:end]).lower()
    at = head.find(b"\r\ncontent-length:")
    if at < 0:
        return False
    stop = head.find(b"\r\n", at + 2)
    value = head[at + 17:len(head) if stop < 0 else stop].strip()
    return value.isdigit() and fill >= end + 4 + int(value)


def decode(raw, out):
    """Fill `out` = [l1, l2, l3 dA signed, phases, import Wh, export Wh, P1, P2, P3 W]
    (energy -1 when absent or 0) from a whole answer (bytes): None, or the error text."""
    if raw[:7] != b"HTTP/1." or len(raw) < 12:
        return "bad HTTP answer"
    if raw[9:12] != b"200":
        return "HTTP " + raw[9:12].decode()
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        return "bad HTTP answer"
    body = raw[end + 4:].strip()
    if body[:1] != b"{" or body[-1:] != b"}":
        return "bad JSON"
    try:
        phases = 0
        for i in range(3):
            da = _number(body, _CURRENTS[i], 1)
            power_w = _number(body, _POWERS[i], 0)
            out[6 + i] = 0 if power_w is None else power_w
            if da is None:
                out[i] = 0
                continue
            phases += 1
            # magnitude from the current, direction from the power: negative = export
            out[i] = -abs(da) if power_w is not None and power_w < 0 else abs(da)
        if not phases:
            return "no active_current_l1_a"
        out[3] = phases
        wh = _number(body, _IMPORT, 3)
        out[4] = wh if wh is not None and wh > 0 else -1
        wh = _number(body, _EXPORT, 3)
        out[5] = wh if wh is not None and wh > 0 else -1
    except ValueError:
        return "bad JSON number"
    return None


def _number(body, key, scale):
    """The number after `key`: x 10**scale, truncated toward zero; None when the key is
    absent, ValueError when its value is not a plain decimal number."""
    at = body.find(key)
    if at < 0:
        return None
    at += len(key)
    colon = body.find(b":", at)
    if colon < 0 or body[at:colon].strip():
        raise ValueError
    end = colon + 1
    n = len(body)
    while end < n and body[end] not in b",}]":
        end += 1
    text = body[colon + 1:end].strip()
    sign = 1
    if text[:1] == b"-":
        sign = -1
        text = text[1:]
    whole, dot, fraction = text.partition(b".")
    if not whole.isdigit() or (dot and not fraction.isdigit()):
        raise ValueError
    return sign * int(whole + (fraction + b"000")[:scale])
