"""`python -m bench`: figures for speed and memory (printed, never asserted).

- simulated seconds per wall second for one controller charging in Normal mode
  (simulator.md target: >= 200);
- cost of one loop pass (mean, p99) and of the 10 ms safety service alone;
- cost of the 20 ms LED service (settings-and-menu.md D8);
- heap allocations per 10 ms pass in steady state, with tracemalloc (target: 0).
"""

import gc
import statistics
import sys
import time
import tracemalloc

import sim  # noqa: F401  (CircuitPython shims)
from sim.simulation import Simulation


def charging_sim():
    s = Simulation(settings={"current_max": 16})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(5.0)
    o = s.observe()
    if o["state"] != "Charging":
        raise SystemExit(f"bench setup: expected Charging, got {o['state']!r}")
    return s


def bench_speed(seconds=120.0):
    s = charging_sim()
    t0 = time.perf_counter()
    s.advance(seconds)
    wall = time.perf_counter() - t0
    return seconds / wall


def bench_pass_cost(passes=20000):
    s = charging_sim()
    clock, plant, board = s._clock, s.plant, s.board
    run_once = s.app.loop.run_once
    safety = s.app._tick_10ms
    led = s.app._tick_led
    costs, safety_costs, led_costs = [], [], []
    perf = time.perf_counter_ns
    for _ in range(passes):
        clock.now_ms += 10
        plant.step(10, board)
        t0 = perf()
        run_once()
        costs.append(perf() - t0)
    for _ in range(passes):
        clock.now_ms += 10
        t0 = perf()
        safety(clock.now_ms)
        safety_costs.append(perf() - t0)
        t0 = perf()
        led(clock.now_ms)
        led_costs.append(perf() - t0)
    return costs, safety_costs, led_costs


def p99(values):
    return sorted(values)[int(len(values) * 0.99)]


def bench_allocations(passes=5000):
    """Net heap blocks still allocated after N 10 ms passes, per pass; and the peak of
    short-lived allocation within one pass (CPython boxes ints above 256, which
    CircuitPython keeps as immediate small ints, so a few bytes transient are expected
    on the host only)."""
    s = charging_sim()
    clock, plant, board = s._clock, s.plant, s.board
    safety = s.app._tick_10ms
    for _ in range(500):                      # warm caches, lazy attributes
        clock.now_ms += 10
        plant.step(10, board)
        safety(clock.now_ms)
    gc.collect()
    gc.disable()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    peak_transient = 0
    for _ in range(passes):
        clock.now_ms += 10
        plant.step(10, board)
        tracemalloc.reset_peak()
        start = tracemalloc.get_traced_memory()[0]
        safety(clock.now_ms)
        current, peak = tracemalloc.get_traced_memory()
        peak_transient = max(peak_transient, peak - start)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    gc.enable()
    filters = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = after.filter_traces(filters).compare_to(before.filter_traces(filters), "lineno")
    own = [st for st in stats if st.count_diff > 0 and "/smartevse/" in str(st.traceback)]
    net_blocks = sum(st.count_diff for st in own)
    return net_blocks / passes, peak_transient, own[:5], base


def main():
    print("SmartEVSE firmware benchmarks (host CPython %s)" % sys.version.split()[0])
    speed = bench_speed()
    print(f"  speed, 1 controller charging (Normal): {speed:8.0f} simulated s per wall s (target >= 200)")
    costs, safety_costs, led_costs = bench_pass_cost()
    print(f"  loop pass (all due services):           mean {statistics.mean(costs) / 1000:6.1f} us"
          f"   p99 {p99(costs) / 1000:6.1f} us")
    print(f"  10 ms safety service alone:             mean {statistics.mean(safety_costs) / 1000:6.1f} us"
          f"   p99 {p99(safety_costs) / 1000:6.1f} us")
    print(f"  20 ms LED service (D8):                 mean {statistics.mean(led_costs) / 1000:6.1f} us"
          f"   p99 {p99(led_costs) / 1000:6.1f} us")
    per_pass, transient, sites, _ = bench_allocations()
    print(f"  heap blocks kept per 10 ms pass:        {per_pass:8.4f} (tracemalloc, steady state; target 0)")
    print(f"  peak short-lived bytes in one pass:     {transient:8d} (host int boxing; 0 objects kept)")
    for st in sites:
        print(f"    kept: {st}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
