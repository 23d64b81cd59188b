"""Stand-in for CircuitPython's `microcontroller`: Pin, an 8 KB `nvm`, `watchdog`, delay, reset.

`nvm` behaves like `nvm.ByteArray`: len(), an index or slice read (a slice is a new
bytearray), an index or same-length slice write; no buffer protocol, no iteration.
"""
import standin_plant as _plant


class Pin:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "board." + self.name


class _ByteArray:
    def __init__(self, size):
        self._data = bytearray(b"\xff" * size)

    def __len__(self):
        return len(self._data)

    def __getitem__(self, index):
        return self._data[index]

    def __setitem__(self, index, value):
        _plant.fail("nvm")
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self._data)) if hasattr(index, "indices") \
                else _indices(index, len(self._data))
            if step != 1 or len(value) != stop - start:
                raise ValueError("Slice and value lengths must match")
            self._data[start:stop] = value
        else:
            self._data[index] = value

    def __iter__(self):
        raise TypeError("'ByteArray' object is not iterable")


def _indices(index, size):
    start = 0 if index.start is None else index.start
    stop = size if index.stop is None else min(index.stop, size)
    return start, stop, 1 if index.step is None else index.step


class _WatchDog:
    timeout = None
    mode = None

    def feed(self):
        _plant.on_feed()


nvm = _ByteArray(8192)
watchdog = _WatchDog()


def delay_us(us):
    pass


def reset():
    raise SystemExit("microcontroller.reset()")
