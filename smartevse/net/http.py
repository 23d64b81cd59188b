"""The HTTP server: status page, REST and OpenAPI over the board's sockets (interfaces.md 1.1).

The listening socket, the connections (non-blocking, in a few fixed slots, so no client
can block a loop pass) and the request parse (http_text) are ours.
"""
# Why not adafruit_httpserver: its Server.poll() waits socket_timeout (1 s) per recv after
# accept() and loops while a slow client dribbles bytes, its header buffer grows without
# bound, and importing any part of it (its package __init__ imports every module) keeps
# ~60-100 KB of device heap: the network's 110 KB would not hold (issue 11). Here
# `step` (every pass) accepts, reads and sends without blocking; `answer` (its own
# every-pass service) runs one complete request through routes.handle, so the REST chain
# starts as shallow as the menu's (docs/architecture.md "Device budget").
# More clients than slots get 503 "Too many connections" (interfaces.md 1.1); a request
# that does not fit a slot's buffer gets 431/413; a silent or stalled client is closed
# after 5 s. The answer is sent from the slot on the next passes; a file (the page, the
# OpenAPI document) is streamed through the slot's buffer.

import json
import os

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff

from smartevse import log
from smartevse.api import routes
from smartevse.net import http_text

_SLOTS = const(8)               # 1.1: more than 8 concurrent connections get 503
_IN_SIZE = const(2048)          # request head + body per slot, bytes
_IDLE_MS = const(5000)          # a client silent or not reading this long is closed
_ACCEPTS_PER_PASS = const(2)
_EAGAIN = const(11)             # errno on CircuitPython and Linux
_ETIMEDOUT = const(116)
_FREE = const(0)
_READING = const(1)
_READY = const(2)               # a whole request arrived
_QUEUED = const(5)              # parsed, waiting for `answer`
_ANSWERING = const(3)           # routes.handle runs (a raise leaves it here: answered 500)
_SENDING = const(4)
_JSON = "application/json"
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
         b"Content-Length: 20\r\nConnection: close\r\n\r\nToo many connections")

_HERE = __file__.rsplit("/", 1)[0]
PAGE_PATH = _HERE + "/page.html"
OPENAPI_PATH = _HERE.rsplit("/", 1)[0] + "/api/openapi.json"
OPENAPI_URL = "/openapi.json"


class _Slot:
    # The 2 KB buffer lives while a client is connected: an idle server keeps none of the
    # 4 x 2 KB (issue 11 "On the device"); a failed allocation answers 503 like a full house.
    def __init__(self):
        self.reset()

    def reset(self):
        self.buf = None
        self.view = None
        self.state = _FREE
        self.sock = None
        self.addr = None
        self.n = 0
        self.need = -1              # head + body length once the head is complete
        self.out = None
        self.sent = 0
        self.file = None
        self.since_ms = 0


class HttpService:
    """Serves one app on `port`; `step` and `answer` are every-pass loop services."""

    def __init__(self, app, net, port, host="0.0.0.0"):
        self.app = app
        self.extra = None           # /sim (sim/web.py), the portal: -> None or (status, obj[, type])
        self.origin = None          # Origin header of the request being queued (1.2)
        self.ws = None              # /ws/data and /ws/lcd (net/ws_data.py), at the first upgrade
        self.ws_key = None          # Sec-WebSocket-Key of the request being taken
        self._ws_service = False
        self.stats = {"accepted": 0, "answered": 0, "busy": 0, "timed_out": 0, "bad": 0}
        self._pool = net.socket_pool()
        self._host = host
        self.port = port
        self._listen = None         # bound by start(); `step` retries it every 5 s
        self._waiting = None        # the listener's poll (set by start)
        self._start_due_ms = None
        self._slots = []            # made as clients come, up to _SLOTS, then reused
        self._job = None            # (slot, method, path, params, body, headers) for `answer`

    def start(self):
        """Listen on the port (an OSError, e.g. the port taken, is raised)."""
        self._listen = self._bind(self._host, self.port)
        if self.port == 0:
            self.port = self._listen.getsockname()[1]
        # An accept() that finds nobody raises OSError, a heap object (64 B a pass on the
        # device); the listener's poll says whether a client waits and allocates nothing.
        # CircuitPython's sockets are selectable (8.0 on; `select` is in its full builds,
        # the ESP32-S3's among them); ipoll() reuses one tuple (CPython has poll() alone).
        try:
            import select
            poller = select.poll()
            poller.register(self._listen, select.POLLIN)
            self._waiting = getattr(poller, "ipoll", None) or poller.poll
        except (ImportError, AttributeError, TypeError, ValueError, OSError):
            self._waiting = None            # no select here: accept() every pass

    def _bind(self, host, port):
        pool = self._pool
        sock = pool.socket(pool.AF_INET, pool.SOCK_STREAM)
        try:
            sock.setsockopt(pool.SOL_SOCKET, pool.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(10)
        except OSError:
            sock.close()
            raise
        sock.setblocking(False)
        return sock

    def stop(self):
        self._job = None
        for slot in self._slots:
            self._close(slot)
        if self._listen is not None:
            self._listen.close()
            self._listen = None
            self._waiting = None

    def _start_when_due(self, now_ms):
        # The network may not be up at boot: a refused bind is tried again every 5 s, and
        # charging never waits for it.
        if self._start_due_ms is not None and ticks_diff(now_ms, self._start_due_ms) < 0:
            return
        try:
            self.start()
        except (OSError, RuntimeError) as exc:
            if self._start_due_ms is None:
                log.warning("http: cannot listen on port %d: %s" % (self.port, exc))
            self._start_due_ms = ticks_add(now_ms, _IDLE_MS)

    # --- every pass: sockets only ----------------------------------------------------
    def step(self, now_ms):
        if self._listen is None:
            self._start_when_due(now_ms)
            return
        if self._waiting is None or self._client_waits():
            for _ in range(_ACCEPTS_PER_PASS):
                if not self._accept(now_ms):
                    break
        for slot in self._slots:
            state = slot.state
            if state == _READING:
                self._read(slot, now_ms)
                state = slot.state                       # complete: parsed in this pass
            if state == _READY and self._job is None:
                self._take(slot)
            elif state == _SENDING:
                self._send(slot, now_ms)
            elif state == _ANSWERING:                    # the handler raised
                self._reply(slot, 500, {"error": "Internal error"})

    def _client_waits(self):
        # the poll's answer, iterated: ipoll(0) yields (socket, event) while a client waits
        for _ in self._waiting(0):
            return True
        return False

    def _accept(self, now_ms):
        try:
            sock, addr = self._listen.accept()
        except OSError:                                  # EAGAIN: nobody waiting
            return False
        sock.setblocking(False)
        slot = self._free()
        if slot is not None:
            try:
                slot.buf = bytearray(_IN_SIZE)
            except MemoryError:
                slot = None
        if slot is not None:
            slot.view = memoryview(slot.buf)
            slot.state = _READING
            slot.sock = sock
            slot.addr = addr
            slot.since_ms = now_ms
            self.stats["accepted"] += 1
            return True
        self.stats["busy"] += 1
        try:
            sock.send(_BUSY)
        except OSError:
            pass
        sock.close()
        return True

    def _free(self):
        slots = self._slots
        for slot in slots:
            if slot.state == _FREE:
                return slot
        if len(slots) < _SLOTS:
            slots.append(_Slot())
            return slots[-1]
        return None

    def _read(self, slot, now_ms):
        try:
            got = slot.sock.recv_into(slot.view[slot.n:], _IN_SIZE - slot.n)
        except OSError as exc:
            self._stalled(slot, exc, now_ms)
            return
        if not got:                                      # the client went away
            self._close(slot)
            return
        slot.n += got
        slot.since_ms = now_ms
        if slot.need < 0:
            end = slot.buf.find(b"\r\n\r\n", 0, slot.n)
            if end < 0:
                if slot.n == _IN_SIZE:
                    self._bad(slot, 431, "Request header too large")
                return
            try:
                length = http_text.content_length(bytes(slot.view[:end]).decode())
            except UnicodeError:
                length = -1
            if length < 0:
                self._bad(slot, 400, "Bad request")
                return
            slot.need = end + 4 + length
            if slot.need > _IN_SIZE:
                self._bad(slot, 413, "Request body too large")
                return
        if slot.n >= slot.need:
            slot.state = _READY

    def _send(self, slot, now_ms):
        out = slot.out
        if slot.sent >= len(out):
            got = 0 if slot.file is None else slot.file.readinto(slot.buf)
            if not got:
                self._close(slot)
                return
            out = slot.out = slot.view[:got]
            slot.sent = 0
        try:
            slot.sent += slot.sock.send(out[slot.sent:])
        except OSError as exc:
            self._stalled(slot, exc, now_ms)
            return
        slot.since_ms = now_ms
        if slot.sent >= len(out) and slot.file is None:
            self._close(slot)       # all sent: the client reads the end now, not a pass later

    def _stalled(self, slot, exc, now_ms):
        """A socket call found nothing to do (EAGAIN) or failed (reset: closed)."""
        if exc.errno not in (_EAGAIN, _ETIMEDOUT):
            self._close(slot)
        elif ticks_diff(now_ms, slot.since_ms) >= _IDLE_MS:
            self.stats["timed_out"] += 1
            self._close(slot)

    def _close(self, slot):
        if slot.file is not None:
            slot.file.close()
        if slot.sock is not None:
            if slot.state == _SENDING:
                self._drain(slot)
            try:
                slot.sock.close()
            except OSError:
                pass
        slot.reset()

    @staticmethod
    def _drain(slot):
        # Unread request bytes at close() make the peer's stack send RST, which can
        # discard the error answer still in flight (a 431/413): read what has arrived.
        for _ in range(4):
            try:
                if not slot.sock.recv_into(slot.buf, _IN_SIZE):
                    return
            except OSError:
                return

    # --- every pass: one complete request answered --------------------------------------
    def answer(self, now_ms):
        # Few locals: this frame sits under the whole REST chain (pystack budget).
        job = self._job
        if job is None:
            return
        self._job = None
        slot = job[0]
        slot.state = _ANSWERING
        got = routes.handle(self.app, job[1], job[2], job[3], job[4], job[5])
        self._reply(slot, got[0], got[1], got[2] if len(got) > 2 else None)
        self._send(slot, now_ms)

    def _take(self, slot):
        """A complete request: static answers at once, the rest queued for `answer`."""
        request = self._parse(slot)
        if request is None:
            return
        if request[1] in ("/ws/data", "/ws/lcd", "/diag/stream"):   # not gated (1.2)
            self._upgrade(slot, request[1])
            return
        if self.extra is not None:                       # /sim, the set-up portal
            slot.state = _ANSWERING
            got = self.extra(request[0], request[1], request[2], request[3])
            if got is not None:
                self._reply(slot, got[0], got[1], got[2] if len(got) > 2 else None)
                return
        if request[0] == "GET" and self._static(slot, request[1]):
            return
        slot.state = _QUEUED
        origin = self.origin        # the write protection's Origin check reads it (1.2)
        self._job = (slot,) + request + ((None if origin is None else {"origin": origin}),)

    def _parse(self, slot):
        """(method, path, params, body) of the slot's request, or None (answered 400)."""
        try:
            method, path, query, head, body = http_text.parse_request(bytes(slot.view[:slot.n]))
            params = http_text.parse_params(query, {})
        except (ValueError, UnicodeError):
            self._bad(slot, 400, "Bad request")
            return None
        if method == "POST" and path in http_text.FORM_PATHS and body:
            try:
                http_text.parse_params(body.decode(), params)
            except UnicodeError:
                pass
        self.origin = http_text.header(head, "origin")
        self.ws_key = http_text.header(head, "sec-websocket-key")
        return method, path, params, body

    def _upgrade(self, slot, path):
        """A WebSocket (1.11, 1.17, 1.19): the socket leaves its slot for that service."""
        ws = self.ws
        if ws is None:
            from smartevse.net.ws_data import WsData
            ws = self.ws = WsData(self.app)
            if not self._ws_service:
                self._ws_service = True
                self.app.loop.add_every_pass(self.ws_step)   # its own top-level service
        if ws.adopt(slot.sock, self.ws_key, path):
            slot.sock = None
            slot.reset()
        elif self.ws_key:
            self._reply(slot, 503, "Too many connections")
        else:
            self._bad(slot, 400, "WebSocket upgrade expected")

    def ws_step(self, now_ms):
        """The WebSockets' pass; once their last client left, their code goes back to the heap."""
        ws = self.ws
        if ws is not None and not ws.step(now_ms):
            self.ws = None
            ws.release()

    def _static(self, slot, path):
        """The page and the OpenAPI document, streamed from flash."""
        if path == "/" or path == "/index.html":
            name, kind = PAGE_PATH, "text/html; charset=utf-8"
        elif path == OPENAPI_URL:
            name, kind = OPENAPI_PATH, _JSON
        elif path == "/display":                         # the OLED mirror: its 8 text rows
            view = self.app.view
            self._reply(slot, 200, {"lines": view.text_lines() if view is not None else []})
            return True
        else:
            return False
        try:
            size = os.stat(name)[6]
            slot.file = open(name, "rb")
        except OSError:
            self._reply(slot, 404, {"error": "Not found"})
            return True
        slot.out = http_text.head(200, kind, size)
        slot.sent = 0
        slot.state = _SENDING
        self.stats["answered"] += 1
        return True

    def _bad(self, slot, status, text):
        self.stats["bad"] += 1
        self._reply(slot, status, {"error": text})

    def _reply(self, slot, status, obj, kind=None):
        if isinstance(obj, (bytes, bytearray)):
            body = obj
            kind = kind or "application/octet-stream"
        elif isinstance(obj, str):
            body = obj.encode()
            kind = kind or "text/plain; charset=utf-8"
        else:
            body = json.dumps(obj).encode()
        data = http_text.head(status, kind or _JSON, len(body)) + body
        slot.out = memoryview(data)
        slot.sent = 0
        slot.state = _SENDING
        self.stats["answered"] += 1
