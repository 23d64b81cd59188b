"""Decides the answer to each operation the central system calls (interfaces.md 3.4,
3.6, 3.8-3.10)."""
# Imported for each CALL received and dropped after it (chargepoint.py `received`), with
# configkeys.py and installs.py: no device heap between messages. One function per
# action, looked up in _OPS: the payload in, the CALLRESULT payload out
# (or a CALLERROR code). A payload missing a field or holding the wrong type is a
# FormationViolation; an action not listed is NotImplemented; UpdateFirmware and
# GetDiagnostics are NotSupported: updates come by the USB drive, and an unsigned image
# is never installed (3.4).

from micropython import const

from smartevse.ocpp import rpc

# configuration keys: their index in config.numbers (records.py DEFAULTS; a test checks)
_KEY_AUTHORIZE_REMOTE_TX_REQUESTS = const(9)
_KEY_LOCAL_AUTH_LIST_ENABLED = const(15)
_PLUG_IN = const(6)               # session.py's PLUG IN VEHICLE notification (3.5)

_NOT_SUPPORTED = ("UpdateFirmware", "GetDiagnostics")
_TRIGGERS = ("BootNotification", "Heartbeat", "MeterValues", "StatusNotification")


def handle(cp, name, msg_id, payload):
    """The reply text to one CALL."""
    op = _OPS.get(name)
    if op is None:
        if name in _NOT_SUPPORTED:
            return rpc.error(msg_id, "NotSupported", name + " is not supported")
        return rpc.error(msg_id, "NotImplemented", "unknown action " + name)
    try:
        answer = op(cp, payload)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        answer = None
    if answer is None:
        return rpc.error(msg_id, "FormationViolation", "bad payload for " + name)
    return rpc.result(msg_id, answer)


def _status(text):
    return {"status": text}


def _int(payload, name):
    value = payload[name]
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(name)
    return value


def _remote_start(cp, p):
    tag = p["idTag"]
    if not isinstance(tag, str) or not 0 < len(tag) <= 20:
        return None
    if cp.journal.tx is not None or cp.inoperative or p.get("connectorId", 1) != 1:
        return _status("Rejected")
    profile = p.get("chargingProfile")
    if cp.config.numbers[_KEY_AUTHORIZE_REMOTE_TX_REQUESTS]:
        cp.call("Authorize", {"idTag": tag})
    elif not cp.grant(tag, cp._now_s):
        return _status("Rejected")
    if isinstance(profile, dict):
        cp.pending_profile = profile       # installed once the transaction runs
    if not cp.inputs.plugged:
        cp.note(_PLUG_IN)
    return _status("Accepted")


def _remote_stop(cp, p):
    tx = cp.journal.tx
    if tx is None or tx[4] != _int(p, "transactionId"):
        return _status("Rejected")
    cp.request_stop("Remote", cp._now_s)
    return _status("Accepted")


def _change_configuration(cp, p):
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
    return _status(status)


def _get_configuration(cp, p):
    from smartevse.ocpp import configkeys
    keys = p.get("key") or []
    if not isinstance(keys, list):
        return None
    found, unknown = configkeys.get(cp.config, keys, cp.settings, cp.inputs.standalone)
    answer = {"configurationKey": found}
    if unknown:
        answer["unknownKey"] = unknown
    return answer


def _reset(cp, p):
    kind = p["type"]
    if kind not in ("Hard", "Soft"):
        return None
    cp.request_stop(kind + "Reset", cp._now_s)
    cp.reset_kind = kind
    return _status("Accepted")


def _unlock(cp, p):
    if _int(p, "connectorId") != 1:
        return _status("NotSupported")
    cp.request_stop("UnlockCommand", cp._now_s)
    return _status("UnlockFailed" if cp.inputs.locked else "Unlocked")


def _availability(cp, p):
    connector, kind = _int(p, "connectorId"), p["type"]
    if kind not in ("Inoperative", "Operative") or connector not in (0, 1):
        return None if kind not in ("Inoperative", "Operative") else _status("Rejected")
    cp.inoperative = kind == "Inoperative"
    return _status("Scheduled" if cp.journal.tx is not None and cp.inoperative else "Accepted")


def _trigger(cp, p):
    what = p["requestedMessage"]
    if what not in _TRIGGERS:
        return _status("NotImplemented")
    if what == "BootNotification":
        cp.call("BootNotification", cp.boot_payload)
    elif what == "Heartbeat":
        cp.call("Heartbeat", {})
    elif what == "StatusNotification":
        cp.status = None                   # sent again at the next second
    elif cp.journal.tx is not None:
        cp.keep_sample(cp.journal.tx[0])
    else:
        cp.call("MeterValues", {"connectorId": 1, "meterValue": [
            {"timestamp": rpc.iso(cp.epoch()), "sampledValue": cp.sample()}]})
    return _status("Accepted")


def _set_profile(cp, p):
    from smartevse.ocpp import installs
    tx = cp.journal.tx
    before = cp.profiles.installed
    status = installs.set_profile(cp.profiles, p, tx[4] if tx is not None else -1,
                                  rpc.epoch)
    if status == "Accepted":
        from smartevse.ocpp.profile_store import fits   # kept across a power cut (3.8)
        if not fits(cp.profiles.installed):
            cp.profiles.installed = before
            status = "Rejected"                         # the NVM record is full
    return None if status is None else _status(status)


def _clear_profile(cp, p):
    from smartevse.ocpp import installs
    return _status(installs.clear_profiles(cp.profiles, p))


def _composite(cp, p):
    from smartevse.ocpp import installs
    duration, connector = _int(p, "duration"), _int(p, "connectorId")
    if p.get("chargingRateUnit", "A") != "A" or connector not in (0, 1) or duration <= 0:
        return _status("Rejected")
    tx = cp.journal.tx
    now = cp.epoch()
    max_da = cp.inputs.current_max_a * 10
    periods = [{"startPeriod": start, "limit": (limit if 0 <= limit < max_da else max_da) / 10}
               for start, limit in installs.composite(cp.profiles, now, duration,
                                                      tx[4] if tx is not None else -1,
                                                      tx[3] if tx else -1)]
    return {"status": "Accepted", "connectorId": connector, "scheduleStart": rpc.iso(now),
            "chargingSchedule": {"duration": duration, "chargingRateUnit": "A",
                                 "chargingSchedulePeriod": periods}}


def _send_list(cp, p):
    from smartevse.ocpp import installs
    status = installs.send_list(cp.local_list, p, rpc.epoch)
    if status == "Accepted":
        cp.list_dirty = True
    return None if status is None else _status(status)


def _list_version(cp, p):
    enabled = cp.config.numbers[_KEY_LOCAL_AUTH_LIST_ENABLED]
    return {"listVersion": cp.local_list.version if enabled else -1}


def _reserve(cp, p):
    rid, tag, expiry = _int(p, "reservationId"), p["idTag"], rpc.epoch(p["expiryDate"])
    if expiry is None or not isinstance(tag, str):
        return None
    if cp.inoperative:
        return _status("Unavailable")
    if cp.inputs.error != "NoError":
        return _status("Faulted")
    if cp.journal.tx is not None or cp.inputs.plugged or \
            (cp.reservation is not None and cp.reservation[0] != rid):
        return _status("Occupied")
    cp.reservation = [rid, tag, expiry]
    return _status("Accepted")


def _cancel(cp, p):
    reservation = cp.reservation
    if reservation is None or reservation[0] != _int(p, "reservationId"):
        return _status("Rejected")
    cp.reservation = None
    return _status("Accepted")


_OPS = {
    "RemoteStartTransaction": _remote_start, "RemoteStopTransaction": _remote_stop,
    "ChangeConfiguration": _change_configuration, "GetConfiguration": _get_configuration,
    "Reset": _reset, "UnlockConnector": _unlock, "ChangeAvailability": _availability,
    "ClearCache": lambda cp, p: _status("Accepted"),
    "DataTransfer": lambda cp, p: _status("Rejected"),
    "TriggerMessage": _trigger, "SetChargingProfile": _set_profile,
    "ClearChargingProfile": _clear_profile, "GetCompositeSchedule": _composite,
    "SendLocalList": _send_list, "GetLocalListVersion": _list_version,
    "ReserveNow": _reserve, "CancelReservation": _cancel,
}
