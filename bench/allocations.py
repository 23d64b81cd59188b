"""Heap objects a loop service keeps, measured with tracemalloc (docs/architecture.md "Data
and units": the 10 ms path allocates nothing). Used by `python -m bench` for the figures
and by tests/device/test_no_allocation.py as a regression guard."""

import gc
import tracemalloc


def measure(service, sim, passes, warmup=200):
    """Run `service(now_ms)` `passes` times on simulated 10 ms steps of `sim`.

    Returns (stats of firmware lines that kept blocks, peak short-lived bytes in one
    pass). CPython boxes ints above 256, which CircuitPython keeps as immediate small
    ints, so a few short-lived bytes are expected on the host only.
    """
    clock, plant, board = sim._clock, sim.plant, sim.board

    def step_plant():
        clock.now_ms += 10
        plant.step(10, board)

    for _ in range(warmup):                   # warm caches, lazy attributes
        step_plant()
        service(clock.now_ms)
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        peak_transient = 0
        for _ in range(passes):
            step_plant()
            tracemalloc.reset_peak()
            start = tracemalloc.get_traced_memory()[0]
            service(clock.now_ms)
            peak_transient = max(peak_transient, tracemalloc.get_traced_memory()[1] - start)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
        gc.enable()
    own = [tracemalloc.Filter(True, "*/smartevse/*")]
    stats = after.filter_traces(own).compare_to(before.filter_traces(own), "lineno")
    return [st for st in stats if st.count_diff > 0], peak_transient
