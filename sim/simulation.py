"""The Python API of the simulator (simulator.md "2. The Python API").

A `Simulation` is one controller (the unchanged firmware on a `HostBoard`) wired to a
`Plant`, on simulated time advanced in 10 ms loop passes.
"""

import datetime
import select
import time

from sim.board import HostBoard, PartFaults
from sim.bus import HostRs485, SimBus
from sim.meters import SimMeter, SimSensorbox
from sim.p1meter import SimP1Meter
from sim.view import HostView
from sim.plant import Plant
from smartevse.api import routes as api
from smartevse import log
from smartevse.app import build_app
from smartevse.core.states import (LOCK_MOTOR, METER_CUSTOM, NR_EVSES, METER_SENSORBOX, SENSORBOX_ADDRESS,
                                   STATE_NAMES, ERROR_NAMES, METER_HOMEWIZARD_P1)
from smartevse.modbus import meter_table      # the rows, without meter_rows' drop per call
from smartevse.modbus.meter_poll import MeterData
from smartevse.net.ws import HANDSHAKE as WS_HANDSHAKE, OPEN as WS_OPEN
from smartevse.health import NAMES as PERIPHERALS
from smartevse.settings.nvm import NVM_SIZE
from smartevse.settings import facts
from smartevse.settings.table import KEYS

_TICK_MS = 10
_BATTERY_REPORT_MS = 10000       # a simulated energy manager posts the battery current
# The bus counters of smartevse.modbus.transaction.Transaction
BUS_COUNTERS = ("requests", "replies", "timeouts", "exceptions", "bad_frames", "crc_errors",
                "garbage_bytes", "stray_bytes")
log.echo = False          # faults show through observe(); python -m sim reads the log's ring


class _Clock:
    def __init__(self):
        self.now_ms = 0


class Simulation:
    """One simulated controller; see README "Simulation API"."""

    def __init__(self, settings=None, nodes=1, start="2026-01-01T08:00:00", http=False,
                 mqtt=None, ocpp=None, nvm=None, rs485=None, http_port=0, _master=None,
                 _address=1):
        if not isinstance(nodes, int) or not 1 <= nodes <= NR_EVSES:
            raise ValueError(f"nodes must be 1..{NR_EVSES} controllers, got {nodes!r}")
        if rs485 is not None and nodes != 1:
            raise ValueError("rs485: one controller on a real serial port (nodes=1)")
        # a serial device path, or a busio.UART-like object: the controller's RS485 is
        # a real bus (real meters, real controllers); advance() must then follow wall time
        self._rs485 = rs485
        # http=True: the status page, REST and /sim on 127.0.0.1:http_port (0: a free port)
        self._http_port = _http_port(http, http_port)
        self._mqtt_published = {}            # topic -> last payload (simulator.md)
        self._ocpp_base = None               # the central system's URL without the id
        self._awaited = None                 # the OCPP call last waited for (wall time)
        self.ocpp_wait_s = 1.5               # 0 when the central system is the caller's thread
        if ocpp is not None:
            slash = ocpp.rfind("/")
            if not ocpp.startswith(("ws://", "wss://")) or slash < 6 or slash == len(ocpp) - 1:
                raise ValueError(f"ocpp must be ws://HOST:PORT/ID, got {ocpp!r}")
            self._ocpp_base = ocpp[:slash + 1]
        # `start` is the controller's local wall time; its "local epoch" counts it as UTC,
        # so runs are the same on every host whatever its time zone. None: the clock is
        # not set (no NTP yet), `now_epoch_s()` is None.
        self._epoch0 = None if start is None else int(
            datetime.datetime.fromisoformat(start)
            .replace(tzinfo=datetime.timezone.utc).timestamp())
        self._uptime0_ms = 0
        self.plant = Plant()
        self.address = _address              # Modbus address: 1 master, n = Node n-1
        self._master = self if _master is None else _master
        self._controllers = [self]
        if _master is None:
            self._clock = _Clock()
            self.bus = SimBus(lambda: self._clock.now_ms * 1000)
            self.bus.device_at = self._device_at
            self._devices = {}
            self._mdns_services = []         # the simulated LAN's mDNS answers (P1 meter)
            self._lan = {}                   # its devices' addresses: (ip, port) -> loopback
        else:                                # a node: the master's clock, bus and mains
            self._clock = _master._clock
            self.bus = _master.bus
            self._devices = _master._devices
            self._mdns_services = _master._mdns_services
            self._lan = _master._lan
            self.plant.share_mains(_master.plant)
        self._p1 = None                      # the HomeWizard P1 meter, once its type is set
        if nvm is None:
            self.nvm = bytearray(b"\xff" * NVM_SIZE)
        elif getattr(nvm, "persistent", False):
            self.nvm = nvm               # a FileNVM: writes go to its file
        else:
            self.nvm = bytearray(nvm)
            if len(self.nvm) != NVM_SIZE:
                self.nvm = (self.nvm + bytearray(b"\xff" * NVM_SIZE))[:NVM_SIZE]
        self.app = None
        self.board = None
        self.view = None
        self.part_faults = PartFaults()
        self.power_on()
        settings = dict(settings or {})
        if ocpp is not None:                 # the charge point id is the URL's last part
            settings.update(ocpp_mode=1, ocpp_cb_id=ocpp[ocpp.rfind("/") + 1:])
        if nodes > 1 or _master is not None:
            settings["loadbl"] = _address        # controller 1 master, n = Node n-1 (simulator.md)
        if mqtt is not None:                 # "host:port" of a broker (simulator.md)
            host, _, port = str(mqtt).partition(":")
            if not host or (port and not port.isdigit()):
                raise ValueError(f"mqtt must be 'host' or 'host:port', got {mqtt!r}")
            settings["mqtt_host"] = host
            settings["mqtt_port"] = int(port) if port else 1883
        if settings:
            self.configure(settings)
            self.app.persist.save_now()
            self._ocpp_url()
        self._wire_p1()
        for n in range(2, nodes + 1):
            self._controllers.append(Simulation(settings, 1, start, nvm=None, _master=self,
                                                _address=n, http=http,
                                                http_port=http_port + n - 1 if http_port else 0))

    # --- context manager ------------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        for sim in self._controllers:
            sim._cut()
        if self._p1 is not None:
            self._p1.close()

    # --- power ----------------------------------------------------------------------
    def power_on(self):
        """Boot the firmware from what the NVM holds (a fresh power-on)."""
        if self.app is not None:
            raise RuntimeError("power_on() while powered: call power_cut() first")
        self._uptime0_ms = self._clock.now_ms
        board = HostBoard(self.plant, self.nvm, _UptimeClock(self._clock, self._uptime0_ms),
                          self._lock_is_motor, faults=self.part_faults,
                          rs485=self._rs485_part())
        self.board = board
        self.view = HostView(self.part_faults)
        board.net.http_port = self._http_port
        board.net.mdns_services = self._mdns_services
        board.net.lan = self._lan
        self.app = build_app(board, clock_epoch=self.now_epoch_s,
                             serial_nr=51446 + self.address - 1, view=self.view)
        if self.app.http is not None:
            from sim.web import SimPage
            self.app.http.start()                     # a taken port raises here
            self._http_port = self.app.http.port      # the same port after a power cut
            self.app.http.extra = SimPage(self).handle
        if self.app.mqtt is not None:
            self.app.mqtt.sink = self._mqtt_record
        self._ocpp_url()

    def _ocpp_url(self):
        # The central system is on loopback, which the URL rule refuses for a charger
        # (interfaces.md 1.5): the simulator hands its URL to the link beside the setting.
        if self._ocpp_base is not None and self.app.ocpp is not None:
            self.app.ocpp.url = self._ocpp_base

    def _rs485_part(self):
        port = self._rs485
        if port is None:
            return HostRs485(self.bus, self.part_faults)
        if isinstance(port, str):
            from sim.serial_uart import SerialUart
            self._rs485 = port = SerialUart(port)
        return port

    def power_cut(self):
        """Cut the supply: RAM is lost, the NVM keeps what was written."""
        self._cut()
        self.plant.ev.draw_da[:] = [0, 0, 0]

    def _restart(self):
        """board.reset(): the firmware restarts from the NVM; the plant keeps running."""
        self._cut()
        self.power_on()

    def _cut(self):
        if self.app is not None and self.app.http is not None:
            self.app.http.stop()
        if self.board is not None and hasattr(self.board.rs485, "detach"):
            self.board.rs485.detach()
        if self.app is not None and self.app.mqtt is not None:
            self.app.mqtt.drop()             # no DISCONNECT: the broker sends the last will
        if self.app is not None and self.app.ocpp is not None:
            self.app.ocpp.ws.close("power cut")       # the TCP connection dies with it
        self.app = None
        self.board = None

    @property
    def time_s(self):
        """Simulated seconds since the simulation was created (power cuts included)."""
        return self._clock.now_ms / 1000

    def now_epoch_s(self):
        if self._epoch0 is None:
            return None
        return self._epoch0 + self._clock.now_ms // 1000

    def _device_at(self, address):
        """The device answering at `address`: the meters the installer wired to match the
        controller's settings (mains meter or Sensorbox, EV meter; modbus.md 2)."""
        if self.app is None:
            return None
        v = self.app.settings.values
        mains_type = v["mains_meter_type"]
        if mains_type == METER_SENSORBOX and address == SENSORBOX_ADDRESS:
            return self._device(("sensorbox",), lambda: SimSensorbox(self.plant.mains))
        if mains_type != METER_SENSORBOX and address == v["mains_meter_address"]:
            return self._meter("mains", mains_type, v, self.plant.mains)
        if address == v["circuit_meter_address"] and v["circuit_meter_type"] > METER_SENSORBOX:
            return self._meter("circuit", v["circuit_meter_type"], v, self.plant.circuit)
        for sim in self._controllers:      # each controller's EV meter at its own address
            ev = sim.app.settings.values if sim.app is not None else None
            if ev is not None and ev["ev_meter_type"] and address == ev["ev_meter_address"]:
                return self._meter(("ev", sim.address), ev["ev_meter_type"], v, sim.plant.ev_meter)
        return None

    def _meter(self, role, meter_type, v, source):
        if meter_type == METER_CUSTOM:
            row = meter_table.row(meter_type, v)
            return self._device((role, row), lambda: SimMeter(meter_type, source, row))
        if meter_table.row(meter_type) is None:
            return None
        return self._device((role, meter_type), lambda: SimMeter(meter_type, source))

    def _device(self, key, make):
        device = self._devices.get(key)
        if device is None:
            device = self._devices[key] = make()
        return device

    @property
    def p1_meter(self):
        """The simulated HomeWizard P1 meter (sim/p1meter.py) while the mains meter type is
        HmWzrd P1 (modbus.md 8.7), else None."""
        return self._wire_p1()

    def _wire_p1(self):
        # the installer's P1 meter is there once the mains meter type says so; it keeps
        # serving (and its port) if the type changes back and forth
        if self._p1 is None and self._master is self and self.app is not None and \
                self.app.settings.values["mains_meter_type"] == METER_HOMEWIZARD_P1:
            self._p1 = SimP1Meter(self.plant.mains, self._mdns_services, lan=self._lan)
        return self._p1

    def _lock_is_motor(self):
        return self.app is not None and self.app.settings.values["lock"] == LOCK_MOTOR

    # --- running ------------------------------------------------------------------
    def advance(self, seconds):
        """Run the loop for `seconds` of simulated time, in 10 ms passes."""
        if self._master is not self:
            self._master.advance(seconds)    # one clock for the whole bus
            return
        ticks = int(round(seconds * 1000)) // _TICK_MS
        clock = self._clock
        if len(self._controllers) > 1:
            self._advance_all(ticks)
            return
        plant = self.plant
        if self.app is None:
            clock.now_ms += ticks * _TICK_MS
            return
        board = self.board
        run_once = self.app.loop.run_once
        mains = plant.mains
        ocpp = self.app.ocpp
        for _ in range(ticks):
            clock.now_ms += _TICK_MS
            plant.step(_TICK_MS, board)
            p1 = self._p1 or self._wire_p1()
            if p1 is not None:
                p1.step()
            if mains.battery_reported and clock.now_ms % _BATTERY_REPORT_MS == 0:
                self.app.evse.home_battery(mains.battery)   # as REST/MQTT would (charging.md 4.2)
            run_once()
            if board._reset_due:                # REST /reboot: board.reset() (interfaces.md 1.10)
                self._restart()
                board = self.board
                run_once = self.app.loop.run_once
                ocpp = self.app.ocpp            # the new controller's link (OCPP Reset)
            if ocpp is not None:
                self._await_ocpp(ocpp)

    def _await_ocpp(self, link):
        """A CALL or the handshake waits for the central system: wait (wall time, at most
        `ocpp_wait_s` once per call) until its answer can be read, so simulated time does
        not run ahead of real socket I/O."""
        ws = link.ws
        pending = link.cp.pending
        waiting = ws.sock is not None and ws.tx_len == 0 and (
            ws.state == WS_HANDSHAKE or (ws.state == WS_OPEN and pending is not None))
        key = (id(ws.sock), ws.state, pending[0] if pending is not None else None)
        if not waiting or key == self._awaited or not self.ocpp_wait_s:
            return
        self._awaited = key
        try:
            select.select([ws.sock], [], [], self.ocpp_wait_s)
        except (OSError, ValueError):
            pass

    def _advance_all(self, ticks):
        clock = self._clock
        for _ in range(ticks):
            clock.now_ms += _TICK_MS
            p1 = self._p1 or self._wire_p1()
            if p1 is not None:
                p1.step()
            for sim in self._controllers:
                if sim.app is not None:
                    sim.plant.step(_TICK_MS, sim.board)
                    sim.app.loop.run_once()
                    if sim.board._reset_due:
                        sim._restart()

    # --- settings -----------------------------------------------------------------
    def configure(self, settings):
        """Change settings as through the menu, as one set: the order of the keys does
        not matter (settings-and-menu.md 1.4). A bad key or value raises ValueError."""
        app = self._powered()
        changes = {}
        for name, value in settings.items():
            i = facts.find(str(name))
            if i < 0:
                raise ValueError(f"unknown setting {name!r}")
            parsed, error = app.settings.parse(KEYS[i], value)
            if error is not None:
                raise ValueError(error)
            changes[KEYS[i]] = parsed
        errors = app.apply_settings(changes)
        if errors:
            raise ValueError("; ".join(errors[key] for key in KEYS if key in errors))

    # --- observing ----------------------------------------------------------------
    def observe(self):
        """A snapshot of what a person or a wire would see (simulator.md)."""
        app = self._powered()
        evse = app.evse
        values = app.settings.values
        return {
            "state": STATE_NAMES[evse.state],
            "state_id": evse.state,
            "errors": [name for bit, name in ERROR_NAMES if evse.error_flags & bit]
                      + (["LOCK_ERROR"] if app.lock.error else []),
            "access": facts.label_of("access", evse.access).lower(),
            "mode": facts.label_of("mode", values["mode"]),
            "pwm_duty": evse.duty_1024,
            "advertised_da": evse.advertised_da(),
            "contactor1": self.board.contactor1.value,
            "contactor2": self.board.contactor2.value,
            "phases": evse.phases,
            "lock": "locked" if self.plant.lock.is_locked else "unlocked",
            "led": self.board.led.rgb,
            "charge_delay_s": evse.charge_delay_s,
            "solar_stop_timer_s": evse.solar_stop_timer_s,
            "summains_timer_s": evse.max_sum_mains_timer_s,
            "phase_request": evse.phase_request,
            "phase_switch_timer_s": evse.reg.phase_switch_timer_s,
            "phase_hold_down_s": evse.reg.phase_hold_down_s,
            "setpoint_da": evse.reg.iset_balanced_da,
            "home_battery_da": evse.reg.battery_da,
            "delayed": {"start_s": values["starttime"] or None, "stop_s": values["stoptime"] or None,
                        "repeat": bool(values["repeat"])},
            "mains_da": list(evse.mains_irms_da),
            "ev_da": list(evse.ev_irms_da),
            "temperature_c": evse.temperature_c,
            "rfid_status": app.rfid_status_text,
            "pilot_connected": self.board.pilot.connected,
            "display_text": self.display_text(),
            "linky_gate": (app.linky_gate.text(evse.access) or None) if app.linky_gate else None,
            "fault": app.fault_text,
            "peripheral_errors": dict(zip(PERIPHERALS, app.health.errors)),
            "peripheral_last_error": dict(zip(PERIPHERALS, app.health.last_error)),
            "wifi": self._wifi_diagnostics(app),
            "modbus": self._modbus_diagnostics(app),
            "homewizard": self._homewizard_diagnostics(app),
            "rfid": self._rfid_diagnostics(app),
        }

    @staticmethod
    def _homewizard_diagnostics(app):
        """The P1 poller's health (modbus.md 8.7), None unless the mains type is HmWzrd P1."""
        poller = app.homewizard
        if poller is None or app.settings.values["mains_meter_type"] != METER_HOMEWIZARD_P1:
            return None
        return {"host": poller.host, "readings": poller.readings, "errors": poller.errors,
                "last_error": poller.last_error, "phases": poller.phases,
                "discoveries": poller.finds}

    @staticmethod
    def _wifi_diagnostics(app):
        """The network part's health: the access point running, the refusals counted."""
        net = app.board.net
        return {"ap_ssid": net.ap_ssid, "portal_errors": net.portal_errors,
                "portal_last_error": net.portal_last_error}

    @staticmethod
    def _rfid_diagnostics(app):
        """The PN532's state, its errors and the whitelist (None until RFID is enabled)."""
        rfid = app.rfid
        if rfid is None:
            return None
        reader = rfid.reader
        return {"installed": reader is not None and reader.installed,
                "errors": 0 if reader is None else reader.errors,
                "last_error": None if reader is None else reader.last_error,
                "last_read": app.rfid_lastread, "cards": rfid.cards.cards()}

    @staticmethod
    def _modbus_diagnostics(app):
        """The bus counters and what the controller last read from its meters."""
        poll = app.modbus
        if poll is None:
            return None
        bus = poll.bus
        out = {name: getattr(bus, name) for name in BUS_COUNTERS}
        for role, meter in (("mains", poll.mains), ("ev_meter", poll.ev or MeterData())):
            out[role] = {"current_da": list(meter.current_da), "power_w": meter.power_w,
                         "import_wh": meter.import_wh, "export_wh": meter.export_wh,
                         "readings": meter.readings}
        if poll.circuit is not None:
            meter = poll.circuit
            out["circuit_meter"] = {"current_da": list(meter.current_da), "import_wh": meter.import_wh,
                                    "readings": meter.readings}
        sb = poll.sensorbox
        if sb is not None:                   # what the Sensorbox reported (8.4)
            out["sensorbox"] = {
                "version": sb.version, "source": "P1" if sb.flags & 0x80 else "CT",
                "grid": "3Wire" if sb.status & 2 else "4Wire", "ccw_rotation": bool(sb.status & 1),
                "wifi_mode": sb.wifi_mode, "wifi_connected": bool(sb.wifi & 2),
                "portal": bool(sb.wifi & 4), "time_set": bool(sb.wifi & 1),
                "time": "20%02d-%02d-%02d %02d:%02d" % (sb.info[4], sb.info[2], sb.info[3],
                                                       sb.info[0], sb.info[1]),
                "ip": ".".join(str(b) for b in sb.ip), "mac": bytes(sb.info[10:14]).hex(":"),
                "portal_password": bytes(sb.password).decode("ascii", "replace")}
        extra = poll.eastron
        if extra is not None:                # an Eastron-type mains' extra reads (8.6)
            out["mains"]["phase_import_wh"] = list(extra.phase_import_wh)
            out["linky"] = {"available": bool(extra.available), "status": extra.status(),
                            "active_energy_total_wh": extra.hundredths(342) * 10
                            if extra.available else None}
        if poll.node is not None:            # a node: what its slave side saw on the bus
            out["node"] = dict(zip(("frames", "answered", "refused", "garbage_bytes"),
                                   poll.node.counters()))
        return out

    def fail_part(self, part, error=None):
        """Make a board part raise `error` from now on ("display", "nvm" on write, "led",
        "rs485" the UART, "wifi_ap" the radio starting the set-up access point); `error=None`
        mends it. Survives power cuts (the part stays broken)."""
        if part not in ("display", "nvm", "led", "rs485", "wifi_ap"):
            raise ValueError(f"fail_part: unknown part {part!r} "
                             "(display, nvm, led, rs485, wifi_ap)")
        if error is None:
            self.part_faults.raising.pop(part, None)
        else:
            self.part_faults.raising[part] = error

    def display_text(self):
        view = self._powered().view
        return view.text_lines() if view is not None else []

    def display_png(self, path, scale=1):
        """Save the OLED as a 128x64 PNG (scaled by `scale`)."""
        self._powered()
        self.view.save_png(path, scale)

    # --- interfaces ---------------------------------------------------------------
    def rest(self, method, path, params=None, body=None, headers=None):
        """One request through the firmware's REST handling -> (status, json)."""
        params = {} if params is None else {str(k): str(v) for k, v in params.items()}
        return api.handle(self._powered(), method.upper(), path, params, body, headers)

    @property
    def http_url(self):
        """Where the status page and REST answer ("http://127.0.0.1:PORT"), or None."""
        return None if self._http_port is None else f"http://127.0.0.1:{self._http_port}"

    def run_realtime(self, seconds, until=None):
        """Advance along the wall clock (10 ms passes whenever it is ahead) for `seconds`
        of wall time, or until `until()` is true -> whether `until` came true. For real
        clients (a browser, curl) that live in wall time."""
        start = time.monotonic()
        clock = self._clock
        start_ms = clock.now_ms           # simulated time, so nested calls keep one pace
        while True:
            if until is not None and until():
                return True
            wall_ms = (time.monotonic() - start) * 1000
            if wall_ms >= seconds * 1000:
                return until is None
            if clock.now_ms - start_ms < wall_ms:
                self.advance(_TICK_MS / 1000)

    def mqtt_set(self, topic, payload):
        """One `/Set/` command through the firmware's MQTT command handling (interfaces.md
        2.4): `topic` is "Mode", "Set/Mode" or the full `<prefix>/Set/Mode`. True when
        taken; an invalid payload is dropped and changes nothing."""
        app = self._powered()
        link = app.mqtt
        suffix = str(topic)
        for head in (link.prefix() + "/Set/", "Set/"):
            if suffix.startswith(head):
                suffix = suffix[len(head):]
                break
        from smartevse.api.mqtt_set import command
        taken = command(app, suffix, str(payload))
        if taken:
            link.force()
            app.apply_outputs()
        return taken

    def mqtt_published(self):
        """topic -> last payload the firmware published, kept also without a broker."""
        return dict(self._mqtt_published)

    def _mqtt_record(self, topic, payload, retain):
        self._mqtt_published[topic] = payload

    def node(self, n):
        """Controller n (1 = the master, n = Node n-1 at Modbus address n)."""
        controllers = self._master._controllers
        if not isinstance(n, int) or not 1 <= n <= len(controllers):
            raise ValueError(f"node must be 1..{len(controllers)}, got {n!r}")
        return controllers[n - 1]

    def _powered(self):
        if self.app is None:
            raise RuntimeError("the controller is powered off: call power_on()")
        return self.app


def _http_port(http, port):
    """The port asked for, None without HTTP; a bad one raises ValueError."""
    if not http:
        return None
    if http is not True:
        raise ValueError(f"http must be True or False, got {http!r} (the port is http_port=)")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"http_port must be 0..65535 (0: a free port), got {port!r}")
    return port


class _UptimeClock:
    """ticks_ms restarts at 0 on every power-on, like the device's."""

    def __init__(self, clock, origin_ms):
        self._clock = clock
        self._origin_ms = origin_ms

    @property
    def now_ms(self):
        return self._clock.now_ms - self._origin_ms
