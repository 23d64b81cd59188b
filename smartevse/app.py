"""The app: wires one board and one configuration into services for the loop.

It owns no rule of the product: the services (evse, cable lock, LED, switch,
persistence, UI) decide; the app moves values between them and the board, and is the
fail-safe of architecture.md ("The cooperative loop"): outputs safe first, each write on
its own, then a report that may fail. Peripherals (display, NVM, LED, console) catch their
own I/O errors at their service boundary and count them in `health` (smartevse/health.py).
The display is its own top-level service, so its deep call chain (displayio labels) never
runs inside another service or the fail-safe.
"""

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff

from smartevse import log
from smartevse.health import DISPLAY, LED, Health
from smartevse.core import schedule
from smartevse.core.cablelock import CableLock
from smartevse.core.evse import Evse, temp_c_from_mv
from smartevse.core.states import (EVENT_ACCESS, EVENT_ERROR, EVENT_MODE, EVENT_STATE, ERROR_NAMES,
                              LESS_6A, LOADBL_FIRST_NODE, METER_HOMEWIZARD_P1, STATE_A,
                              STATE_B1, STATE_C, STATE_NAMES, WIFI_SETUP)
from smartevse.core.led import StatusLed
from smartevse.loop import Loop
from smartevse.settings.nvm import RecordStore, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, KIND_SETTINGS
from smartevse.settings.nvm import LEGACY_SETTINGS_SLOT_SIZE
from smartevse.settings.persist import Persistence
from smartevse.settings import changes as changes_path
from smartevse.settings import facts
from smartevse.settings.changes import SOURCE_MENU
from smartevse.settings.live import Settings
from smartevse.core.switch import SwitchInput
from smartevse.netlink import PORTAL_SSID, NetLink
from smartevse.version import VERSION

_SAFETY_MS = const(10)
_LED_MS = const(20)
_UI_MS = const(100)
_BUTTONS_MS = const(10)                   # buttons sampled every 10 ms (2.1)
_BACKLIGHT_S = const(120)
_SLEEP_AFTER_S = const(1800)              # D5: ui/backlight.py SLEEP_AFTER_S
_SECOND_MS = const(1000)
_SHARE_QUIET_S = const(4)                 # no poll or reading regulated this long: the 1 s tick does
_CYCLE_GAP_MS = const(1500)               # readings closer than this wait (one cycle per 2 s poll)
_RISE_AFTER_MS = const(60)                # a broadcast of 11 registers is on the wire in ~32 ms
_NO_DUTY = const(-1)
_FAULT_SHOWN_MS = const(60000)
_MQTT_LINK_KEYS = ("mqtt_host", "mqtt_port", "mqtt_topic_prefix", "mqtt_username",
                   "mqtt_password", "mqtt_tls")


def _relayout(nvm):
    # A settings record at 1024: an image of the layout before the charging-profile
    # record, moved once (settings/relayout.py), its code released after (device heap).
    import sys
    from smartevse.settings import relayout
    try:
        if relayout.migrate(nvm):
            log.info("NVM moved to the layout with the charging-profile record")
    except (OSError, RuntimeError) as exc:        # tried again at the next boot
        log.warning("NVM layout not moved: " + str(exc))
    del sys.modules["smartevse.settings.relayout"]
    del sys.modules["smartevse.settings"].relayout


class App:
    """One controller: settings, services and the loop on one board."""

    def __init__(self, board, clock_epoch=None, serial_nr=0, view=None):
        self.board = board
        self.version = VERSION
        self.serial_nr = serial_nr
        self._clock_epoch = clock_epoch          # callable -> local epoch s, or None
        self.health = Health()
        log.health = self.health
        log.clock = board.ticks_ms
        self.settings = Settings()
        if bytes(board.nvm[LEGACY_SETTINGS_SLOT_SIZE:LEGACY_SETTINGS_SLOT_SIZE + 3]) == b"SE\x01":
            _relayout(board.nvm)
        store = RecordStore(board.nvm, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, KIND_SETTINGS)
        self.persist = Persistence(self.settings, store, self.health)
        self.boot_message = self.persist.boot()
        if self.boot_message:
            log.warning(self.boot_message)
        self.evse = Evse(self.settings)
        self.evse.set_temperature(temp_c_from_mv(board.temperature.read_mv()))
        self.lock = CableLock(self.settings)
        self.led = StatusLed(self.settings)
        self.switch = SwitchInput(self.settings)
        self.view = view                          # the OLED screens, when a display exists
        self.fault_text = None                    # the last fault, until 60 s without one
        self.fault_count = 0
        self.fault_report_errors = 0              # reports of a fault that failed themselves
        self.safe_write_errors = 0                # outputs the fail-safe could not write
        self._fault_ms = 0
        self._fault_shown_ms = 0
        self.rfid_status_text = "Not Installed"
        self.rfid_editor_text = ""               # the RFID editor's row 0 (4.4), set by the reader
        self.netlink = NetLink()                  # pairing PIN, Wi-Fi portal (2.4)
        self.backlight_s = _BACKLIGHT_S           # boot (3.8)
        self.dark_s = 0                           # seconds at backlight 0 (D5 sleep)
        self._seconds = 0
        self._shared_s = -_SHARE_QUIET_S - 1      # the last second a poll or a reading regulated
        self._rise_ms = 0
        self._regulated_ms = board.ticks_ms()     # the last cycle a fresh reading started
        self._duty_applied = _NO_DUTY
        self._pilot_connected = True
        self._lock_drive = 0
        self._last_led_ms = board.ticks_ms()
        self._led_pending = False                 # a colour not yet shown (LED failed)
        self.events = 0                           # event bits not yet handled by slow services
        self.loop = Loop(board.ticks_ms, self._on_fault, board.watchdog, board.collect)
        self.loop.add_safety(_SAFETY_MS, self._tick_10ms)
        self.loop.add(_LED_MS, self._tick_led)
        self.loop.add(_UI_MS, self._tick_100ms)
        self.loop.add(_SECOND_MS, self._tick_1s)
        self.menu = None                          # the front buttons and menu (2)
        self.panel = None
        self.menu_live = None                     # non-stored facts for visibility (1.2)
        self.temp_c = 0
        self._display_due_ms = board.ticks_ms()
        if board.buttons is None:
            self.loop.add(_SECOND_MS, self._tick_display)
        else:
            from smartevse.front_panel import FrontPanel
            panel = FrontPanel(self, board.buttons.events)
            self.panel = panel
            self.menu = panel.menu
            self.loop.add(_BUTTONS_MS, panel.tick_buttons)
            self.loop.add(_BUTTONS_MS, panel.tick_action)
            # each second, and within 100 ms of a menu change
            self.loop.add(_UI_MS, self._tick_display)
        from smartevse.session_log import SessionLog
        self.sessions = SessionLog(self)          # charge-session records (interfaces.md 1.14)
        self.loop.add(_SECOND_MS, self.sessions.step_1s)
        self.capacity = None                      # the capacity tariff while CAP PEAK is set
        self.linky = None                         # an Eastron-type mains' Linky reads (modbus)
        self.linky_gate = None                    # the Linky HP/HC gate once it may act (9.1)
        self.modbus = None                        # the meters on RS485 (modbus.md 3)
        if board.rs485 is not None:
            from smartevse.modbus.meter_poll import MeterPoll     # only with a bus
            from smartevse.modbus.transaction import Transaction
            self.modbus = MeterPoll(self.settings, self.evse, Transaction(board.rs485), self)
            self.loop.add_every_pass(self.modbus.step)
        self.loop.add_every_pass(self._tick_reading)     # after the poll: same pass
        self.rfid = None                          # the PN532 card reader (settings-and-menu.md 4)
        if board.rfid_uart is not None:
            if board.net is not None:             # REST exists: POST /rfid, rfid.txt upload
                from smartevse.api import rfid_routes            # noqa: F401
            if self.settings.values["rfid_reader"] or self.settings.rfid_erase_pending:
                self.rfid_service()
            else:                                 # RFID Disabled: nothing loaded until enabled
                self.loop.add(_UI_MS, self._rfid_enabled)
        self.mqtt = None                          # the MQTT link (interfaces.md 2), with a network
        if board.net is not None:
            from smartevse.net.mqtt_link import MqttLink
            mqtt = self.mqtt = MqttLink(self, board.net)
            self.loop.add_every_pass(mqtt.step)          # its own top-level services
            self.loop.add_every_pass(mqtt.run_command)
            self.loop.add(_SECOND_MS, mqtt.tick_1s)
        self.homewizard = None                    # the HomeWizard P1 mains meter (modbus.md 8.7)
        self._start_homewizard()
        self.ocpp = None                          # OCPP 1.6J (interfaces.md 3), when enabled
        if board.net is not None and self.settings.values["ocpp_mode"]:
            self._start_ocpp()
        self.http = None                          # status page and REST (interfaces.md 1, 4)
        if board.net is not None and getattr(board.net, "http_port", None) is not None:
            from smartevse.net.http import HttpService
            self.http = HttpService(self, board.net, board.net.http_port)
            self.loop.add_every_pass(self.http.step)     # sockets, never blocking
            self.loop.add_every_pass(self.http.answer)   # one request: a flat REST chain
            pages = getattr(board.net, "portal_pages", None)
            if pages is not None:
                self.http.extra = pages.handle           # the set-up portal's form (1.18)
                self.portal = pages                      # POST /save (api/portal.py)
        if getattr(board.net, "step_1s", None) is not None:
            self.loop.add(_SECOND_MS, self._tick_net)    # the device's clock and NTP
        if getattr(board.net, "open_portal", None) is not None:
            self._portal_password = None                 # the menu's portal, as running
            self.loop.add(_UI_MS, self._tick_portal)     # WIFI SetupWifi + O (2.4)
        self.apply_outputs()

    def _start_homewizard(self):
        # loaded only with mains type 13 and a network; it idles on a node (8.7)
        if self.homewizard is None and self.board.net is not None and \
                self.settings.values["mains_meter_type"] == METER_HOMEWIZARD_P1:
            from smartevse.net.homewizard import HomeWizardP1
            self.homewizard = HomeWizardP1(self, self.board.net)
            self.loop.add_every_pass(self.homewizard.step)    # its own top-level service

    def _start_ocpp(self):
        from smartevse.net.ocpp_link import OcppLink      # only with OCPP enabled
        self.ocpp = OcppLink(self)
        self.loop.add_every_pass(self.ocpp.step)          # its own top-level service

    # --- services -----------------------------------------------------------------
    def _tick_10ms(self, now_ms):
        board = self.board
        evse = self.evse
        pilot = board.pilot
        pilot.sample()
        rcm_high = board.rcm.value
        self.events |= self.switch.step_10ms(board.switch.value, evse, rcm_high)
        pp_mv = 0
        if evse.state == STATE_A or evse.state == STATE_B1:
            pp_mv = board.proximity.read_mv()
        self.events |= evse.tick_10ms(pilot.high_min_mv, pilot.high_max_mv,
                                      pilot.low_min_mv, pilot.low_max_mv,
                                      pp_mv, rcm_high, self.lock.locked)
        self.apply_outputs()

    def apply_outputs(self):
        """Contactors and pilot follow the state machine's outputs; every service that
        steps the core calls it right after the step (same pass)."""
        board = self.board
        evse = self.evse
        if board.contactor1.value != evse.contactor1:
            board.contactor1.value = evse.contactor1
        if board.contactor2.value != evse.contactor2:
            board.contactor2.value = evse.contactor2
        if self._duty_applied != evse.duty_1024:
            self._duty_applied = evse.duty_1024
            board.pilot.set_duty(evse.duty_1024)
        if self._pilot_connected != evse.pilot_connected:
            self._pilot_connected = evse.pilot_connected
            board.pilot.connect(evse.pilot_connected)

    def _tick_led(self, now_ms):
        elapsed_ms = ticks_diff(now_ms, self._last_led_ms)
        self._last_led_ms = now_ms
        evse = self.evse
        if self.led.step(elapsed_ms, evse.state, evse.error_flags, evse.access,
                         self.settings.values["mode"], evse.charge_delay_s,
                         evse.custom_button, self.lock.error):
            self._led_pending = True
        if self._led_pending and self.health.ready(LED, now_ms):
            led = self.led
            try:
                self.board.led.show(led.r, led.g, led.b)
            except (OSError, RuntimeError) as exc:
                self.health.failed(LED, exc, now_ms)
                return
            self.health.ok(LED)
            self._led_pending = False

    def _tick_100ms(self, now_ms):
        evse = self.evse
        drive = self.lock.step_100ms(evse.state, evse.access, self.board.lock.feedback())
        if drive != self._lock_drive:
            self._lock_drive = drive
            self.board.lock.drive(drive)
        if evse.rise_due and ticks_diff(now_ms, self._rise_ms) >= 0:
            evse.share_sent()                    # the broadcast is on the wire (regulate_share)
        self.apply_outputs()                     # same pass (issue 6 item 9)

    def _tick_1s(self, now_ms):
        """The 1 s services in the order of charging.md 0.1, then events, NVM, screen."""
        evse = self.evse
        self._seconds += 1
        temp_c = temp_c_from_mv(self.board.temperature.read_mv())
        self.temp_c = temp_c
        self.events |= evse.tick_1s(temp_c)
        self._tick_capacity()
        self._tick_backlight(evse)
        if self._seconds & 1 == 0 and self._seconds - self._shared_s > _SHARE_QUIET_S:
            # every 2nd second (charging.md 0.1, 4.3); a master's poll runs it at its broadcast
            self.events |= evse.regulate()
            evse.share_sent()
        now_s = self.now_epoch_s()
        if now_s is not None:                     # delayed charging, last (0.1, 9.1)
            access = schedule.step(self.settings, now_s, evse.access)
            if access != schedule.NO_CHANGE and access != evse.access:
                self.events |= evse.set_access(access)
        self._tick_linky(evse)
        # C1 -> B1, TEMP_HIGH -> C1, LESS_6A -> B1, delayed stop: the contactors and the
        # pilot follow in this pass, not at the next 10 ms service (charging.md 2.3).
        self.apply_outputs()
        if self.events:
            self._handle_events()
        menu = self.menu
        if menu is None or not menu.active:       # in the menu: flash only on EXIT (2.3)
            self.persist.step_1s(self._seconds)
        self._expire_fault(now_ms)

    def _tick_reading(self, now_ms):
        # Standalone: the fresh mains reading is the cycle's trigger (charging.md 4.3), not
        # the next 2 s tick (~0.9 s later); its own top-level step, so the allocation never
        # nests under the Modbus poll (pystack). The 1 s tick regulates only when readings
        # stop (_SHARE_QUIET_S), so the stale-meter rules still run.
        if self.evse.reg.mains_fresh and not self.settings.values["loadbl"] \
                and self.settings.values["mains_meter_type"] \
                and ticks_diff(now_ms, self._regulated_ms) >= _CYCLE_GAP_MS:
            self._regulated_ms = now_ms
            self._shared_s = self._seconds
            self.events |= self.evse.regulate()
            self.apply_outputs()                  # the new offer in this pass

    def regulate_share(self, now_ms):
        """A master's regulation cycle, run by its poll just before the broadcast (4.3):
        every share changes at once; its own rise waits until the nodes heard theirs."""
        self.events |= self.evse.regulate()
        self._shared_s = self._seconds
        self._rise_ms = ticks_add(now_ms, _RISE_AFTER_MS)

    def _tick_linky(self, evse):
        """The Linky gate after delayed charging (charging.md 9.1); loaded once it may act."""
        gate = self.linky_gate
        if gate is None:
            if self.linky is None and not self.settings.values["linky_failsafe"]:
                return
            from smartevse.core.linky_gate import LinkyGate
            gate = self.linky_gate = LinkyGate()
        access = gate.step(self.settings.values, self.linky, evse.access)
        if access >= 0:
            self.events |= evse.set_access(access)

    def _tick_capacity(self):
        """CAP PEAK (charging.md 4.8): a second of mains power into the 15-minute window,
        its headroom to the allocation; regulation/capacity.py is loaded only while a
        limit is set. A new month's reset peak is saved; a new peak rides the next save."""
        values = self.settings.values
        capacity = self.capacity
        if not values["capacity_limit"] or values["loadbl"] >= LOADBL_FIRST_NODE:
            if capacity is not None:
                self.capacity = None
                self.evse.capacity_headroom(None)
            return
        if capacity is None:
            from smartevse.regulation.capacity import Capacity
            capacity = Capacity(values["capacity_monthly_peak"], values["capacity_peak_month"])
            self.capacity = capacity
        capacity.set_limit(values["capacity_limit"])
        metered_w = self.modbus.mains.power_w if self.modbus is not None else 0
        if capacity.tick_1s(metered_w, self.evse.mains_irms_da, self.now_epoch_s()):
            self.settings.keep("capacity_monthly_peak", capacity.monthly_peak_w)
            self.settings.store("capacity_peak_month", capacity.peak_month)
        self.evse.capacity_headroom(capacity.headroom_da())

    def _tick_net(self, now_ms):
        evse = self.evse
        self.board.net.step_1s(now_ms, not (evse.contactor1 or evse.contactor2))

    def _tick_portal(self, now_ms):
        """The access point runs while the menu asks for it (settings-and-menu.md 2.4
        WIFI); it starts only with the contactors open (issue 11 item 10), and a network
        saved by its form restarts the controller, not while charging (interfaces.md 1.18)."""
        evse = self.evse
        idle = not (evse.contactor1 or evse.contactor2)
        wanted = self.netlink.portal_password
        if wanted != self._portal_password and (idle or wanted is None):
            net = self.board.net
            http = self.http
            if wanted is None:
                net.close_portal()
                if http is not None and self.portal is not None:
                    http.extra = self._extra_before
                self.portal = None
            else:
                self.portal = net.open_portal(PORTAL_SSID, wanted, self.board.nvm)
                if http is not None and self.portal is not None:
                    self._extra_before = http.extra       # the host's /sim page stays
                    http.extra = _first_of(self.portal.handle, http.extra)
            self._portal_password = wanted
        pages = getattr(self, "portal", None)
        if pages is not None and pages.saved and idle:
            self.board.reset()

    def _tick_backlight(self, evse):
        """Backlight timer (settings-and-menu.md 3.7): re-armed each second while an error
        other than LESS_6A lasts or the EV charges, else counting down; D5: the panel
        sleeps after 30 min at 0 in state A without an error."""
        if evse.error_flags & ~LESS_6A or evse.state == STATE_C:
            self.backlight_s = _BACKLIGHT_S
        elif self.backlight_s > 0:
            self.backlight_s -= 1
        if self.backlight_s or evse.state != STATE_A or evse.error_flags:
            self.dark_s = 0
        elif self.dark_s < _SLEEP_AFTER_S:
            self.dark_s += 1

    def _tick_display(self, now_ms):
        """The screen, once a second, as its own service: a panel error is the display's
        (counted, retried after back-off), never a fault of the charge."""
        view = self.view
        menu = self.menu
        if menu is not None:
            if not menu.changed and ticks_diff(now_ms, self._display_due_ms) < 0:
                return
            menu.changed = False
            self._display_due_ms = ticks_add(now_ms, _SECOND_MS)
            if menu.reinit_display and view is not None:
                menu.reinit_display = False       # `<`+`>` (2.2)
                view.reinit()
        if view is None or not self.health.ready(DISPLAY, now_ms):
            return
        try:
            view.update(self, self._seconds)
        except (OSError, RuntimeError) as exc:    # I2C errors; a bus timeout is a RuntimeError
            self.health.failed(DISPLAY, exc, now_ms)
            return
        self.health.ok(DISPLAY)

    def button_event(self):
        """Any front button event (2.1): backlight 120 s, RCM cleared when allowed, the
        status rotation restarts (3.5)."""
        self.backlight_s = _BACKLIGHT_S
        self.dark_s = 0                           # wakes a sleeping panel (3.7)
        self.events |= self.evse.clear_rcm(self.board.rcm.value)
        view = self.view
        if view is not None:
            view.model.restart_rotation(self._seconds)

    def _handle_events(self):
        """Pass the core's events on, once a second (later issues add MQTT, OCPP and the
        session log here). Access and mode changes are persisted through the settings'
        dirty flag, which the evse sets (settings-and-menu.md 6.2)."""
        events = self.events
        self.events = 0
        evse = self.evse
        if events & EVENT_STATE:
            log.info("state " + STATE_NAMES[evse.state])
        if events & EVENT_ERROR:
            names = [name for bit, name in ERROR_NAMES if evse.error_flags & bit]
            log.info("errors " + (",".join(names) if names else "none"))
        if events & EVENT_ACCESS:
            log.info("access " + facts.label_of("access", evse.access))
        if self.mqtt is not None and events & (EVENT_STATE | EVENT_ACCESS | EVENT_MODE | EVENT_ERROR):
            self.mqtt.force()                     # a publish cycle on the next tick (2.2)

    def rfid_service(self):
        """The RFID service, built with its 100 ms step on first use (9 KB of heap that a
        controller with RFID Disabled does not carry)."""
        if self.rfid is None:
            from smartevse.rfid.service import RfidService
            self.rfid = RfidService(self, self.board.rfid_uart)
            self.loop.add(_UI_MS, self.rfid.step)
        return self.rfid

    def _rfid_enabled(self, now_ms):
        settings = self.settings
        if self.rfid is None and (settings.values["rfid_reader"] or settings.rfid_erase_pending):
            self.rfid_service()

    # --- fail-safe ----------------------------------------------------------------
    def _on_fault(self, service, exc):
        """A service raised: outputs safe first, then the state machine, then the report.

        The fail-safe is the loop's only catch-all (architecture.md "Errors"): each output
        write is tried on its own, so one part that raises does not skip the others, and
        a report that fails is counted, never raised.
        """
        board = self.board
        for contactor in (board.contactor1, board.contactor2):
            try:
                contactor.value = False
            except Exception:
                self.safe_write_errors += 1
        try:
            self._duty_applied = 1024
            board.pilot.set_duty(1024)
        except Exception:
            self.safe_write_errors += 1
        try:
            self._lock_drive = 0
            board.lock.drive(0)      # no actuator left energised; the next lock step re-drives
        except Exception:
            self.safe_write_errors += 1
        try:
            self.evse.force_safe()
        except Exception:
            self.safe_write_errors += 1
        try:
            self._report_fault(service, exc)
        except Exception:
            self.fault_report_errors += 1

    def _report_fault(self, service, exc):
        """Log a fault and hand it to the screen model: at once when it is new, then at
        most once a second while it repeats (a fault in the 10 ms path must not flood the
        console). The display service draws it; nothing is drawn here."""
        self.fault_count += 1
        now_ms = self.board.ticks_ms()
        text = "{}: {}".format(getattr(service, "__name__", "service"), exc)
        if text != self.fault_text or ticks_diff(now_ms, self._fault_shown_ms) >= _SECOND_MS:
            self._fault_shown_ms = now_ms
            log.error("fault in " + text)
            if self.view is not None:
                self.view.show_fault(text)
        self.fault_text = text
        self._fault_ms = now_ms

    def _expire_fault(self, now_ms):
        """The fault screen gives way to the status screen after 60 s without a fault."""
        if self.fault_text is not None and ticks_diff(now_ms, self._fault_ms) >= _FAULT_SHOWN_MS:
            log.info("no fault for 60 s: " + self.fault_text)
            self.fault_text = None
            if self.view is not None:
                self.view.clear_fault()

    # --- what the interfaces call -------------------------------------------------
    def now_epoch_s(self):
        return None if self._clock_epoch is None else self._clock_epoch()

    def apply_settings(self, changes, source=SOURCE_MENU):
        """Change a set of settings with their side effects, as one set (settings-and-
        menu.md 1.3, 1.4): {key: value} -> {key: error} of the refused ones."""
        errors = changes_path.apply(self.settings, changes, self, source)
        self.apply_outputs()                      # a change of access or mode acts now
        return errors

    def configure(self, key, value):
        """Change one setting with its side effects: None or the error."""
        return self.apply_settings({key: value}).get(key)

    # the side effects of a change (`changes.apply` calls these)
    def change_mode(self, mode):
        self.backlight_s = _BACKLIGHT_S           # a mode change lights the panel (3.7)
        return self.evse.set_mode(mode)

    def change_access(self, access):
        self.events |= self.evse.set_access(access)

    def setting_changed(self, key):
        if key == "switch":
            self.switch.reconfigure()
        elif key == "wifi_mode" and self.settings.values[key] != WIFI_SETUP:
            self.netlink.stop_portal()            # 1.3 WIFI: 0/1 apply at once
        if self.modbus is not None:
            self.modbus.settings_changed(key)
        if self.mqtt is not None and key in _MQTT_LINK_KEYS:
            self.mqtt.reconfigure()
        if self.ocpp is not None:
            self.ocpp.settings_changed(key)
        elif key == "ocpp_mode" and self.settings.values[key] and self.board.net is not None:
            self._start_ocpp()
        if key == "mains_meter_type":
            self._start_homewizard()
        self.evse.settings_changed(key)

    def note(self, text):
        log.info(text)

    def uptime_s(self):
        return self._seconds


    def request_save(self):
        """Mark settings for the rate-limited write (settings-and-menu.md 6.2)."""
        self.settings.dirty = True

    def save_now(self):
        """Write settings at once (menu EXIT, MQTT/OCPP block changes, reboot)."""
        self.persist.save_now()

    def run_forever(self):
        self.loop.run_forever()


def build_app(board, clock_epoch=None, serial_nr=0, view=None):
    """The entry point used by code.py and the simulator; the OLED view is built here
    when the board has a display and no other view is given."""
    if view is None and board.display is not None:
        from ui.oled import OledView
        view = OledView(board.display)
    return App(board, clock_epoch, serial_nr, view)


def _first_of(handle, then):
    """An HTTP `extra` hook: `handle`'s answer, else `then`'s (None: none)."""
    if then is None:
        return handle

    def both(method, path, params, body):
        got = handle(method, path, params, body)
        return then(method, path, params, body) if got is None else got
    return both
