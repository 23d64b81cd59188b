"""Stand-in for CircuitPython's `watchdog`: the mode names only."""


class WatchDogMode:
    RAISE = 1
    RESET = 2


class WatchDogTimeout(Exception):
    pass
