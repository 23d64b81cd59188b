"""Decides the NVM bytes of the charging profiles that outlive a power cut: those of
purpose ChargePointMaxProfile and TxDefaultProfile (interfaces.md 3.8)."""
# Imported at boot to load them, when SetChargingProfile asks whether one more fits and
# when the installed set changed, then released (chargepoint.py `_release`): no resident
# heap. A TxProfile is not kept: it belongs to its transaction (OCPP 1.6 3.13.1), and a
# power cut ends that with PowerLoss (3.3). The record, 2 x 112 B at 1824
# (settings/nvm.py), little-endian, per profile (records.py has the RAM tuple):
#   id i32 | stack level u8 | bits u8 | periods u8 |
#   [valid from u32] [valid to u32] [start u32] [duration u32] | per period: start s u24,
#   limit dA u16
# bits: 0 purpose (0 ChargePointMax, 1 TxDefault), 1-2 kind, 3 Weekly, 4-7 which of the
# four optional u32 follow. 97 B hold e.g. 6 one-period profiles with a start time, or
# one of 17 periods (ChargingScheduleMaxPeriods 24 holds for a TxProfile in RAM); a
# SetChargingProfile the record cannot hold is Rejected (operations.py), never accepted
# and lost. Written only when the kept set changed (flash wear).

import struct

from micropython import const

from smartevse import log
from smartevse.settings.nvm import (KIND_OCPP_PROFILES, OCPP_PROFILES_OFFSET,
                                    OCPP_PROFILES_SLOT_SIZE, RecordStore)

PROFILES_VERSION = const(1)
MAX_BYTES = const(97)             # the 112 B slot less the record's header and CRC
_WEEK_S = const(604800)
_DAY_S = const(86400)
_U32 = const(0xFFFFFFFF)


def store(nvm):
    return RecordStore(nvm, OCPP_PROFILES_OFFSET, OCPP_PROFILES_SLOT_SIZE, KIND_OCPP_PROFILES)


def encode(installed):
    """The record of the kept profiles, or None when it cannot hold them."""
    out = bytearray()
    for p in installed:
        if p[2] > 1:
            continue                                   # a TxProfile
        values = (p[8], p[9], p[5], p[7])            # valid from, valid to, start, duration
        given = (p[8] != 0, p[9] != 0, p[5] >= 0, p[7] >= 0)
        flags = p[2] | p[4] << 1 | (8 if p[6] == _WEEK_S else 0)
        for i in range(4):
            if given[i]:
                flags |= 16 << i
        periods = p[10]
        if not -0x80000000 <= p[0] <= 0x7FFFFFFF or not 0 <= p[1] <= 255:
            return None
        out.extend(struct.pack("<iBBB", p[0], p[1], flags, len(periods)))
        for i in range(4):
            if given[i]:
                if not 0 <= values[i] <= _U32:
                    return None
                out.extend(struct.pack("<I", values[i]))
        for offset, limit_da in periods:
            if not 0 <= offset <= 0xFFFFFF or not 0 <= limit_da <= 0xFFFF:
                return None
            out.extend(struct.pack("<I", offset)[:3])
            out.extend(struct.pack("<H", limit_da))
    return bytes(out) if len(out) <= MAX_BYTES else None


def fits(installed):
    """True when the record can hold the kept profiles of `installed`."""
    return encode(installed) is not None


def decode(payload):
    """The profiles of a record as records.py keeps them, or None when it is not one."""
    out = []
    at, end = 0, len(payload)
    while at < end:
        if at + 7 > end:
            return None
        number, level, flags, count = struct.unpack_from("<iBBB", payload, at)
        at += 7
        kind = flags >> 1 & 3
        if level > 8 or kind > 2 or not 0 < count <= 24 or len(out) >= 10:
            return None
        items = [0, 0, -1, -1]
        for i in range(4):
            if flags & 16 << i:
                if at + 4 > end:
                    return None
                items[i] = struct.unpack_from("<I", payload, at)[0]
                at += 4
        if at + 5 * count > end:
            return None
        periods = []
        for _ in range(count):
            periods.append((payload[at] | payload[at + 1] << 8 | payload[at + 2] << 16,
                            payload[at + 3] | payload[at + 4] << 8))
            at += 5
        out.append((number, level, flags & 1, -1, kind, items[2],
                    _WEEK_S if flags & 8 else _DAY_S, items[3], items[0], items[1],
                    tuple(periods)))
    return out


def load(profiles, payload, version, message):
    """At boot, with what `store(nvm).load()` read (a frame less on the pystack): the kept
    profiles into `profiles`. 1 when the record was unreadable (none installed), else 0."""
    result = decode(payload) if payload is not None and version == PROFILES_VERSION else None
    if "corrupt" in message:
        log.warning(message)               # a slot fell back, or none is readable
    profiles.installed = result or []
    # Until the clock is known (no NTP, the central system not reached) an Absolute or
    # Recurring profile cannot be placed in time: the lowest limit of the kept
    # ChargePointMaxProfiles caps the offer meanwhile, the site's fuse first (session.tick).
    values = [da for p in profiles.installed if p[2] == 0 for _, da in p[10]]
    profiles.unclocked_da = min(values) if values else -1
    if result is None and (payload is not None or "corrupt" in message):
        log.warning("charging profiles unreadable: none installed")
        return 1
    return 0


def save(self, nvm):
    """From the link's 1 s `_save`: write the kept profiles when they changed."""
    installed = self.cp.profiles.installed
    self.profiles_saved = installed
    result = store(nvm)
    data = encode(installed)
    if data is None:              # only a profile installed without `fits` (not expected)
        self.nvm_errors += 1
        log.warning("charging profiles not saved: more than the record holds")
        return
    if data == (result.load()[0] or b""):
        return                    # a TxProfile came or went: nothing kept changed
    if not self.write(result, data, PROFILES_VERSION):
        self.profiles_saved = None                     # tried again next second
