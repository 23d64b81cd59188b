"""The board: the parts the firmware drives, as documentation-only interfaces.

The device board (`smartevse/hal/device_board.py`) and the host board (`sim/board.py`)
implement exactly these parts with the same names (architecture.md "Layers"). Nothing
here is instantiated; classes with `...` bodies document the duck types, in the style of
`adafruit_httpserver/interfaces.py` (no `abc` on CircuitPython).

A board object carries these attributes:

    pilot, proximity, contactor1, contactor2, lock, rcm, switch, temperature, led,
    buttons, rs485, display, rfid_uart, net, nvm, watchdog, ticks_ms, collect, reset

`display`, `rfid_uart`, `rs485`, `net` and `buttons` may be None where a part is absent.
"""


class Pilot:
    """Control-pilot driver and ADC window (charging.md 1.1-1.2)."""

    # After sample(): min/max of the last 25 ADC samples (ADC-side mV) of the high
    # half (the constant level while the PWM is off) and of the low half.
    high_min_mv = 0
    high_max_mv = 0
    low_min_mv = 0
    low_max_mv = 0

    def sample(self):
        """Refresh the four window attributes (called once per 10 ms tick)."""
        ...

    def set_duty(self, duty_1024):
        """1024 = constant +12 V, 0 = constant -12 V, else PWM at 1 kHz."""
        ...

    def connect(self, connected):
        """False isolates the CP driver (CPOFF): the EV sees 0 V (charging.md 2.3 B1)."""
        ...


class Proximity:
    def read_mv(self):
        """Proximity-pilot ADC millivolts (charging.md 7)."""
        ...


class Contactor:
    """contactor1 (L1/N) and contactor2 (L2/L3)."""

    value = False  # True = coil energised (closed)


class Lock:
    """Cable-lock actuator (charging.md 8)."""

    def drive(self, direction):
        """1 = lock (B high, A low), -1 = unlock (B low, A high), 0 = off (both high)."""
        ...

    def feedback(self):
        """Raw level of the feedback input (Solenoid: 1 unlocked; Motor: 1 locked)."""
        ...


class DigitalInput:
    """rcm (True = fault input high) and switch (True = closed / pressed)."""

    value = False


class Temperature:
    def read_mv(self):
        """MCP9700A output in mV: T(degC) = (mV - 500) / 10 (charging.md 3.3)."""
        ...


class Led:
    def show(self, r, g, b):
        """Set the RGB status LED, 0..255 each."""
        ...


class Network:
    """Wi-Fi and sockets for HTTP, MQTT and OCPP (interfaces.md 0)."""

    connected = False      # the station link is up (the host's loopback always is)
    ipv4_address = None    # "192.168.1.20", or None without a link

    def socket_pool(self):
        """A socketpool-like object: socket(family, type), getaddrinfo(), AF_INET,
        SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, timeout. adafruit_connection_manager
        keeps one socket per (pool, host, port), so the host hands each client its own."""
        ...


class Watchdog:
    def feed(self):
        ...


# nvm: a bytearray-like of 8192 bytes supporting len(), slicing and slice assignment
# (microcontroller.nvm on the device, a file of the same size on the host).
# ticks_ms: a callable returning milliseconds on the wrapping 2**29 ticks clock.
# collect: the garbage collection the loop runs in its 1 s slot (gc.collect on the
# device; the host collects only the youngest generation, since a full CPython
# collection costs in proportion to the whole test process's heap).
# reset: a callable that restarts the controller (REST /reboot, interfaces.md 1.10):
# microcontroller.reset on the device; the simulator power-cycles at the end of the pass.
