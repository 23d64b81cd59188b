"""The central system's other operations on the pure charge point: availability,
reservations, triggers, reset and unlock (interfaces.md 3.4, 3.5, 3.10)."""

import json

from smartevse.ocpp.chargepoint import ChargePoint
from smartevse.ocpp.start import connected
from smartevse.ocpp.events import grant


def _booted():
    cp = ChargePoint(1, "0.1.0", "")
    cp.app_epoch = 1767254400
    connected(cp, 0)
    boot = json.loads(cp.next_call(0))
    cp.received(json.dumps([3, boot[1], {"status": "Accepted", "interval": 300,
                                         "currentTime": "2026-01-01T08:00:00Z"}]), 0)
    return cp


def _call(cp, action, payload, now_s=1):
    cp.received(json.dumps([2, "m" + action, action, payload]), now_s)
    return json.loads(cp.replies.pop())[2]


def _drain(cp, now_s):
    """Answer every CALL the charge point sends; the actions in order."""
    sent = []
    while True:
        text = cp.next_call(now_s)
        if text is None:
            return sent
        msg = json.loads(text)
        sent.append((msg[2], msg[3]))
        answer = {"transactionId": 5, "idTagInfo": {"status": "Accepted"}} \
            if msg[2] == "StartTransaction" else {}
        cp.received(json.dumps([3, msg[1], answer]), now_s)


def _plugged_tx(cp):
    cp.inputs.plugged = True
    grant(cp, "TAG1", 1)
    cp.tick(2)
    _drain(cp, 2)
    assert cp.journal.tx[4] == 5


def test_change_availability_makes_the_connector_unavailable_and_is_scheduled_during_a_tx():
    """Given no transaction, when ChangeAvailability Inoperative comes, then Accepted and the
    connector reports Unavailable; during a transaction the answer is Scheduled (3.10)."""
    cp = _booted()
    assert _call(cp, "ChangeAvailability", {"connectorId": 1, "type": "Inoperative"}) == \
        {"status": "Accepted"}
    cp.tick(1)
    statuses = [p["status"] for a, p in _drain(cp, 1) if a == "StatusNotification"]
    assert statuses[-1] == "Unavailable" and not cp.permit
    _call(cp, "ChangeAvailability", {"connectorId": 1, "type": "Operative"})
    _plugged_tx(cp)
    assert _call(cp, "ChangeAvailability", {"connectorId": 0, "type": "Inoperative"}) == \
        {"status": "Scheduled"}


def test_a_reservation_reports_reserved_and_admits_only_its_idtag_until_cancelled():
    """Given ReserveNow for idTag R1, then the connector is Reserved and another card is not
    admitted; CancelReservation of another id is Rejected, of this one Accepted (3.10)."""
    cp = _booted()
    assert _call(cp, "ReserveNow", {"connectorId": 1, "expiryDate": "2026-01-01T09:00:00Z",
                                    "idTag": "R1", "reservationId": 4}) == {"status": "Accepted"}
    cp.tick(1)
    assert [p["status"] for a, p in _drain(cp, 1) if a == "StatusNotification"][-1] == "Reserved"
    assert not grant(cp, "OTHER", 1) and cp.auth_tag is None
    assert _call(cp, "CancelReservation", {"reservationId": 9}) == {"status": "Rejected"}
    assert _call(cp, "CancelReservation", {"reservationId": 4}) == {"status": "Accepted"}
    assert grant(cp, "OTHER", 1)


def test_trigger_message_sends_what_was_asked_and_not_firmware_status():
    """Given TriggerMessage for Heartbeat, MeterValues (no transaction) and
    FirmwareStatusNotification, then the first two are Accepted and sent, the last is
    NotImplemented (3.10; no FirmwareManagement)."""
    cp = _booted()
    _drain(cp, 0)
    assert _call(cp, "TriggerMessage", {"requestedMessage": "Heartbeat"}) == {"status": "Accepted"}
    assert _call(cp, "TriggerMessage", {"requestedMessage": "MeterValues"}) == \
        {"status": "Accepted"}
    assert _call(cp, "TriggerMessage", {"requestedMessage": "FirmwareStatusNotification"}) == \
        {"status": "NotImplemented"}
    sent = _drain(cp, 1)
    assert [a for a, _ in sent] == ["Heartbeat", "MeterValues"]
    assert "transactionId" not in sent[1][1]


def test_reset_and_unlock_stop_the_transaction_with_their_reasons():
    """Given a running transaction, when Reset Soft comes, then Accepted and 5 s later
    StopTransaction says SoftReset; UnlockConnector without an actuator answers Unlocked
    (3.7, 3.10)."""
    cp = _booted()
    _plugged_tx(cp)
    assert _call(cp, "Reset", {"type": "Soft"}) == {"status": "Accepted"}
    assert cp.stop_reason == "SoftReset" and not cp.permit
    cp.tick(8)
    stops = [p for a, p in _drain(cp, 8) if a == "StopTransaction"]
    assert stops[0]["reason"] == "SoftReset" and stops[0]["transactionId"] == 5
    assert cp.reset_kind == "Soft"
    assert _call(cp, "UnlockConnector", {"connectorId": 1}) == {"status": "Unlocked"}


def test_a_refused_start_transaction_is_retried_twice_then_dropped_with_its_stop():
    """Given TransactionMessageAttempts 3 and RetryInterval 60 s, when the central system
    answers StartTransaction with a CALLERROR each time, then it is sent again after 60 s
    and 120 s, then dropped with its StopTransaction, both counted (interfaces.md 3.1)."""
    cp = _booted()
    _drain(cp, 0)
    cp.inputs.plugged = True
    grant(cp, "TAG1", 1)
    cp.tick(2)
    sent_at = []
    for now_s in range(2, 400):
        cp.tick(now_s)
        if now_s == 100:
            cp.inputs.plugged = False                 # the EV leaves: a Stop is queued
        text = cp.next_call(now_s)
        if text is None:
            continue
        msg = json.loads(text)
        if msg[2] == "StartTransaction":
            sent_at.append(now_s)
            cp.received(json.dumps([4, msg[1], "InternalError", "", {}]), now_s)
        else:
            assert msg[2] != "StopTransaction"
            cp.received(json.dumps([3, msg[1], {}]), now_s)
    assert sent_at == [2, 62, 182]
    assert cp.journal.queue == [] and cp.journal.dropped == 2      # the Start and its Stop


def test_get_local_list_version_follows_send_local_list():
    """Given an empty list, then GetLocalListVersion is 0; after SendLocalList Full of
    version 7 it is 7 and the list is marked for NVM (OCPP 1.6 5.10, 5.15)."""
    cp = _booted()
    assert _call(cp, "GetLocalListVersion", {}) == {"listVersion": 0}
    assert _call(cp, "SendLocalList", {"listVersion": 7, "updateType": "Full",
                                       "localAuthorizationList": [
                                           {"idTag": "A1", "idTagInfo": {"status": "Accepted"}}]}) \
        == {"status": "Accepted"}
    assert _call(cp, "GetLocalListVersion", {}) == {"listVersion": 7} and cp.list_dirty
