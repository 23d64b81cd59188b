"""Decides what the charge point does on rare events: a card presented or authorised, a
transaction that begins or ends, a call that failed or timed out, the answer to a
BootNotification, an Authorize or a Start/StopTransaction, the socket closed, the error
flags changed (interfaces.md 3.1, 3.3, 3.5-3.7)."""
# Imported per event and released after (chargepoint.py `_release`): this code costs no
# resident device heap. `self` is the ChargePoint.

from micropython import const

from smartevse.core.states import CT_NOCOMM, EV_NOCOMM, RCM_TEST, RCM_TRIPPED, TEMP_HIGH
from smartevse.ocpp import rpc
from smartevse.ocpp.records import DROPPED, NO_ID, STATUSES

# configuration keys: their index in config.numbers (records.py DEFAULTS; a test checks)
_KEY_HEARTBEAT_INTERVAL = const(0)
_KEY_CONNECTION_TIME_OUT = const(1)
_KEY_STOP_TRANSACTION_ON_INVALID_ID = const(3)
_KEY_LOCAL_AUTHORIZE_OFFLINE = const(7)
_KEY_ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID = const(8)
_KEY_TRANSACTION_MESSAGE_ATTEMPTS = const(12)
_KEY_TRANSACTION_MESSAGE_RETRY_INTERVAL = const(13)
_KEY_LOCAL_AUTH_LIST_ENABLED = const(15)
_KEY_METER_VALUE_SAMPLE_INTERVAL = const(10)
_ACCEPTED = const(1)              # session.py's notifications (a test checks the copies)
_INVALID = const(2)
_OFFLINE = const(3)
_RESERVED = const(4)
_STARTED = const(7)
_STOPPED = const(8)


# --- the transaction journal (records.py Journal) ----------------------------------------

def journal_start(journal, id_tag, meter_wh, epoch_s):
    """A transaction begins (its StartTransaction queued). Returns its ref."""
    ref = journal.next_ref
    journal.next_ref = ref % 999999 + 1
    journal.tx = [ref, id_tag, meter_wh, epoch_s, NO_ID]
    journal.ids[ref] = NO_ID
    journal.queue.append(["S", ref, id_tag, meter_wh, epoch_s])
    journal.dirty = True
    return ref


def journal_stop(journal, meter_wh, epoch_s, reason):
    """The open transaction ends (its StopTransaction queued, unless its Start was dropped)."""
    tx = journal.tx
    journal.tx = None
    if tx is not None and journal.ids.get(tx[0]) != DROPPED:
        journal.queue.append(["T", tx[0], journal.ids.get(tx[0], NO_ID), meter_wh, epoch_s,
                              reason, tx[1]])
    journal.dirty = True


def journal_confirmed(journal, tx_id=None):
    """The central system answered the head: a Start gives its transaction id."""
    item = journal.queue.pop(0)
    if item[0] == "S" and tx_id is not None:
        journal.ids[item[1]] = tx_id
        if journal.tx is not None and journal.tx[0] == item[1]:
            journal.tx[4] = tx_id
    journal.dirty = True


# --- a card, a transaction, a failed call, an answer --------------------------------------

def id_tag(uid):
    """The idTag of a card UID in hex (3.6): upper case, 4 bytes when the rest is zero."""
    uid = uid.upper()
    if len(uid) > 8 and uid[8:] == "0" * (len(uid) - 8):
        return uid[:8]
    return uid


def card(self, uid, now_s):
    """A card was presented (its UID in hex). True when OCPP takes it."""
    uid = id_tag(uid)                   # as an idTag
    if not self.inputs.controls:
        self.last_uid = uid                 # the whitelist decides; OCPP reports
        return False
    if self.journal.tx is not None or self.auth_tag is not None:
        if self.journal.tx is not None:
            self.request_stop("Local", now_s)
        self.auth_tag = None
        return True
    if self.online and self.accepted:
        self.call("Authorize", {"idTag": uid})
        return True
    status = None
    numbers = self.config.numbers
    if numbers[_KEY_LOCAL_AUTHORIZE_OFFLINE] and numbers[_KEY_LOCAL_AUTH_LIST_ENABLED]:
        status = list_status(self.local_list, uid, self.epoch())
    if status == "Accepted" or (status is None and numbers[_KEY_ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID]):
        grant(self, uid, now_s)
    else:
        self.auth_rejects += 1
        self.note(_OFFLINE if status is None else _INVALID)
    return True


def list_status(local, id_tag, t):
    """The status text of `id_tag` on the local list at epoch t, None when not on it."""
    item = local.tags.get(id_tag)
    if item is None:
        return None
    if item[1] and t > item[1]:
        return "Expired"
    return STATUSES[item[0]]


def grant(self, id_tag, now_s):
    """Authorised: the transaction starts once the EV is plugged in (ConnectionTimeOut)."""
    reservation = self.reservation
    if reservation is not None and reservation[1] != id_tag:
        self.auth_rejects += 1
        self.note(_RESERVED)
        return False
    self.note(_ACCEPTED)
    self.auth_tag = id_tag
    self._auth_until_s = now_s + self.config.numbers[_KEY_CONNECTION_TIME_OUT]
    return True


def begin(self, id_tag):
    """A transaction begins (session.py `tick`): its StartTransaction is journalled."""
    journal_start(self.journal, id_tag, self.inputs.energy_wh, self.epoch())
    self.tx_starts += 1
    self.note(_STARTED)
    self.auth_tag = None
    self.reservation = None
    self._sample_due_s = self._now_s + self.config.numbers[_KEY_METER_VALUE_SAMPLE_INTERVAL]


def finish(self, now_s):
    """The transaction ends: its StopTransaction is journalled, its TxProfiles go."""
    energy_wh = self.inputs.energy_wh
    start = self.journal.tx[2]                     # meterStart: meterStop is not below it
    journal_stop(self.journal, energy_wh if energy_wh >= start else start,
                 self.epoch() if self.stop_reason == "PowerLoss" else self._stop_epoch,
                 self.stop_reason)
    self.tx_stops += 1
    self.note(_STOPPED)
    self.stop_reason = None
    self._stopped_s = now_s
    self.profiles.installed = [p for p in self.profiles.installed if p[2] != 2]


def end_power_loss(self, now_s):
    """The transaction open across a power cut ends with PowerLoss (the clock is known)."""
    if self.journal.tx is not None:
        self.stop_reason = "PowerLoss"
        finish(self, now_s)


def failed(self, action, now_s):
    """A CALLERROR or no answer: transaction messages are retried (3.1), others dropped."""
    if action in ("StartTransaction", "StopTransaction"):
        self._attempts += 1
        interval = self.config.numbers[_KEY_TRANSACTION_MESSAGE_RETRY_INTERVAL]
        if self._attempts >= self.config.numbers[_KEY_TRANSACTION_MESSAGE_ATTEMPTS]:
            self.journal.drop_head()
            self._attempts = 0
        else:
            self._retry_s = now_s + interval * self._attempts
    elif action == "MeterValues" and self._ring_sent:
        self._ring.pop(0)
        self.meter_values_dropped += 1
    elif action == "Authorize":
        self.auth_timeouts += 1
        self.note(_OFFLINE)
    elif action == "BootNotification":
        self._boot_due_s = now_s + 60


def answered(self, action, payload, answer, now_s):
    """The answer to a BootNotification, an Authorize or a Start/StopTransaction we sent."""
    info = answer.get("idTagInfo")
    status = info.get("status") if isinstance(info, dict) else None
    if action == "BootNotification":          # accepted, or asked again after its interval (3.3)
        interval = answer.get("interval")
        self.set_clock(answer.get("currentTime"))
        if answer.get("status") == "Accepted":
            self.accepted = True
            numbers = self.config.numbers
            if isinstance(interval, int) and interval > 0 and \
                    numbers[_KEY_HEARTBEAT_INTERVAL] != interval:
                numbers[_KEY_HEARTBEAT_INTERVAL] = interval
                self.config_dirty = True             # persisted when it changed
            self.call("StatusNotification", {"connectorId": 0, "errorCode": "NoError",
                                             "status": "Unavailable" if self.inoperative
                                             else "Available"})
        else:
            self._boot_due_s = now_s + (interval if isinstance(interval, int) and
                                        interval > 0 else 60)
    elif action == "Authorize":
        if status == "Accepted":
            self.auth_accepts += 1
            grant(self, payload["idTag"], now_s)
        else:
            self.auth_rejects += 1
            self.note(_INVALID)
    elif action == "StartTransaction":
        tx_id = answer.get("transactionId")
        journal_confirmed(self.journal, tx_id if isinstance(tx_id, int) else DROPPED)
        self._attempts = 0
        tx = self.journal.tx
        if self.pending_profile is not None and tx is not None and tx[4] == tx_id:
            # RemoteStartTransaction's chargingProfile, installed now the transaction runs
            from smartevse.ocpp.installs import set_profile
            set_profile(self.profiles, {"connectorId": 1,
                                        "csChargingProfiles": self.pending_profile},
                        tx_id, rpc.epoch)
            self.pending_profile = None
        if status != "Accepted" and tx is not None and tx[4] == tx_id and \
                self.config.numbers[_KEY_STOP_TRANSACTION_ON_INVALID_ID]:
            self.request_stop("DeAuthorized", now_s)
            self.note(_INVALID)
    elif action == "StopTransaction":
        journal_confirmed(self.journal)
        self._attempts = 0


def disconnected(self):
    """The socket closed: the outstanding call is sent again after the next boot."""
    self.online = self.accepted = False
    pending = self.pending
    if pending is not None and pending[1] == "Authorize":
        self._queue.insert(0, ["Authorize", pending[2]])     # asked again after the boot
    self.pending = None
    self.status = None
    self._queue = [q for q in self._queue if q[0] == "Authorize"]


def error_code(flags):
    """(errorCode, info or None) of the error flags; NoError when none faults (3.5)."""
    if flags & TEMP_HIGH:
        return "HighTemperature", None
    if flags & RCM_TRIPPED and not flags & RCM_TEST:
        return "GroundFailure", None
    if flags & CT_NOCOMM:
        return "PowerMeterFailure", "Communication with mains meter lost"
    if flags & EV_NOCOMM:
        return "PowerMeterFailure", "Communication with EV meter lost"
    return "NoError", None
