"""Decides what the charge point says to the central system and when (interfaces.md 3.1-3.7)."""
# Boot, heartbeat, status, authorisation, transactions and meter values. Pure: the link
# (smartevse/net/ocpp_link.py) hands in the received texts, the inputs of each second in
# `Inputs` and a monotonic second count; it sends `replies` and
# `next_call()`, applies `permit` (access) and `limit_da` (the D13 ceiling) and saves the
# records marked dirty. The CSMS operations are smartevse/ocpp/operations.py, imported
# per message; the rare events (a card, a failed call, the answers of a boot or a
# transaction) smartevse/ocpp/events.py and the starting state smartevse/ocpp/start.py,
# imported per use; authorisation and transactions are smartevse/ocpp/session.py.

from micropython import const

from smartevse.ocpp import rpc
from smartevse.ocpp.records import DROPPED, NO_ID, Config, Journal, LocalList, Profiles
from smartevse.ocpp import session

# configuration keys: their index in config.numbers (records.py DEFAULTS; a test checks)
_KEY_HEARTBEAT_INTERVAL = const(0)
_PROBE_S = const(90)              # Heartbeat probe while the socket is up (3.1)
_BAD = const(0)                   # rpc.py's message types (a test checks the copies)
_CALL = const(2)
_RESULT = const(3)


def _release():
    # The code of the CSMS operations goes back to the heap after each message: the
    # device compiles a module on import and frees it once nothing refers to it.
    import sys
    package = sys.modules["smartevse.ocpp"]
    for name in ("operations", "configkeys", "installs", "codec", "profile_store", "start",
                 "events"):
        if sys.modules.pop("smartevse.ocpp." + name, None) is not None:
            try:
                delattr(package, name)
            except AttributeError:
                pass


class Inputs:
    """What the link reads from the controller once a second (set in start.py)."""


class ChargePoint:
    """One OCPP 1.6J charge point with connector 1."""

    def __init__(self, serial_nr, version, meter_type):
        # the starting state is smartevse/ocpp/start.py's: imported once, then released
        from smartevse.ocpp.start import charge_point
        self.config = Config()
        self.local_list = LocalList()
        self.profiles = Profiles()
        self.journal = Journal()
        self.inputs = Inputs()
        charge_point(self, self.inputs, serial_nr, version, meter_type)
        _release()

    # --- time ---------------------------------------------------------------------
    def epoch(self):
        if self.app_epoch is not None:
            return self.app_epoch
        return self._now_s + (self.clock_offset_s or 0)

    def set_clock(self, text):
        t = rpc.epoch(text) if isinstance(text, str) else None
        if t is not None:
            self.clock_offset_s = t - self._now_s

    # --- the connection -----------------------------------------------------------
    def call(self, action, payload):
        self._queue.append([action, payload])

    def next_call(self, now_s):
        """The text of the next CALL when none is outstanding, or None (3.3: only the
        BootNotification until it is accepted)."""
        if not self.online or self.pending is not None:
            return None
        if not self.accepted:
            if now_s < self._boot_due_s:
                return None
            return self._send("BootNotification", self.boot_payload, now_s)
        item = self.journal.head()
        if item is not None and item[0] == "S":
            if now_s < self._retry_s:
                return None
            return self._send("StartTransaction", {
                "connectorId": 1, "idTag": item[2], "meterStart": item[3],
                "timestamp": rpc.iso(item[4])}, now_s)
        ring = self._ring
        while ring and self.journal.ids.get(ring[0][0], NO_ID) == DROPPED:
            ring.pop(0)
        if ring and self.journal.ids.get(ring[0][0], NO_ID) >= 0 and (
                item is None or ring[0][1] <= item[4]):
            ref, t, values = ring[0]
            text = self._send("MeterValues", {
                "connectorId": 1, "transactionId": self.journal.ids[ref],
                "meterValue": [{"timestamp": rpc.iso(t), "sampledValue": values}]}, now_s)
            self._ring_sent = True           # its answer takes it off the ring
            return text
        if item is not None and now_s >= self._retry_s:
            payload = {"transactionId": item[2], "meterStop": item[3],
                       "timestamp": rpc.iso(item[4]), "reason": item[5]}
            if item[6]:
                payload["idTag"] = item[6]
            return self._send("StopTransaction", payload, now_s)
        if self._queue:
            action, payload = self._queue.pop(0)
            return self._send(action, payload, now_s)
        if now_s - self._last_call_s >= min(
                self.config.numbers[_KEY_HEARTBEAT_INTERVAL] or _PROBE_S, _PROBE_S):
            return self._send("Heartbeat", {}, now_s)
        return None

    def _send(self, action, payload, now_s):
        self._seq += 1
        self._ring_sent = False
        msg_id = str(self._seq)
        self.pending = [msg_id, action, payload, now_s]
        self._last_call_s = now_s
        return rpc.call(msg_id, action, payload)

    # --- what arrives ---------------------------------------------------------------
    def received(self, text, now_s):
        """One frame from the central system; answers go to `replies`."""
        kind, msg_id, name, payload = rpc.parse(text)
        if kind == _CALL or kind == _BAD:
            from smartevse.ocpp.operations import handle   # the CSMS operations (3.4)
            self.replies.append(handle(self, name, msg_id, payload))
            _release()
            return
        pending = self.pending
        if pending is None or pending[0] != msg_id:
            return                       # an answer to nothing: ignored (bad input)
        self.pending = None
        self._last_answer_s = now_s
        if kind == _RESULT:
            self._answered(pending[1], pending[2], payload, now_s)
        else:
            self._failed(pending[1], now_s)

    def _answered(self, action, payload, answer, now_s):
        if action == "Heartbeat":
            self.set_clock(answer.get("currentTime"))
        elif action == "MeterValues":
            if self._ring_sent:
                self._ring.pop(0)
        elif action != "StatusNotification":
            # once a connection or a transaction: smartevse/ocpp/events.py, released after
            from smartevse.ocpp.events import answered
            answered(self, action, payload, answer, now_s)
            _release()

    def _failed(self, action, now_s):
        """A CALLERROR or no answer (rare: smartevse/ocpp/events.py, released after)."""
        from smartevse.ocpp.events import failed
        failed(self, action, now_s)
        _release()

    # --- authorisation and transactions (3.6, 3.7): smartevse/ocpp/session.py -------
    note = session.note
    request_stop = session.request_stop
    tick = session.tick
    keep_sample = session.keep_sample
    sample = session.sample
    _report_status = session._report_status
