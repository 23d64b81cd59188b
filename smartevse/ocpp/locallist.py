"""Decides the local authorization list: SendLocalList, GetLocalListVersion and the
offline check of a card (interfaces.md 3.6, 3.9; OCPP 1.6 5.15, 5.16)."""
# At most 48 idTags of up to 20 characters, each with its status and expiry, stored in
# the NVM record of architecture.md ("OCPP local authorization list", 2 x 1280 B):
#   version i32 | count u8 | per entry: length u8, idTag, status u8, expiry u32 (0 = none)

import struct

MAX_ENTRIES = 48
STATUSES = ("Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx")
RECORD_VERSION = 1


class LocalList:
    """idTag -> (status index, expiry epoch s or 0) and the list version."""

    def __init__(self):
        self.version = 0
        self.tags = {}

    def encode(self):
        out = bytearray(struct.pack("<iB", self.version, len(self.tags)))
        for tag, (status, expiry) in self.tags.items():
            raw = tag.encode()
            out.append(len(raw))
            out.extend(raw)
            out.extend(struct.pack("<BI", status, expiry))
        return bytes(out)

    def decode(self, payload):
        """Load a record; a damaged one leaves the list empty (never raises)."""
        self.version, self.tags = 0, {}
        try:
            version, count = struct.unpack_from("<iB", payload, 0)
            at = 5
            tags = {}
            for _ in range(count):
                size = payload[at]
                tag = bytes(payload[at + 1:at + 1 + size]).decode()
                status, expiry = struct.unpack_from("<BI", payload, at + 1 + size)
                tags[tag] = (status, expiry)
                at += size + 6
        except (ValueError, IndexError, UnicodeError):
            return
        self.version, self.tags = version, tags

    def status(self, tag, now_s):
        """The status text of `tag` at epoch `now_s`, or None when not on the list."""
        entry = self.tags.get(tag)
        if entry is None:
            return None
        if entry[1] and now_s > entry[1]:
            return "Expired"
        return STATUSES[entry[0]]

    def send(self, payload, epoch_of):
        """SendLocalList: the status text; the list changes only when it is Accepted."""
        version = payload.get("listVersion")
        kind = payload.get("updateType")
        entries = payload.get("localAuthorizationList") or []
        if not isinstance(version, int) or kind not in ("Full", "Differential") \
                or not isinstance(entries, list):
            return None                          # FormationViolation
        if kind == "Differential" and version <= self.version:
            return "VersionMismatch"
        tags = {} if kind == "Full" else dict(self.tags)
        for entry in entries:
            tag = entry.get("idTag") if isinstance(entry, dict) else None
            if not isinstance(tag, str) or not 0 < len(tag) <= 20:
                return None
            info = entry.get("idTagInfo")
            if info is None:
                tags.pop(tag, None)
                continue
            status = info.get("status") if isinstance(info, dict) else None
            if status not in STATUSES:
                return None
            expiry = info.get("expiryDate")
            tags[tag] = (STATUSES.index(status), (epoch_of(expiry) or 0) if expiry else 0)
        if len(tags) > MAX_ENTRIES:
            return "Failed"
        self.version, self.tags = version, tags
        return "Accepted"
