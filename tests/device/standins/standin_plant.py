"""The plant behind the C-module stand-ins of the MicroPython gate (not a CircuitPython module).

Holds what the stand-ins read and record: the clock (advanced 10 ms per watchdog feed, one
loop pass), the EV's pilot level, every output pin's level, the pilot PWM duty, the LED
bytes, the peripherals told to fail, and a timeline of scenario actions. Drivers set it up
before they run the firmware and read it afterwards; the firmware never imports it.
"""
import micropython

PASS_MS = 10
_CP_MV = {"A": 12000, "B": 9000, "C": 6000, "D": 3000}

now_ms = 0
ev = "A"              # what the EV asks for: C/D only close S2 while a PWM is offered
pp_mv = 600           # a 32 A cable plugged (charging.md 7)
temp_mv = 750         # 25 degC (MCP9700A)
pins = {}             # pin name -> level of each output
pilot_duty = 65535    # pwmio duty of the CP pin
led_grb = bytearray(3)
held = set()          # buttons held (pin names)
failing = {}          # peripheral name -> exception to raise: display, nvm, led, pilot_adc
errors_raised = {}    # peripheral name -> how many times it raised
snapshots = {}        # name -> outputs recorded by the timeline
_timeline = []        # [(at_ms, action)]
end_ms = None         # the scenario ends (SystemExit) on the first pass at or after this
passes = 0
max_pystack = {}      # stand-in name -> deepest pystack_use() at its entry (gate probe)
bus_devices = {}      # RS485: address -> (function, {register: word}) answering (busio.UART)
rs485 = None          # the RS485 busio.UART once the board made it (feed() frames into it)
pn532 = None          # the PN532 on the RFID UART once the board made it (sim/pn532.py)


def pn532_chip():
    """The simulated PN532 behind the board's RFID UART (the simulator's own model)."""
    global pn532
    import sim_pn532
    pn532 = sim_pn532.SimPn532()
    return pn532


def float_words(amps):
    """A FLOAT32 value as its two big-endian register words (a meter's reply)."""
    import struct
    high, low = struct.unpack(">HH", struct.pack(">f", amps))
    return high, low


def words_at(first, values):
    """{register: word} of FLOAT32 values from register `first` on."""
    words = {}
    for i, value in enumerate(values):
        words[first + 2 * i], words[first + 2 * i + 1] = float_words(value)
    return words


def rtu(hex_text):
    """An RTU frame from its hex text, CRC appended (a master's request in a scenario)."""
    import busio
    body = bytes.fromhex(hex_text.replace(" ", ""))
    frame = bytearray(len(body) + 2)
    frame[:len(body)] = body
    crc = busio._crc(frame, len(body))
    frame[len(body)] = crc & 0xFF
    frame[len(body) + 1] = crc >> 8
    return frame


def feed(frame):
    """A timeline action: `frame` arrives on the RS485 UART."""
    return lambda: rs485.feed(frame)


def fail(name):
    """Raise the exception a peripheral was told to fail with (the gate's fault injection)."""
    exc = failing.get(name)
    if exc is not None:
        errors_raised[name] = errors_raised.get(name, 0) + 1
        raise exc


def probe(name, use):
    """Record the deepest pystack use seen at a stand-in's entry (see test_micropython_gate)."""
    if use > max_pystack.get(name, 0):
        max_pystack[name] = use


def cp_adc_mv(high):
    """The pilot feedback ADC in mV for the high (True) or low half (sim/plant.py scale)."""
    if pins.get("IO12"):                      # CPOFF: driver isolated, the EV sees 0 V
        return 1690
    pwm = 0 < pilot_duty < 65535
    if pilot_duty == 0:
        cp_mv = -12000
    elif not high:
        cp_mv = -12000 if pwm else _CP_MV[ev if ev in "AB" or pwm else "B"]
    else:
        cp_mv = _CP_MV[ev if ev in "AB" or pwm else "B"]
    return 1690 + (124 * cp_mv) // 1000


def outputs():
    return {"contactor1": bool(pins.get("IO13")), "contactor2": bool(pins.get("IO14")),
            "duty": pilot_duty, "cpoff": bool(pins.get("IO12")),
            "led": list(led_grb)}


def at(seconds, action):
    """Run `action()` on the first pass at or after `seconds` of scenario time."""
    _timeline.append((int(seconds * 1000), action))
    _timeline.sort(key=lambda item: item[0])


def snapshot(name):
    return lambda: snapshots.__setitem__(name, outputs())


def set_ev(letter):
    def action():
        global ev
        ev = letter
    return action


def set_failing(name, exc):
    def action():
        if exc is None:
            failing.pop(name, None)
        else:
            failing[name] = exc
    return action


check_pilot_rule = False   # count passes that read no pilot yet left the contactors closed
violations = 0


def on_feed():
    """The loop fed the watchdog: one pass is over; advance the clock and the timeline."""
    global now_ms, passes, violations
    passes += 1
    if check_pilot_rule and "pilot_adc" in failing and (pins.get("IO13") or pins.get("IO14")):
        violations += 1
    now_ms += PASS_MS
    if pn532 is not None:
        pn532.step(PASS_MS)
    while _timeline and _timeline[0][0] <= now_ms:
        _timeline.pop(0)[1]()
    if end_ms is not None and now_ms >= end_ms:
        raise SystemExit("scenario over")


def use():
    return micropython.pystack_use()


sleeps = 0
max_sleeps = 3        # time.sleep is this; the safe mode's hold loop ends the run here


def sleep(seconds):
    """`time.sleep` in the gate: simulated time, and the end of a run that only holds."""
    global now_ms, sleeps
    sleeps += 1
    now_ms += int(seconds * 1000)
    if sleeps >= max_sleeps:
        raise SystemExit("held safe for %d sleeps" % sleeps)


def monotonic_ns():
    """`time.monotonic_ns` (CircuitPython has it; this MicroPython does not): plant time."""
    return now_ms * 1000000


def monotonic():
    return now_ms / 1000


network = False       # the wifi stand-in exists (a network scenario) or raises ImportError
wifi_ssid = None      # the network the radio can join (settings.toml's SSID must match)
http_pending = []     # client sockets waiting for accept() (socketpool stand-in)
ntp_unix_s = 1767261600   # what the NTP stand-in answers: 2026-01-01 10:00 UTC
ntp_requests = 0
mdns_server = None
mdns_services = []
mdns_remote = []      # what an mDNS find sees on the LAN: (hostname, ipv4, port)
mdns_finds = 0
p1_answer = None      # bytes a HomeWizard P1 meter answers on port 80 (socketpool stand-in)
p1_requests = 0


def network_on(env):
    """A network scenario: the wifi stand-in exists, settings.toml holds `env`, and
    adafruit_ntp gets CircuitPython's struct.unpack_from (offset= by keyword), which
    MicroPython's builtin lacks."""
    global network, wifi_ssid
    network = True
    wifi_ssid = env.get("CIRCUITPY_WIFI_SSID")
    import smartevse.hal.network as device_network
    device_network.getenv = env.get
    import adafruit_ntp
    adafruit_ntp.struct = _Struct


class _Struct:
    import struct as _s
    pack_into = _s.pack_into

    @staticmethod
    def unpack_from(fmt, data, offset=0):
        return _Struct._s.unpack_from(fmt, data, offset)


def http_client(raw):
    """A client that connects and sends `raw` (its socket: read .inbox for the answer)."""
    import socketpool
    client = socketpool.Socket()
    client.inbox = bytearray(raw)         # moved to the server's end at accept()
    http_pending.append(client)
    return client


app = None            # the app code.py built, once capture_app() is on
after_boot = None     # a driver's app -> None, run once the app is built (capture_app)


def capture_app():
    """Keep the app code.py builds in `app` (code.py keeps no reference a driver can read);
    the wrapper returns before the loop starts, so it adds no frame to any loop chain."""
    import smartevse.app as app_module

    build_app = app_module.build_app

    def capturing(*args, **kwargs):
        global app
        app = build_app(*args, **kwargs)
        if after_boot is not None:
            after_boot(app)               # settings of the scenario, before the loop runs
        return app

    app_module.build_app = capturing


def device_app(rs485=True, buttons=True, rfid=False, net=False):
    """The firmware's app on the device board, as code.py builds it; `rs485=False` takes
    the RS485 part away (the heap without the Modbus feature), `buttons=False` the front
    buttons (the heap without the menu), `rfid=False` the PN532 (the heap without RFID);
    `net=True` adds MQTT to a broker (on a plain network when Wi-Fi is not on)."""
    global pn532
    from smartevse.app import build_app
    from smartevse.hal.device_board import DeviceBoard

    board = DeviceBoard()
    if not rfid:
        board.rfid_uart = None
        pn532 = None
    if not rs485:
        board.rs485 = None
    if not buttons:
        board.buttons = None
    if net and board.net is None:
        board.net = Network()
    app = build_app(board)
    if net:
        app.configure("mqtt_host", "192.168.1.2")
    return app


def key(key_number, pressed):
    """A timeline action: a front button (0 `<`, 1 `O`, 2 `>`) changes (keypad event)."""
    def action():
        import keypad
        keypad.push(key_number, pressed)
    return action


def tap(seconds, key_number, ms=200):
    """Press a front button at `seconds` for `ms` milliseconds."""
    at(seconds, key(key_number, True))
    at(seconds + ms / 1000, key(key_number, False))


def run(app):
    """Run the app's loop until the timeline ends the scenario."""
    try:
        app.run_forever()
    except SystemExit:
        pass


# --- network (socketpool stand-in): an in-memory MQTT broker ------------------------------
mqtt_published = {}   # topic -> payload the firmware published
mqtt_sockets = []     # every socket the firmware opened
mqtt_refuse = False   # True: connect() is refused (no broker listening)


class Network:
    """The board's `net` part over the socketpool stand-in (smartevse/hal/board.py)."""

    connected = True
    ipv4_address = "192.168.1.20"
    serial_nr = 0                         # what code.py passes on, as from DeviceNetwork

    def __init__(self):
        import socketpool
        self._pool = socketpool.SocketPool(None)

    @staticmethod
    def local_epoch_s():
        return None                       # no NTP in these scenarios

    def socket_pool(self):
        return self._pool


def mqtt_inject(topic, payload):
    """A timeline action: the broker delivers PUBLISH `topic` `payload` (QoS 0)."""
    def action():
        t = topic.encode()
        body = bytes([len(t) >> 8, len(t) & 255]) + t + payload.encode()
        if mqtt_sockets:                  # nothing connected: the message is lost
            mqtt_sockets[-1].inject(bytes([0x30, len(body)]) + body)
    return action


def with_network():
    """Give the device board a plain `net` part before code.py builds the app (no Wi-Fi,
    mDNS or NTP: the MQTT scenario's network)."""
    import smartevse.hal.device_board as device_board

    board_init = device_board.DeviceBoard.__init__

    def init(self):
        board_init(self)
        self.net = Network()

    device_board.DeviceBoard.__init__ = init
