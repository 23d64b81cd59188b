"""Decides what survives a power cut or an offline spell of an OCPP transaction: the open
transaction and the queued Start/StopTransaction with their meter readings, in order
(interfaces.md 3.1, 3.3, 3.7)."""
# Kept as JSON in the NVM record of architecture.md ("OCPP transaction journal", 2 x
# 256 B): {"n": next ref, "t": [ref, idTag, meterStart Wh, start s, tx id] or null,
# "q": [["S", ref, idTag, Wh, s] | ["T", ref, tx id, Wh, s, reason, idTag], ...]}.
# It changes (and is written) when a transaction starts or stops and when the central
# system confirms a message: while charging offline that is 2 writes a session. It is
# read back at boot by smartevse/ocpp/records.py.

import json

from micropython import const

RECORD_VERSION = const(1)
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

    def start(self, id_tag, meter_wh, epoch_s):
        """A transaction begins (its StartTransaction queued). Returns its ref."""
        ref = self.next_ref
        self.next_ref = ref % 999999 + 1
        self.tx = [ref, id_tag, meter_wh, epoch_s, NO_ID]
        self.ids[ref] = NO_ID
        self.queue.append(["S", ref, id_tag, meter_wh, epoch_s])
        self.dirty = True
        return ref

    def stop(self, meter_wh, epoch_s, reason):
        tx = self.tx
        self.tx = None
        if tx is not None and self.ids.get(tx[0]) != DROPPED:
            self.queue.append(["T", tx[0], self.ids.get(tx[0], NO_ID), meter_wh, epoch_s,
                               reason, tx[1]])
        self.dirty = True

    def head(self):
        """The next message to send, or None (a Stop waits for its transaction id)."""
        if not self.queue:
            return None
        entry = self.queue[0]
        if entry[0] == "T":
            entry[2] = self.ids.get(entry[1], NO_ID)
            if entry[2] == DROPPED:
                self.drop_head()
                return self.head()
            if entry[2] == NO_ID:
                return None
        return entry

    def confirmed(self, tx_id=None):
        """The central system answered the head: a Start gives its transaction id."""
        entry = self.queue.pop(0)
        if entry[0] == "S" and tx_id is not None:
            self.ids[entry[1]] = tx_id
            if self.tx is not None and self.tx[0] == entry[1]:
                self.tx[4] = tx_id
        self.dirty = True

    def drop_head(self):
        """Give up the head message; a dropped Start takes its Stop with it."""
        entry = self.queue.pop(0)
        self.dropped += 1
        if entry[0] == "S":
            self.ids[entry[1]] = DROPPED
            if self.tx is not None and self.tx[0] == entry[1]:
                self.tx[4] = DROPPED
        self.dirty = True
