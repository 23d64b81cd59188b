"""Sets up the OCPP service: its starting state and NVM stores at boot, each attempt to
connect, a change of its settings and the reboot of a Reset (interfaces.md 1.5, 3.1, 3.10)."""
# Imported by OcppLink (smartevse/net/ocpp_link.py) for these and released after (ws.py
# `release`): this code costs no resident device heap. `self` is the OcppLink.

from micropython import const

from adafruit_ticks import ticks_add

from smartevse.core.states import LOADBL_STANDALONE
from smartevse.ocpp.chargepoint import _release
from smartevse.settings.nvm import (KIND_OCPP, KIND_OCPP_CONFIG, KIND_OCPP_LIST,
                                    OCPP_CONFIG_OFFSET, OCPP_CONFIG_SLOT_SIZE,
                                    OCPP_JOURNAL_OFFSET, OCPP_JOURNAL_SLOT_SIZE,
                                    OCPP_LIST_OFFSET, OCPP_LIST_SLOT_SIZE, RecordStore)

# configuration keys: their index in config.numbers (records.py DEFAULTS; a test checks)
_KEY_CONNECTION_TIME_OUT = const(1)
_SECOND_MS = const(1000)


def start(self, app):
    """The starting state of the service and its NVM stores (loaded by the caller)."""
    board = app.board
    v = app.settings.values
    nvm = board.nvm
    self._stores = (RecordStore(nvm, OCPP_JOURNAL_OFFSET, OCPP_JOURNAL_SLOT_SIZE, KIND_OCPP),
                    RecordStore(nvm, OCPP_LIST_OFFSET, OCPP_LIST_SLOT_SIZE, KIND_OCPP_LIST),
                    RecordStore(nvm, OCPP_CONFIG_OFFSET, OCPP_CONFIG_SLOT_SIZE,
                                KIND_OCPP_CONFIG))
    self.nvm_writes = 0
    self.nvm_errors = 0
    self._now_s = 0
    now_ms = board.ticks_ms()
    self._second_ms = ticks_add(now_ms, _SECOND_MS)
    self._retry_ms = now_ms
    self._ping_ms = now_ms
    self._read_ms = now_ms
    self._backoff_s = 0
    self._standalone = v["loadbl"] == LOADBL_STANDALONE      # at OCPP start (3.8)
    self.lb_conflict = False
    self._permit = False
    self._limit_da = -1
    self.connects = 0
    self._plugged = False
    self._notice_until_s = 0
    self._reset_by_s = 0
    self._error_flags = 0             # none: the inputs' NoError
    self.tx_active = False            # a transaction is open (its StartTransaction journalled)


def load(self):
    """The records kept in NVM, at the first step: the journal (a transaction open across
    a power cut ends with PowerLoss and nothing else, 3.3), the local list, the keys and
    the charging profiles; then OCPP takes access when it decides it (3.6)."""
    cp = self.cp
    from smartevse.ocpp import codec          # the records' bytes, released after
    for store, record, load_record in zip(self._stores, (cp.journal, cp.local_list, cp.config),
                                          (codec.load_journal, codec.load_list,
                                           codec.load_config)):
        payload = store.load()[0]
        if payload is not None:
            load_record(record, payload)
    from smartevse.ocpp import profile_store    # the profiles that outlive a power cut
    self.profile_errors = profile_store.load(cp.profiles,          # 1: record unreadable
                                             *profile_store.store(self._app.board.nvm).load())
    _release()
    self.profiles_saved = cp.profiles.installed   # written when another list is installed
    self._power_loss = cp.journal.tx is not None        # reported once the clock is known
    if self._power_loss:
        cp.stop_reason = "PowerLoss"    # written once the clock is known (events.py
        cp._stop_at_s = 1 << 30         # end_power_loss)
    self._take_access()
    self._access = self._app.evse.access
    self.tx_active = cp.journal.tx is not None
    self._loaded = True


def reconfigure(self, key):
    """A new URL, id or key: reconnect with them now (1.5); the reader or the load
    balancing changed: who decides access, whether smart charging applies (3.6, 3.8)."""
    if key in ("ocpp_backend_url", "ocpp_cb_id", "ocpp_auth_key", "ocpp_mode"):
        self.ws.close("reconfigured")
        self._retry_ms = self._app.board.ticks_ms()
        self._backoff_s = 0
    if key == "ocpp_mode" or key == "rfid_reader":
        self._take_access()
    if key == "loadbl" and self._standalone:
        self.lb_conflict = True            # smart charging dropped until restart (3.8)
        self._standalone = False


def reset_when_done(self, app):
    """Reset (3.10, OCPP 1.6 5.14): once answered, the transaction stopped (SoftReset or
    HardReset), journalled and, while online, its StopTransaction confirmed (at most 30 s;
    else it goes out from the journal after the boot), the REST reboot path reboots 5 s
    after the EV stopped charging (api/actions.py; a second call joins it). reset_kind
    stays set: nothing begins until the reboot."""
    cp = self.cp
    if cp.journal.tx is None and not cp.journal.dirty and not self.ws.tx_len \
            and not (cp.replies and cp.online) and (
                not cp.journal.queue or not cp.accepted or self._now_s >= self._reset_by_s):
        from smartevse.api.actions import schedule
        schedule(app, False)


def connect(self, url, now_ms):
    """Open the WebSocket to `url` + ChargeBoxId; on failure the next try backs off."""
    app = self._app
    v = app.settings.values
    if not url.endswith("/"):
        url += "/"
    timeout_ms = self.cp.config.numbers[_KEY_CONNECTION_TIME_OUT] * 1000
    if self.ws.open(url + v["ocpp_cb_id"], v["ocpp_cb_id"], v["ocpp_auth_key"], now_ms,
                    not app.evse.contactor1, timeout_ms):
        self.connects += 1
        self._ping_ms = now_ms
        from smartevse.ocpp.start import connected
        connected(self.cp, self._now_s)
        _release()
    else:
        self._retry_ms = ticks_add(now_ms, self._backoff() * 1000)
