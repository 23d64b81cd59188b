"""Shared test helpers."""

from smartevse.settings.live import Settings


def make_settings(**values):
    """The real settings table's defaults with `values` stored over them (not dirty)."""
    settings = Settings()
    settings.values.update(values)
    settings.dirty = False
    return settings


def charging_simulation(settings=None, seconds=3.0):
    """A fresh simulated controller charging an EV on a 32 A cable (state Charging after
    `seconds` of simulated time)."""
    from sim import Simulation

    s = Simulation(settings=settings)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(seconds)
    assert s.observe()["state"] == "Charging"
    return s
