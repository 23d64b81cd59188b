"""Host-only simulator: a simulated plant and board running the unchanged firmware.

`from sim import Simulation` is the Python API the README describes.
"""
from sim import shims

shims.install()


def __getattr__(name):
    if name == "Simulation":
        from sim.simulation import Simulation
        return Simulation
    raise AttributeError(name)
