"""A small log: the last lines in a ring for the status page, and the console.

Logging is off the safety path: callers log on events, never per tick.
"""

from micropython import const

_KEEP = const(32)

_lines = [None] * _KEEP
_next = 0
echo = True          # print to the serial console (the simulator may turn it off)


def _add(level, text):
    global _next
    line = level + ": " + text
    _lines[_next % _KEEP] = line
    _next += 1
    if echo:
        print(line)


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
