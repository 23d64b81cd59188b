"""The 10 ms path keeps no heap objects (docs/architecture.md "Data and units"): a regression
guard beside `python -m bench`, which prints the figures."""

from bench import allocations
from sim import Simulation


def test_charging_10ms_and_led_services_keep_no_objects():
    """Given a controller charging, when the 10 ms safety service and the 20 ms LED
    service run 2000 times, then no heap block allocated by the firmware is kept."""
    s = Simulation()
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(3.0)
    assert s.observe()["state"] == "Charging"
    for service in (s.app._tick_10ms, s.app._tick_led):
        kept, _ = allocations.measure(service, s, passes=2000)
        assert kept == []
