"""Decides the answer to each operation the central system calls (interfaces.md 3.4,
3.6, 3.8-3.10)."""
# Imported for each CALL received and dropped after it (chargepoint.py `received`), with
# configkeys.py and installs.py: no device heap between messages. Table-driven for the
# device's interned names (docs/architecture.md "Device budget"): the actions and the
# status texts are long strings (a text over 10 characters is not interned) read by
# number, and one function per group of actions branches on that number. An answer is a
# CALLRESULT payload, a status number, or None for a payload missing a field or holding
# the wrong type (FormationViolation); an action not listed is NotImplemented;
# UpdateFirmware and GetDiagnostics are NotSupported: updates come by the USB drive, and
# an unsigned image is never installed (3.4).

import json

from micropython import const

from smartevse.ocpp import rpc

# configuration keys: their index in config.numbers (records.py DEFAULTS; a test checks)
_KEY_AUTHORIZE_REMOTE_TX_REQUESTS = const(9)
_KEY_LOCAL_AUTH_LIST_ENABLED = const(15)
_PLUG_IN = const(6)               # session.py's PLUG IN VEHICLE notification (3.5)
_RESULT = const(3)                # rpc.py's message types (a test checks the copies)
_ERROR = const(4)

# the actions by number; the last two are NotSupported
ACTIONS = ("RemoteStartTransaction RemoteStopTransaction Reset UnlockConnector "
           "ChangeAvailability TriggerMessage ReserveNow CancelReservation ClearCache "
           "DataTransfer ChangeConfiguration GetConfiguration SetChargingProfile "
           "ClearChargingProfile GetCompositeSchedule SendLocalList GetLocalListVersion "
           "UpdateFirmware GetDiagnostics")
_REMOTE_START = const(0)
_REMOTE_STOP = const(1)
_RESET = const(2)
_UNLOCK = const(3)
_AVAILABILITY = const(4)
_TRIGGER = const(5)
_RESERVE = const(6)
_CANCEL = const(7)
_CLEAR_CACHE = const(8)
_DATA_TRANSFER = const(9)          # the actions below are _records' (configuration, lists)
_CHANGE_CONFIGURATION = const(10)
_GET_CONFIGURATION = const(11)
_SET_PROFILE = const(12)
_CLEAR_PROFILE = const(13)
_COMPOSITE = const(14)
_SEND_LIST = const(15)
_LIST_VERSION = const(16)
_NOT_SUPPORTED = const(17)         # UpdateFirmware and after
# the status texts by number (an answer {"status": text})
STATUSES = ("Accepted Rejected NotSupported Unlocked UnlockFailed Scheduled NotImplemented "
            "Unavailable Faulted Occupied")
_ACCEPTED = const(0)
_REJECTED = const(1)
_UNSUPPORTED = const(2)
_UNLOCKED = const(3)
_UNLOCK_FAILED = const(4)
_SCHEDULED = const(5)
_NOT_IMPLEMENTED = const(6)
_UNAVAILABLE = const(7)
_FAULTED = const(8)
_OCCUPIED = const(9)


def _result(msg_id, payload):
    return json.dumps([_RESULT, msg_id, payload])


def _error(msg_id, code, text):
    return json.dumps([_ERROR, msg_id, code, text, {}])


def handle(cp, name, msg_id, payload):
    """The reply text to one CALL, or to a frame that could not be read (payload None,
    `name` its error code: rpc.py `parse`)."""
    if payload is None:
        return _error(msg_id, name, "cannot read the frame")
    names = ACTIONS.split()
    action = names.index(name) if name in names else -1
    if action < 0:
        return _error(msg_id, "NotImplemented", "unknown action " + name)
    if action >= _NOT_SUPPORTED:
        return _error(msg_id, "NotSupported", name + " is not supported")
    try:
        answer = (_control if action < _DATA_TRANSFER else _records)(cp, action, payload)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        answer = None
    if answer is None:
        return _error(msg_id, "FormationViolation", "bad payload for " + name)
    if isinstance(answer, int):
        answer = {"status": STATUSES.split()[answer]}
    return _result(msg_id, answer)


def _int(payload, name):
    value = payload[name]
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(name)
    return value


def _control(cp, action, p):
    """The operations on the connector and its transaction: a status number or None."""
    tx = cp.journal.tx
    if action == _REMOTE_START:
        id_tag = p["idTag"]
        if not isinstance(id_tag, str) or not 0 < len(id_tag) <= 20:
            return None
        if tx is not None or cp.inoperative or p.get("connectorId", 1) != 1:
            return _REJECTED
        from smartevse.ocpp.events import grant        # released with this module
        if cp.config.numbers[_KEY_AUTHORIZE_REMOTE_TX_REQUESTS]:
            cp.call("Authorize", {"idTag": id_tag})
        elif not grant(cp, id_tag, cp._now_s):
            return _REJECTED
        if isinstance(p.get("chargingProfile"), dict):
            cp.pending_profile = p["chargingProfile"]     # installed once the transaction runs
        if not cp.inputs.plugged:
            cp.note(_PLUG_IN)
        return _ACCEPTED
    if action == _REMOTE_STOP:
        if tx is None or tx[4] != _int(p, "transactionId"):
            return _REJECTED
        cp.request_stop("Remote", cp._now_s)
        return _ACCEPTED
    if action == _RESET:
        kind = p["type"]
        if kind + "Reset" not in "HardReset SoftReset".split():
            return None
        cp.request_stop(kind + "Reset", cp._now_s)
        cp.reset_kind = kind
        return _ACCEPTED
    if action == _UNLOCK:
        if _int(p, "connectorId") != 1:
            return _UNSUPPORTED
        cp.request_stop("UnlockCommand", cp._now_s)
        return _UNLOCK_FAILED if cp.inputs.locked else _UNLOCKED
    if action == _AVAILABILITY:
        kind = p["type"]
        if kind not in "Inoperative Operative".split():
            return None
        if _int(p, "connectorId") not in (0, 1):
            return _REJECTED
        cp.inoperative = kind == "Inoperative"
        return _SCHEDULED if tx is not None and cp.inoperative else _ACCEPTED
    if action == _TRIGGER:
        return _trigger(cp, p["requestedMessage"])
    if action == _RESERVE:
        number, id_tag, end = _int(p, "reservationId"), p["idTag"], rpc.epoch(p["expiryDate"])
        if end is None or not isinstance(id_tag, str):
            return None
        if cp.inoperative:
            return _UNAVAILABLE
        if cp.inputs.error != "NoError":
            return _FAULTED
        if tx is not None or cp.inputs.plugged or \
                (cp.reservation is not None and cp.reservation[0] != number):
            return _OCCUPIED
        cp.reservation = [number, id_tag, end]
        return _ACCEPTED
    if action == _CANCEL:
        if cp.reservation is None or cp.reservation[0] != _int(p, "reservationId"):
            return _REJECTED
        cp.reservation = None
        return _ACCEPTED
    return _ACCEPTED                             # ClearCache: nothing cached


def _trigger(cp, name):
    """TriggerMessage: BootNotification, Heartbeat, StatusNotification or MeterValues."""
    names = "BootNotification Heartbeat StatusNotification MeterValues".split()
    if name not in names:
        return _NOT_IMPLEMENTED
    i = names.index(name)
    if i == 0:
        cp.call(name, cp.boot_payload)
    elif i == 1:
        cp.call(name, {})
    elif i == 2:
        cp.status = None                   # sent again at the next second
    elif cp.journal.tx is not None:
        cp.keep_sample(cp.journal.tx[0])
    else:
        cp.call(name, {"connectorId": 1, "meterValue": [
            {"timestamp": rpc.iso(cp.epoch()), "sampledValue": cp.sample()}]})
    return _ACCEPTED


def _records(cp, action, p):
    """The configuration keys, charging profiles and the local list: an answer or None."""
    from smartevse.ocpp import installs
    tx = cp.journal.tx
    if action == _DATA_TRANSFER:
        return _REJECTED
    if action == _CHANGE_CONFIGURATION:
        from smartevse.ocpp import configkeys
        key, value = p["key"], p["value"]
        if not isinstance(key, str) or not isinstance(value, str):
            return None
        status, change = configkeys.change(cp.config, key, value, cp.settings)
        if status == "Accepted":
            if change is None:
                cp.config_dirty = True
            else:
                cp.settings_change = change
        return {"status": status}
    if action == _GET_CONFIGURATION:
        from smartevse.ocpp import configkeys
        keys = p.get("key") or []
        if not isinstance(keys, list):
            return None
        keys, unknown = configkeys.get(cp.config, keys, cp.settings, cp.inputs.standalone)
        answer = {"configurationKey": keys}
        if unknown:
            answer["unknownKey"] = unknown
        return answer
    if action == _SET_PROFILE:
        installed = cp.profiles.installed
        status = installs.set_profile(cp.profiles, p, tx[4] if tx is not None else -1,
                                      rpc.epoch)
        if status == "Accepted":
            from smartevse.ocpp.profile_store import fits   # kept across a power cut (3.8)
            if not fits(cp.profiles.installed):
                cp.profiles.installed = installed
                status = "Rejected"                         # the NVM record is full
        return None if status is None else {"status": status}
    if action == _CLEAR_PROFILE:
        return {"status": installs.clear_profiles(cp.profiles, p)}
    if action == _COMPOSITE:
        return _composite(cp, p, installs)
    if action == _SEND_LIST:
        status = installs.send_list(cp.local_list, p, rpc.epoch)
        if status == "Accepted":
            cp.list_dirty = True
        return None if status is None else {"status": status}
    enabled = cp.config.numbers[_KEY_LOCAL_AUTH_LIST_ENABLED]      # GetLocalListVersion
    return {"listVersion": cp.local_list.version if enabled else -1}


def _composite(cp, p, installs):
    """GetCompositeSchedule: the limits in A over the next `duration` s."""
    size, connector = _int(p, "duration"), _int(p, "connectorId")
    if p.get("chargingRateUnit", "A") != "A" or connector not in (0, 1) or size <= 0:
        return _REJECTED
    tx = cp.journal.tx
    now_s = cp.epoch()
    max_da = cp.inputs.current_max_a * 10
    out = [{"startPeriod": start, "limit": (limit if 0 <= limit < max_da else max_da) / 10}
           for start, limit in installs.composite(cp.profiles, now_s, size,
                                                  tx[4] if tx is not None else -1,
                                                  tx[3] if tx else -1)]
    return {"status": "Accepted", "connectorId": connector, "scheduleStart": rpc.iso(now_s),
            "chargingSchedule": {"duration": size, "chargingRateUnit": "A",
                                 "chargingSchedulePeriod": out}}
