"""A minimal RFC 6455 WebSocket client for OCPP-J, one non-blocking slice per call."""
# interfaces.md 3.1. States: CLOSED -> CONNECTING (TCP) -> HANDSHAKE (HTTP upgrade with
# `Sec-WebSocket-Protocol: ocpp1.6`, Basic auth when a key is set) -> OPEN. Client frames
# are masked (RFC 6455 5.3); server pings are answered; a frame larger than the receive
# buffer, a fragmented or binary message, a masked server frame or a bad handshake closes
# the link (the owner reconnects with back-off). Every socket call is non-blocking; a TLS
# handshake (wss://) and a DNS lookup run only when the owner says blocking is allowed
# (contactors open, architecture.md "Device budget").

import errno
import random

from micropython import const

from adafruit_ticks import ticks_diff

from smartevse.net.ws_frame import frame_head, put_head

CLOSED = const(0)
CONNECTING = const(1)
HANDSHAKE = const(2)
OPEN = const(3)
RX_SIZE = const(512)           # an OCPP message taken in, header included: what a central
                               # system sends is mostly a CALLRESULT or a short CALL
TX_SIZE = const(512)           # what the charge point sends is mostly a short CALL or
                               # CALLRESULT; a MeterValues of every measurand (~0.8 KB)
                               # takes a one-off buffer like any larger frame
BIG_MAX = const(8192)          # a larger message gets a one-off buffer (SendLocalList, GetConfiguration)
TLS_MS = const(4000)          # the longest a TLS handshake may hold the loop (open contactors)
# "nothing now": 2 and 3 are ssl.SSL_ERROR_WANT_READ/WRITE, the errno of CPython's
# non-blocking TLS socket (wss:// on the host; CircuitPython's says EAGAIN)
BLOCKING = (errno.EAGAIN, errno.ETIMEDOUT, errno.EINPROGRESS, errno.EALREADY, 2, 3)


def random4():
    # CircuitPython seeds `random` from the hardware RNG at boot (RFC 6455 10.3)
    return random.getrandbits(32).to_bytes(4, "big")


def release(name="ws_open"):
    # a module of smartevse.net used for a while goes back to the heap: the connecting
    # code once the link is open or closed, the OCPP service's set-up after the boot
    import sys
    if sys.modules.pop("smartevse.net." + name, None) is not None:
        try:
            delattr(sys.modules["smartevse.net"], name)
        except AttributeError:
            pass


class WsClient:
    """One WebSocket connection; `step()` returns a received text message or None."""

    def __init__(self, pool):
        self._pool = pool
        self._rx = bytearray(RX_SIZE)
        self._rx_mv = memoryview(self._rx)
        self._tx = bytearray(TX_SIZE)
        self._tx_mv = memoryview(self._tx)
        self._rx_len = 0
        self._rx_tail = None
        self._big_rx = None        # a text frame over RX_SIZE being read: (buffer, filled)
        self._big_fill = 0
        self._big_tx = None        # a frame over TX_SIZE being sent
        self._tx_pos = 0
        self.tx_len = 0
        self.sock = None
        self._key = b""
        self.state = CLOSED
        self.error = ""            # why the last connection ended, for status and tests
        self.received_ms = 0       # the last byte received (the stale check, 3.1)
        self._deadline_ms = 0

    def open(self, url, user, password, now_ms, may_block, timeout_ms):
        """Start connecting; False (and `error`) when it cannot start now."""
        from smartevse.net.ws_open import open as start
        ok = start(self, url, user, password, now_ms, may_block, timeout_ms)
        if not ok:
            release()
        return ok

    def close(self, reason="closed"):
        """Drop the connection at once (a close frame is sent by `send_close`)."""
        sock = self.sock
        self.sock = None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
        if self.state != CLOSED or reason:
            self.error = reason
        self.state = CLOSED
        self.tx_len = self._tx_pos = self._rx_len = 0
        self._rx_tail = None
        self._big_rx = self._big_tx = None
        release("ws_big")

    def step(self, now_ms):
        """One slice of I/O: flush pending bytes, read what arrived; a text or None."""
        if self.state == CLOSED:
            return None
        if self.state != OPEN and ticks_diff(now_ms, self._deadline_ms) > 0:
            self.close("handshake timed out")
            return None
        if not self._flush():
            return None
        if self.state == CONNECTING and self.tx_len == 0:
            self.state = HANDSHAKE
        if self._big_rx is not None:       # a large text frame: ws_big.py, per use
            from smartevse.net.ws_big import read
            return read(self, now_ms)
        try:
            buf = self._rx_tail
            if buf is None:             # a new view only when the fill level changed
                buf = self._rx_tail = self._rx_mv[self._rx_len:]
            n = self.sock.recv_into(buf)
        except OSError as exc:
            if exc.errno in BLOCKING or exc.errno == errno.ENOTCONN:
                n = -1
            else:
                self.close("recv: " + str(exc))
                return None
        if n == 0:
            self.close("closed by the server")
            return None
        if n > 0:
            self._rx_len += n
            self._rx_tail = None
            self.received_ms = now_ms
        if self.state == HANDSHAKE:
            self._handshake()
            return None
        text = None
        for _ in range(4):          # control frames (pong, ping) and the next text, bounded
            if self.state != OPEN or text is not None or self._rx_len < 2:
                break
            text = self._frame()
        return text

    def _flush(self):
        """Send what the transmit buffer holds; False when the connection failed."""
        out = self._tx_mv if self._big_tx is None else self._big_tx
        while self._tx_pos < self.tx_len:
            try:
                n = self.sock.send(out[self._tx_pos:self.tx_len])
            except OSError as exc:
                if exc.errno in BLOCKING or exc.errno == errno.ENOTCONN:
                    return True          # still connecting, or the buffer is full
                self.close("send: " + str(exc))
                return False
            self._tx_pos += n
        self._tx_pos = self.tx_len = 0
        self._big_tx = None
        return True

    def _handshake(self):
        from smartevse.net.ws_open import handshake
        handshake(self)
        if self.state != HANDSHAKE:
            release()

    def _consume(self, count):
        rest = self._rx_len - count
        if rest > 0:
            self._rx[:rest] = self._rx[count:self._rx_len]
        self._rx_len = rest
        self._rx_tail = None

    def _frame(self):
        """The first complete frame: a text is returned, control frames are answered."""
        buf = self._rx
        head = frame_head(buf, self._rx_len)
        if head is None:
            return None
        first, second = buf[0], buf[1]
        size, start = head
        big = start + size > RX_SIZE
        if second & 0x80 or not first & 0x80 or size > BIG_MAX or (big and first & 0x0F != 1):
            self.send_close(1009 if size > BIG_MAX else 1002)
            self._flush()
            self.close("frame refused (masked, fragmented or over %d B)" % BIG_MAX)
            return None
        if big:                              # a large text: read into a buffer of its own
            from smartevse.net.ws_big import begin
            begin(self, start, size)
            return None
        if self._rx_len < start + size:
            return None
        opcode = first & 0x0F
        text = None
        if opcode == 1:
            text = bytes(buf[start:start + size]).decode()
        elif opcode == 9:
            self._send(10, buf[start:start + size])
        elif opcode == 8:
            self.send_close(1000)
            self._consume(start + size)
            self._flush()
            self.close("closed by the server")
            return None
        elif opcode != 10:
            self.send_close(1003)
            self._flush()
            self.close("binary or continuation frame refused")
            return None
        self._consume(start + size)
        return text

    def send_text(self, text):
        """Queue one text frame; False when the link is not open or the buffer is full."""
        return self.state == OPEN and self._send(1, text.encode())

    def ping(self):
        return self.state == OPEN and self._send(9, b"")

    def send_close(self, code):
        if self.sock is not None:
            self._send(8, bytes((code >> 8, code & 0xFF)))

    def _send(self, opcode, payload):
        size = len(payload)
        head = 6 if size < 126 else 8
        at = self.tx_len
        if self._big_tx is not None or size > BIG_MAX:
            return False
        if at + head + size <= TX_SIZE:
            tx = self._tx
        elif at:
            return False                     # a large frame waits for an empty buffer
        else:
            tx = bytearray(head + size)      # larger than the buffer: one of its own
            self._big_tx = memoryview(tx)
        put_head(tx, at, opcode, size, 0x80)
        mask = random4()
        m = at + head - 4
        tx[m:m + 4] = mask
        at += head
        for i in range(size):
            tx[at + i] = payload[i] ^ mask[i & 3]
        self.tx_len = at + size
        return True
