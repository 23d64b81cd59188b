"""A power-share node on the bus: answers the register map, follows broadcasts (modbus.md 4, 5)."""

# Runs on every loop pass on a node (LoadBl 2..8) in place of the meter poll. Frames are
# delimited by their length and CRC (1.4: the length comes from the function and byte
# count), bytes that stop for 3.5 characters end whatever was incomplete. Requests to this
# node are answered after the inter-frame gap; broadcasts (0x09) are applied, never
# answered; the EV meter's replies to the master's requests are decoded here (4.5). Every
# settings write goes through app.apply_settings with SOURCE_MODBUS.

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff

from smartevse.core.states import CONFIG_SOCKET, METER_CUSTOM, NR_EVSES
from smartevse.modbus import meter_decode, meter_table as t
from smartevse.modbus.crc import append_crc, crc_ok
from smartevse.modbus.meter_poll import SYS_KEYS

_BUF = const(256)
# the fields of a meter_table row read here (folded at compile time; tests check they match)
_I_REG = const(3)
_P_REG = const(7)
_E_REG = const(11)
_MAX_READ = const(22)                 # registers per read (5)
_BCAST = const(0x09)
_SOLAR_TIMER_MAX_S = const(3600)      # STOP at most 60 min (charging.md 10)
# 5.2 in register order (5.3: meter_poll.SYS_KEYS)
_NODE_KEYS = ("config", "lock", "current_min", "current_max", "loadbl", "switch", "rcmon",
              "rfid_reader", "ev_meter_type", "ev_meter_address")


def _end(reg):
    """The end of the register block holding reg, or 0 when unmapped (5)."""
    if reg < 0x000C:
        return 0x000C
    if 0x0100 <= reg < 0x010A:
        return 0x010A
    if 0x0200 <= reg < 0x0200 + len(SYS_KEYS):
        return 0x0200 + len(SYS_KEYS)
    return 0


def _key(reg):
    """The setting behind a register of 5.2 / 5.3; None for status and reserved registers."""
    if reg >= 0x0200:
        return SYS_KEYS[reg - 0x0200]
    return _NODE_KEYS[reg - 0x0100] if reg >= 0x0100 else None


class Node:
    """The slave side of one controller (LoadBl 2..8)."""

    def __init__(self, app, uart, gap_ms, ev):
        self._app = app
        self._v = app.settings.values
        self.uart = uart
        self._gap_ms = gap_ms
        self.ev = ev                        # the EV meter's readings, shared with the poll
        self.rx = bytearray(_BUF)
        self.tx = bytearray(64)
        self._chunk = bytearray(32)
        self._views = {}
        self._len = 0
        self._last_ms = 0
        self._reply_len = 0
        self._reply_ms = 0
        self._ev_reg = -1                   # register of the last request to our EV meter
        self.config_changed = 1
        # Settings writes are collected here and applied by MeterPoll.step, not down the
        # frame's call chain (pystack); the request waits in _held for its reply.
        self.changes = None
        self.ready = 0                      # length of the frame at the start of rx, to act on
        self._held = bytearray(4)           # address, function, taken inline, answer due
        self.frames = 0                     # valid frames seen on the bus
        self.answered = 0
        self.refused = 0                    # exception replies sent (bad address or value)
        self.garbage = 0                    # bytes that started no valid frame

    def counters(self):
        return self.frames, self.answered, self.refused, self.garbage

    def step(self, now_ms):
        uart = self.uart
        n = self._reply_len
        if n and ticks_diff(now_ms, self._reply_ms) >= 0:
            view = self._views.get(n)
            if view is None:
                view = self._views[n] = memoryview(self.tx)[:n]
            uart.write(view)
            self._reply_len = 0
        got = 0
        chunk = self._chunk
        rx = self.rx
        while uart.in_waiting:
            n = uart.readinto(chunk)
            if not n:
                break
            got += n
            at = self._len
            if at + n > _BUF:                 # oversized: what was kept cannot be a frame
                self.garbage += at
                at = 0
            for i in range(n):
                rx[at + i] = chunk[i]
            self._len = at + n
        if got:
            self._last_ms = now_ms
            self._parse()
        elif self._len and not self.ready and self.changes is None \
                and ticks_diff(now_ms, self._last_ms) >= self._gap_ms:
            self.garbage += self._len        # silence: an incomplete frame is dropped
            self._len = 0

    def act(self, now_ms):
        """The side effects of the frame found (MeterPoll.step calls it: a short pystack)."""
        length = self.ready
        self.ready = 0
        self._frame(length - 2, now_ms)
        self._drop(length)
        if self.changes is None:
            self._parse()

    def _parse(self):
        """Find the next complete frame at the start of rx (1.4), hunting past garbage;
        `ready` = its length, left in rx for act()."""
        rx = self.rx
        while self._len >= 5 and not self.ready and self.changes is None:
            n = self._len
            fc = rx[1]
            a = b = 0                         # candidate lengths with CRC
            if fc & 0x80:
                a = 5
            elif fc == 3 or fc == 4:
                a, b = 8, 5 + rx[2]
            elif fc == 6:
                a = 8
            elif fc == 16:
                a = 8
                if n > 6:
                    b = 9 + rx[6]
            if a and a <= n and crc_ok(rx, 0, a):
                self.ready = a
            elif b and b <= n and crc_ok(rx, 0, b):
                self.ready = b
            elif a > n or b > n or (fc == 16 and n <= 6):
                return                        # may still be arriving
            else:
                self.garbage += 1
                self._drop(1)
        if self.ready:
            self.frames += 1

    def _drop(self, used):
        rx = self.rx
        n = self._len - used
        for i in range(n):
            rx[i] = rx[used + i]
        self._len = n

    # --- one CRC-checked frame of `length` bytes without CRC ---------------------------
    def _frame(self, length, now_ms):
        rx = self.rx
        address = rx[0]
        fc = rx[1]
        v = self._v
        if address == v["loadbl"] and length >= 6:
            self._request(fc, length, now_ms)
        elif address == _BCAST and length >= 6:
            if fc == 16 and length > 7 and rx[6] == length - 7:
                self._broadcast(rx[2] << 8 | rx[3], rx[4] << 8 | rx[5])
            elif fc == 6 and length == 6 and rx[3] == 1 and rx[2] == 0:
                self._app.events |= self._app.evse.master_errors(rx[5])
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
            code = self._write(reg, count) if _end(reg) else 2
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

    def _refuse(self, address, fc, code, now_ms):
        self.refused += 1
        tx = self.tx
        tx[0] = address
        tx[1] = fc | 0x80
        tx[2] = code
        self._queue(append_crc(tx, 3), now_ms)

    def _queue(self, n, now_ms):
        self.answered += 1
        self._reply_len = n
        self._reply_ms = ticks_add(now_ms, self._gap_ms)

    def _reply(self, n):
        tx = self.tx
        rx = self.rx
        for i in range(n):
            tx[i] = rx[i]
        self._reply_len = append_crc(tx, n)

    def _read(self, fc, reg, count):
        if count < 1 or count > _MAX_READ or reg + count > _end(reg):
            return 2
        tx = self.tx
        tx[0] = self.rx[0]
        tx[1] = fc
        tx[2] = 2 * count
        at = 3
        for r in range(reg, reg + count):
            value = self.value(r) & 0xFFFF
            tx[at] = value >> 8
            tx[at + 1] = value & 0xFF
            at += 2
        self._reply_len = append_crc(tx, at)
        return 0

    def value(self, reg):
        """The register's value now (5.1-5.3)."""
        if reg >= 0x0100:
            key = _key(reg)
            return 0 if key is None else self._v[key]
        app = self._app
        evse = app.evse
        v = self._v
        if reg == 0:
            return evse.state
        if reg == 1:
            return evse.error_flags
        if reg == 2:
            return evse.balanced_da
        if reg == 3:
            return v["mode"]
        if reg == 4:
            return evse.solar_stop_timer_s
        if reg == 5:
            return evse.access
        if reg == 6:
            return self.config_changed
        if reg == 7:                          # A = min(cable capacity, MAX)
            max_a = v["current_max"]
            cable_a = evse.max_capacity_a
            if v["config"] == CONFIG_SOCKET and evse.ev_connected and 0 < cable_a < max_a:
                return cable_a
            return max_a
        if reg == 10:
            return evse.temperature_c
        if reg == 11:
            return app.serial_nr
        return 0                              # 8 phases, 9 measured current: not implemented (9)

    def _write(self, reg, value):
        """One register write: 0 taken, else the exception code (5)."""
        app = self._app
        evse = app.evse
        if reg >= 0x0100 or reg == 3 or reg == 5:
            key = "mode" if reg == 3 else "access" if reg == 5 else _key(reg)
            if key is None:
                return 3
            if self.changes is None:
                self.changes = {}
            self.changes[key] = value         # applied by MeterPoll.step, then applied()
            return -1
        if reg == 0:
            if value > 14:
                return 3
            app.events |= evse.grant(value)
        elif reg == 1:
            app.events |= evse.master_errors(value)
        elif reg == 2:
            evse.set_override_current(value)
        elif reg == 4:                        # the master's solar stop timer (charging.md 2.10 5)
            if value > _SOLAR_TIMER_MAX_S:
                return 3
            evse.solar_stop_timer(value)
        elif reg == 6:
            if value > 1:
                return 3
            self.config_changed = value
        else:
            return 2 if reg > 6 else 3        # read-only
        return 0

    def _write_many(self, reg, count):
        if count < 1 or reg + count > _end(reg):
            return 2
        rx = self.rx
        taken = refused = 0
        for i in range(count):
            code = self._write(reg + i, rx[7 + 2 * i] << 8 | rx[8 + 2 * i])
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
        app = self._app
        evse = app.evse
        if reg == 0x0020 and (count == NR_EVSES or count == NR_EVSES + 3):
            if count > NR_EVSES:             # mains L1..L3 only in the 11-register form
                at = 7 + 2 * NR_EVSES
                evse.mains_reading(_s16(rx, at), _s16(rx, at + 2), _s16(rx, at + 4))
            at = 7 + 2 * (self._v["loadbl"] - 1)
            app.events |= evse.node_current(rx[at] << 8 | rx[at + 1])
            app.apply_outputs()
        elif reg == 0x0200 and count <= len(SYS_KEYS):
            v = self._v
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
        v = self._v
        meter_type = v["ev_meter_type"]
        row = t.custom_row(v) if meter_type == METER_CUSTOM else t.row(meter_type)
        reg = self._ev_reg
        self._ev_reg = -1
        if row is None:
            return
        ev = self.ev
        if reg == row[_I_REG]:
            meter_decode.currents(row, rx, 3, ev)
            self._app.evse.ev_meter_reading(ev.current_da[0], ev.current_da[1], ev.current_da[2])
        elif reg == row[_E_REG]:
            meter_decode.energy(row, rx, 3, ev, False)
        elif reg == row[_P_REG]:
            meter_decode.power(row, rx, 3, ev)


def _s16(buf, at):
    value = buf[at] << 8 | buf[at + 1]
    return value - 0x10000 if value & 0x8000 else value
