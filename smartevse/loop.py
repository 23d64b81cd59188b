"""The cooperative loop: fixed-rate services on one injected clock (architecture.md).

Each pass runs, in this order: the safety services (10 ms: pilot, state machine,
outputs), the watchdog feed, `gc.collect()` when the 1 s slot is due (right after the
safety path, so an automatic collection never lands inside it), the other timed services
by registration order, then the every-pass services (network polls). Nothing here
sleeps; a service that raises is reported to `on_fault` and the loop goes on, even when
`on_fault` raises itself (counted in `fault_handler_errors`).
"""

import gc

from adafruit_ticks import ticks_add, ticks_diff


class Loop:
    """Runs `(period_ms, service)` pairs when due; `service(now_ms)` does one slice."""

    def __init__(self, ticks_ms, on_fault, watchdog=None, collect=gc.collect):
        self._ticks_ms = ticks_ms
        self._on_fault = on_fault
        self._watchdog = watchdog
        self._collect = collect
        self._safety = []      # [period_ms, next_due_ms, service]
        self._timed = []
        self._every_pass = []
        self._gc_due_ms = None
        self.passes = 0
        self.faults = 0
        self.fault_handler_errors = 0

    def add_safety(self, period_ms, service):
        """A service of the safety path: runs first, before the watchdog is fed."""
        self._safety.append([period_ms, self._ticks_ms(), service])

    def add(self, period_ms, service):
        """A timed service outside the safety path (UI, timers, persistence)."""
        self._timed.append([period_ms, self._ticks_ms(), service])

    def add_every_pass(self, service):
        """A non-blocking poll run on every pass (HTTP, MQTT, OCPP)."""
        self._every_pass.append(service)

    def run_once(self):
        """One pass over everything that is due."""
        now_ms = self._ticks_ms()
        self._run_due(self._safety, now_ms)
        if self._watchdog is not None:
            self._watchdog.feed()
        if self._gc_due_ms is None:
            self._gc_due_ms = now_ms
        if ticks_diff(now_ms, self._gc_due_ms) >= 0:
            self._gc_due_ms = self._next_due(self._gc_due_ms, 1000, now_ms)
            self._collect()
        self._run_due(self._timed, now_ms)
        for service in self._every_pass:
            self._call(service, now_ms)
        self.passes += 1

    def run_forever(self):
        while True:
            self.run_once()

    def _run_due(self, entries, now_ms):
        for entry in entries:
            if ticks_diff(now_ms, entry[1]) >= 0:
                entry[1] = self._next_due(entry[1], entry[0], now_ms)
                self._call(entry[2], now_ms)

    @staticmethod
    def _next_due(due_ms, period_ms, now_ms):
        # Keep the cadence; after a stall longer than one period, skip the missed
        # slots instead of running a burst of them.
        due_ms = ticks_add(due_ms, period_ms)
        if ticks_diff(now_ms, due_ms) >= 0:
            due_ms = ticks_add(now_ms, period_ms)
        return due_ms

    def _call(self, service, now_ms):
        try:
            service(now_ms)
        except Exception as exc:  # the loop's fail-safe: the only catch-all
            self.faults += 1
            try:
                self._on_fault(service, exc)
            except Exception:     # the handler failed too: the loop still goes on
                self.fault_handler_errors += 1
