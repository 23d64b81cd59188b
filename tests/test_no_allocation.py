"""The 10 ms path keeps no heap objects (ARCHITECTURE.md "Data and units"): a regression
guard beside `python -m bench`, which prints the figures."""

import gc
import tracemalloc

from sim import Simulation


def kept_blocks(service, clock, plant, board, passes=2000):
    for _ in range(200):
        clock.now_ms += 10
        plant.step(10, board)
        service(clock.now_ms)
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for _ in range(passes):
            clock.now_ms += 10
            plant.step(10, board)
            service(clock.now_ms)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
        gc.enable()
    own = tracemalloc.Filter(True, "*/smartevse/*")
    stats = after.filter_traces([own]).compare_to(before.filter_traces([own]), "lineno")
    return [st for st in stats if st.count_diff > 0]


def test_charging_10ms_and_led_services_keep_no_objects():
    """Given a controller charging, when the 10 ms safety service and the 20 ms LED
    service run 2000 times, then no heap block allocated by the firmware is kept."""
    s = Simulation()
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(3.0)
    assert s.observe()["state"] == "Charging"
    for service in (s.app._tick_10ms, s.app._tick_led):
        assert kept_blocks(service, s._clock, s.plant, s.board) == []
