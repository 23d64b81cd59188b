"""Decides what the charge point keeps: its configuration keys, the local authorization
list, the transaction journal and the installed charging profiles with the limit they give
(interfaces.md 3.1, 3.3, 3.6-3.9)."""
# One module for the four records (each module costs about 0.5 KB of device heap on its
# own); their NVM bytes are smartevse/ocpp/codec.py's, loaded only to read or write them.

import json

from micropython import const

# --- configuration keys (3.9, 3.2) -------------------------------------------------------
# The writable numbers and booleans persist as one small NVM record (u32 each in the order
# of DEFAULTS); the measurand lists are reset at every OCPP start as the fork does (3.7).
# What GetConfiguration and ChangeConfiguration do is smartevse/ocpp/configkeys.py,
# imported only for those messages (device heap).

# the writable keys' defaults, persisted in this order (their names are configkeys.py's
# NAMES, loaded only for Get/ChangeConfiguration: the names cost no resident heap);
# True/False mark a boolean key
DEFAULTS = (86400, 30, 0, True, True, True, False, True, False, False, 60, 0, 3, 60, 2, True,
            5, 10, 300, 20, False, False, False, True, False, 16)
CONFIG_VERSION = const(1)


class Config:
    """The configuration keys' values; `numbers[i]` for the writable ones in DEFAULTS'
    order (a list: no key names on the device heap)."""

    def __init__(self):
        self.numbers = list(DEFAULTS)
        self.texts = []                   # the measurand lists in configkeys.py _TEXTS
                                          # order (MeterValuesSampledData first): start.py


# --- the local authorization list (3.6, 3.9) ------------------------------------------
# At most 48 idTags of up to 20 characters, each with its status and expiry, stored in
# the NVM record of architecture.md ("OCPP local authorization list", 2 x 1280 B).
# SendLocalList (OCPP 1.6 5.15) is smartevse/ocpp/installs.py; a card's status on the list
# smartevse/ocpp/events.py `list_status`.

MAX_ENTRIES = 48
STATUSES = ("Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx")
LIST_VERSION = const(1)


class LocalList:
    """idTag -> (status index, expiry epoch s or 0) and the list version."""

    def __init__(self):
        self.version = 0
        self.tags = {}


# --- the transaction journal (3.1, 3.3, 3.7) --------------------------------------------
# What survives a power cut or an offline spell of a transaction: the open transaction
# and the queued Start/StopTransaction with their meter readings, in order. Kept as JSON
# in the NVM record of architecture.md ("OCPP transaction journal", 2 x
# 256 B): {"n": next ref, "t": [ref, idTag, meterStart Wh, start s, tx id] or null,
# "q": [["S", ref, idTag, Wh, s] | ["T", ref, tx id, Wh, s, reason, idTag], ...]}.
# It changes (and is written) when a transaction starts or stops and when the central
# system confirms a message: while charging offline that is 2 writes a session. Those
# changes are smartevse/ocpp/events.py's (journal_start, journal_stop, journal_confirmed),
# imported per event: their code costs no resident device heap.

JOURNAL_VERSION = const(1)
NO_ID = const(-1)
DROPPED = const(-2)
_MAX_BYTES = const(241)           # the 256 B slot less the record's header and CRC


class Journal:
    """The open transaction, the queue of transaction messages, and `ids` (ref -> tx id)."""

    def __init__(self):
        self.next_ref = 1
        self.tx = None
        self.queue = []
        self.ids = {}
        self.dirty = False
        self.dropped = 0            # queued messages dropped for room or after retries

    def encode(self):
        data = json.dumps({"n": self.next_ref, "t": self.tx, "q": self.queue})
        while len(data) > _MAX_BYTES and self.queue:
            self.drop_head()                   # the oldest first (counted)
            data = json.dumps({"n": self.next_ref, "t": self.tx, "q": self.queue})
        return data.encode()

    def head(self):
        """The next message to send, or None (a Stop waits for its transaction id)."""
        if not self.queue:
            return None
        item = self.queue[0]
        if item[0] == "T":
            item[2] = self.ids.get(item[1], NO_ID)
            if item[2] == DROPPED:
                self.drop_head()
                return self.head()
            if item[2] == NO_ID:
                return None
        return item

    def drop_head(self):
        """Give up the head message; a dropped Start takes its Stop with it."""
        item = self.queue.pop(0)
        self.dropped += 1
        if item[0] == "S":
            self.ids[item[1]] = DROPPED
            if self.tx is not None and self.tx[0] == item[1]:
                self.tx[4] = DROPPED
        self.dirty = True


# --- the installed charging profiles (3.8) ----------------------------------------------
# A profile is kept as a tuple, in RAM only (interfaces.md 3.8 does not ask them to survive
# a reboot and the NVM has no room left: after a reboot none is installed until the
# central system sets them again):
#   id, stack level, purpose, transaction id or -1, kind, start epoch s or -1,
#   recurrence s, duration s or -1, valid from, valid to (0 = open), ((start s, dA), ...)
# The limit is the lowest of the ChargePointMaxProfile and the transaction's profile
# (TxProfile, else TxDefaultProfile), each the one of highest stack level in force; -1 =
# none. Rates in A only (ChargingScheduleAllowedChargingRateUnit "Current"). OCPP 1.6 3.13;
# Set/ClearChargingProfile and GetCompositeSchedule are smartevse/ocpp/installs.py.


def start_of(p, t, tx_start):
    """The epoch the schedule of `p` starts at for time t, or None."""
    kind, start = p[4], p[5]
    if kind == 2:
        return tx_start if tx_start >= 0 else t
    if start < 0:
        return None
    if kind == 1 and t >= start:
        return t - (t - start) % p[6]
    return start


def _limit_of(p, t, tx_start):
    if t < p[8] or (p[9] and t >= p[9]):
        return -1
    start = start_of(p, t, tx_start)
    if start is None or t < start or (p[7] >= 0 and t >= start + p[7]):
        return -1
    limit = -1
    for offset, limit_da in p[10]:
        if offset <= t - start:
            limit = limit_da
    return limit


class Profiles:
    """The installed profiles and the limit they give."""

    def __init__(self):
        self.installed = []
        self.unclocked_da = -1      # ocpp/profile_store.py: the cap until the clock is known

    def limit_da(self, t, tx_id, tx_start):
        """The composite limit in dA at epoch t (-1 = none); tx_id -1 when no transaction."""
        items = [(-1, -1), (-1, -1), (-1, -1)]        # (stack level, limit) per purpose
        for p in self.installed:
            purpose = p[2]
            if purpose == 2 and (tx_id < 0 or (p[3] >= 0 and p[3] != tx_id)):
                continue
            limit = _limit_of(p, t, tx_start)
            if limit >= 0 and p[1] > items[purpose][0]:
                items[purpose] = (p[1], limit)
        limit = items[0][1]                           # the ChargePointMaxProfile's
        tx = items[2][1] if items[2][0] >= 0 else items[1][1]
        if limit < 0:
            return tx
        return limit if tx < 0 or limit < tx else tx
