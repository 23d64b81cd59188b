"""Decides when a request goes out and when its reply is complete (modbus.md 1.2, 1.3)."""

# Decides when bytes go onto the bus and when a reply is complete, lost or bad: one
# master transaction at a time on a `busio.UART`-like object (modbus.md 1.2, 1.3).
#
# Non-blocking: `step(now_ms)` runs on every loop pass and does one slice (send when the
# bus has been silent long enough, move received bytes into the frame buffer, decide).
# Timing follows 1.2 at the configured baud rate: a character is 10 bits (8N1); a request
# goes out only after the inter-frame gap (3.5 characters, at least 4 ms) and after the
# reference master's 50 ms of silence between requests; the reply must start within
# 150 ms of the end of the request. `busio.UART` shows no character gaps, so the reply is
# delimited by its expected length and CRC (frame.find_reply), and bytes that stop
# arriving for longer than the gap end it as truncated.
#
# The UART object needs `in_waiting`, `readinto(buf)` and `write(buf)`. Buffers are
# preallocated; steady state allocates nothing.

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff

from smartevse.modbus.frame import find_reply

_RESPONSE_TIMEOUT_MS = const(150)      # reference master (1.2)
_REQUEST_SILENCE_MS = const(50)        # bus silence between successive requests (1.2)
_MIN_GAP_MS = const(4)                 # 3.5 characters, at least 4 ms when sending (1.2)
_RX_BUFFER_SIZE = const(192)           # the longest reply read is 125 B (Schneider 60 regs)
_TX_BUFFER_SIZE = const(64)            # FC16 of 22 registers is 53 B
_CHUNK_SIZE = const(32)
_BROADCAST_ADDRESS = const(0x09)       # frame.py's (tests check they match)
_NEED_MORE = const(0)                  # frame.find_reply's status
_REPLY = const(1)
_EXCEPTION = const(2)

# state; the caller sets IDLE again once it has taken a DONE transaction's result
IDLE = const(0)
_WAIT_GAP = const(1)
_WAIT_REPLY = const(2)
DONE = const(3)

# result of a finished transaction
_RESULT_NONE = const(0)
RESULT_REPLY = const(1)
_RESULT_EXCEPTION = const(2)
_RESULT_TIMEOUT = const(3)
_RESULT_BAD = const(4)                 # bytes came, but no valid reply (CRC, truncated, other)
_RESULT_SENT = const(5)                # a broadcast: sent, never answered


class Transaction:
    """One outstanding request on the bus at a time (1.2 "strictly sequential")."""

    def __init__(self, uart, baudrate=9600):
        # the reply awaited and what frame.find_reply found of it
        self.address = 0
        self.function = 0
        self.reply_len = 0
        self.status = _NEED_MORE
        self.reply_at = 0              # where the reply starts in rx
        self.exception_code = 0
        self.crc_errors = 0            # candidate frames whose CRC failed
        self.garbage_bytes = 0         # bytes that could not start the awaited frame
        self.uart = uart
        self.tx = bytearray(_TX_BUFFER_SIZE)
        self.rx = bytearray(_RX_BUFFER_SIZE)
        self._chunk = bytearray(_CHUNK_SIZE)
        self._tx_views = {}
        self.char_us = char_us = 10000000 // baudrate   # a character is 10 bits with 8N1 (1.2)
        gap_ms = (35 * char_us + 9999) // 10000
        self.gap_ms = gap_ms if gap_ms > _MIN_GAP_MS else _MIN_GAP_MS
        self.state = IDLE
        self.result = _RESULT_NONE
        self._tx_len = 0
        self._rx_len = 0
        self._rx_pos = 0
        self._bus_free_ms = 0
        self._deadline_ms = 0
        self._last_rx_ms = 0
        self.requests = 0
        self.replies = 0
        self.timeouts = 0
        self.exceptions = 0
        self.bad_frames = 0
        self.stray_bytes = 0           # bytes outside a reply window, or after the reply

    def start(self, tx_len, address, function, reply_len):
        """Send self.tx[0:tx_len] when the bus allows, then await reply_len bytes."""
        # a broadcast (0x09) is never answered: sent is done
        self._tx_len = tx_len
        self.address = address
        self.function = function
        self.reply_len = reply_len
        self.status = _NEED_MORE
        self.result = _RESULT_NONE
        self.state = _WAIT_GAP

    def step(self, now_ms):
        state = self.state
        if state == _WAIT_REPLY:
            self._receive(now_ms)
        elif self.uart.in_waiting:
            # another talker: not ours, and the bus is busy until 3.5 characters after it
            uart = self.uart
            while uart.in_waiting:
                got = uart.readinto(self._chunk)
                if not got:
                    break
                self.stray_bytes += got
            free_ms = ticks_add(now_ms, self.gap_ms)
            if ticks_diff(free_ms, self._bus_free_ms) > 0:
                self._bus_free_ms = free_ms
        elif state == _WAIT_GAP and ticks_diff(now_ms, self._bus_free_ms) >= 0:
            n = self._tx_len                        # send the request
            view = self._tx_views.get(n)
            if view is None:
                view = self._tx_views[n] = memoryview(self.tx)[:n]
            self.uart.write(view)
            self.requests += 1
            sent_ms = ticks_add(now_ms, (n * self.char_us + 999) // 1000)   # on the wire
            self._rx_len = 0
            self._rx_pos = 0
            if self.address == _BROADCAST_ADDRESS:
                self._done(_RESULT_SENT, sent_ms)
                return
            self._deadline_ms = ticks_add(sent_ms, _RESPONSE_TIMEOUT_MS)
            self._last_rx_ms = sent_ms
            self.state = _WAIT_REPLY

    def _receive(self, now_ms):
        # move what the UART holds into rx after the bytes kept, then look for the reply
        uart = self.uart
        rx = self.rx
        chunk = self._chunk
        got = 0
        while uart.in_waiting:
            n = uart.readinto(chunk)
            if not n:
                break
            if self._rx_len + n > _RX_BUFFER_SIZE:
                # make room: drop the bytes the framer has passed, or all of them
                keep = self._rx_len - self._rx_pos
                if keep + n > _RX_BUFFER_SIZE:
                    self.garbage_bytes += self._rx_len
                    keep = 0
                at = self._rx_len - keep
                for i in range(keep):
                    rx[i] = rx[at + i]
                self._rx_len = keep
                self._rx_pos = 0
            at = self._rx_len
            for i in range(n):
                rx[at + i] = chunk[i]
            self._rx_len = at + n
            got = n
        if got:
            self._last_rx_ms = now_ms
            end = self._rx_pos + find_reply(self, rx, self._rx_pos, self._rx_len)
            self._rx_pos = end
            status = self.status
            if status == _REPLY or status == _EXCEPTION:
                self.stray_bytes += self._rx_len - end  # an oversized frame's tail
                self._rx_pos = self.reply_at       # the reply stays readable in rx
                if status == _REPLY:
                    self.replies += 1
                    self._done(RESULT_REPLY, now_ms)
                else:
                    self.exceptions += 1
                    self._done(_RESULT_EXCEPTION, now_ms)
                return
        late = ticks_diff(now_ms, self._deadline_ms) >= 0
        if self._rx_len > 0 and (late or ticks_diff(now_ms, self._last_rx_ms) >= self.gap_ms):
            self.bad_frames += 1                   # bytes stopped: truncated or garbage
            self._done(_RESULT_BAD, now_ms)
        elif late:
            self.timeouts += 1
            self._done(_RESULT_TIMEOUT, now_ms)

    def _done(self, result, now_ms):
        self.result = result
        self.state = DONE
        self._bus_free_ms = ticks_add(now_ms, _REQUEST_SILENCE_MS)
