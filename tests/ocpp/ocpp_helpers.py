"""Helpers of the OCPP tests: a simulated controller against the loopback central system
(sim/csms.py). Simulated time runs in the test thread; the only wall-clock waits are for
real socket I/O, each bounded."""

import concurrent.futures
import select
import time

from sim import Simulation

WALL_LIMIT_S = 10.0


def advance_until(s, done, limit_s=60.0, step_s=0.1):
    """Advance simulated time until done() (at most limit_s simulated s); the time taken."""
    start = s.time_s
    wall = time.monotonic()
    while not done():
        assert s.time_s - start < limit_s, "not within %.0f simulated s" % limit_s
        assert time.monotonic() - wall < WALL_LIMIT_S, "not within the wall-clock bound"
        s.advance(step_s)
    return s.time_s - start


def booted(csms, cp_id="CP1", settings=None, **kwargs):
    """A controller whose BootNotification the central system accepted."""
    s = Simulation(settings=settings, ocpp=csms.url(cp_id), **kwargs)
    s.ocpp_wait_s = 5.0                  # a loaded host: the central system's thread may lag
    advance_until(s, lambda: s.app.ocpp.connected, 20)
    return s


def csms_call(s, csms, request, cp_id="CP1"):
    """A CALL from the central system, answered while simulated time runs: the answer."""
    future = csms.call(cp_id, request)
    sock = s.app.ocpp.ws.sock
    select.select([sock], [], [], 2.0)             # the frame is on its way (bounded)

    def answered():                                # the central system's thread takes it in
        return bool(concurrent.futures.wait([future], timeout=0.005)[0])
    advance_until(s, answered, 10, 0.01)
    return future.result(2.0)


