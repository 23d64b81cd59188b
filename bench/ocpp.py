"""OCPP figures for `python -m bench` (issue 13): the round trip of a message to the
loopback central system (sim/csms.py), the cost of one OCPP step per loop pass, the NVM
writes in an hour of charging offline, and the heap OCPP adds on the device."""

import os
import statistics
import sys
import time

from sim.csms import CentralSystem
from sim.simulation import Simulation

_GATE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "device")


def _p99(values):
    return sorted(values)[int(len(values) * 0.99)]


def _booted(csms, settings=None):
    s = Simulation(settings=settings, ocpp=csms.url("BENCH"))
    for _ in range(2000):
        if s.app.ocpp.connected:
            return s
        s.advance(0.01)
    raise SystemExit("bench setup: the OCPP link did not come up")


def round_trips(s, count=200):
    """Wall seconds from a Heartbeat CALL queued to its answer taken in."""
    link = s.app.ocpp
    clock, run_once = s._clock, s.app.loop.run_once
    times = []
    for _ in range(count):
        link.cp.call("Heartbeat", {})
        t0 = time.perf_counter()
        sent = False
        while True:
            clock.now_ms += 10
            run_once()
            if link.cp.pending is not None:
                sent = True
            elif sent:
                break
        times.append(time.perf_counter() - t0)
    return times


def step_costs(s, passes=20000):
    """Wall ns of the OCPP service alone per pass, connected and idle, charging."""
    step = s.app.ocpp.step
    clock = s._clock
    perf = time.perf_counter_ns
    costs = []
    for _ in range(passes):
        clock.now_ms += 10
        t0 = perf()
        step(clock.now_ms)
        costs.append(perf() - t0)
    return costs


def offline_writes(csms):
    """NVM writes of the OCPP records in 1 h of charging with the central system away."""
    s = _booted(csms, {"ocpp_auto_auth": 1, "ev_meter_type": "Eastron3P",
                       "ev_meter_address": 12})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(10)
    csms.stop()
    s.advance(5)
    before = s.app.ocpp.nvm_writes
    s.advance(3600)
    charging = s.observe()["state"] == "Charging"
    writes = s.app.ocpp.nvm_writes - before
    s.plant.ev.pilot("A")
    s.advance(10)
    with_stop = s.app.ocpp.nvm_writes - before
    csms.start()
    s.close()
    return writes, with_stop, charging


def reconnect_storm(csms, seconds=600):
    """The longest loop pass (wall) while the central system refuses every connection
    and the controller charges: its reconnects back off from 10 s."""
    s = _booted(csms, {"ocpp_auto_auth": 1})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(10)
    csms.stop()
    clock, plant, board, run_once = s._clock, s.plant, s.board, s.app.loop.run_once
    costs = []
    perf = time.perf_counter_ns
    for _ in range(seconds * 100):
        clock.now_ms += 10
        plant.step(10, board)
        t0 = perf()
        run_once()
        costs.append(perf() - t0)
    attempts = s.app.ocpp.connects
    charging = s.observe()["state"] == "Charging"
    csms.start()
    s.close()
    return costs, attempts, charging


def fleet_real_time(csms, count=100, seconds=30.0):
    """--fleet at real time: messages per second, round trip p50/p99, worst lateness."""
    from sim.fleet import Fleet
    from smartevse.ocpp.chargepoint import ChargePoint

    sent = {}
    trips = []
    send, received = ChargePoint._send, ChargePoint.received

    def timed_send(cp, action, payload, now_s):
        text = send(cp, action, payload, now_s)
        sent[id(cp)] = time.perf_counter()
        return text

    def timed_received(cp, text, now_s):
        pending = cp.pending
        received(cp, text, now_s)
        if pending is not None and cp.pending is None and id(cp) in sent:
            trips.append(time.perf_counter() - sent.pop(id(cp)))

    ChargePoint._send, ChargePoint.received = timed_send, timed_received
    try:
        fleet = Fleet(count, csms.url(), arrive_s=(0, seconds / 2))
        for ev in fleet.evs:
            ev.sim.ocpp_wait_s = 0             # real time: the fleet never waits on one link
        before = len(csms.received)
        start = time.monotonic()
        worst = 0.0
        while fleet.time_s < seconds:
            lag = (time.monotonic() - start) - fleet.time_s
            worst = max(worst, lag)
            if lag < 0:
                time.sleep(-lag)
                continue
            fleet.advance(0.1)
        wall = time.monotonic() - start
        messages = len(csms.received) - before
        summary = fleet.summary()
        fleet.close()
    finally:
        ChargePoint._send, ChargePoint.received = send, received
    return messages / wall, trips, worst, summary


def device_heap():
    sys.path.insert(0, _GATE)
    import mpy_gate
    try:
        mpy_gate.ensure_micropython()
    except mpy_gate.Unavailable as exc:
        return None, str(exc)
    run = mpy_gate.run("ocpp_heap.py")
    result = run.results()
    step_b = mpy_gate.pool_step_b(run, run, 1, 0)
    return result["ocpp_bytes"] - step_b, dict(result["sizes"], pool_step_apart=step_b)


def print_figures():
    print("OCPP 1.6J (loopback central system on the `ocpp` package, sim/csms.py)")
    with CentralSystem() as csms:
        s = _booted(csms, {"ocpp_auto_auth": 1})
        s.plant.cable(rating_a=32)
        s.plant.ev.pilot("C")
        s.advance(10)
        trips = round_trips(s)
        print(f"  message round trip (Heartbeat):           p50 {statistics.median(trips) * 1e3:6.2f} ms"
              f"   p99 {_p99(trips) * 1e3:6.2f} ms")
        costs = step_costs(s)
        print(f"  one OCPP step per loop pass (idle, open): mean {statistics.mean(costs) / 1000:6.1f} us"
              f"   p99 {_p99(costs) / 1000:6.1f} us   max {max(costs) / 1000:6.1f} us")
        s.close()
        costs, attempts, charging = reconnect_storm(csms)
        print(f"  loop pass, 10 min reconnect storm:        p99 {_p99(costs) / 1e6:6.3f} ms   longest"
              f" {max(costs) / 1e6:6.2f} ms ({attempts} connects, charging throughout: {charging};"
              f" target <= 20 ms; the host's load shows in the longest)")
        rate, trips, lag, summary = fleet_real_time(csms)
        print(f"  --fleet 100 at real time, 30 s:           {rate:6.1f} messages/s, round trip"
              f" p50 {statistics.median(trips) * 1e3:.1f} ms p99 {_p99(trips) * 1e3:.1f} ms,"
              f" worst lateness {lag * 1e3:.0f} ms ({summary['connected']} links up,"
              f" {summary['tx_starts']} transactions)")
        writes, with_stop, charging = offline_writes(csms)
        print(f"  NVM writes, 1 h charging offline:         {writes:6d} (target <= 2; with the stop:"
              f" {with_stop}; still charging: {charging})")
    heap, sizes = device_heap()
    if heap is None:
        print("  device heap: skipped: " + sizes)
    else:
        print(f"  heap OCPP adds on the device (.py):       {heap:6d} B (target <= 25600; its names at"
              f" their pool entry; CSMS operations and connecting released after use) by module"
              f" {sizes}")
