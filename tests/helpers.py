"""Shared test helpers."""

from smartevse.settings.live import Settings


def make_settings(**values):
    """The real settings table's defaults with `values` stored over them (not dirty)."""
    settings = Settings()
    settings.values.update(values)
    settings.dirty = False
    return settings
