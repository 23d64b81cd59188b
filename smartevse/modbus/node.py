"""A power-share node on the bus: answers the register map, follows broadcasts (modbus.md 4, 5)."""

# Runs on every loop pass on a node (LoadBl 2..8) in place of the meter poll. node_link.py
# finds the frames in what the node hears; here each frame acts: requests to this node are
# answered (registers.py decides the values and the writes), broadcasts (0x09) are applied,
# never answered, and the EV meter's replies to the master's requests are decoded (4.5).
# Every settings write goes through app.apply_settings with SOURCE_MODBUS.

from micropython import const

from smartevse.core.states import NR_EVSES
from smartevse.modbus import meter_rows, registers
from smartevse.modbus.frame import append_crc
from smartevse.modbus.meter_poll import MeterData
from smartevse.modbus.node_link import NodeLink
from smartevse.modbus.registers import SYS_KEYS, block_end

# the fields of a meter_rows row read here, and its step ids (tests check they match)
_I_REG = const(3)
_P_REG = const(7)
_E_REG = const(11)
_EV_E = const(3)
_EV_P = const(4)
_EV_I = const(7)
_MAX_READ = const(22)                 # registers per read (5)
_BCAST = const(0x09)
_RS485 = const(4)                     # health.py
_SOURCE_MODBUS = const(3)             # settings/changes.py


def link(poll, app):
    """The node side of `poll`'s bus (MeterPoll.step on LoadBl 2..8), made once."""
    if poll.ev is None:
        poll.ev = MeterData()
    bus = poll.bus
    poll.node = Node(app, bus.uart, bus.gap_ms, poll.ev)
    return poll.node


class Node(NodeLink):
    """The slave side of one controller (LoadBl 2..8)."""

    def __init__(self, app, uart, gap_ms, ev):
        super().__init__(uart, gap_ms)
        self.app = app
        self.values = app.settings.values
        self.ev = ev                        # the EV meter's readings, shared with the poll
        self._ev_reg = -1                   # register of the last request to our EV meter
        self.config_changed = 1
        self._held = bytearray(4)           # address, function, taken inline, answer due
        self.custom_row = None              # the EV meter's row (8.2, 8.5), on demand

    def serve(self, now_ms):
        """A node's pass (MeterPoll.step): hear the bus, then act on each frame found."""
        # each frame's effects from here, not from inside the link: a short pystack
        self.step(now_ms)
        app = self.app
        app.health.ok(_RS485)
        while self.ready:
            self.act(now_ms)
            if self.changes is not None:     # settings writes through the one apply path
                self.applied(app.apply_settings(self.changes, _SOURCE_MODBUS), now_ms)

    def act(self, now_ms):
        """The side effects of the frame found (Node.serve calls it: a short pystack)."""
        length = self.ready
        self.ready = 0
        self._frame(length - 2, now_ms)
        self._drop(length)
        if self.changes is None:
            self._parse()

    # --- one CRC-checked frame of `length` bytes without CRC ---------------------------
    def _frame(self, length, now_ms):
        rx = self.rx
        address = rx[0]
        fc = rx[1]
        v = self.values
        if address == v["loadbl"] and length >= 6:
            self._request(fc, length, now_ms)
        elif address == _BCAST and length >= 6:
            if fc == 16 and length > 7 and rx[6] == length - 7:
                self._broadcast(rx[2] << 8 | rx[3], rx[4] << 8 | rx[5])
            elif fc == 6 and length == 6 and rx[3] == 1 and rx[2] == 0:
                self.app.events |= self.app.evse.master_errors(rx[5])
        elif address == v["ev_meter_address"] and (fc == 3 or fc == 4):
            self._ev_frame(length)

    def _request(self, fc, length, now_ms):
        rx = self.rx
        reg = rx[2] << 8 | rx[3]
        count = rx[4] << 8 | rx[5]
        code = 0
        if fc == 3 or fc == 4:
            if length != 6:
                return                        # a reply to the master? not ours to answer
            code = self._read(fc, reg, count)
        elif fc == 6 and length == 6:
            code = registers.write(self, reg, count) if block_end(reg) else 2
            if code < 0:
                self._hold(0)
                return
            if not code:
                self._reply(6)                # the echo
        elif fc == 16 and length > 7 and rx[6] == length - 7 and rx[6] == 2 * count:
            code = self._write_many(reg, count)
            if code < 0:
                return
        else:
            return                            # unsupported functions are not answered (1.3)
        self._answer(code, now_ms)

    def _answer(self, code, now_ms):
        rx = self.rx
        if code:
            self._refuse(rx[0], rx[1], code, now_ms)
        else:
            self._queue(self._reply_len, now_ms)

    def _read(self, fc, reg, count):
        if count < 1 or count > _MAX_READ or reg + count > block_end(reg):
            return 2
        tx = self.tx
        tx[0] = self.rx[0]
        tx[1] = fc
        tx[2] = 2 * count
        at = 3
        for r in range(reg, reg + count):
            value = registers.value(self, r) & 0xFFFF
            tx[at] = value >> 8
            tx[at + 1] = value & 0xFF
            at += 2
        self._reply_len = append_crc(tx, at)
        return 0

    def _write_many(self, reg, count):
        if count < 1 or reg + count > block_end(reg):
            return 2
        rx = self.rx
        taken = refused = 0
        for i in range(count):
            code = registers.write(self, reg + i, rx[7 + 2 * i] << 8 | rx[8 + 2 * i])
            if code == 0:
                taken += 1
            elif code > 0:
                refused += 1
        self._hold(taken)                      # the echo's header into tx
        if self.changes is not None:
            return -1
        return self._count_reply(taken)

    def _count_reply(self, taken):
        """FC16's reply from the header in tx: the number of registers taken (5)."""
        if not taken:
            return 3
        tx = self.tx
        tx[4] = taken >> 8                    # the number of registers accepted (5)
        tx[5] = taken & 0xFF
        self._reply_len = append_crc(tx, 6)
        return 0

    def _hold(self, taken):
        """Keep the request's header (and the echo's first 6 bytes in tx) for the reply."""
        held = self._held
        rx = self.rx
        held[0] = rx[0]
        held[1] = rx[1]
        held[2] = taken
        held[3] = 1                            # an answer is due
        tx = self.tx
        for i in range(6):
            tx[i] = rx[i]

    def applied(self, errors, now_ms):
        """MeterPoll applied self.changes: reply to the held request, then parse on."""
        held = self._held
        asked = len(self.changes)
        self.changes = None
        if held[3]:                            # not a broadcast: answer it
            tx = self.tx
            fc = held[1]
            if fc == 6:
                code = 3 if errors else 0
                self._reply_len = append_crc(tx, 6)
            else:
                code = self._count_reply(held[2] + asked - len(errors))
            if code:
                self._refuse(held[0], fc, code, now_ms)
            else:
                self._queue(self._reply_len, now_ms)
        self._parse()

    # --- broadcasts (4.4) -----------------------------------------------------------
    def _broadcast(self, reg, count):
        rx = self.rx
        app = self.app
        evse = app.evse
        if reg == 0x0020 and (count == NR_EVSES or count == NR_EVSES + 3):
            if count > NR_EVSES:             # mains L1..L3 only in the 11-register form
                at = 7 + 2 * NR_EVSES
                evse.mains_reading(_s16(rx, at), _s16(rx, at + 2), _s16(rx, at + 4))
            at = 7 + 2 * (self.values["loadbl"] - 1)
            app.events |= evse.node_current(rx[at] << 8 | rx[at + 1])
            app.apply_outputs()
        elif reg == 0x0200 and count <= len(SYS_KEYS):
            v = self.values
            changes = {}
            for i in range(count):
                key = SYS_KEYS[i]
                value = rx[7 + 2 * i] << 8 | rx[8 + 2 * i]
                if key is not None and v[key] != value:
                    changes[key] = value
            if changes:                       # out-of-range values are skipped (4.4)
                self.changes = changes
                self._held[3] = 0             # applied by MeterPoll.step, never answered

    # --- our EV meter, read by the master (4.5) ---------------------------------------
    def _ev_frame(self, length):
        rx = self.rx
        if length == 6:
            self._ev_reg = rx[2] << 8 | rx[3]
            return
        if rx[2] != length - 3 or self._ev_reg < 0:
            return
        v = self.values
        meter_type = v["ev_meter_type"]
        row = self.custom_row                # built once per settings change, not per frame
        if row is None:
            row = meter_rows.row(meter_type, v)
            self.custom_row = row
        reg = self._ev_reg
        self._ev_reg = -1
        if row is None:
            return
        ev = self.ev
        if reg == row[_I_REG]:
            meter_rows.decode(row, _EV_I, rx, 3, ev, False)
            self.app.evse.ev_meter_reading(ev.current_da[0], ev.current_da[1], ev.current_da[2])
        elif reg == row[_E_REG]:
            meter_rows.decode(row, _EV_E, rx, 3, ev, False)
        elif reg == row[_P_REG]:
            meter_rows.decode(row, _EV_P, rx, 3, ev, False)


def _s16(buf, at):
    value = buf[at] << 8 | buf[at + 1]
    return value - 0x10000 if value & 0x8000 else value
