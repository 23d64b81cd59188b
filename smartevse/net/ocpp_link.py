"""The OCPP service: keeps the WebSocket up, moves values to and from the charge point."""
# interfaces.md 3.1-3.8. Its own top-level every-pass service (architecture.md "The
# cooperative loop"): each pass one slice of socket I/O, at most one received frame and
# one CALL sent; once a second the controller's inputs go to the charge point and its decisions come back (access, the
# D13 ceiling, records to save). Reconnects back off from Cst_ReconnectInterval doubling
# to 120 s; a link silent for Cst_StaleTimeout is closed and reopened.

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff

from smartevse import log
from smartevse.core.states import ACCESS_OFF, ACCESS_ON, STATE_A, STATE_C, STATE_C1
from smartevse.core.pilot import PILOT_3V, PILOT_6V, PILOT_9V
from smartevse.net.ws import CLOSED, OPEN, WsClient, release
from smartevse.ocpp.chargepoint import ChargePoint, _release
from smartevse.ocpp.records import JOURNAL_VERSION
from smartevse.settings import facts

# configuration keys: their index in config.numbers (records.py DEFAULTS; a test checks)
_KEY_WEB_SOCKET_PING_INTERVAL = const(16)
_KEY_CST_RECONNECT_INTERVAL = const(17)
_KEY_CST_STALE_TIMEOUT = const(18)
_BACKOFF_MAX_S = const(120)
_SECOND_MS = const(1000)
_IDLE_READ_MS = const(100)
_BACKLIGHT_S = const(120)         # a transaction notification lights the panel (3.5, 3.7)
_RESET_WAIT_S = const(30)
# the error flags that make an OCPP errorCode: CT_NOCOMM, TEMP_HIGH, EV_NOCOMM, RCM_TRIPPED
# and RCM_TEST (states.py; a test checks)
_ERROR_FLAGS = const(0x3E)         # the longest a Reset waits for its StopTransaction's answer


class OcppLink:
    """One charge point on one WebSocket; `step(now_ms)` is the every-pass service."""

    def __init__(self, app):
        self._app = app
        board = app.board
        v = app.settings.values
        self.ws = WsClient(board.net.socket_pool())
        self.cp = cp = ChargePoint(app.serial_nr, app.version,
                                   facts.label_of("ev_meter_type", v["ev_meter_type"])
                                   if v["ev_meter_type"] else "")
        cp.settings = v
        self.url = None               # a URL that bypasses the setting (the simulator's)
        # the rest of the starting state (the NVM stores among it) is
        # smartevse/net/ocpp_start.py's: imported once, then released
        from smartevse.net.ocpp_start import start
        start(self, app)
        release("ocpp_start")
        self._access = app.evse.access
        self._loaded = False            # the records are loaded by the first step (below)

    # --- what REST, scripts and the tests read (interfaces.md 1.4 `ocpp`; README) ---------
    # (its counters are the charge point's, `cp.tx_starts` ...; the ceiling is the
    # controller's, evse.reg.ocpp_limit_da)
    # and `tx_active`, set where a transaction begins or ends: in the charge point's tick
    connected = property(lambda self: self.ws.state == OPEN and self.cp.accepted)

    def _controls(self):
        v = self._app.settings.values
        reader = v["rfid_reader"]
        return bool(v["ocpp_mode"]) and (reader == 0 or reader == 6)

    def _take_access(self):
        """OCPP decides access (reader none or Rmt/OCPP): none before a transaction (3.6)."""
        if self._controls() and self._app.evse.access == ACCESS_ON and self.cp.journal.tx is None:
            self._app.change_access(ACCESS_OFF)

    def authorize(self, uid):
        """The card reader's hook (3.6): True when OCPP takes the card."""
        self.cp.inputs.controls = self._controls()
        from smartevse.ocpp.events import card         # rare: imported per card, released after
        ok = card(self.cp, uid, self._now_s)
        _release()
        return ok

    def settings_changed(self, key):
        """A setting changed: OCPP's own, the reader or the load balancing (1.5, 3.8)."""
        if key.startswith("ocpp_") or key == "rfid_reader" or key == "loadbl":
            from smartevse.net.ocpp_start import reconfigure     # rare: released after
            reconfigure(self, key)
            release("ocpp_start")

    # --- the service ----------------------------------------------------------------
    def step(self, now_ms):
        if not self._loaded:            # once, from the loop: a shorter call chain than the
            from smartevse.net.ocpp_start import load       # boot's or a settings change's
            load(self)
            release("ocpp_start")
            return
        ws = self.ws
        cp = self.cp
        # An idle open link is read every 100 ms: a read that finds nothing raises (and
        # allocates) an OSError on CircuitPython; while a CALL waits, every pass.
        if ws.state != OPEN or cp.pending is not None or ws.tx_len or \
                ticks_diff(now_ms, self._read_ms) >= _IDLE_READ_MS:
            self._read_ms = now_ms
            text = ws.step(now_ms)
            if text is not None:
                cp.received(text, self._now_s)
        if ticks_diff(now_ms, self._second_ms) >= 0:
            self._second_ms = ticks_add(self._second_ms, _SECOND_MS)
            if ticks_diff(now_ms, self._second_ms) >= 0:
                self._second_ms = ticks_add(now_ms, _SECOND_MS)
            self._now_s += 1
            self._tick(now_ms)
            return
        if cp.settings_change is not None:
            change = cp.settings_change
            cp.settings_change = None
            self._app.apply_settings(change)
            self._app.request_save()
            return
        if ws.state == OPEN:
            self._talk(now_ms)
        elif ws.state == CLOSED:
            if cp.online:
                from smartevse.ocpp.events import disconnected    # rare: released after
                disconnected(cp)
                _release()
                log.info("OCPP link down: " + ws.error)
                self._retry_ms = ticks_add(now_ms, self._backoff() * 1000)
            elif ticks_diff(now_ms, self._retry_ms) >= 0:
                self._connect(now_ms)

    def _backoff(self):
        interval = self.cp.config.numbers[_KEY_CST_RECONNECT_INTERVAL] or 10
        self._backoff_s = min(self._backoff_s * 2 if self._backoff_s else interval,
                              max(interval, _BACKOFF_MAX_S))
        return self._backoff_s

    def _connect(self, now_ms):
        app = self._app
        v = app.settings.values
        url = self.url or v["ocpp_backend_url"]
        if not v["ocpp_mode"] or not url or not v["ocpp_cb_id"] or not app.board.net.connected:
            self._retry_ms = ticks_add(now_ms, _SECOND_MS)
            return
        # an attempt (at most every Cst_ReconnectInterval): ocpp_start.py's, released after
        from smartevse.net.ocpp_start import connect
        connect(self, url, now_ms)
        release("ocpp_start")

    def _talk(self, now_ms):
        ws = self.ws
        cp = self.cp
        if cp.reconnect or ticks_diff(now_ms, ws.received_ms) > \
                cp.config.numbers[_KEY_CST_STALE_TIMEOUT] * 1000:
            ws.close("stale: nothing received for Cst_StaleTimeout")
            return
        if cp.accepted:
            self._backoff_s = 0
        replies = cp.replies
        while replies and ws.send_text(replies[0]):
            replies.pop(0)
        if not ws.tx_len:               # a CALL goes out whole, never refused by the buffer
            text = cp.next_call(self._now_s)
            if text is not None:
                ws.send_text(text)
        interval = cp.config.numbers[_KEY_WEB_SOCKET_PING_INTERVAL]
        if interval and ticks_diff(now_ms, self._ping_ms) >= interval * 1000:
            self._ping_ms = now_ms
            ws.ping()

    def _tick(self, now_ms):
        """Once a second: inputs to the charge point, its decisions to the controller."""
        app = self._app
        cp = self.cp
        evse = app.evse
        v = app.settings.values
        inputs = cp.inputs
        state = evse.state
        if evse.pilot_connected:      # the last valid reading is kept while the pilot is off
            pilot = evse.pilot
            self._plugged = state != STATE_A or pilot == PILOT_9V or pilot == PILOT_6V \
                or pilot == PILOT_3V              # with access OFF the state stays A (3.5)
        inputs.plugged = self._plugged
        inputs.ev_ready = state == STATE_C or state == STATE_C1
        inputs.offered_da = evse.advertised_da()
        flags = evse.error_flags & _ERROR_FLAGS
        if flags != self._error_flags:        # rare: their errorCode is events.py's (3.5)
            self._error_flags = flags
            from smartevse.ocpp.events import error_code
            inputs.error, inputs.info = error_code(flags)
            _release()
        meter = app.modbus.ev if app.modbus is not None and v["ev_meter_type"] else None
        if meter is not None:
            inputs.energy_wh = meter.import_wh - meter.export_wh
            inputs.power_w = meter.power_w
        inputs.currents_da = evse.ev_irms_da
        inputs.temp_c = app.temp_c
        access = evse.access
        inputs.access_switched_off = access == ACCESS_OFF and self._access != ACCESS_OFF
        inputs.access = access
        inputs.enabled = bool(v["ocpp_mode"])
        inputs.controls = self._controls()
        inputs.free_vend = bool(v["ocpp_auto_auth"])
        inputs.free_tag = v["ocpp_auto_auth_idtag"]
        inputs.locked = v["lock"] != 0 and not app.lock.unlocked
        inputs.standalone = self._standalone
        inputs.current_max_a = v["current_max"]
        cp.app_epoch = app.now_epoch_s()
        if self._power_loss and (cp.app_epoch is not None or cp.clock_offset_s is not None):
            from smartevse.ocpp.events import end_power_loss    # once, the clock known
            end_power_loss(cp, self._now_s)
            _release()
            self._power_loss = False
        if not v["ocpp_mode"]:
            cp.request_stop("Other", self._now_s)          # OCPP disabled (3.1)
            if self.ws.state != CLOSED:
                self.ws.close("OCPP disabled")
        cp.tick(self._now_s)
        self.tx_active = cp.journal.tx is not None
        if cp.notice and cp.notice_until_s != self._notice_until_s:
            app.backlight_s = _BACKLIGHT_S        # a new notification (settings-and-menu.md 3.5)
        self._notice_until_s = cp.notice_until_s
        self._apply(evse, access)
        self._save(now_ms)
        if cp.reset_kind is None:
            self._reset_by_s = self._now_s + _RESET_WAIT_S
        else:                           # a Reset due (3.10): ocpp_start.py's, released after
            from smartevse.net.ocpp_start import reset_when_done
            reset_when_done(self, app)
            release("ocpp_start")

    def _apply(self, evse, access):
        cp = self.cp
        app = self._app
        permit = cp.permit
        if cp.inputs.controls:
            if permit and not self._permit and evse.charge_delay_s == 0:
                self._permit = True
                if access != ACCESS_ON:
                    app.change_access(ACCESS_ON)           # deferred while ChargeDelay (3.6)
            elif not permit and self._permit:
                self._permit = False
                if access == ACCESS_ON:
                    app.change_access(ACCESS_OFF)
        self._access = evse.access
        limit = cp.limit_da
        if limit != self._limit_da:
            self._limit_da = limit
            evse.set_ocpp_limit(limit)                     # a ceiling on the offer (D13)

    def _save(self, now_ms):
        """The records the charge point changed, one write each (architecture.md NVM)."""
        cp = self.cp
        journal = cp.journal
        if journal.dirty and self.write(self._stores[0], journal.encode(), JOURNAL_VERSION):
            journal.dirty = False
        if cp.list_dirty or cp.config_dirty:      # rare: SendLocalList, ChangeConfiguration
            from smartevse.ocpp import codec
            codec.save_changed(self)
            _release()
        if cp.profiles.installed is not self.profiles_saved:     # set or cleared (3.8)
            from smartevse.ocpp import profile_store
            profile_store.save(self, self._app.board.nvm)
            _release()

    def write(self, store, data, version):
        """One record written; False, counted and logged, when the NVM refuses it."""
        try:
            store.save(data, version)
        except (OSError, RuntimeError) as exc:
            self.nvm_errors += 1
            log.warning("OCPP record not saved: " + str(exc))
            return False
        self.nvm_writes += 1
        return True
