"""Delayed charging: the start/stop window with daily repeat (charging.md 9.1).

Evaluated once per second, only while the local time is known. Times are local epoch
seconds in the settings `starttime` / `stoptime` (0 = not set), `repeat` 0/1.
"""

from micropython import const

from smartevse.core.states import ACCESS_OFF, ACCESS_ON

NO_CHANGE = const(-1)
_DAY_S = const(86400)


def step(settings, now_s, access):
    """One second of the window. Returns the access to set, or NO_CHANGE."""
    values = settings.values
    start_s = values["starttime"]
    stop_s = values["stoptime"]
    result = NO_CHANGE
    if start_s:
        if now_s < start_s:
            if access != ACCESS_OFF and (not stop_s or stop_s > start_s):
                result = ACCESS_OFF
        else:
            _store(settings, "starttime", start_s + _DAY_S if values["repeat"] else 0)
            result = ACCESS_ON
    if stop_s and now_s >= stop_s:
        _store(settings, "stoptime", stop_s + _DAY_S if values["repeat"] else 0)
        result = ACCESS_OFF
    return result


def _store(settings, key, value):
    settings.set(key, value)     # a valid time (0 .. 2**32 - 1 s); marks the settings dirty
