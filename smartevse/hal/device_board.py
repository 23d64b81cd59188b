"""The device board: every part of `smartevse/hal/board.py` on real ESP32-S3 hardware.

Thin adapters only (ARCHITECTURE.md "Layers"): they translate between the firmware's
units (duty in 1/1024, millivolts, booleans) and CircuitPython's (`pwmio` 16-bit duty,
`analogio` 16-bit values, pin levels) and decide nothing. Pins come from
`smartevse/hal/pins.py`. Imported on the device only (the host builds `sim/` boards).

The 10 ms path (`Pilot.sample`, `Pilot.set_duty`, `Pilot.connect`, contactor values,
`Proximity.read_mv`, `DigitalInput.value`) allocates nothing: buffers are made here
once, arithmetic stays in small ints (< 2**30).

Pilot sampling (charging.md 1.2, product mapping): with `analogbufio` the pilot ADC takes
one DMA burst per tick and splits it at the midpoint of its extremes: samples above the
midpoint form the high window, samples below it the low window; a sample next to a level
change (its neighbour is on the other side) is dropped, because with the feedback filter
it may sit between the two levels. With the PWM off (duty 0 or 1024), or a swing too small
to be a PWM (CP shorted), both windows carry the constant level.
The burst is 128 samples at 80 kHz (1.6 PWM periods), not 10 ms: CircuitPython's ESP32-S3
`BufferedIn.readinto` blocks until the ESP-IDF driver delivers a whole 256-conversion frame,
so a burst costs about 256 / rate; at the S3's top rate (83.3 kHz) that is ~3.1 ms, while a
10 ms burst would consume the whole 10 ms tick. Without `analogbufio` the fallback reads
25 one-shot samples (their phase against the PWM is random; a window that got no sample
keeps its last values).
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

from smartevse.hal import pins
from smartevse.hal.parts import Led, input_pin, make_display, output

try:
    import analogbufio
except ImportError:  # a CircuitPython build without it: one-shot fallback
    analogbufio = None

_PWM_HZ = const(1000)           # IEC 61851-1 pilot frequency
_DUTY_FULL = const(65535)       # pwmio duty for constant high (+12 V)
_ADC_REF_MV = const(3300)       # espressif AnalogIn.value = calibrated mV * 65535 / 3300
_RAW_FULL_MV = const(3100)      # uncalibrated BufferedIn full scale at 11 dB (S3 datasheet)
_RATE_HZ = const(80000)         # BufferedIn sample rate (S3 maximum: 83333)
_BURST = const(128)             # samples per burst: 1.6 PWM periods at 80 kHz
_ONESHOT = const(25)            # fallback: one-shot samples per tick (charging.md 1.2)
_MIN_SWING_MV = const(400)      # less spread than this is a constant level, not a PWM
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
        self._mv_num = _ADC_REF_MV      # millivolts = raw * _mv_num // _mv_den
        self._mv_den = 65535
        self._bufin = None
        self._adc = None
        if analogbufio is not None:
            self._open_buffered()
        if self._bufin is None:
            self._adc = analogio.AnalogIn(pins.CP_ADC)
        self._swing_raw = _MIN_SWING_MV * self._mv_den // self._mv_num

    def _open_buffered(self):
        """Open the DMA input, calibrating its raw scale against the calibrated one-shot ADC.

        `BufferedIn` values are raw 12-bit codes scaled to 16 bits, without the eFuse
        calibration `AnalogIn` applies; the 6 V band is only ~35 mV wide at its lower edge
        (charging.md 1.3), so a one-point gain taken now, while the pilot is a constant
        +12 V or +9 V, keeps the two paths in agreement. A saturated reading keeps the
        datasheet scale.
        """
        adc = analogio.AnalogIn(pins.CP_ADC)
        cal_mv = 0
        for _ in range(_CAL_READS):
            cal_mv += adc.value * _ADC_REF_MV // 65535
        cal_mv //= _CAL_READS
        adc.deinit()
        try:
            self._bufin = analogbufio.BufferedIn(pins.CP_ADC, sample_rate=_RATE_HZ)
        except (ValueError, RuntimeError) as exc:
            print("pilot: analogbufio unavailable:", exc)
            return
        n = self._bufin.readinto(self._buf)
        raw = 0
        for i in range(n):
            raw += self._buf[i]
        raw = raw // n if n else 0
        if 4000 < raw < 62000 and cal_mv > 0:
            self._mv_num = cal_mv
            self._mv_den = raw
        else:
            self._mv_num = _RAW_FULL_MV

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
        if self._bufin is not None:
            self._split(self._bufin.readinto(buf), 1)
        else:
            adc = self._adc
            for i in range(_ONESHOT):
                buf[i] = adc.value
            self._split(_ONESHOT, 0)

    def _split(self, n, guard):
        """Min/max per window of buf[:n] (raw units) into the mV attributes."""
        buf = self._buf
        lo = 65535
        hi = 0
        for i in range(n):
            v = buf[i]
            if v < lo:
                lo = v
            if v > hi:
                hi = v
        if n == 0:
            return
        num = self._mv_num
        den = self._mv_den
        duty = self._duty_1024
        if duty == 0 or duty == 1024 or hi - lo < self._swing_raw:
            self.high_min_mv = self.low_min_mv = lo * num // den
            self.high_max_mv = self.low_max_mv = hi * num // den
            return
        mid = (lo + hi) >> 1
        h_lo = l_lo = 65535
        h_hi = l_hi = -1
        for i in range(guard, n - guard):
            v = buf[i]
            if v > mid:
                if guard and (buf[i - 1] <= mid or buf[i + 1] <= mid):
                    continue
                if v < h_lo:
                    h_lo = v
                if v > h_hi:
                    h_hi = v
            else:
                if guard and (buf[i - 1] > mid or buf[i + 1] > mid):
                    continue
                if v < l_lo:
                    l_lo = v
                if v > l_hi:
                    l_hi = v
        if h_hi >= 0:
            self.high_min_mv = h_lo * num // den
            self.high_max_mv = h_hi * num // den
        if l_hi >= 0:
            self.low_min_mv = l_lo * num // den
            self.low_max_mv = l_hi * num // den


class Millivolts:
    """An ADC1 input read as calibrated millivolts (proximity, temperature)."""

    def __init__(self, pin):
        self._adc = analogio.AnalogIn(pin)

    def read_mv(self):
        return self._adc.value * _ADC_REF_MV // 65535


class ActiveLow:
    """An input to GND with the internal pull-up; value True = closed / pressed."""

    def __init__(self, pin):
        self._io = input_pin(pin, digitalio.Pull.UP)

    @property
    def value(self):
        return not self._io.value


class RcmInput:
    """The RCM14-03 fault output; True only when it reads high twice, 1 ms apart
    (charging.md 3.4). The 1 ms wait happens only while the input is high."""

    def __init__(self, pin):
        self._io = input_pin(pin, digitalio.Pull.DOWN)   # no RCM module fitted = no fault

    @property
    def value(self):
        if not self._io.value:
            return False
        microcontroller.delay_us(1000)
        return self._io.value


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
        self.rfid_uart = busio.UART(
            pins.PN532_TX, pins.PN532_RX, baudrate=115200, timeout=0.02,
            receiver_buffer_size=256)
        self.display = make_display()
        self.nvm = microcontroller.nvm
        self.watchdog = Watchdog()
        self.collect = gc.collect
        self.ticks_ms = supervisor.ticks_ms
