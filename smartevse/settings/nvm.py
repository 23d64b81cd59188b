"""The NVM layout and the power-cut-safe record store (architecture.md "One table for
all settings", settings-and-menu.md 4.2 and 6).

Decides where each record lives in the 8192 bytes of `microcontroller.nvm` and which
copy of a record is current. Each record kind has two slots; a save goes into the
slot that does not hold the newest valid record, in one slice assignment, so a power
cut during the write leaves the previous record intact. A record is:

    magic "SE" | kind u8 | schema version u16 | sequence u32 | length u16 |
    payload | CRC32 u32 (over everything before it), little-endian

`load()` never raises on any byte content: a bad slot falls back to the other one,
then to "no record", and the message says which.
"""

import binascii
import struct

from micropython import const

NVM_SIZE = const(8192)
SETTINGS_OFFSET = const(0)
SETTINGS_SLOT_SIZE = const(912)         # two slots: 0..911, 912..1823 (worst record 864 B)
OCPP_PROFILES_OFFSET = const(1824)      # two slots: 1824..1935, 1936..2047 (charging
OCPP_PROFILES_SLOT_SIZE = const(112)    # profiles; ocpp/profile_store.py)
LEGACY_SETTINGS_SLOT_SIZE = const(1024)  # the settings slots before the profiles (relayout.py)
RFID_OFFSET = const(2048)
RFID_SLOT_SIZE = const(720)             # two slots: 2048..2767, 2768..3487 (100 x 7 bytes)
SESSIONS_OFFSET = const(3488)
SESSIONS_SLOT_SIZE = const(576)         # two slots: 3488..4063, 4064..4639 (20 x 28 bytes)
OCPP_LIST_OFFSET = const(4640)          # two slots: 4640..5919, 5920..7199 (48 idTags)
OCPP_LIST_SLOT_SIZE = const(1280)
OCPP_JOURNAL_OFFSET = const(7200)       # two slots: 7200..7455, 7456..7711
OCPP_JOURNAL_SLOT_SIZE = const(256)
OCPP_CONFIG_OFFSET = const(7712)        # two slots: 7712..7839, 7840..7967
OCPP_CONFIG_SLOT_SIZE = const(128)
WIFI_OFFSET = const(7968)               # two slots: 7968..8079, 8080..8191 (set-up portal)
WIFI_SLOT_SIZE = const(112)             # SSID (32) and password (63) with their length

KIND_SETTINGS = const(1)
KIND_RFID = const(2)
KIND_HISTORY = const(3)
KIND_OCPP = const(4)                    # the OCPP transaction journal
KIND_OCPP_LIST = const(5)
KIND_OCPP_CONFIG = const(6)
KIND_WIFI = const(7)                    # the set-up portal's network
KIND_OCPP_PROFILES = const(8)           # the charging profiles that outlive a power cut

_MAGIC = b"SE"
_HEADER = "<2sBHIH"
_HEADER_SIZE = const(11)
_CRC_SIZE = const(4)
RECORD_OVERHEAD = const(15)             # header + CRC
_SEQ_MASK = const(0xFFFFFFFF)
_SEQ_HALF = const(0x80000000)
_SLOT_NAMES = ("A", "B")
_KIND_NAMES = {KIND_SETTINGS: "settings", KIND_RFID: "RFID list",
               KIND_HISTORY: "session history", KIND_OCPP: "OCPP queue",
               KIND_OCPP_LIST: "OCPP local list", KIND_OCPP_CONFIG: "OCPP configuration", KIND_WIFI: "Wi-Fi network",
               KIND_OCPP_PROFILES: "OCPP charging profiles"}


def seq_newer(a, b):
    """True when sequence number `a` is after `b` on the wrapping u32 counter."""
    diff = (a - b) & _SEQ_MASK
    return diff != 0 and diff < _SEQ_HALF


class RecordStore:
    """Two alternating, CRC-checked slots of `slot_size` bytes at `offset` in `nvm`."""

    def __init__(self, nvm, offset, slot_size, kind):
        self._nvm = nvm
        self._offset = offset
        self._slot_size = slot_size
        self._kind = kind
        self.name = _KIND_NAMES.get(kind, "record")
        self.max_payload = slot_size - RECORD_OVERHEAD

    def _read_slot(self, index):
        """(payload, version, seq) of a valid record in slot `index`, or None; and
        whether the slot is blank (all 0xFF or all 0x00)."""
        start = self._offset + index * self._slot_size
        raw = bytes(self._nvm[start:start + self._slot_size])
        if len(raw) < RECORD_OVERHEAD:
            return None, False
        magic, kind, version, seq, length = struct.unpack_from(_HEADER, raw, 0)
        if magic == _MAGIC and kind == self._kind and length <= self.max_payload:
            end = _HEADER_SIZE + length
            crc = struct.unpack_from("<I", raw, end)[0]
            if binascii.crc32(raw[:end]) & _SEQ_MASK == crc:
                return (raw[_HEADER_SIZE:end], version, seq), False
        first = raw[0]
        blank = (first == 0xFF or first == 0x00) and raw == bytes((first,)) * len(raw)
        return None, blank

    def _scan(self):
        """(newest valid slot index or -1, its record, [record A, B], [blank A, B])."""
        records = [None, None]
        blanks = [False, False]
        for index in (0, 1):
            records[index], blanks[index] = self._read_slot(index)
        a, b = records
        if a is None and b is None:
            newest = -1
        elif b is None or (a is not None and not seq_newer(b[2], a[2])):
            newest = 0
        else:
            newest = 1
        return newest, records, blanks

    def slots(self):
        """(the slot of the newest valid record, 0 or 1, or -1; whether slot B is valid)."""
        newest, records, _ = self._scan()
        return newest, records[1] is not None

    def load(self):
        """(payload or None, version, message). The message is "" when all is well."""
        newest, records, blanks = self._scan()
        if newest < 0:
            if blanks[0] and blanks[1]:
                return None, 0, "no saved " + self.name + ", using defaults"
            return None, 0, self.name + " corrupt, using defaults"
        payload, version, _ = records[newest]
        other = 1 - newest
        message = ""
        if records[other] is None and not blanks[other]:
            message = "%s slot %s corrupt, using slot %s" % (
                self.name, _SLOT_NAMES[other], _SLOT_NAMES[newest])
        return payload, version, message

    def save(self, payload, version):
        """Write `payload` as the newest record, into the slot not holding the newest
        valid one, with a single slice assignment."""
        if len(payload) > self.max_payload:
            raise ValueError("%s record too large: %d > %d bytes" % (
                self.name, len(payload), self.max_payload))
        newest, records, _ = self._scan()
        if newest < 0:
            target, seq = 0, 1
        else:
            target, seq = 1 - newest, (records[newest][2] + 1) & _SEQ_MASK
        record = bytearray(_HEADER_SIZE + len(payload) + _CRC_SIZE)
        struct.pack_into(_HEADER, record, 0, _MAGIC, self._kind, version, seq, len(payload))
        record[_HEADER_SIZE:_HEADER_SIZE + len(payload)] = payload
        end = _HEADER_SIZE + len(payload)
        struct.pack_into("<I", record, end, binascii.crc32(record[:end]) & _SEQ_MASK)
        start = self._offset + target * self._slot_size
        self._nvm[start:start + len(record)] = record

    def erase(self):
        """Blank both slots (factory reset, 6.4)."""
        start = self._offset
        size = 2 * self._slot_size
        self._nvm[start:start + size] = b"\xff" * size
