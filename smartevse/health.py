"""Decides when a failed peripheral is tried again, and keeps its error count and last error.

architecture.md "Errors": a display, NVM, LED or console error is the peripheral's own
business: its service catches the I/O error (`OSError`, or `RuntimeError` from a bus),
reports it here and goes on; only the safety rules of charging.md open the contactors.
After a failure the peripheral rests 1 s, doubling up to 60 s, and the first success
ends the back-off. `ready()` and `ok()` allocate nothing (they run in the 20 ms LED service).
"""

from micropython import const

from adafruit_ticks import ticks_diff

DISPLAY = const(0)
NVM = const(1)
LED = const(2)
LOG = const(3)
RS485 = const(4)
NAMES = ("display", "nvm", "led", "log", "rs485")
_FIRST_BACKOFF_MS = const(1000)
_MAX_BACKOFF_MS = const(60000)


class Health:
    """Error counts, last error texts and back-off of each peripheral (index: DISPLAY...)."""

    def __init__(self):
        self.errors = [0] * len(NAMES)
        self.last_error = [None] * len(NAMES)
        self._backoff_ms = [0] * len(NAMES)
        self._failed_ms = [0] * len(NAMES)

    def ready(self, part, now_ms):
        """True unless the part is resting after a failure."""
        backoff_ms = self._backoff_ms[part]
        return backoff_ms == 0 or ticks_diff(now_ms, self._failed_ms[part]) >= backoff_ms

    def ok(self, part):
        """The part worked: the back-off ends (the count and last error stay)."""
        self._backoff_ms[part] = 0

    def failed(self, part, exc, now_ms):
        """Count an I/O error and rest the part (1 s, doubling to 60 s)."""
        self.errors[part] += 1
        self.last_error[part] = "{}: {}".format(type(exc).__name__, exc)
        backoff_ms = self._backoff_ms[part] * 2
        if backoff_ms < _FIRST_BACKOFF_MS:
            backoff_ms = _FIRST_BACKOFF_MS
        self._backoff_ms[part] = backoff_ms if backoff_ms < _MAX_BACKOFF_MS else _MAX_BACKOFF_MS
        self._failed_ms[part] = now_ms

    def backoff_ms(self, part):
        return self._backoff_ms[part]
