"""Host stand-in for CircuitPython's `micropython` module (only `const` is used)."""


def const(value):
    return value
