"""A small log: the last lines in a ring for the status page, and the console.

Logging is off the safety path: callers log on events, never per tick. A console that
fails (an OSError from the serial port) costs the echo, never the caller: the error is
counted in the app's `Health` (smartevse/health.py) and the echo rests with back-off;
the ring keeps every line.
"""

from micropython import const

from smartevse.health import LOG

_KEEP = const(32)

_lines = [None] * _KEEP
_next = 0
echo = True          # print to the serial console (the simulator may turn it off)
write = print        # the console
health = None        # the app's Health, where console errors are counted (set by the app)
clock = None         # ticks_ms for the back-off (set by the app)


def _add(level, text):
    global _next
    line = level + ": " + text
    _lines[_next % _KEEP] = line
    _next += 1
    if echo:
        _echo(line)


def _echo(line):
    h = health
    now_ms = clock() if clock is not None else 0
    if h is not None and not h.ready(LOG, now_ms):
        return
    try:
        write(line)
    except OSError as exc:
        if h is not None:
            h.failed(LOG, exc, now_ms)
        return
    if h is not None:
        h.ok(LOG)


def info(text):
    _add("INFO", text)


def warning(text):
    _add("WARNING", text)


def error(text):
    _add("ERROR", text)


def written():
    """How many lines were logged since start-up."""
    return _next


def recent():
    """The kept lines, oldest first."""
    start = _next - _KEEP if _next > _KEEP else 0
    return [_lines[i % _KEEP] for i in range(start, _next)]
