"""The HomeWizard P1 mains meter: finds it and reads it every 1.95 s (modbus.md 8.7)."""
# Its own every-pass loop service, built by the app only with mains type 13 and a
# network; idle on a node (master/standalone only). One poll is a small state machine
# over a non-blocking socket: connect, send, read; each pass makes at most one socket
# call (issue 11 item 10: <= 20 ms per pass while the contactors are closed). The host is
# the manual IP (MQTT Set/HomeWizardIP, it wins) or the first `_hwenergy._tcp` service
# named p1meter-*: the mDNS find blocks, so it runs only with both contactors open,
# retried every 30 s. A connection error marks the found host stale: the next find
# (contactors open) replaces it; until then the last address is polled, since a find
# cannot run while charging. A reading feeds the mains as POST /currents does
# (`evse.mains_reading`: the 11 s timeout of charging.md 3.5); errors are counted, never
# raised: no reading for 11 s is the usual CT_NOCOMM. The poller is also the app's
# `mains_meter` record GET /settings reads (the fields of api/feed.py's FedMeter): no
# second object, no feed module on the device heap. HTTP/1.0, so never a chunked answer.

import errno

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff

from smartevse import log
from smartevse.net import p1_data

_POLL_MS = const(1950)
_TIMEOUT_MS = const(1500)
_FIND_RETRY_MS = const(30000)
_FIND_TIMEOUT_S = const(1)          # CircuitPython mdns' default
_RX_SIZE = const(2048)              # a 3-phase answer with gas is ~1.5 KB
_METER_HOMEWIZARD_P1 = const(13)    # smartevse.core.states.METER_HOMEWIZARD_P1
_LOADBL_FIRST_NODE = const(2)       # smartevse.core.states.LOADBL_FIRST_NODE
_IDLE = const(0)
_SEND = const(1)
_READ = const(2)
# "nothing now" on a non-blocking socket (as smartevse/net/ws.py's BLOCKING)
_WAIT = (errno.EAGAIN, errno.ETIMEDOUT, errno.EINPROGRESS, errno.EALREADY, errno.ENOTCONN)


class HomeWizardP1:
    """Polls the P1 meter; `host`, `readings`, `errors`, `last_error` for status."""

    def __init__(self, app, net):
        app.mains_meter = self                # the record of GET /settings (interfaces.md 1.4)
        self.currents_da = app.evse.mains_irms_da
        self.original_da = [0, 0, 0]
        self.update_epoch_s = 0
        self.import_wh = 0
        self.export_wh = 0
        self.phase_power_w = [0, 0, 0]       # W, signed (MQTT MainsPowerL*, /modbus.json)
        self.power_w = 0
        self._app = app
        self._net = net
        self._pool = net.socket_pool()
        self._rx = bytearray(_RX_SIZE)
        self._rx_mv = memoryview(self._rx)
        self._tail = None
        self._fill = 0
        self._out = [0, 0, 0, 0, 0, 0, 0, 0, 0]
        self._sock = None
        self._state = _IDLE
        self._request = b""
        self._sent = 0
        self._target = None                  # (ip, port) of this poll
        self._manual = ""
        self._found = None                   # (shown host, ip, port) from mDNS
        self._stale = False                  # a connection error: find again when possible
        now_ms = app.board.ticks_ms()
        self._due_ms = now_ms
        self._find_ms = now_ms
        self._deadline_ms = now_ms
        self.host = ""
        self.phases = 0
        self.readings = 0
        self.errors = 0
        self.last_error = ""
        self.finds = 0

    def step(self, now_ms):
        app = self._app
        values = app.settings.values
        if values["mains_meter_type"] != _METER_HOMEWIZARD_P1 or \
                values["loadbl"] >= _LOADBL_FIRST_NODE:
            if self._state != _IDLE:
                self._close()
            if app.mains_meter is self:       # another mains type: GET /settings reads its own
                app.mains_meter = None
            return
        if app.mains_meter is not self:
            app.mains_meter = self
        state = self._state
        if state == _IDLE:
            if ticks_diff(now_ms, self._due_ms) >= 0:
                self._start(now_ms)
        elif ticks_diff(now_ms, self._deadline_ms) >= 0:
            self._fail("timeout", True)
        elif state == _SEND:
            self._send()
        else:
            self._read()

    def _start(self, now_ms):
        self._due_ms = ticks_add(now_ms, _POLL_MS)
        target = self._pick(now_ms)
        if target is None:
            return
        pool = self._pool
        try:
            sock = self._sock = pool.socket(pool.AF_INET, pool.SOCK_STREAM)
            sock.settimeout(0)
            try:
                sock.connect(target)
            except OSError as exc:
                if exc.errno not in _WAIT:
                    raise
        except OSError as exc:
            self._fail("connect: " + str(exc), True)
            return
        self._sent = self._fill = 0
        self._tail = None
        self._deadline_ms = ticks_add(now_ms, _TIMEOUT_MS)
        self._state = _SEND

    def _pick(self, now_ms):
        """The address to poll, (ip, port), or None: the manual IP, else mDNS."""
        manual = getattr(self._app, "homewizard_ip", "")
        if manual != self._manual:
            self._manual = manual
            self._find_ms = now_ms           # "" = back to discovery at once
            self._target = None
        if not manual:
            evse = self._app.evse
            if not (evse.contactor1 or evse.contactor2) and (
                    self._stale or ticks_diff(now_ms, self._find_ms) >= 0) and (
                    self._stale or self._found is None):
                self._find(now_ms)
            found = self._found
            host, target = ("", None) if found is None else (found[0], (found[1], found[2]))
        else:
            host, target = manual, (manual, 80)
        if target != self._target:
            self._target = target
            self.host = host
            self._request = ("GET /api/v1/data HTTP/1.0\r\nHost: %s\r\n"
                             "Accept: application/json\r\n\r\n" % host).encode()
        return target

    def _find(self, now_ms):
        # blocks up to _FIND_TIMEOUT_S: only here, with both contactors open
        self._find_ms = ticks_add(now_ms, _FIND_RETRY_MS)
        self._stale = False
        self.finds += 1
        found = None
        find = getattr(self._net, "find", None)
        for hostname, ip, port in (() if find is None else
                                   find("_hwenergy", "_tcp", _FIND_TIMEOUT_S)):
            if hostname.startswith("p1meter-"):
                found = (hostname + ".local" + ("" if port == 80 else ":%d" % port), ip, port)
                break
        self._found = found

    def _send(self):
        try:
            self._sent += self._sock.send(memoryview(self._request)[self._sent:])
        except OSError as exc:
            if exc.errno not in _WAIT:
                self._fail("connect: " + str(exc), True)
            return
        if self._sent >= len(self._request):
            self._state = _READ

    def _read(self):
        fill = self._fill
        if fill >= _RX_SIZE:
            self._fail("answer over %d B" % _RX_SIZE, False)
            return
        tail = self._tail
        if tail is None:                     # a new view only when the fill level changed
            tail = self._tail = self._rx_mv[fill:]
        try:
            n = self._sock.recv_into(tail)
        except OSError as exc:
            if exc.errno not in _WAIT:
                self._fail("recv: " + str(exc), True)
            return
        if n > 0:
            self._fill = fill = fill + n
            self._tail = None
            if not p1_data.complete(self._rx, fill):
                return
        self._close()
        out = self._out
        error = p1_data.decode(bytes(self._rx_mv[:fill]), out)
        if error is not None:
            self._fail(error, False)
            return
        self._take(out)

    def _take(self, out):
        """A reading feeds the mains as POST /currents does (interfaces.md 1.7)."""
        app = self._app
        original = self.original_da
        original[0] = out[0]
        original[1] = out[1]
        original[2] = out[2]
        now_s = app.now_epoch_s()
        self.update_epoch_s = 0 if now_s is None else now_s
        evse = app.evse
        evse.mains_reading(out[0], out[1], out[2])
        self.currents_da = evse.mains_irms_da       # after the battery correction
        self.phases = 1 if out[3] == 1 else 3       # GET /settings: 1 or 3 (interfaces.md 1.4)
        power = self.phase_power_w
        power[0] = out[6]
        power[1] = out[7]
        power[2] = out[8]
        self.power_w = out[6] + out[7] + out[8]
        if out[4] > 0:
            self.import_wh = out[4]
        if out[5] > 0:
            self.export_wh = out[5]
        self.readings += 1

    def _fail(self, text, connection):
        self._close()
        self.errors += 1
        if text != self.last_error:
            log.warning("HomeWizard P1: " + text)
        self.last_error = text
        if connection and not self._manual:
            self._stale = True                # cache cleared on a connection error (8.7)

    def _close(self):
        sock = self._sock
        self._sock = None
        self._state = _IDLE
        self._tail = None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
