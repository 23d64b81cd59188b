"""Decides what the charge point says to the central system and when (interfaces.md 3.1-3.7)."""
# Boot, heartbeat, status, authorisation, transactions and meter values. Pure: the link
# (smartevse/net/ocpp_link.py) hands in the received texts, the inputs of each second in
# `Inputs` and a monotonic second count; it sends `replies` and
# `next_call()`, applies `permit` (access) and `limit_da` (the D13 ceiling) and saves the
# records marked dirty. The CSMS operations are smartevse/ocpp/operations.py.

from micropython import const

from smartevse.core.states import ACCESS_OFF
from smartevse.ocpp import rpc
from smartevse.ocpp.config import Config
from smartevse.ocpp.journal import DROPPED, NO_ID, Journal
from smartevse.ocpp.locallist import LocalList
from smartevse.ocpp.profiles import Profiles
from smartevse.ocpp.status import connector_status

RING_SIZE = const(8)              # MeterValues kept in RAM while offline (oldest dropped)
_PROBE_S = const(90)              # Heartbeat probe while the socket is up (3.1)
_STOP_HOLD_S = const(5)           # StopTransaction waits for a final reading (3.7)
_OCCUPIED_S = const(2)            # Charging -> Finishing -> Available (3.5)
_CALL_TIMEOUT_S = const(30)


def _amps(da):
    """"-1.5" of -15 dA: OCPP values are decimal texts in A (3.7)."""
    sign = "-" if da < 0 else ""
    da = -da if da < 0 else da
    return "%s%d.%d" % (sign, da // 10, da % 10)


class Inputs:
    """What the link reads from the controller once a second."""

    def __init__(self):
        self.plugged = False
        self.ev_ready = False
        self.offered_da = 0
        self.error = "NoError"
        self.info = None
        self.energy_wh = 0
        self.power_w = 0
        self.currents_da = (0, 0, 0)
        self.temp_c = 0
        self.access = ACCESS_OFF
        self.access_switched_off = False     # by something else than OCPP (3.6)
        self.enabled = True                  # ocpp_mode
        self.controls = True                 # RFID reader none or Rmt/OCPP: OCPP decides
        self.free_vend = False
        self.free_tag = ""
        self.locked = False
        self.standalone = True
        self.current_max_a = 16


class ChargePoint:
    """One OCPP 1.6J charge point with connector 1."""

    def __init__(self, serial, version, meter_type):
        self.boot_payload = {"chargePointVendor": "Stegen Electronics",
                             "chargePointModel": "SmartEVSE", "firmwareVersion": version,
                             "chargePointSerialNumber": str(serial)}
        if meter_type:
            self.boot_payload["meterType"] = meter_type
        self.config = Config()
        self.local_list = LocalList()
        self.profiles = Profiles()
        self.journal = Journal()
        self.inputs = Inputs()
        self.replies = []                # CALLRESULT / CALLERROR texts to send
        self._queue = []                 # [action, payload] of other CALLs
        self._ring = []                  # [ref, epoch s, sampledValue list]
        self.pending = None             # [id, action, payload, sent s]
        self._seq = 0
        self.online = False
        self.accepted = False
        self.reconnect = False           # no OCPP answer for Cst_StaleTimeout (3.1)
        self._boot_due_s = 0
        self._last_call_s = 0
        self._last_answer_s = 0
        self._sample_due_s = 0
        self._now_s = 0
        self.clock_offset_s = None       # epoch - now_s, from the central system
        self.app_epoch = None            # the controller's own clock, when it has one
        self.permit = False
        self.limit_da = -1
        self.auth_tag = None             # authorised, waiting for the EV (3.6)
        self._auth_until_s = 0
        self.last_uid = ""               # the last card, when the whitelist decides
        self.stop_reason = None
        self._stop_at_s = 0
        self._stop_epoch = 0
        self._stopped_s = -99
        self.inoperative = False
        self.reservation = None          # [id, idTag, expiry epoch]
        self.status = None               # the last status sent
        self.settings_change = None      # {setting: value} for the app (ChangeConfiguration)
        self.reset_kind = None
        self.config_dirty = self.list_dirty = False
        self.meter_values_dropped = 0
        self.tx_starts = self.tx_stops = 0
        self.auth_accepts = self.auth_rejects = self.auth_timeouts = 0
        self._was_plugged = False
        self._access = ACCESS_OFF
        self._ring_sent = False          # the outstanding MeterValues is the ring's head
        self._retry_s = 0                # a failed transaction message waits (3.1)
        self._attempts = 0
        self.current_status = "Available"
        self.settings = {}               # the controller's setting values (read only)
        self.pending_profile = None      # RemoteStartTransaction's chargingProfile

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
    def connected(self, now_s):
        self.online = True
        self.accepted = False
        self.reconnect = False
        self._boot_due_s = now_s
        self._last_answer_s = now_s
        self.config.start()

    def disconnected(self):
        """The socket closed: the outstanding call is sent again after the next boot."""
        self.online = self.accepted = False
        pending = self.pending
        if pending is not None and pending[1] == "Authorize":
            self._queue.insert(0, ["Authorize", pending[2]])     # asked again after the boot
        self.pending = None
        self.status = None
        self._queue = [q for q in self._queue if q[0] == "Authorize"]

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
        entry = self.journal.head()
        if entry is not None and entry[0] == "S":
            if now_s < self._retry_s:
                return None
            return self._send("StartTransaction", {
                "connectorId": 1, "idTag": entry[2], "meterStart": entry[3],
                "timestamp": rpc.iso(entry[4])}, now_s)
        ring = self._ring
        while ring and self.journal.ids.get(ring[0][0], NO_ID) == DROPPED:
            ring.pop(0)
        if ring and self.journal.ids.get(ring[0][0], NO_ID) >= 0 and (
                entry is None or ring[0][1] <= entry[4]):
            ref, at_s, values = ring[0]
            text = self._send("MeterValues", {
                "connectorId": 1, "transactionId": self.journal.ids[ref],
                "meterValue": [{"timestamp": rpc.iso(at_s), "sampledValue": values}]}, now_s)
            self._ring_sent = True           # its answer takes it off the ring
            return text
        if entry is not None and now_s >= self._retry_s:
            payload = {"transactionId": entry[2], "meterStop": entry[3],
                       "timestamp": rpc.iso(entry[4]), "reason": entry[5]}
            if entry[6]:
                payload["idTag"] = entry[6]
            return self._send("StopTransaction", payload, now_s)
        if self._queue:
            action, payload = self._queue.pop(0)
            return self._send(action, payload, now_s)
        if now_s - self._last_call_s >= min(self.config.numbers["HeartbeatInterval"] or _PROBE_S,
                                            _PROBE_S):
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
        from smartevse.ocpp.operations import handle       # the CSMS operations (3.4)
        kind, msg_id, name, payload = rpc.parse(text)
        if kind == rpc.CALL:
            self.replies.append(handle(self, name, msg_id, payload))
            return
        if kind == rpc.BAD:
            self.replies.append(rpc.error(msg_id, name, "cannot read the frame"))
            return
        pending = self.pending
        if pending is None or pending[0] != msg_id:
            return                       # an answer to nothing: ignored (bad input)
        self.pending = None
        self._last_answer_s = now_s
        if kind == rpc.RESULT:
            self._answered(pending[1], pending[2], payload, now_s)
        else:
            self._failed(pending[1], now_s)

    def _answered(self, action, sent, answer, now_s):
        status = answer.get("idTagInfo", {}).get("status") if isinstance(
            answer.get("idTagInfo"), dict) else None
        if action == "BootNotification":
            interval = answer.get("interval")
            self.set_clock(answer.get("currentTime"))
            if answer.get("status") == "Accepted":
                self.accepted = True
                if isinstance(interval, int) and interval > 0:
                    self.set_config("HeartbeatInterval", interval)
                self.call("StatusNotification", {"connectorId": 0, "errorCode": "NoError",
                                                 "status": "Unavailable" if self.inoperative
                                                 else "Available"})
            else:
                self._boot_due_s = now_s + (interval if isinstance(interval, int) and
                                            interval > 0 else 60)
        elif action == "Heartbeat":
            self.set_clock(answer.get("currentTime"))
        elif action == "Authorize":
            if status == "Accepted":
                self.auth_accepts += 1
                self.grant(sent["idTag"], now_s)
            else:
                self.auth_rejects += 1
        elif action == "StartTransaction":
            tx_id = answer.get("transactionId")
            self.journal.confirmed(tx_id if isinstance(tx_id, int) else DROPPED)
            self._attempts = 0
            tx = self.journal.tx
            if self.pending_profile is not None and tx is not None and tx[4] == tx_id:
                self.profiles.set({"connectorId": 1, "csChargingProfiles": self.pending_profile},
                                  tx_id, rpc.epoch)
                self.pending_profile = None
            if status != "Accepted" and tx is not None and tx[4] == tx_id and \
                    self.config.numbers["StopTransactionOnInvalidId"]:
                self.request_stop("DeAuthorized", now_s)
        elif action == "StopTransaction":
            self.journal.confirmed()
            self._attempts = 0
        elif action == "MeterValues" and self._ring_sent:
            self._ring.pop(0)

    def _failed(self, action, now_s):
        """A CALLERROR or no answer: transaction messages are retried (3.1), others dropped."""
        if action in ("StartTransaction", "StopTransaction"):
            self._attempts += 1
            retry = self.config.numbers["TransactionMessageRetryInterval"]
            if self._attempts >= self.config.numbers["TransactionMessageAttempts"]:
                self.journal.drop_head()
                self._attempts = 0
            else:
                self._retry_s = now_s + retry * self._attempts
        elif action == "MeterValues" and self._ring_sent:
            self._ring.pop(0)
            self.meter_values_dropped += 1
        elif action == "Authorize":
            self.auth_timeouts += 1
        elif action == "BootNotification":
            self._boot_due_s = now_s + 60

    def set_config(self, name, value):
        if self.config.numbers[name] != value:
            self.config.numbers[name] = value
            self.config_dirty = True

    # --- authorisation and transactions (3.6, 3.7) ------------------------------------
    def card(self, id_tag, now_s):
        """A card was presented (upper-case hex). True when OCPP takes it."""
        if not self.inputs.controls:
            self.last_uid = id_tag                 # the whitelist decides; OCPP reports
            return False
        if self.journal.tx is not None or self.auth_tag is not None:
            if self.journal.tx is not None:
                self.request_stop("Local", now_s)
            self.auth_tag = None
            return True
        if self.online and self.accepted:
            self.call("Authorize", {"idTag": id_tag})
            return True
        status = None
        numbers = self.config.numbers
        if numbers["LocalAuthorizeOffline"] and numbers["LocalAuthListEnabled"]:
            status = self.local_list.status(id_tag, self.epoch())
        if status == "Accepted" or (status is None and
                                    self.config.numbers["AllowOfflineTxForUnknownId"]):
            self.grant(id_tag, now_s)
        else:
            self.auth_rejects += 1
        return True

    def grant(self, id_tag, now_s):
        """Authorised: the transaction starts once the EV is plugged in (ConnectionTimeOut)."""
        reservation = self.reservation
        if reservation is not None and reservation[1] != id_tag:
            self.auth_rejects += 1
            return False
        self.auth_tag = id_tag
        self._auth_until_s = now_s + self.config.numbers["ConnectionTimeOut"]
        return True

    def request_stop(self, reason, now_s):
        """End the transaction: charging stops now, StopTransaction 5 s later (3.7)."""
        if self.journal.tx is not None and self.stop_reason is None:
            self.stop_reason = reason
            self._stop_at_s = now_s + _STOP_HOLD_S
            self._stop_epoch = self.epoch()       # the StopTransaction's timestamp
            self.permit = False

    def _begin(self, id_tag):
        inp = self.inputs
        self.journal.start(id_tag, inp.energy_wh, self.epoch())
        self.tx_starts += 1
        self.auth_tag = None
        self.reservation = None
        self._sample_due_s = self._now_s + self.config.numbers["MeterValueSampleInterval"]

    def tick(self, now_s):
        """Once a second: transactions, status, meter values, heartbeat and timeouts."""
        self._now_s = now_s
        inp = self.inputs
        tx = self.journal.tx
        pending = self.pending
        if pending is not None and now_s - pending[3] > (
                self.config.numbers["Cst_AuthorizationTimeout"] if pending[1] == "Authorize"
                else _CALL_TIMEOUT_S):
            self.pending = None
            self._failed(pending[1], now_s)
        if self.online and now_s - self._last_answer_s > self.config.numbers["Cst_StaleTimeout"]:
            self.reconnect = True
        if self.reservation is not None and self.epoch() > self.reservation[2]:
            self.reservation = None
        plugged = inp.plugged
        if tx is None:
            if self.auth_tag is not None and now_s > self._auth_until_s:
                self.auth_tag = None               # never plugged in (ConnectionTimeOut)
            if not inp.enabled:
                self.auth_tag = None               # OCPP off: nothing begins (3.1)
            elif inp.controls and not self.inoperative:
                if self.auth_tag is not None and plugged:
                    self._begin(self.auth_tag)
                elif inp.free_vend and plugged and not self._was_plugged:
                    self._begin(inp.free_tag or "FreeVend")
            elif not inp.controls and plugged and inp.access != ACCESS_OFF:
                self._begin(self.last_uid or "Local")   # the whitelist let it in (3.6 2)
        elif self.stop_reason is not None:
            if now_s >= self._stop_at_s:
                self._finish(now_s)
        elif not plugged and self.config.numbers["StopTransactionOnEVSideDisconnect"]:
            self.request_stop("EVDisconnected", now_s)
        elif inp.access == ACCESS_OFF and (inp.access_switched_off or not inp.controls):
            self.request_stop("Other" if inp.controls else "Local", now_s)
        self._was_plugged = plugged
        self._access = inp.access
        tx = self.journal.tx
        self.permit = inp.controls and tx is not None and self.stop_reason is None \
            and not self.inoperative
        tx_id = tx[4] if tx is not None else -1
        self.limit_da = self.profiles.limit_da(self.epoch(), tx_id, tx[3] if tx else -1) \
            if inp.standalone else -1
        if tx is not None and now_s >= self._sample_due_s:
            interval = self.config.numbers["MeterValueSampleInterval"]
            self._sample_due_s = now_s + (interval or 60)
            if interval:
                self.keep_sample(tx[0])
        self._report_status(now_s)

    def power_lost(self):
        """At boot: the transaction open across the power cut ends with PowerLoss and
        nothing else (3.3); it is written once the clock is known (`end_power_loss`)."""
        if self.journal.tx is not None:
            self.stop_reason = "PowerLoss"
            self._stop_at_s = 1 << 30

    def end_power_loss(self, now_s):
        """True once the PowerLoss stop is in the journal (the clock is known)."""
        if self.app_epoch is None and self.clock_offset_s is None:
            return False
        if self.journal.tx is not None:
            self.stop_reason = "PowerLoss"
            self._finish(now_s)
        return True

    def _finish(self, now_s):
        energy_wh = self.inputs.energy_wh
        start_wh = self.journal.tx[2]
        self.journal.stop(energy_wh if energy_wh >= start_wh else start_wh,
                          self.epoch() if self.stop_reason == "PowerLoss" else self._stop_epoch,
                          self.stop_reason)
        self.tx_stops += 1
        self.stop_reason = None
        self._stopped_s = now_s
        self.profiles.installed = [p for p in self.profiles.installed if p[2] != 2]

    def keep_sample(self, ref):
        """A sample of transaction `ref` into the RAM ring (sent when its id is known)."""
        if len(self._ring) >= RING_SIZE:
            self._ring.pop(0)
            self.meter_values_dropped += 1
        self._ring.append([ref, self.epoch(), self.sample()])

    def sample(self):
        """The sampledValue list of the measurands selected (3.7)."""
        inp = self.inputs
        values = []
        for name in self.config.texts["MeterValuesSampledData"].split(","):
            if name == "Energy.Active.Import.Register":
                values.append({"value": str(inp.energy_wh), "measurand": name, "unit": "Wh"})
            elif name == "Power.Active.Import":
                values.append({"value": str(inp.power_w), "measurand": name, "unit": "W"})
            elif name == "Current.Import":          # the sum, then per phase (3.7)
                da = inp.currents_da[0] + inp.currents_da[1] + inp.currents_da[2]
                values.append({"value": _amps(da), "measurand": name, "unit": "A"})
                for i in range(3):
                    values.append({"value": _amps(inp.currents_da[i]), "measurand": name,
                                   "unit": "A", "phase": "L%d" % (i + 1)})
            elif name == "Current.Offered":
                values.append({"value": _amps(inp.offered_da), "measurand": name, "unit": "A"})
            elif name == "Temperature":
                values.append({"value": str(inp.temp_c), "measurand": name, "unit": "Celsius"})
        return values

    def _report_status(self, now_s):
        inp = self.inputs
        tx = self.journal.tx
        status = connector_status(inp.error != "NoError", self.inoperative, tx is not None,
                                  inp.plugged, self.permit, inp.offered_da > 0, inp.ev_ready,
                                  self.reservation is not None,
                                  now_s - self._stopped_s < _OCCUPIED_S, self.status,
                                  self.auth_tag is not None)
        if self.accepted and status != self.status:
            self.status = status
            payload = {"connectorId": 1, "errorCode": inp.error, "status": status,
                       "timestamp": rpc.iso(self.epoch())}
            if inp.info:
                payload["info"] = inp.info
            self.call("StatusNotification", payload)
        self.current_status = status
