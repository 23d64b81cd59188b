"""The host OLED: the real SSD1306 displayio driver over a fake I2C panel (docs/architecture.md).

`FakeSSD1306I2C` duck-types `busio.I2C` and keeps the panel's GDDRAM from the command
and data bytes the unchanged `adafruit_displayio_ssd1306` driver writes, so a PNG shows
exactly the bytes a real panel would receive. `HostDisplay` is that driver on that bus.
`sim/view.py` builds one only when a picture is first asked for.

Blinka's displayio allows one display at a time (global state): creating a HostDisplay
releases the previous one.
"""

import time

import busdisplay
import displayio
import i2cdisplaybus
from adafruit_displayio_ssd1306 import SSD1306
from PIL import Image


WIDTH = 128
HEIGHT = 64
I2C_ADDRESS = 0x3C
# Argument count of each SSD1306 command the driver sends (datasheet 9-10).
_ARGS = {0x20: 1, 0x21: 2, 0x22: 2, 0x81: 1, 0xA8: 1, 0xD3: 1, 0xD5: 1, 0xD9: 1,
         0xDA: 1, 0xDB: 1, 0x8D: 1, 0xAD: 1}
_CONTROL_DATA = 0x40
_CONTROL_COMMANDS = 0x00


class FakeSSD1306I2C:
    """An SSD1306 on I2C: GDDRAM, column/page windows, horizontal addressing, contrast."""

    def __init__(self, width=WIDTH, height=HEIGHT):
        self.width = width
        self.height = height
        self.ram = bytearray(width * height // 8)
        self.col0, self.col1, self.page0, self.page1 = 0, width - 1, 0, height // 8 - 1
        self.col = self.page = 0
        self.on = False
        self.contrast = 0x7F
        self.writes = 0
        self._cmd = []
        self._locked = False

    def try_lock(self):
        # A real lock: BusDisplay loops `while begin_transaction(): pass`
        # (docs/architecture.md "Toolchain notes").
        if self._locked:
            return False
        self._locked = True
        return True

    def unlock(self):
        self._locked = False

    def deinit(self):
        pass

    def writeto(self, address, buffer, *, start=0, end=None):
        data = bytes(buffer[start:end])
        self.writes += 1
        if data[0] == _CONTROL_DATA:
            for byte in data[1:]:
                self._data(byte)
        elif data[0] == _CONTROL_COMMANDS:
            for byte in data[1:]:
                self._command(byte)
        else:                                   # (0x80, command) pairs
            for byte in data[1::2]:
                self._command(byte)

    def _command(self, byte):
        self._cmd.append(byte)
        if len(self._cmd) - 1 < _ARGS.get(self._cmd[0], 0):
            return
        code, args = self._cmd[0], self._cmd[1:]
        self._cmd = []
        if code == 0x21:
            self.col0, self.col1 = args
            self.col = args[0]
        elif code == 0x22:
            self.page0, self.page1 = args
            self.page = args[0]
        elif code == 0x81:
            self.contrast = args[0]
        elif code in (0xAE, 0xAF):
            self.on = code == 0xAF

    def _data(self, byte):
        self.ram[self.page * self.width + self.col] = byte
        self.col += 1                           # horizontal addressing (init sends 0x20 0x00)
        if self.col > self.col1:
            self.col = self.col0
            self.page = self.page + 1 if self.page < self.page1 else self.page0

    def to_image(self):
        """GDDRAM as a 1-bit PIL image: each page is 8 rows, LSB = top."""
        image = Image.new("1", (self.width, self.height))
        for page in range(self.height // 8):
            row = self.ram[page * self.width:(page + 1) * self.width]
            # One byte per column, LSB first: read as an 8 x width image, then transpose.
            strip = Image.frombytes("1", (8, self.width), bytes(row), "raw", "1;R")
            image.paste(strip.transpose(Image.Transpose.TRANSPOSE), (0, page * 8))
        return image


class _NoSleep:
    """`time` for busdisplay while it sends the init sequence: the 10 ms waits a real
    panel needs between commands cost 130 ms per display and mean nothing here."""

    def __getattr__(self, name):
        return getattr(time, name)

    @staticmethod
    def sleep(seconds):
        pass


class HostDisplay(SSD1306):
    """The real SSD1306 driver over a new fake panel (`.panel`), auto-refresh off.

    Creating one releases whatever display blinka held (blinka drives one at a time).
    """

    def __new__(cls, width=WIDTH, height=HEIGHT):
        displayio.release_displays()
        return super().__new__(cls)             # BusDisplay.__new__ registers it

    def __init__(self, width=WIDTH, height=HEIGHT):
        # blinka's refresh thread may look at a display __new__ registered before
        # BusDisplay.__init__ ran: it finds auto-refresh off, not a missing attribute
        self._auto_refresh = False
        self.panel = FakeSSD1306I2C(width, height)
        bus = i2cdisplaybus.I2CDisplayBus(self.panel, device_address=I2C_ADDRESS)
        real_time = busdisplay.time
        busdisplay.time = _NoSleep()
        try:
            super().__init__(bus, width=width, height=height, auto_refresh=False)
        finally:
            busdisplay.time = real_time

    @property
    def is_current(self):
        """True while blinka still drives this display (no newer HostDisplay took over)."""
        return any(d is self for d in displayio.displays)

    def to_image(self):
        """The panel as a 1-bit PIL image (what the last refresh sent)."""
        return self.panel.to_image()

    def save_png(self, path, scale=1):
        image = self.panel.to_image()
        if scale != 1:
            image = image.resize((image.width * scale, image.height * scale), Image.NEAREST)
        image.save(path)
