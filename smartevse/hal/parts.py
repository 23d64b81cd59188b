"""Device parts shared by the full board and the minimal safe mode.

`smartevse/hal/device_board.py` builds every part with these, and `smartevse/startup/safemode.py`
builds only the few it needs (contactors, pilot, LED, display) with the same code, so a
half-copied `device_board.py` cannot stop safe mode from running. Imports only core
modules plus, lazily, the SSD1306 driver (architecture.md "Firmware update").
"""
import busio
import digitalio
import neopixel_write
from micropython import const

from smartevse.hal import pins

_I2C_HZ = const(400000)


def output(pin, value):
    """A push-pull output that starts at `value` (no glitch through the other level)."""
    io = digitalio.DigitalInOut(pin)
    io.switch_to_output(value=value)
    return io


def input_pin(pin, pull):
    """An input with `pull` (digitalio.Pull.UP / DOWN / None)."""
    io = digitalio.DigitalInOut(pin)
    io.switch_to_input(pull=pull)
    return io


class Led:
    """One WS2812 pixel written with `neopixel_write` from a preallocated GRB buffer."""

    def __init__(self, pin=None):
        self._pin = output(pins.NEOPIXEL if pin is None else pin, False)
        self._grb = bytearray(3)
        self.show(0, 0, 0)

    def show(self, r, g, b):
        """Set the colour, 0..255 each (no allocation)."""
        grb = self._grb
        grb[0] = g
        grb[1] = r
        grb[2] = b
        neopixel_write.neopixel_write(self._pin, grb)


def make_display():
    """The SSD1306 at 0x3C as a displayio display, or None when no panel answers.

    `auto_refresh=False`: a full 128x64 refresh over 400 kHz I2C takes ~25 ms, so the UI
    service calls `display.refresh()` itself, outside the 10 ms safety path.
    """
    try:
        import displayio
        import i2cdisplaybus
        from adafruit_displayio_ssd1306 import SSD1306
    except ImportError as exc:
        print("display: driver missing:", exc)
        return None
    displayio.release_displays()
    try:
        i2c = busio.I2C(pins.I2C_SCL, pins.I2C_SDA, frequency=_I2C_HZ)
    except (RuntimeError, ValueError) as exc:   # no pull-ups: nothing on the bus
        print("display: no I2C bus:", exc)
        return None
    found = False
    if i2c.try_lock():
        try:
            found = pins.DISPLAY_I2C_ADDRESS in i2c.scan()
        finally:
            i2c.unlock()
    if not found:
        i2c.deinit()
        print("display: no SSD1306 at 0x3C")
        return None
    bus = i2cdisplaybus.I2CDisplayBus(i2c, device_address=pins.DISPLAY_I2C_ADDRESS)
    return SSD1306(bus, width=128, height=64, auto_refresh=False)
