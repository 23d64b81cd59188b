"""A simulated PN532 in HSU (UART) mode: the chip seen through its serial link.

Speaks the frame protocol byte for byte (PN532 User Manual 6.2): a host frame is
`00 00 FF LEN LCS D4 CMD data DCS 00` with LEN + LCS = 0 and TFI + data + DCS = 0
(mod 256); the chip answers a good frame with the ACK `00 00 FF 00 FF 00` and then its
response frame `00 00 FF LEN LCS D5 CMD+1 data DCS 00`; a host NACK `00 00 FF FF 00 00`
asks for the last response again; a frame with a bad LCS or DCS is ignored (the host
times out); an unknown command gets the error frame `00 00 FF 01 FF 7F 81 00`.
InListPassiveTarget (4A) answers when a card is in the field, at once or when one arrives.

Host side (what the firmware's UART sees): `write`, `read`, `in_waiting`,
`reset_input_buffer`. Plant side: `tap(uid_hex, hold_s)`, `present`, `remove`, `unplug`,
`plug`, `faults(...)`. Written for CPython and MicroPython alike: the device gate's
stand-in UART answers with this same model (tests/device/standins/busio.py).
"""

ACK = b"\x00\x00\xff\x00\xff\x00"
NACK = b"\x00\x00\xff\xff\x00\x00"
ERROR_FRAME = b"\x00\x00\xff\x01\xff\x7f\x81\x00"
FIRMWARE = b"\x32\x01\x06\x07"             # IC PN532, version 1.6, all protocols


def frame(data):
    """A PN532 -> host frame around `data` (TFI first)."""
    n = len(data)
    out = bytearray(b"\x00\x00\xff")
    out.append(n & 0xFF)
    out.append((-n) & 0xFF)
    out.extend(data)
    out.append((-sum(data)) & 0xFF)
    out.append(0)
    return bytes(out)


def uid_bytes(uid_hex):
    """A card UID from hex: 4, 7 or 10 bytes (ISO 14443A single, double, triple size)."""
    try:
        uid = bytes.fromhex(str(uid_hex).replace(" ", "").replace(":", ""))
    except ValueError:
        raise ValueError("card UID must be hex, got %r" % (uid_hex,))
    if len(uid) not in (4, 7, 10):
        raise ValueError("card UID must be 4, 7 or 10 bytes, got %d" % len(uid))
    return uid


class SimPn532:
    """The PN532 and the card in its field."""

    def __init__(self):
        self.card = None              # UID bytes of the card in the field, or None
        self.plugged = True
        self.listening = False
        self.commands = 0             # good command frames received
        self.bad_frames = 0           # host frames with a bad LCS or DCS (ignored)
        self.short_reads = 0          # reads asking more than was there: on the device each
                                      # waits out the UART timeout
        self._hold_ms = 0             # a tap: the card leaves after this; 0 = held
        self._in = bytearray()
        self._out = bytearray()
        self._last = b""              # the last response frame (for a NACK)
        self._bad_checksum = 0        # faults: the next n response frames, bad DCS
        self._nack = 0                # the next n commands answered with a NACK
        self._silent = 0              # the next n commands not answered at all

    # --- plant side -----------------------------------------------------------------
    def tap(self, uid_hex, hold_s=0.5):
        """A card held in the field for `hold_s` seconds, then taken away."""
        hold_ms = int(round(float(hold_s) * 1000))
        if not 0 < hold_ms <= 600000:
            raise ValueError("hold_s must be 0..600 s, got %r" % (hold_s,))
        self.present(uid_hex)
        self._hold_ms = hold_ms

    def present(self, uid_hex):
        """A card placed in the field until `remove()`."""
        self.card = uid_bytes(uid_hex)
        self._hold_ms = 0
        self._answer()

    def remove(self):
        self.card = None
        self._hold_ms = 0

    def unplug(self):
        """The reader's cable is pulled: nothing answers, what was sent is lost."""
        self.plugged = False
        self.listening = False
        self._out = bytearray()
        self._in = bytearray()

    def plug(self):
        """Plugged back: a fresh chip (it lost power), waiting for its wake-up."""
        self.plugged = True

    def faults(self, bad_checksum=0, nack=0, silent=0):
        """Bad input for the firmware: the next n response frames with a wrong DCS, the
        next n commands answered with a NACK instead of the ACK, or not at all."""
        self._bad_checksum = int(bad_checksum)
        self._nack = int(nack)
        self._silent = int(silent)

    def step(self, dt_ms):
        if self._hold_ms:
            self._hold_ms -= dt_ms
            if self._hold_ms <= 0:
                self.remove()

    # --- host side: the UART ----------------------------------------------------------
    @property
    def in_waiting(self):
        return len(self._out)

    def read(self, nbytes=None):
        if nbytes is None or len(self._out) < nbytes:
            self.short_reads += 1
        if not self._out:
            return None
        n = len(self._out) if nbytes is None else nbytes
        data = bytes(self._out[:n])
        self._out = self._out[n:]
        return data

    def reset_input_buffer(self):
        self._out = bytearray()

    def write(self, buf):
        if not self.plugged:
            return len(buf)
        self._in.extend(buf)
        self._parse()
        return len(buf)

    def _parse(self):
        buf = self._in
        at = 0                            # bytes before `at` are consumed (no del: MicroPython)
        while True:
            start = buf.find(b"\x00\xff", at)
            if start < 0 or len(buf) < start + 4:
                break
            n = buf[start + 2]
            check = buf[start + 3]
            if n == 0x00 and check == 0xFF:                   # ACK from the host: abort
                self.listening = False
                at = start + 4
                continue
            if n == 0xFF and check == 0x00:                   # NACK: the last response again
                self._out.extend(self._last)
                at = start + 4
                continue
            if (n + check) & 0xFF:
                self.bad_frames += 1
                at = start + 2
                continue
            end = start + 4 + n + 1
            if len(buf) < end:
                break
            data = bytes(buf[start + 4:start + 4 + n])
            at = end
            if (sum(data) + buf[end - 1]) & 0xFF:
                self.bad_frames += 1
            elif len(data) >= 2 and data[0] == 0xD4:
                self._command(data[1], data[2:])
        self._in = bytearray(buf[at:])

    def _command(self, command, params):
        self.commands += 1
        if self._silent:
            self._silent -= 1
            return
        if self._nack:
            self._nack -= 1
            self._out.extend(NACK)
            return
        self._out.extend(ACK)
        self.listening = False
        if command == 0x02:                                   # GetFirmwareVersion
            self._reply(command, FIRMWARE)
        elif command == 0x14:                                 # SAMConfiguration
            self._reply(command, b"")
        elif command == 0x4A and len(params) >= 2 and params[1] == 0x00:
            self.listening = True                             # InListPassiveTarget, type A
            self._answer()
        else:
            self._last = ERROR_FRAME
            self._out.extend(ERROR_FRAME)

    def _reply(self, command, payload):
        data = bytes((0xD5, command + 1)) + payload
        out = frame(data)
        self._last = out
        if self._bad_checksum:
            self._bad_checksum -= 1
            out = out[:-2] + bytes(((out[-2] + 1) & 0xFF, 0))
        self._out.extend(out)

    def _answer(self):
        """Answer the pending InListPassiveTarget when a card is in the field."""
        card = self.card
        if not (self.listening and self.plugged and card is not None):
            return
        self.listening = False
        sens_res = b"\x00\x04" if len(card) == 4 else b"\x00\x44"
        sel_res = b"\x08" if len(card) == 4 else b"\x00"
        self._reply(0x4A, b"\x01\x01" + sens_res + sel_res + bytes((len(card),)) + card)
