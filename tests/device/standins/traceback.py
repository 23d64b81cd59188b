"""Stand-in for CircuitPython's built-in `traceback` (this MicroPython build lacks it)."""
import io
import sys


def format_exception(exc, value=None, tb=None, limit=None, chain=True):
    exc = exc if value is None else value
    out = io.StringIO()
    sys.print_exception(exc, out)
    return [out.getvalue()]


def print_exception(exc, value=None, tb=None, limit=None, file=None, chain=True):
    print(format_exception(exc, value)[0], end="", file=file)
