"""Decides whether the residual current monitor's fault input is a trip (charging.md 3.4).

RCMON: every 10 ms, if the RCM14-03 fault input reads high, it is read again 1 ms later;
only a second high reading is a trip. A short spike on the input line therefore never
opens the contactors. The board passes its two small I/O actions in: `read_high()` (the
pin level) and `delay_us(us)` (device: `microcontroller.delay_us`); the wait and the
second read happen only while the input is high, so a quiet input costs one read.
"""

from micropython import const

CONFIRM_US = const(1000)     # 3.4: confirmed twice, 1 ms apart


def rcm_confirmed(read_high, delay_us):
    """True when the fault input reads high, and again after CONFIRM_US (3.4)."""
    if not read_high():
        return False
    delay_us(CONFIRM_US)
    return bool(read_high())
