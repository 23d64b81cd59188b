"""Safe mode: the boot decision, and what runs instead of the firmware when it must not.

architecture.md "Firmware update": a half-copied update never runs. `boot()` is the whole
decision of `code.py`: verify the manifest (`smartevse/startup/manifest.py`), then either start
the app or hold the outputs safe forever: contactors open, pilot connected at a constant
+12 V (duty 1024: an EV reads state A and cannot start charging), LED red, the reason on
the display when there is one. Nothing here imports the app or the full device board, so a
partial copy of those files cannot stop it; on the device it needs only `manifest.py`,
`hal/pins.py`, `hal/parts.py` and CircuitPython core modules (plus the SSD1306 and label
libraries for the text, used when they import).

Run as a code file (`boot.py` selects it while the middle button is held at power-up) it
is a maintenance mode: the same safe outputs, without starting the firmware at all.
"""
import time

from micropython import const

from smartevse.startup import manifest

TITLE = "update incomplete"
_HINT = "copy update again"
_DUTY_FULL = const(65535)     # pwmio duty for a constant +12 V pilot
_LINE_CHARS = const(21)       # 128 px / 6 px per terminalio glyph


class _SafePilot:
    """The pilot reduced to its safe state: +12 V, connected (duty below 1024 is ignored)."""

    def __init__(self, pins):
        import pwmio
        from smartevse.hal.parts import output

        self._pwm = pwmio.PWMOut(pins.CP_PWM, frequency=1000, duty_cycle=_DUTY_FULL)
        self._cpoff = output(pins.CPOFF, False)

    def set_duty(self, duty_1024):
        self._pwm.duty_cycle = _DUTY_FULL

    def connect(self, connected):
        self._cpoff.value = False


class SafeBoard:
    """The few board parts safe mode drives, built straight from the pin map."""

    def __init__(self, pins):
        from smartevse.hal.parts import Led, make_display, output

        self.contactor1 = output(pins.CONTACTOR1, False)
        self.contactor2 = output(pins.CONTACTOR2, False)
        self.pilot = _SafePilot(pins)
        self.led = Led(pins.NEOPIXEL)
        self.display = make_display()


def _show_text(display, lines):
    """Put `lines` on a displayio display; a broken label library leaves it blank."""
    try:
        import displayio
        import terminalio
        from adafruit_display_text.label import Label
    except (ImportError, SyntaxError) as exc:
        print("safe mode: no text:", exc)
        return
    group = displayio.Group()
    y = 6
    for line in lines:
        group.append(Label(terminalio.FONT, text=line[:_LINE_CHARS], color=0xFFFFFF, x=0, y=y))
        y += 14
    display.root_group = group
    if hasattr(display, "refresh"):
        display.refresh()


def _wrap(reason):
    """The reason on one or two display lines ("size mismatch" / "smartevse/core/evse.py")."""
    if len(reason) <= _LINE_CHARS or " " not in reason:
        return [reason[:_LINE_CHARS]]
    head, tail = reason.rsplit(" ", 1)
    return [head[:_LINE_CHARS], tail[-_LINE_CHARS:]]


def hold_safe(board):
    """Contactors open, pilot connected at constant +12 V, LED red."""
    board.contactor1.value = False
    board.contactor2.value = False
    board.pilot.connect(True)
    board.pilot.set_duty(1024)
    board.led.show(255, 0, 0)


def run_safe_mode(board_or_pins, reason, title=TITLE, hint=_HINT, passes=None, sleep=time.sleep):
    """Hold the outputs safe and show why; loops forever unless `passes` is given.

    `board_or_pins` is a board (anything with the parts of smartevse/hal/board.py) or the
    pin-map module, from which a `SafeBoard` is built. Returns the board (for tests).
    """
    board = board_or_pins
    if not hasattr(board, "contactor1"):
        board = SafeBoard(board_or_pins)
    hold_safe(board)
    print("SAFE MODE:", title, "-", reason)
    display = getattr(board, "display", None)
    if display is not None:
        _show_text(display, [title] + _wrap(reason) + [hint])
    n = 0
    while True:
        hold_safe(board)          # re-assert: nothing else runs, nothing may drift
        n += 1
        if passes is not None and n >= passes:
            return board
        sleep(1)


_CRASH_HOLD_S = const(30)      # a firmware that failed shows why this long, then resets


def boot(root, start_app, safe_target, opener=open, passes=None, reset=None):
    """code.py's decision: a complete (or manifest-less) tree starts the app, else safe mode.

    `start_app()` imports and runs the firmware; `safe_target()` returns the board or the
    pin map for safe mode. An exception escaping the firmware (it failed to start, or its
    loop itself broke) holds the outputs safe with the error shown for 30 s, then
    `reset()` (the device resets; a fault that persists repeats this, never charging).
    Returns None after the app returned, else the reason.
    """
    reason = manifest.verify(root, opener)
    if reason is not None:
        run_safe_mode(safe_target(), reason, passes=passes)
        return reason
    try:
        start_app()
    except Exception as exc:  # the last line of defence: only safe mode follows
        reason = "{}: {}".format(type(exc).__name__, exc)
        run_safe_mode(safe_target(), reason, title="firmware error", hint="resetting",
                      passes=_CRASH_HOLD_S if passes is None else passes)
        if reset is None:
            import microcontroller
            reset = microcontroller.reset
        reset()
        return reason
    return None


if __name__ == "__main__":
    # Selected by boot.py (middle button held at power-up): maintenance mode.
    from smartevse.hal import pins as _pins

    run_safe_mode(_pins, "O held at boot", title="maintenance mode",
                  hint="reset to leave")
