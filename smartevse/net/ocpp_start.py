"""Sets up the OCPP service: its starting state and NVM stores at boot, and each attempt to
connect (interfaces.md 3.1)."""
# Imported by OcppLink.__init__ and OcppLink._connect (smartevse/net/ocpp_link.py) and
# released after (ws.py `release`): this code costs no resident device heap. `self` is the
# OcppLink.

from micropython import const

from adafruit_ticks import ticks_add

from smartevse.core.states import LOADBL_STANDALONE
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
    self.power_loss_reported = False
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


def connect(self, url, now_ms):
    """Open the WebSocket to `base` + ChargeBoxId; on failure the next try backs off."""
    app = self._app
    v = app.settings.values
    if not url.endswith("/"):
        url += "/"
    timeout_ms = self.cp.config.numbers[_KEY_CONNECTION_TIME_OUT] * 1000
    if self.ws.open(url + v["ocpp_cb_id"], v["ocpp_cb_id"], v["ocpp_auth_key"], now_ms,
                    not app.evse.contactor1, timeout_ms):
        self.connects += 1
        self._ping_ms = now_ms
        self.cp.connected(self._now_s)
    else:
        self._retry_ms = ticks_add(now_ms, self._backoff() * 1000)
