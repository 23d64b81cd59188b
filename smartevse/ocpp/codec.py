"""Decides the bytes of the OCPP NVM records: the local authorization list and the
configuration keys, and how the journal is read back (interfaces.md 3.1, 3.6, 3.9)."""
# Imported at boot to load the records and when the list or the keys are written, then
# released (chargepoint.py `_release`): the codecs cost no resident device heap. The
# journal writes itself (records.py `Journal.encode`: at every transaction message).
# Layouts, in the slots of architecture.md's NVM budget:
#   local list: version i32 | count u8 | per entry: length u8, idTag, status u8, expiry u32
#               (0 = none); at most 48 idTags of up to 20 characters (2 x 1280 B)
#   configuration keys: one u32 per writable key, in records.DEFAULTS' order (2 x 128 B)

import json
import struct

from smartevse.ocpp.records import CONFIG_VERSION, DEFAULTS, LIST_VERSION, NO_ID


def save_changed(link):
    """From the link's 1 s `_save`: the list and the keys when they changed."""
    cp = link.cp
    if cp.list_dirty and link.write(link._stores[1], list_bytes(cp.local_list), LIST_VERSION):
        cp.list_dirty = False
    if cp.config_dirty and link.write(link._stores[2], config_bytes(cp.config),
                                      CONFIG_VERSION):
        cp.config_dirty = False


def list_bytes(local):
    out = bytearray(struct.pack("<iB", local.version, len(local.tags)))
    for id_tag, (status, t) in local.tags.items():
        raw = id_tag.encode()
        out.append(len(raw))
        out.extend(raw)
        out.extend(struct.pack("<BI", status, t))
    return bytes(out)


def load_list(local, payload):
    """Load a list record; a damaged one leaves the list empty (never raises)."""
    local.version, local.tags = 0, {}
    try:
        version, count = struct.unpack_from("<iB", payload, 0)
        at = 5
        tags = {}
        for _ in range(count):
            size = payload[at]
            id_tag = bytes(payload[at + 1:at + 1 + size]).decode()
            status, t = struct.unpack_from("<BI", payload, at + 1 + size)
            tags[id_tag] = (status, t)
            at += size + 6
    except (ValueError, IndexError, UnicodeError, getattr(struct, "error", ValueError)):
        return                                 # (CPython's struct raises struct.error)
    local.version, local.tags = version, tags


def config_bytes(config):
    values = [int(value) & 0xFFFFFFFF for value in config.numbers]
    return struct.pack("<%dI" % len(values), *values)


def load_config(config, payload):
    """Load persisted keys; a record of another length keeps what it can."""
    for i in range(min(len(payload) // 4, len(DEFAULTS))):
        default = DEFAULTS[i]
        value = struct.unpack_from("<I", payload, 4 * i)[0]
        config.numbers[i] = bool(value) if default is True or default is False else value


def load_journal(journal, payload):
    """Load the journal; anything unreadable leaves it empty."""
    try:
        doc = json.loads(bytes(payload).decode())
        journal.next_ref, journal.tx, journal.queue = int(doc["n"]), doc["t"], list(doc["q"])
    except (ValueError, KeyError, TypeError, UnicodeError):
        journal.next_ref, journal.tx, journal.queue = 1, None, []
    ids = journal.ids
    if journal.tx is not None:
        ids[journal.tx[0]] = journal.tx[4]
    for item in journal.queue:
        if item[0] == "T":
            ids[item[1]] = item[2]
        elif item[1] not in ids:
            ids[item[1]] = NO_ID
