"""Stand-in for CircuitPython's `supervisor`: ticks_ms on the plant's clock, next code file."""
import standin_plant as _plant

next_code_file = None


def ticks_ms():
    return _plant.now_ms & ((1 << 29) - 1)


def set_next_code_file(filename, *, reload_on_success=False, reload_on_error=False,
                       sticky_on_success=False, sticky_on_error=False,
                       sticky_on_reload=False):
    global next_code_file
    next_code_file = filename


def reload():
    raise SystemExit("supervisor.reload()")
