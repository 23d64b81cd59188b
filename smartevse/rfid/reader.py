"""The PN532 reader step: the real `adafruit_pn532` driver, listen + poll, never blocking.

settings-and-menu.md 4.1: one step per 100 ms service. The driver keeps the framing
(preamble, LEN/LCS, TFI, DCS, ACK check, response checksum); this subclass supplies the
HSU transport without its waits: `_wait_ready` does not sleep in 10 ms slices, the UART's
own read timeout (10 ms, smartevse/hal/device_board.py) bounds each read, and every step
does at most one exchange that waits: a command and its ACK, or the reading of a reply
that `in_waiting` says has arrived. A step with nothing to do costs an `in_waiting` read
and allocates nothing. Detection (firmware version, SAM configuration) runs in the same
slices, so an absent or unplugged reader costs one ACK timeout per retry.
"""

from micropython import const

from adafruit_ticks import ticks_diff
from adafruit_pn532.adafruit_pn532 import PN532, BusyError

_GET_FIRMWARE = const(0x02)
_SAM_CONFIGURATION = const(0x14)
_IN_LIST_PASSIVE_TARGET = const(0x4A)
_WAKE = b"\x55\x55\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
_SAM_NORMAL = b"\x01\x14\x01"             # normal mode, 1 s virtual-card timeout, IRQ on
_ONE_ISO14443A = b"\x01\x00"              # MaxTg 1, 106 kbps type A

# Phases: each step does the slice of its phase.
_RESTING = const(0)                       # after failures: retry detection later
_FIRMWARE = const(1)                      # send GetFirmwareVersion
_FIRMWARE_REPLY = const(2)
_SAM = const(3)                           # send SAMConfiguration
_SAM_REPLY = const(4)
_LISTEN = const(5)                        # send InListPassiveTarget
_LISTENING = const(6)                     # a listen is out: poll in_waiting

_RELISTEN_MS = const(1000)                # a full read attempt at least once per second (4.1)
_FAILURES_ABSENT = const(3)               # this many failed exchanges in a row: not installed
_FIRST_RETRY_MS = const(1000)
_MAX_RETRY_MS = const(8000)

NOTHING = const(0)
CARD = const(1)                           # a card arrived: `uid` holds its UID bytes
GONE = const(2)                           # the card left the field


class _Hsu(PN532):
    """The driver's framing over the HSU link, without its blocking constructor and waits
    (the transport of adafruit_pn532/uart.py, which is not imported: 4 KB of heap)."""

    def __init__(self, uart):             # no PN532.__init__: it resets and blocks up to 2.5 s
        self.debug = False
        self._irq = None
        self._reset_pin = None
        self._uart = uart
        self.low_power = True

    def _wakeup(self):
        self._uart.write(_WAKE)           # SAM configuration is a step of its own
        self.low_power = False

    def _wait_ready(self, timeout=1):
        return True                       # the UART read timeout bounds the wait

    def _read_data(self, count):
        frame = self._uart.read(count)
        if not frame:
            raise BusyError("No data read from PN532")
        return frame

    def _write_data(self, framebytes):
        self._uart.reset_input_buffer()   # a late answer to an earlier command is dropped
        self._uart.write(framebytes)


class Pn532Reader:
    """Detects the reader, keeps a listen out and reports cards arriving and leaving."""

    def __init__(self, uart):
        self._uart = uart
        self._pn = _Hsu(uart)
        self._phase = _FIRMWARE
        self._sent_ms = 0
        self._retry_ms = 0
        self._failures = 0
        self.installed = False            # firmware answered and SAM configured
        self.card = False                 # a card is in the field
        self.uid = None
        self.firmware = None
        self.errors = 0
        self.last_error = None

    def reset(self):
        """Start over (the reader was switched off in the settings)."""
        self._phase = _FIRMWARE
        self._pn.low_power = True
        self.installed = False
        self.card = False
        self._failures = 0

    def step(self, now_ms):
        """One bounded slice: NOTHING, CARD or GONE."""
        phase = self._phase
        if phase == _LISTENING:
            if self._uart.in_waiting:
                return self._read_target(now_ms)
            if self.card:                 # a re-listen found no card within 100 ms
                self.card = False
                self._phase = _LISTEN
                return GONE
            if ticks_diff(now_ms, self._sent_ms) < _RELISTEN_MS:
                return NOTHING
            phase = _LISTEN
        if phase == _RESTING:
            if ticks_diff(now_ms, self._sent_ms) < self._retry_ms:
                return NOTHING
            self._pn.low_power = True     # wake it again before the next command
            phase = _FIRMWARE
        try:
            self._exchange(phase, now_ms)
        except (BusyError, RuntimeError, OSError) as exc:   # no data, NACK, bad frame, UART
            self._failed(exc, now_ms)
        return NOTHING

    def _exchange(self, phase, now_ms):
        pn = self._pn
        if phase == _FIRMWARE_REPLY or phase == _SAM_REPLY:
            if not self._uart.in_waiting:
                raise BusyError("no reply")
            if phase == _FIRMWARE_REPLY:
                self.firmware = tuple(pn.process_response(_GET_FIRMWARE, 4))
            else:
                pn.process_response(_SAM_CONFIGURATION, 0)
                self.installed = True
                self._retry_ms = 0
        else:                             # a command and its ACK
            if phase == _FIRMWARE:
                sent = pn.send_command(_GET_FIRMWARE)
            elif phase == _SAM:
                sent = pn.send_command(_SAM_CONFIGURATION, _SAM_NORMAL)
            else:
                sent = pn.send_command(_IN_LIST_PASSIVE_TARGET, _ONE_ISO14443A)
            if not sent:
                raise BusyError("no ACK")
            self._sent_ms = now_ms
        self._phase = phase + 1
        self._failures = 0

    def _read_target(self, now_ms):
        """The InListPassiveTarget reply: CARD when a card arrived (the next step listens
        again, to see whether it stays)."""
        self._phase = _LISTEN
        try:
            reply = self._pn.process_response(_IN_LIST_PASSIVE_TARGET, 64)
        except (BusyError, RuntimeError, OSError) as exc:
            self._failed(exc, now_ms)
            return NOTHING
        self._failures = 0
        # NbTg, Tg, SENS_RES (2), SEL_RES, NFCIDLength, NFCID (PN532 UM 7.3.5)
        if reply is None or len(reply) < 6 or reply[0] != 1 or len(reply) < 6 + reply[5]:
            return NOTHING
        seen = self.card
        self.card = True
        if seen:
            return NOTHING                # the same presence: acted on once (4.3)
        self.uid = reply[6:6 + reply[5]]
        return CARD

    def _failed(self, exc, now_ms):
        """Count the error; retry at the next step, or after 3 failures in a row (or any
        during detection) call the reader absent and retry detection after 1 s, doubling
        to 8 s. A held card stays held over a transient error (no second action)."""
        self.errors += 1
        self.last_error = "{}: {}".format(type(exc).__name__, exc)
        self._failures += 1
        self._sent_ms = now_ms
        if self.installed and self._failures < _FAILURES_ABSENT:
            self._phase = _LISTEN
            return
        retry_ms = self._retry_ms * 2 if self._phase == _RESTING else _FIRST_RETRY_MS
        self._retry_ms = retry_ms if retry_ms < _MAX_RETRY_MS else _MAX_RETRY_MS
        self.installed = False
        self.card = False
        self._phase = _RESTING
