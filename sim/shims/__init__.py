"""Host stand-ins for CircuitPython core modules; put first on sys.path by `sim`."""
import os
import sys

SHIM_DIR = os.path.dirname(os.path.abspath(__file__))


def install():
    """Make `import micropython` work on CPython."""
    if SHIM_DIR not in sys.path:
        sys.path.insert(0, SHIM_DIR)
