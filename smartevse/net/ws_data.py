"""The WebSockets /ws/data (1.19), /ws/lcd (1.11), /diag/stream (1.17): 4 clients at most."""
# The HTTP server hands over the socket of a GET /ws/data upgrade (`adopt`); `step`, a
# loop service of its own (every pass), sends the 101 answer, then a "sync" message with
# every field on connect and every 30 s, and each 500 ms a "state" message with the fields
# that changed (api/ws_fields.py decides them). Client messages are read and dropped
# (1.19), pings answered, a close frame echoed. A client that has not taken the last
# message when the next is due gets a sync later instead; one silent for 10 s with
# bytes pending, or sending an unmasked or oversized control frame, is closed.
# A /ws/lcd client instead gets the display as a BMP in a binary frame each second, and
# its text messages (button presses) are answered by api/lcd.py, imported with the first
# such client. A /diag/stream client gets what api/diag_stream.py decides every 100 ms
# (at most 10 messages a second), that module imported only while such a client is
# connected. Imported with the first upgrade request and released when the last client
# has gone (HttpService.ws_step): no device heap while no page is open.

import json

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff

from smartevse.net.ws_frame import accept_key, frame_head, put_head

_CLIENTS = const(4)             # 1.19: further ones are closed
_STATE_MS = const(500)
_LCD_MS = const(1000)           # 1.11: the picture every second
_DIAG_MS = const(100)           # 1.17: the fork polls at 10 Hz
_SYNC_MS = const(30000)
_STALL_MS = const(10000)
_RX_SIZE = const(136)           # a control frame: 125 B payload, masked head
_EAGAIN = const(11)             # errno on CircuitPython and Linux
_ETIMEDOUT = const(116)
_FRAMES_PER_STEP = const(2)
_READ_MS = const(100)           # a read that finds nothing raises OSError, a heap object
_DATA = const(0)                # the client kinds: /ws/data, /ws/lcd, /diag/stream
_LCD = const(1)
_DIAG = const(2)
_HEAD = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"


class _Client:
    def __init__(self, sock, out, kind):
        self.sock = sock
        self.kind = kind        # _LCD: pictures and button presses; _DIAG: the capture
        self.cursor = None      # _DIAG: where it is in the capture (api/diag_stream.py)
        self.out = out          # memoryview of what is still to send, or None
        self.sync = True        # send every field with the next message
        self.rx = bytearray(_RX_SIZE)
        self.view = memoryview(self.rx)
        self.tail = None        # view[n:], made again only when n changed
        self.n = 0
        self.skip = 0           # payload bytes of an ignored data frame still to read
        self.since_ms = None    # last progress (set on the first step)


class WsData:
    """The clients of /ws/data; `step(now_ms)` is an every-pass loop service."""

    def __init__(self, app):
        self._app = app
        self.clients = []
        self._due_ms = None     # next state message; None: at once (a new client)
        self._sync_ms = 0
        self._read_ms = 0
        self._lcd_ms = 0
        self._diag_ms = 0
        self._fields = {}       # the fields now, refilled each 500 ms
        self._last = {}         # the fields as last sent: the base of "state" deltas
        self.messages = 0

    def adopt(self, sock, key, path="/ws/data"):
        """Take over the socket of an upgrade request for `path`; False when full or
        without a key (the HTTP server then answers it and closes it)."""
        if len(self.clients) >= _CLIENTS or not key:
            return False
        try:
            accept = accept_key(key.strip().encode())
        except (ImportError, AttributeError, ValueError):   # no SHA-1 in this build
            return False
        kind = _LCD if path == "/ws/lcd" else _DIAG if path == "/diag/stream" else _DATA
        self.clients.append(_Client(sock, memoryview(
            _HEAD + b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"), kind))
        self._due_ms = None
        if kind == _LCD:
            self._lcd_ms = 0    # a picture at once (after the 101 answer)
        elif kind == _DIAG:
            self._diag_ms = 0   # the capture's status at once
        return True

    def step(self, now_ms):
        """One slice for every client; False once none is left."""
        clients = self.clients
        if not clients:
            return False
        read = ticks_diff(now_ms, self._read_ms) >= 0
        if read:
            self._read_ms = ticks_add(now_ms, _READ_MS)
        for client in clients:
            if client.since_ms is None:
                client.since_ms = now_ms
            if client.out is not None:
                self._flush(client, now_ms)
            if read and client.sock is not None:
                self._read(client)
        if self._due_ms is None or ticks_diff(now_ms, self._due_ms) >= 0:
            self._due_ms = ticks_add(now_ms, _STATE_MS)
            if self._kind(_DATA):
                self._messages(now_ms)
        if ticks_diff(now_ms, self._lcd_ms) >= 0:
            self._lcd_ms = ticks_add(now_ms, _LCD_MS)
            self._pictures(now_ms)
        if ticks_diff(now_ms, self._diag_ms) >= 0:
            self._diag_ms = ticks_add(now_ms, _DIAG_MS)
            self._diagnostics(now_ms)
        for client in clients:
            if client.sock is None:
                clients.remove(client)
                if client.kind == _DIAG and not self._kind(_DIAG):
                    _forget("smartevse.api", "diag_stream")   # the last diag client left
                break                              # one a pass: the list just changed
        return True

    def _kind(self, kind):
        for client in self.clients:
            if client.kind == kind:
                return True
        return False

    @staticmethod
    def release():
        """No client is left: this code and what it imported go back to the heap."""
        for package, name in (("smartevse.net", "ws_data"), ("smartevse.api", "ws_fields"),
                              ("smartevse.api", "diag_stream")):
            _forget(package, name)

    def _messages(self, now_ms):
        if ticks_diff(now_ms, self._sync_ms) >= 0:
            self._sync_ms = ticks_add(now_ms, _SYNC_MS)
            for client in self.clients:
                client.sync = True
        from smartevse.api import ws_fields   # with the first /ws/data client, not before
        fields = self._fields
        ws_fields.fill(self._app, fields)
        delta = ws_fields.changed(fields, self._last)
        state = sync = None
        for client in self.clients:
            if client.sock is None or client.kind != _DATA:
                continue
            if client.out is not None:             # still sending: catch up with a sync
                client.sync = True
                continue
            if client.sync:
                if sync is None:
                    whole = dict(fields)
                    ws_fields.fill_sync(self._app, whole)
                    sync = _text_frame(json.dumps({"type": "sync", "d": whole}))
                client.out = sync
                client.sync = False
            elif delta is not None:
                if state is None:
                    state = _text_frame(json.dumps({"type": "state", "d": delta}))
                client.out = state
            else:
                continue
            self.messages += 1
            self._flush(client, now_ms)

    def _pictures(self, now_ms):
        # /ws/lcd: the display once a second to each client that took the last one
        frame = None
        for client in self.clients:
            if not _takes(client, _LCD):
                continue
            if frame is None:
                from smartevse.api import lcd
                shot = lcd.picture(self._app)
                if shot is None:
                    return                         # no readable display
                frame = _frame(2, shot)
            client.out = frame
            self._flush(client, now_ms)

    def _diagnostics(self, now_ms):
        # /diag/stream: each client that took its last message gets the next, if any
        stream = None
        for client in self.clients:
            if not _takes(client, _DIAG):
                continue
            if stream is None:
                from smartevse.api import diag_stream as stream
            text = stream.message(self._app, client)
            if text is not None:
                client.out = _text_frame(text)
                self.messages += 1
                self._flush(client, now_ms)

    def _flush(self, client, now_ms):
        out = client.out
        try:
            sent = client.sock.send(out)
        except OSError as exc:
            if exc.errno not in (_EAGAIN, _ETIMEDOUT) or \
                    ticks_diff(now_ms, client.since_ms) >= _STALL_MS:
                self._drop(client)
            return
        client.since_ms = now_ms
        client.out = out[sent:] if sent < len(out) else None

    def _read(self, client):
        rx = client.rx
        if client.tail is None:
            client.tail = client.view[client.n:]
        try:
            got = client.sock.recv_into(client.tail)
        except OSError as exc:
            if exc.errno not in (_EAGAIN, _ETIMEDOUT):
                self._drop(client)
            return
        if not got:                                # the browser went away
            self._drop(client)
            return
        if client.skip:
            used = min(client.skip, got)
            client.skip -= used
            rx[:got - used] = rx[client.n + used:client.n + got]
            got -= used
        client.n += got
        client.tail = None
        for _ in range(_FRAMES_PER_STEP):
            if client.sock is None or not self._frame(client):
                break

    def _frame(self, client):
        """Handle the first whole frame in the client's buffer; True when one was taken."""
        rx = client.rx
        head = frame_head(rx, client.n)
        if head is None:
            return False
        size, start = head
        opcode = rx[0] & 0x0F
        if not rx[1] & 0x80 or (opcode >= 8 and size > 125):   # RFC 6455 5.1, 5.5
            self._close(client, 1002)
            return False
        end = start + 4 + size
        if opcode < 8 and end > _RX_SIZE:          # a large message: read past it
            client.skip = end - client.n        # the buffer holds its start only
            client.n = 0
            client.tail = None
            return True
        if end > client.n:
            return False
        if opcode == 8:
            self._close(client, 1000)
            return False
        if opcode == 9 and client.out is None:     # ping: pong with its payload unmasked
            client.out = _frame(10, _unmasked(rx, start, size))
        elif opcode == 1 and client.kind == _LCD:           # a button press (1.11): its answer
            from smartevse.api import lcd
            reply = _text_frame(json.dumps(lcd.ws_message(
                self._app, _unmasked(rx, start, size).decode())))
            out = client.out                       # after what is being sent
            client.out = reply if out is None else memoryview(bytes(out) + bytes(reply))
        left = client.n - end
        rx[:left] = rx[end:client.n]
        client.n = left
        client.tail = None
        return True

    def _close(self, client, code):
        try:
            client.sock.send(_frame(8, bytes((code >> 8, code & 0xFF))))
        except OSError:
            pass
        self._drop(client)

    @staticmethod
    def _drop(client):
        if client.sock is not None:
            try:
                client.sock.close()
            except OSError:
                pass
        client.sock = None
        client.out = None


def _takes(client, kind):
    # a client of `kind`, open, that has taken its last message
    return client.kind == kind and client.sock is not None and client.out is None


def _forget(package, name):
    import sys
    if sys.modules.pop(package + "." + name, None) is not None:
        try:
            delattr(sys.modules[package], name)
        except AttributeError:
            pass


def _unmasked(rx, start, size):
    mask = rx[start:start + 4]
    return bytes(rx[start + 4 + i] ^ mask[i & 3] for i in range(size))


def _text_frame(text):
    return _frame(1, text.encode())


def _frame(opcode, payload):
    size = len(payload)
    frame = bytearray(4 + size)
    at = put_head(frame, 0, opcode, size, 0)
    frame[at:at + size] = payload
    return memoryview(frame)[:at + size]
