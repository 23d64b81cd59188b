"""Charge-session records (interfaces.md 1.14), the last 20 kept in NVM."""

# A session runs from the first C entry after state A to the return to A; one shorter
# than 60 s is not recorded. Each record is written once, when the session ends, into
# its own two-slot region (settings/nvm.py SESSIONS_*): 28 bytes each, newest first.
# The 1 s service only compares integers while nothing changes (no allocation).

import struct

from micropython import const

from smartevse.core.states import METER_API, METER_DISABLED, STATE_A, STATE_C
from smartevse.settings.nvm import (KIND_HISTORY, SESSIONS_OFFSET, SESSIONS_SLOT_SIZE,
                                    RecordStore)

RECORD = "<IIIIIHBBI"          # id, start s, end s, start Wh, end Wh, max dA, phases,
RECORD_SIZE = const(28)        # mode | OCPP << 7, circuit Wh (NO_CIRCUIT: none)
KEPT = const(20)
MIN_S = const(60)
NO_CIRCUIT = const(0xFFFFFFFF)
_VERSION = const(1)
_OCPP_BIT = const(0x80)


def _import_wh(meter):
    return meter.import_wh if meter is not None else 0


class SessionLog:
    """The session in progress and the records in NVM."""

    def __init__(self, app):
        self.app = app
        self.store = RecordStore(app.board.nvm, SESSIONS_OFFSET, SESSIONS_SLOT_SIZE,
                                 KIND_HISTORY)
        self.last = None            # the newest record since boot (a tuple), or None
        self.open = None            # [start s, start Wh, max dA, phases, mode, circuit Wh]
        self.seconds = 0

    def step_1s(self, now_ms):
        evse = self.app.evse
        state = evse.state
        current = self.open
        if current is None:
            if state == STATE_C:
                self._start()
            return
        if state == STATE_A:
            self._end()
            return
        self.seconds += 1
        offer_da = evse.advertised_da() if state == STATE_C else 0
        if offer_da > current[2]:
            current[2] = offer_da
        if state == STATE_C and evse.phases > current[3]:
            current[3] = evse.phases

    def _ev_wh(self):
        app = self.app
        kind = app.settings.values["ev_meter_type"]
        if kind == METER_API:
            return _import_wh(getattr(app, "ev_meter", None))
        poll = app.modbus
        return _import_wh(poll.ev) if kind != METER_DISABLED and poll is not None else 0

    def _circuit_wh(self):
        app = self.app
        if not app.settings.values["circuit_meter_type"]:
            return NO_CIRCUIT
        return _import_wh(getattr(app, "circuit_meter", None))

    def _start(self):
        app = self.app
        now_s = app.now_epoch_s()
        start_wh = self._ev_wh()
        values = app.settings.values
        mode = values["mode"] | (_OCPP_BIT if values["ocpp_mode"] else 0)
        self.open = [now_s or 0, start_wh, 0, app.evse.phases, mode, self._circuit_wh()]
        self.seconds = 0
        meter = getattr(app, "ev_meter", None)
        if meter is not None and hasattr(meter, "start_wh"):
            meter.start_wh = start_wh            # GET `charged_wh` counts from here

    def _end(self):
        current = self.open
        self.open = None
        if self.seconds < MIN_S:
            return
        end_s = self.app.now_epoch_s() or 0
        circuit = current[5]
        if circuit != NO_CIRCUIT:
            circuit = self._circuit_wh() - circuit
        records = self.records()
        session_id = records[0][0] + 1 if records else 1
        record = (session_id, current[0], end_s, current[1], max(self._ev_wh(), current[1]),
                  current[2], current[3], current[4], circuit & NO_CIRCUIT)
        self.last = record
        records.insert(0, record)
        self.save(records[:KEPT])

    def records(self):
        """Every stored record, newest first (unreadable NVM: none)."""
        payload = self.store.load()[0]
        out = []
        if payload:
            count = min(payload[0], KEPT, (len(payload) - 1) // RECORD_SIZE)
            for n in range(count):
                out.append(struct.unpack_from(RECORD, payload, 1 + n * RECORD_SIZE))
        return out

    def save(self, records):
        payload = bytearray(1 + len(records) * RECORD_SIZE)
        payload[0] = len(records)
        for n, record in enumerate(records):
            struct.pack_into(RECORD, payload, 1 + n * RECORD_SIZE, *record)
        try:
            self.store.save(payload, _VERSION)
        except OSError:
            pass                    # the NVM's own failure: the record since boot stays
