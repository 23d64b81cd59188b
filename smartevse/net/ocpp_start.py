"""Sets up the OCPP service at boot: its starting state (interfaces.md 3.1)."""
# Imported once by OcppLink.__init__ (smartevse/net/ocpp_link.py) and released after
# (ws.py `release`): this code costs no resident device heap. `self` is the OcppLink.

from micropython import const

from adafruit_ticks import ticks_add

from smartevse.core.states import LOADBL_STANDALONE

_SECOND_MS = const(1000)


def start(self, app):
    """The starting state of the service (its charge point and records are built before)."""
    board = app.board
    v = app.settings.values
    cp = self.cp
    self._power_loss = cp.journal.tx is not None        # reported once the clock is known
    if cp.journal.tx is not None:      # open across a power cut: it ends with PowerLoss and
        cp.stop_reason = "PowerLoss"    # nothing else (3.3), written once the clock is known
        cp._stop_at_s = 1 << 30         # (ChargePoint.end_power_loss)
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
