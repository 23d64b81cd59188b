"""Decides what an OCPP-J frame says (OCPP-J 1.6 section 4) and writes ISO-8601 times."""
# A frame is a JSON array: [2, id, action, payload] CALL, [3, id, payload] CALLRESULT,
# [4, id, code, text, details] CALLERROR. `parse` never raises: a frame it cannot
# read comes back as BAD with the error code the CSMS is answered with (3.4). The answers
# to the central system's CALLs are written by smartevse/ocpp/operations.py.

import json

from micropython import const

from ui.when import day_of_month      # the civil calendar, once

# the message types (private: folded on the device; chargepoint.py keeps copies, a test checks)
_CALL = const(2)
_RESULT = const(3)
_ERROR = const(4)
_BAD = const(0)


def parse(text):
    """(kind, message id, action or error code, payload) of one received frame."""
    try:
        msg = json.loads(text)
    except ValueError:
        msg = None
    if not isinstance(msg, list) or len(msg) < 3 or not isinstance(msg[1], str):
        msg = None                            # unreadable: answered with the id "-1"
    else:
        kind = msg[0]
        if kind == _CALL and len(msg) == 4 and isinstance(msg[2], str):
            if isinstance(msg[3], dict):
                return _CALL, msg[1], msg[2], msg[3]
        elif kind == _RESULT and len(msg) == 3 and isinstance(msg[2], dict):
            return _RESULT, msg[1], None, msg[2]
        elif kind == _ERROR and len(msg) >= 4:
            return _ERROR, msg[1], str(msg[2]), None
        else:
            return _BAD, msg[1], "ProtocolError" if kind in (_CALL, _RESULT, _ERROR) \
                else "MessageTypeNotSupported", None
    return _BAD, "-1" if msg is None else msg[1], "FormationViolation", None


def call(msg_id, action, payload):
    return json.dumps([_CALL, msg_id, action, payload])


def _days(y, m, d):
    """Days since 1970-01-01 of a civil date (proleptic Gregorian)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def iso(t):
    """"2026-01-01T08:00:00Z" of a UTC epoch in s."""
    days, rest = divmod(t, 86400)
    day, month = day_of_month(days)
    year = 1970 + days * 400 // 146097
    while _days(year + 1, 1, 1) <= days:
        year += 1
    while _days(year, 1, 1) > days:
        year -= 1
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (year, month, day, rest // 3600,
                                               rest // 60 % 60, rest % 60)


def epoch(text):
    """UTC epoch s of "YYYY-MM-DDTHH:MM:SS[.fff][Z|+hh:mm]", or None."""
    try:
        s = (int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]),
             int(text[14:16]), int(text[17:19]))
        if text[4] != "-" or text[10] not in "Tt ":
            return None
        rest = text[19:].lstrip(".0123456789")
        offset = 0
        if rest[:1] in ("+", "-"):
            offset = (int(rest[1:3]) * 60 + int(rest[-2:])) * 60
            if rest[0] == "-":
                offset = -offset
    except (ValueError, IndexError, TypeError):
        return None
    return _days(s[0], s[1], s[2]) * 86400 + s[3] * 3600 + s[4] * 60 + s[5] - offset
