"""A node's side of the bus: bytes in, frames found, replies out (modbus.md 1.2-1.4)."""

# Decides where the frames are in what a node hears on the bus, and when its reply goes
# out. Frames are delimited by their length and CRC: 1.4's classification by function and
# length (a read request is 8 bytes with CRC, a read reply 5 + byte count, an FC16 request
# 9 + byte count, an exception 5); bytes that start no valid frame are dropped one by one
# and counted, and what stays incomplete for 3.5 characters of silence is dropped too. A
# reply goes out after the inter-frame gap. node.py acts on each frame found (`ready`).
# Buffers are preallocated; steady state allocates nothing.

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff

from smartevse.modbus.frame import append_crc, crc_ok

_BUF = const(256)


class NodeLink:
    """The receive buffer, the frame hunt and the reply slot of a node."""

    def __init__(self, uart, gap_ms):
        self.uart = uart
        self._gap_ms = gap_ms
        self.rx = bytearray(_BUF)
        self.tx = bytearray(64)
        self._chunk = bytearray(32)
        self._views = {}
        self._len = 0
        self._last_ms = 0
        self._reply_len = 0
        self._reply_ms = 0
        # Settings writes are collected here and applied by MeterPoll.step, not down the
        # frame's call chain (pystack); the request waits in node._held for its reply.
        self.changes = None
        self.ready = 0                      # length of the frame at the start of rx, to act on
        self.frames = 0                     # valid frames seen on the bus
        self.answered = 0
        self.refused = 0                    # exception replies sent (bad address or value)
        self.garbage = 0                    # bytes that started no valid frame

    def counters(self):
        return self.frames, self.answered, self.refused, self.garbage

    def step(self, now_ms):
        uart = self.uart
        n = self._reply_len
        if n and ticks_diff(now_ms, self._reply_ms) >= 0:
            view = self._views.get(n)
            if view is None:
                view = self._views[n] = memoryview(self.tx)[:n]
            uart.write(view)
            self._reply_len = 0
        got = 0
        chunk = self._chunk
        rx = self.rx
        while uart.in_waiting:
            n = uart.readinto(chunk)
            if not n:
                break
            got += n
            at = self._len
            if at + n > _BUF:                 # oversized: what was kept cannot be a frame
                self.garbage += at
                at = 0
            for i in range(n):
                rx[at + i] = chunk[i]
            self._len = at + n
        if got:
            self._last_ms = now_ms
            self._parse()
        elif self._len and not self.ready and self.changes is None \
                and ticks_diff(now_ms, self._last_ms) >= self._gap_ms:
            self.garbage += self._len        # silence: an incomplete frame is dropped
            self._len = 0

    def _parse(self):
        """Find the next complete frame at the start of rx (1.4), hunting past garbage;
        `ready` = its length, left in rx for act()."""
        rx = self.rx
        while self._len >= 5 and not self.ready and self.changes is None:
            n = self._len
            fc = rx[1]
            a = b = 0                         # candidate lengths with CRC
            if fc & 0x80:
                a = 5
            elif fc == 3 or fc == 4:
                a, b = 8, 5 + rx[2]
            elif fc == 6:
                a = 8
            elif fc == 16:
                a = 8
                if n > 6:
                    b = 9 + rx[6]
            if a and a <= n and crc_ok(rx, 0, a):
                self.ready = a
            elif b and b <= n and crc_ok(rx, 0, b):
                self.ready = b
            elif a > n or b > n or (fc == 16 and n <= 6):
                return                        # may still be arriving
            else:
                self.garbage += 1
                self._drop(1)
        if self.ready:
            self.frames += 1

    def _drop(self, used):
        rx = self.rx
        n = self._len - used
        for i in range(n):
            rx[i] = rx[used + i]
        self._len = n

    # --- the reply slot ---------------------------------------------------------------
    def _refuse(self, address, fc, code, now_ms):
        self.refused += 1
        tx = self.tx
        tx[0] = address
        tx[1] = fc | 0x80
        tx[2] = code
        self._queue(append_crc(tx, 3), now_ms)

    def _queue(self, n, now_ms):
        self.answered += 1
        self._reply_len = n
        self._reply_ms = ticks_add(now_ms, self._gap_ms)

    def _reply(self, n):
        tx = self.tx
        rx = self.rx
        for i in range(n):
            tx[i] = rx[i]
        self._reply_len = append_crc(tx, n)
