"""The device board: every part of `smartevse/hal/board.py` on real ESP32-S3 hardware.

Thin adapters only (architecture.md "Layers"): they translate between the firmware's
units (duty in 1/1024, millivolts, booleans) and CircuitPython's (`pwmio` 16-bit duty,
`analogio` 16-bit values, pin levels) and decide nothing. Pins come from
`smartevse/hal/pins.py`. Imported on the device only (the host builds `sim/` boards).

The 10 ms path (`Pilot.sample`, `Pilot.set_duty`, `Pilot.connect`, contactor values,
`Proximity.read_mv`, `DigitalInput.value`) allocates nothing: buffers are made here
once, arithmetic stays in small ints (< 2**30).

Pilot sampling (charging.md 1.2, product mapping): with `analogbufio` the pilot ADC takes
one DMA burst per tick; `smartevse.core.pilot_window` decides the high and low windows from
it (midpoint split, neighbour guard, PWM-present threshold) and whether the start-up
calibration is trusted. The burst is 128 samples at 80 kHz (1.6 PWM periods), not 10 ms:
CircuitPython's ESP32-S3 `BufferedIn.readinto` blocks until the ESP-IDF driver delivers a
whole 256-conversion frame, so a burst costs about 256 / rate; at the S3's top rate
(83.3 kHz) that is ~3.1 ms, while a 10 ms burst would consume the whole 10 ms tick.
Without `analogbufio` the fallback reads 25 one-shot samples (their phase against the PWM
is random; a window that got no sample keeps its last values). The RCM input's double
read is decided by `smartevse.core.rcm`.
"""
import array
import gc

import analogio
import busio
import digitalio
import keypad
import microcontroller
import pwmio
import supervisor
import watchdog
from micropython import const

from smartevse.core.pilot_window import ADC_FULL, REF_MV, PilotWindows
from smartevse.core.rcm import rcm_confirmed
from smartevse.hal import pins
from smartevse.hal.parts import Led, input_pin, make_display, output

try:
    import analogbufio
except ImportError:  # a CircuitPython build without it: one-shot fallback
    analogbufio = None

_PWM_HZ = const(1000)           # IEC 61851-1 pilot frequency
_DUTY_FULL = const(65535)       # pwmio duty for constant high (+12 V)
_RATE_HZ = const(80000)         # BufferedIn sample rate (S3 maximum: 83333)
_BURST = const(128)             # samples per burst: 1.6 PWM periods at 80 kHz
_ONESHOT = const(25)            # fallback: one-shot samples per tick (charging.md 1.2)
_CAL_READS = const(8)
_WATCHDOG_S = const(5)          # reset when the loop stops feeding for 5 s

KEY_LEFT = const(0)             # keypad key numbers of `buttons`
KEY_MIDDLE = const(1)
KEY_RIGHT = const(2)


class Pilot:
    """Control-pilot PWM, CPOFF isolation and the sampled high/low windows (charging.md 1)."""

    def __init__(self):
        self._pwm = pwmio.PWMOut(pins.CP_PWM, frequency=_PWM_HZ, duty_cycle=_DUTY_FULL)
        self._cpoff = output(pins.CPOFF, False)
        self._duty_1024 = 1024
        self.high_min_mv = 0
        self.high_max_mv = 0
        self.low_min_mv = 0
        self.low_max_mv = 0
        self._buf = array.array("H", [0] * _BURST)
        self._windows = PilotWindows()  # AnalogIn scale until a calibration says otherwise
        self._bufin = None
        self._adc = None
        if analogbufio is not None:
            self._open_buffered()
        if self._bufin is None:
            self._adc = analogio.AnalogIn(pins.CP_ADC)

    def _open_buffered(self):
        """Open the DMA input, calibrating its raw scale against the calibrated one-shot ADC.

        `BufferedIn` values are raw 12-bit codes scaled to 16 bits, without the eFuse
        calibration `AnalogIn` applies; the 6 V band is only ~35 mV wide at its lower edge
        (charging.md 1.3), so a one-point gain taken now, while the pilot is a constant
        +12 V or +9 V, keeps the two paths in agreement (`PilotWindows.calibrate` decides
        whether the reading is trusted).
        """
        adc = analogio.AnalogIn(pins.CP_ADC)
        cal_mv = 0
        for _ in range(_CAL_READS):
            cal_mv += adc.value * REF_MV // ADC_FULL
        cal_mv //= _CAL_READS
        adc.deinit()
        try:
            self._bufin = analogbufio.BufferedIn(pins.CP_ADC, sample_rate=_RATE_HZ)
        except (ValueError, RuntimeError) as exc:
            print("pilot: analogbufio unavailable:", exc)
            return
        n = self._bufin.readinto(self._buf)
        if not self._windows.calibrate(self._buf, n, cal_mv):
            print("pilot: calibration refused, datasheet scale")

    def set_duty(self, duty_1024):
        """1024 = constant +12 V, 0 = constant -12 V, else 1 kHz PWM (charging.md 1.1)."""
        if duty_1024 != self._duty_1024:
            self._duty_1024 = duty_1024
            self._pwm.duty_cycle = duty_1024 * _DUTY_FULL // 1024

    def connect(self, connected):
        """False energises CPOFF: the pilot driver is isolated, the EV sees 0 V (2.3 B1)."""
        self._cpoff.value = not connected

    def sample(self):
        """Refresh the four window attributes (once per 10 ms tick)."""
        buf = self._buf
        windows = self._windows
        if self._bufin is not None:
            windows.split(buf, self._bufin.readinto(buf), 1, self._duty_1024)
        else:
            adc = self._adc
            for i in range(_ONESHOT):
                buf[i] = adc.value
            windows.split(buf, _ONESHOT, 0, self._duty_1024)
        self.high_min_mv = windows.high_min_mv
        self.high_max_mv = windows.high_max_mv
        self.low_min_mv = windows.low_min_mv
        self.low_max_mv = windows.low_max_mv


class Millivolts:
    """An ADC1 input read as calibrated millivolts (proximity, temperature)."""

    def __init__(self, pin):
        self._adc = analogio.AnalogIn(pin)

    def read_mv(self):
        return self._adc.value * REF_MV // ADC_FULL


class ActiveLow:
    """An input to GND with the internal pull-up; value True = closed / pressed."""

    def __init__(self, pin):
        self._io = input_pin(pin, digitalio.Pull.UP)

    @property
    def value(self):
        return not self._io.value


class RcmInput:
    """The RCM14-03 fault output; `value` is a confirmed trip (core.rcm, charging.md 3.4)."""

    def __init__(self, pin):
        self._io = input_pin(pin, digitalio.Pull.DOWN)   # no RCM module fitted = no fault
        self._read = self._read_pin                       # bound once: no allocation per tick

    def _read_pin(self):
        return self._io.value

    @property
    def value(self):
        return rcm_confirmed(self._read, microcontroller.delay_us)


class Lock:
    """Cable-lock H-bridge (A/B) and its feedback switch (charging.md 8)."""

    def __init__(self):
        self._a = output(pins.LOCK_A, True)
        self._b = output(pins.LOCK_B, True)
        self._in = input_pin(pins.LOCK_IN, digitalio.Pull.UP)

    def drive(self, direction):
        """1 = lock (B high, A low), -1 = unlock (B low, A high), 0 = off (both high)."""
        self._a.value = direction <= 0
        self._b.value = direction >= 0

    def feedback(self):
        return self._in.value


class Watchdog:
    """The hardware watchdog, armed by the first feed (so slow app start-up cannot trip it)."""

    def __init__(self, timeout_s=_WATCHDOG_S):
        self._wdt = microcontroller.watchdog
        self._timeout_s = timeout_s
        self._armed = False

    def feed(self):
        if not self._armed:
            self._wdt.timeout = self._timeout_s
            self._wdt.mode = watchdog.WatchDogMode.RESET
            self._armed = True
        self._wdt.feed()


class DeviceBoard:
    """All parts of smartevse/hal/board.py; outputs are set to the safe state first."""

    def __init__(self):
        # Safety outputs first: contactors open, pilot at constant +12 V, connected.
        self.contactor1 = output(pins.CONTACTOR1, False)
        self.contactor2 = output(pins.CONTACTOR2, False)
        self.pilot = Pilot()
        self.lock = Lock()
        self.proximity = Millivolts(pins.PP_ADC)
        self.temperature = Millivolts(pins.TEMP_ADC)
        self.rcm = RcmInput(pins.RCM_IN)
        self.switch = ActiveLow(pins.SWITCH_IN)
        self.led = Led()
        self.buttons = keypad.Keys(
            (pins.BUTTON_LEFT, pins.BUTTON_MIDDLE, pins.BUTTON_RIGHT),
            value_when_pressed=False, pull=True, interval=0.01)
        self.rs485 = busio.UART(
            pins.RS485_TX, pins.RS485_RX, baudrate=9600, bits=8, parity=None, stop=1,
            timeout=0, receiver_buffer_size=512, rs485_dir=pins.RS485_DE)
        # 10 ms: the longest a PN532 read may wait (an ACK, or the gap after a reply), so an
        # RFID step stays within the 20 ms per-pass budget (smartevse/rfid/reader.py)
        self.rfid_uart = busio.UART(
            pins.PN532_TX, pins.PN532_RX, baudrate=115200, timeout=0.01,
            receiver_buffer_size=256)
        self.display = make_display()
        self.net = None                          # Wi-Fi comes with the network service
        self.nvm = microcontroller.nvm
        self.watchdog = Watchdog()
        self.collect = gc.collect
        self.ticks_ms = supervisor.ticks_ms
        self.reset = microcontroller.reset
