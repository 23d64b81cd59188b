"""Decides authorisation, transactions, meter values and the connector status of the
charge point (interfaces.md 3.5-3.7)."""
# The functions are ChargePoint's methods (smartevse/ocpp/chargepoint.py binds them in its
# class body), kept here so each module stays small; `self` is the ChargePoint.

from micropython import const

from smartevse.core.states import ACCESS_OFF
from smartevse.ocpp import rpc

# configuration keys: their index in config.numbers (records.py DEFAULTS; a test checks)
_KEY_STOP_TRANSACTION_ON_EV_SIDE_DISCONNECT = const(4)
_KEY_METER_VALUE_SAMPLE_INTERVAL = const(10)
_KEY_CST_STALE_TIMEOUT = const(18)
_KEY_CST_AUTHORIZATION_TIMEOUT = const(19)
RING_SIZE = const(8)              # MeterValues kept in RAM while offline (oldest dropped)
_STOP_HOLD_S = const(5)           # StopTransaction waits for a final reading (3.7)
_OCCUPIED_S = const(2)            # Charging -> Finishing -> Available (3.5)
_CALL_TIMEOUT_S = const(30)
_NOTICE_S = const(5)              # a transaction notification stays on the display (3.5)
# the notifications of settings-and-menu.md 3.5 (ui/status.py holds their texts, in this order)
_ACCEPTED = const(1)
_INVALID = const(2)
_OFFLINE = const(3)
_RESERVED = const(4)
_TIMEOUT = const(5)
_PLUG_IN = const(6)
_STARTED = const(7)
_STOPPED = const(8)
_SUSPENDED = ("Charging", "SuspendedEV", "SuspendedEVSE", "Finishing")


def _amps(value):
    """"-1.5" of -15 dA: OCPP values are decimal texts in A (3.7)."""
    return "%s%d.%d" % ("-" if value < 0 else "", abs(value) // 10, abs(value) % 10)


def note(self, code):
    """A transaction notification for the display (settings-and-menu.md 3.5), for 5 s."""
    self.notice = code
    self.notice_until_s = self._now_s + _NOTICE_S

def request_stop(self, reason, now_s):
    """End the transaction: charging stops now, StopTransaction 5 s later (3.7)."""
    if self.journal.tx is not None and self.stop_reason is None:
        self.stop_reason = reason
        self._stop_at_s = now_s + _STOP_HOLD_S
        self._stop_epoch = self.epoch()       # the StopTransaction's timestamp
        self.permit = False

def tick(self, now_s):
    """Once a second: transactions, status, meter values, heartbeat and timeouts."""
    self._now_s = now_s
    inputs = self.inputs
    tx = self.journal.tx
    pending = self.pending
    if pending is not None and now_s - pending[3] > (
            self.config.numbers[_KEY_CST_AUTHORIZATION_TIMEOUT] if pending[1] == "Authorize"
            else _CALL_TIMEOUT_S):
        self.pending = None
        self._failed(pending[1], now_s)
    if self.online and now_s - self._last_answer_s > self.config.numbers[_KEY_CST_STALE_TIMEOUT]:
        self.reconnect = True
    if self.reservation is not None and self.epoch() > self.reservation[2]:
        self.reservation = None
    if self.notice and now_s >= self.notice_until_s:
        self.notice = 0
    plugged = inputs.plugged
    id_tag = None                      # the idTag of a transaction that begins
    if tx is None:
        if self.auth_tag is not None and now_s > self._auth_until_s:
            self.auth_tag = None               # never plugged in (ConnectionTimeOut)
            self.note(_TIMEOUT)
        if not inputs.enabled or self.reset_kind is not None:
            self.auth_tag = None               # OCPP off (3.1) or a Reset due: nothing begins
        elif inputs.controls and not self.inoperative:
            if self.auth_tag is not None and plugged:
                id_tag = self.auth_tag
            elif inputs.free_vend and plugged and not self._was_plugged:
                id_tag = inputs.free_tag or "FreeVend"
        elif not inputs.controls and plugged and inputs.access != ACCESS_OFF:
            id_tag = self.last_uid or "Local"  # the whitelist let it in (3.6 2)
    elif self.stop_reason is not None:
        if now_s >= self._stop_at_s:
            id_tag = ""                        # the transaction ends
    elif not plugged and self.config.numbers[_KEY_STOP_TRANSACTION_ON_EV_SIDE_DISCONNECT]:
        self.request_stop("EVDisconnected", now_s)
    elif inputs.access == ACCESS_OFF and (inputs.access_switched_off or not inputs.controls):
        self.request_stop("Other" if inputs.controls else "Local", now_s)
    if id_tag is not None:            # once a transaction: smartevse/ocpp/events.py
        from smartevse.ocpp.events import begin, finish
        if id_tag:
            begin(self, id_tag)
        else:
            finish(self, now_s)
        from smartevse.ocpp.chargepoint import _release
        _release()
    self._was_plugged = plugged
    tx = self.journal.tx
    self.permit = inputs.controls and tx is not None and self.stop_reason is None \
        and not self.inoperative
    tx_id = tx[4] if tx is not None else -1
    self.limit_da = self.profiles.limit_da(self.epoch(), tx_id, tx[3] if tx else -1) \
        if inputs.standalone else -1
    limit = self.profiles.unclocked_da     # a kept site limit before the clock is known
    if limit >= 0 and inputs.standalone and self.app_epoch is None and \
            self.clock_offset_s is None and not 0 <= self.limit_da <= limit:
        self.limit_da = limit
    if tx is not None and now_s >= self._sample_due_s:
        interval = self.config.numbers[_KEY_METER_VALUE_SAMPLE_INTERVAL]
        self._sample_due_s = now_s + (interval or 60)
        if interval:
            self.keep_sample(tx[0])
    self._report_status(now_s)

def keep_sample(self, ref):
    """A sample of transaction `ref` into the RAM ring (sent when its id is known)."""
    if len(self._ring) >= RING_SIZE:
        self._ring.pop(0)
        self.meter_values_dropped += 1
    self._ring.append([ref, self.epoch(), self.sample()])

def sample(self):
    """The sampledValue list of the measurands selected (3.7)."""
    inputs = self.inputs
    currents = inputs.currents_da
    values = []
    for name in self.config.texts[0].split(","):        # MeterValuesSampledData (3.7)
        if name == "Energy.Active.Import.Register":
            value, unit = str(inputs.energy_wh), "Wh"
        elif name == "Power.Active.Import":
            value, unit = str(inputs.power_w), "W"
        elif name == "Current.Import":          # the sum, then per phase (3.7)
            value, unit = _amps(currents[0] + currents[1] + currents[2]), "A"
        elif name == "Current.Offered":
            value, unit = _amps(inputs.offered_da), "A"
        elif name == "Temperature":
            value, unit = str(inputs.temp_c), "Celsius"
        else:
            continue
        values.append({"value": value, "measurand": name, "unit": unit})
        if name == "Current.Import":
            for i in range(3):
                values.append({"value": _amps(currents[i]), "measurand": name, "unit": "A",
                               "phase": "L%d" % (i + 1)})
    return values

def _report_status(self, now_s):
    """The status of connector 1 by the library's rules, in their order (3.5)."""
    inputs = self.inputs
    prev = self.status
    if inputs.error != "NoError":
        status = "Faulted"
    elif self.inoperative:
        status = "Unavailable"
    elif self.journal.tx is not None:
        status = "SuspendedEV" if not inputs.plugged else "SuspendedEVSE" \
            if not self.permit or inputs.offered_da <= 0 else \
            "Charging" if inputs.ev_ready else "SuspendedEV"
    elif self.reservation is not None:
        status = "Reserved"
    elif not inputs.plugged and now_s - self._stopped_s >= _OCCUPIED_S:
        status = "Available"
    elif prev in _SUSPENDED or self.auth_tag is not None:
        status = "Finishing"
    else:
        status = "Preparing"
    if self.accepted and status != prev:
        self.status = status
        payload = {"connectorId": 1, "errorCode": inputs.error, "status": status,
                   "timestamp": rpc.iso(self.epoch())}
        if inputs.info:
            payload["info"] = inputs.info
        self.call("StatusNotification", payload)
    self.current_status = status
