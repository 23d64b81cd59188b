"""Stand-in for CircuitPython's built-in `__future__` (MicroPython's WebAssembly build lacks it)."""
annotations = True
