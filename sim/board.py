"""The host board: every part of smartevse/hal/board.py, wired to the simulated plant.

Parts translate plant physics into what the device's ADCs and inputs would read;
they decide nothing. Where the device board asks the core to decide (the pilot windows
of a sample burst, the RCM double read), the host board asks the same functions.
"""

import array
import gc
import socket

from sim.plant import cp_to_adc_mv
from smartevse.core.pilot_window import PilotWindows
from smartevse.core.rcm import rcm_confirmed

_ADC_0V = cp_to_adc_mv(0)
_ADC_MINUS_12V = cp_to_adc_mv(-12000)
TICKS_MAX = (1 << 29) - 1
# The device's burst: 128 samples at 80 kHz, 80 a PWM period, from a rising edge.
_BURST = 128
_PERIOD_SAMPLES = 80


class HostPilot:
    """The pilot's PWM output and its ADC: each tick a sample burst of the CP level the
    plant presents, split into windows by the device's `PilotWindows` (charging.md 1.2)."""

    def __init__(self, ev):
        self._ev = ev
        self.duty_1024 = 1024
        self.connected = True
        self._buf = array.array("i", [0] * _BURST)     # ADC mV: the host ADC is calibrated
        self._windows = PilotWindows(1, 1)
        self._burst_of = [None, 0, 0, 0]               # high, low, ripple, duty of _buf
        self.high_min_mv = self.high_max_mv = cp_to_adc_mv(12000)
        self.low_min_mv = self.low_max_mv = self.high_min_mv

    def set_duty(self, duty_1024):
        self.duty_1024 = duty_1024

    def connect(self, connected):
        self.connected = connected

    def pwm_on(self):
        return self.connected and 0 < self.duty_1024 < 1024

    def sample(self):
        ev = self._ev
        ripple = 0
        if not self.connected:
            high = low = _ADC_0V             # CP driver isolated: the EV sees 0 V
        elif self.duty_1024 == 0:
            high = low = _ADC_MINUS_12V
        else:
            pwm = self.duty_1024 < 1024
            cp_mv = ev.cp_high_mv(pwm)
            high = cp_to_adc_mv(cp_mv)
            ripple = (124 * ev.ripple_mv) // 1000
            if not pwm:
                low = high
            elif ev.has_diode or cp_mv >= 12000:
                low = _ADC_MINUS_12V         # the EV's diode leaves -12 V intact
            else:
                low = cp_to_adc_mv(-cp_mv)   # no diode: the EV's resistor loads it too
        made = self._burst_of
        if made[0] != high or made[1] != low or made[2] != ripple or made[3] != self.duty_1024:
            made[0], made[1], made[2], made[3] = high, low, ripple, self.duty_1024
            self._fill_burst(high, low, ripple)   # the plant is static between changes
            windows = self._windows
            windows.split(self._buf, _BURST, 1, self.duty_1024)
            self.high_min_mv = windows.high_min_mv
            self.high_max_mv = windows.high_max_mv
            self.low_min_mv = windows.low_min_mv
            self.low_max_mv = windows.low_max_mv

    def _fill_burst(self, high_mv, low_mv, ripple_mv):
        """What the ADC reads from a rising edge on: the high level for the duty's share
        of each period, then the low level; the ripple alternates sample by sample."""
        buf = self._buf
        high_x1024 = self.duty_1024 * _PERIOD_SAMPLES
        for i in range(_BURST):
            level = high_mv if (i % _PERIOD_SAMPLES) * 1024 < high_x1024 else low_mv
            buf[i] = level + ripple_mv if i & 1 else level - ripple_mv


class HostProximity:
    def __init__(self, cable):
        self._cable = cable

    def read_mv(self):
        return self._cable.pp_mv()


class HostContactor:
    def __init__(self):
        self.value = False


class HostLock:
    """Two drive outputs and the feedback input of the socket's lock actuator."""

    def __init__(self, actuator, is_motor):
        self._actuator = actuator
        self._is_motor = is_motor
        self.direction = 0

    def drive(self, direction):
        self.direction = direction
        self._actuator.drive(direction)

    def feedback(self):
        locked = self._actuator.is_locked
        # Solenoid: 1 = unlocked; Motor: 1 = locked (charging.md 8).
        return locked if self._is_motor() else not locked


class HostRcm:
    """The RCM fault input: the plant's level read twice by the device's rule (3.4)."""

    def __init__(self, plant):
        self._plant = plant

    def _read(self):
        return self._plant.rcm_level()

    @staticmethod
    def _delay_us(us):
        pass                                  # the plant is static within one pass

    @property
    def value(self):
        return rcm_confirmed(self._read, self._delay_us)


class HostInput:
    """A digital input read from a plant attribute."""

    def __init__(self, plant, attribute):
        self._plant = plant
        self._attribute = attribute

    @property
    def value(self):
        return getattr(self._plant, self._attribute)


class HostTemperature:
    def __init__(self, plant):
        self._plant = plant

    def read_mv(self):
        return 500 + 10 * self._plant.temperature_c   # MCP9700A: 10 mV/degC, 500 mV at 0


class PartFaults:
    """Board parts told to fail: part name ("display", "nvm", "led") -> exception raised."""

    def __init__(self):
        self.raising = {}

    def check(self, part):
        exc = self.raising.get(part)
        if exc is not None:
            raise exc


class HostLed:
    def __init__(self, faults):
        self.rgb = (0, 0, 0)
        self._faults = faults

    def show(self, r, g, b):
        self._faults.check("led")
        self.rgb = (r, g, b)


class HostNvm:
    """The NVM bytes behind a part that can fail on write (reads always work)."""

    def __init__(self, data, faults):
        self.data = data
        self._faults = faults

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        return self.data[index]

    def __setitem__(self, index, value):
        self._faults.check("nvm")
        self.data[index] = value


class HostWatchdog:
    def __init__(self):
        self.feeds = 0

    def feed(self):
        self.feeds += 1


class HostKeyEvents:
    """keypad.Keys().events over the plant's buttons: one edge per `get_into`, stamped
    with the board's ticks (the keypad scans every 10 ms, as the device's does)."""

    def __init__(self, buttons, ticks_ms):
        self._buttons = buttons
        self._ticks_ms = ticks_ms
        self._seen = [False, False, False]

    def get_into(self, event):
        down = self._buttons.down
        seen = self._seen
        for key in range(3):
            if down[key] != seen[key]:
                seen[key] = down[key]
                # Blinka's keypad.Event (the host's) keeps these as read-only
                # properties over private fields; its own queue fills them the same way.
                event._key_number = key
                event._pressed = down[key]
                event.timestamp = self._ticks_ms()
                return True
        return False

    def clear(self):
        self._seen[:] = self._buttons.down


class HostButtons:
    """The front buttons as keypad.Keys: `events` of key 0 `<`, 1 `O`, 2 `>`."""

    def __init__(self, buttons, ticks_ms):
        self.key_count = 3
        self.events = HostKeyEvents(buttons, ticks_ms)


class _LanSocket(socket.socket):
    """A socket on the simulated LAN: an address its pool's `lan` names (a simulated
    device, e.g. the P1 meter at 192.168.1.80:80) is reached at that device's loopback
    port; every other address is the real one."""

    lan = {}

    def connect(self, address):
        return super().connect(self.lan.get(tuple(address), address))

    def connect_ex(self, address):
        return super().connect_ex(self.lan.get(tuple(address), address))


class HostSocketPool:
    """CPython's `socket` module as a socketpool, one hashable object per client; its
    sockets see the simulated LAN's devices (`lan`: (ip, port) -> loopback address)."""

    def __init__(self, lan=None):
        self._lan = {} if lan is None else lan

    def socket(self, *args, **kwargs):
        sock = _LanSocket(*args, **kwargs)
        sock.lan = self._lan
        return sock

    def __getattr__(self, name):
        return getattr(socket, name)


class HostNetwork:
    """The host's network: loopback sockets, always up."""

    connected = True
    ipv4_address = "127.0.0.1"

    def __init__(self, http_port=None, faults=None):
        self.http_port = http_port        # the status page's port; None: no HTTP server
        self.ap_ssid = None               # the set-up portal's access point while it runs
        self.ap_password = None
        self.portal_errors = 0            # access points the radio refused (fail_part "wifi_ap")
        self.portal_last_error = None
        self._faults = PartFaults() if faults is None else faults
        # what answers an mDNS query on the simulated LAN: (service_type, protocol, hostname,
        # ipv4, port) rows; the Simulation hands in its list (the simulated P1 meter's row)
        self.mdns_services = []
        self.lan = {}                     # the simulated LAN's devices: (ip, port) -> loopback

    def find(self, service_type, protocol, timeout_s):
        """mDNS services of a type, as the device's (smartevse/hal/network.py): a tuple of
        (hostname, ipv4 text, port)."""
        return tuple((host, ip, port) for kind, proto, host, ip, port in self.mdns_services
                     if kind == service_type and proto == protocol)

    def socket_pool(self):
        return HostSocketPool(self.lan)

    def open_portal(self, ssid, password, nvm):
        """The access point (as the device's, smartevse/hal/network.py): its pages, or
        None when the radio refuses (Simulation.fail_part("wifi_ap"))."""
        from smartevse.hal import portal
        try:
            self._faults.check("wifi_ap")
        except (OSError, RuntimeError, ValueError) as exc:
            portal.refused(self, ssid, exc)
            return None
        self.ap_ssid = ssid
        self.ap_password = password
        return portal.Portal(nvm)

    def close_portal(self):
        self.ap_ssid = self.ap_password = None


class HostBoard:
    """The same parts as the device board, over the plant, on simulated time."""

    def __init__(self, plant, nvm, clock, is_motor_lock, display=None, faults=None, rs485=None):
        self._faults = PartFaults() if faults is None else faults
        self.pilot = HostPilot(plant.ev)
        self.proximity = HostProximity(plant.socket)
        self.contactor1 = HostContactor()
        self.contactor2 = HostContactor()
        self.lock = HostLock(plant.lock, is_motor_lock)
        self.rcm = HostRcm(plant)
        self.switch = HostInput(plant, "switch_closed")
        self.temperature = HostTemperature(plant)
        self.led = HostLed(self._faults)
        self.buttons = HostButtons(plant.buttons, self.ticks_ms)
        self.rs485 = rs485
        self.rfid_uart = plant.rfid       # the simulated PN532 is the UART's far end
        self.net = HostNetwork(faults=self._faults)
        self.display = display
        self.nvm = HostNvm(nvm, self._faults)
        self.watchdog = HostWatchdog()
        self.reset = self._reset
        self._reset_due = False              # the Simulation power-cycles after the pass
        self._clock = clock

    def ticks_ms(self):
        return self._clock.now_ms & TICKS_MAX

    @staticmethod
    def collect():
        gc.collect(0)

    def _reset(self):
        self._reset_due = True


    # What the plant reads back from the outputs.
    def pwm_on(self):
        return self.pilot.pwm_on()

    def offered_da(self):
        """The current the EV reads from the PWM duty (IEC 61851-1 Table A.8), dA, rounded
        down: an EV never draws above the duty's current (rounded to the nearest it drew up
        to 0.05 A more, e.g. 10.1 A on the 10.08 A duty of a 10.1 A offer)."""
        duty = self.pilot.duty_1024
        permille_x1024 = duty * 1000
        if permille_x1024 <= 850 * 1024:
            return permille_x1024 * 6 // 10240
        return (permille_x1024 - 640 * 1024) * 25 // 10240
