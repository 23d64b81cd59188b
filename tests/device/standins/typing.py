"""Stand-in so libraries that import `typing` when not on CircuitPython (they test
`sys.implementation.name`, which MicroPython cannot fake) still import in the gate.
Device code never imports it: tests/device/test_compat_gate.py forbids that."""


class _Any:
    def __getitem__(self, item):
        return self

    def __call__(self, *args, **kwargs):
        return self


def __getattr__(name):
    return _Any()
