"""Sets up the charge point at boot: its starting state, and the measurand lists at every
OCPP start (interfaces.md 3.1-3.7)."""
# Imported by ChargePoint.__init__ and ChargePoint.connected (smartevse/ocpp/
# chargepoint.py) and released after (chargepoint.py `_release`): this code costs no
# resident device heap. `self` is the ChargePoint, `inp` its Inputs.

from smartevse.core.states import ACCESS_OFF


def measurand_lists(config):
    """The lists the fork forces at every OCPP start (3.7): reset, never persisted."""
    aligned = "Energy.Active.Import.Register,Power.Active.Import"
    # in configkeys.py _TEXTS order: MeterValuesSampledData, MeterValuesAlignedData,
    # StopTxnSampledData, StopTxnAlignedData
    config.texts = [aligned + ",Current.Import,Temperature", aligned, "", ""]


def connected(self, now_s):
    """The socket is open: a BootNotification comes first (3.3); the measurand lists are
    reset at every start (3.7)."""
    self.online = True
    self.accepted = False
    self.reconnect = False
    self._boot_due_s = now_s
    self._last_answer_s = now_s
    measurand_lists(self.config)


def charge_point(self, inputs, serial_nr, version, meter_type):
    """The starting state of a charge point and of its inputs."""
    measurand_lists(self.config)
    inputs.plugged = False
    inputs.ev_ready = False
    inputs.offered_da = 0
    inputs.error = "NoError"
    inputs.info = None
    inputs.energy_wh = 0
    inputs.power_w = 0
    inputs.currents_da = (0, 0, 0)
    inputs.temp_c = 0
    inputs.access = ACCESS_OFF
    inputs.access_switched_off = False     # by something else than OCPP (3.6)
    inputs.enabled = True                  # ocpp_mode
    inputs.controls = True                 # RFID reader none or Rmt/OCPP: OCPP decides
    inputs.free_vend = False
    inputs.free_tag = ""
    inputs.locked = False
    inputs.standalone = True
    inputs.current_max_a = 16
    self.boot_payload = {"chargePointVendor": "Stegen Electronics",
                         "chargePointModel": "SmartEVSE", "firmwareVersion": version,
                         "chargePointSerialNumber": str(serial_nr)}
    if meter_type:
        self.boot_payload["meterType"] = meter_type
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
    self._ring_sent = False          # the outstanding MeterValues is the ring's head
    self._retry_s = 0                # a failed transaction message waits (3.1)
    self._attempts = 0
    self.current_status = "Available"
    self.settings = {}               # the controller's setting values (read only)
    self.pending_profile = None      # RemoteStartTransaction's chargingProfile
    self.notice = 0                  # a transaction notification for the display (3.5)
    self.notice_until_s = 0
