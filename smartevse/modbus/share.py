"""The power-share master's requests to its nodes (modbus.md 3 steps 2, 5, 6, end; 4.2-4.4)."""

# MeterPoll asks `config`, `status`, `write`, `broadcast` (sub = the how-manyth request of
# the step) for the next request and hands replies to `took`.
# Imported only on a master (a standalone controller keeps its heap). Node n is table
# index n (Modbus address n + 1); the tables of charging.md 2.2 live in the Regulation
# record, asked through Evse commands; what only the bus needs (online counters,
# config-changed, the nodes' EV meters and modes, a write due) lives here in bytearrays.

from micropython import const

from smartevse.core.states import CT_NOCOMM, LESS_6A, MODE_NORMAL, NR_EVSES
from smartevse.modbus import frame
from smartevse.modbus.registers import SYS_KEYS

_ONLINE = const(5)                       # status polls a node may miss (4.2)
_SWITCH_SMART_SOLAR = const(4)          # SWITCH Smart/Solar switch: the master keeps its mode
_NONE = const(0xFF)
_REG_CURRENTS = const(0x0020)
_REG_SOLAR_TIMER = const(0x0004)
_TIMER_SLACK_S = const(3)                # a node's solar stop timer may differ this much (2.10 5)
_REG_SYSTEM = const(0x0200)
_NODE_CFG = const(2)             # meter_poll's step ids (modbus.md 3)
_NODE_STATUS = const(5)
_NODE_WRITE = const(6)


# FC16 requests come from a master only, so their builder lives here (frame.py has the rest)
def build_write_multiple(buf, address, register, values, count):
    """FC16 request writing values[0:count] (16-bit each); returns the frame length."""
    frame.build_read(buf, address, frame.FC_WRITE_MULTIPLE, register, count)
    buf[6] = 2 * count
    at = 7
    for i in range(count):
        value = values[i] & 0xFFFF
        buf[at] = value >> 8
        buf[at + 1] = value & 0xFF
        at += 2
    return frame.append_crc(buf, at)


class ShareMaster:
    """Node status, handshake writes, config reads and broadcasts of a master."""

    def __init__(self, values, evse):
        self._v = values
        self._evse = evse
        self.online = bytearray(NR_EVSES)
        self.config_changed = bytearray(b"\x01" * NR_EVSES)   # first contact reads it (4.2)
        self.ev_type = bytearray(NR_EVSES)
        self.ev_address = bytearray(NR_EVSES)
        self.mode = bytearray(NR_EVSES)
        self._answer = bytearray(b"\xff" * NR_EVSES)         # state to write, 0xFF none
        self._timer_due = bytearray(NR_EVSES)                 # the solar stop timer to write
        self._words = [0] * len(SYS_KEYS)
        self.k = 0                     # controller whose EV meter this cycle reads (3 step 2)
        self._n = 0                    # node of the request in flight
        self._probe = 0
        self._phase = 0                # the broadcast being considered (broadcast)
        self._config_read = False
        self.push_settings = True      # the system block goes out once after boot, then on change
        self.adopt_mode = -1           # a node's own mode change the master takes (4.2)

    def settings_changed(self, key):
        if key in SYS_KEYS:
            self.push_settings = True  # 4.4: after a settings save on the master

    def prepare(self, step, sub, bus):
        """The `sub`-th request of poll step 2, 5, 6 or the end broadcast; False: none."""
        if step == _NODE_CFG:
            return self.config(sub, bus)
        if step == _NODE_STATUS:
            return self.status(sub, bus)
        if step == _NODE_WRITE:
            return self.write(sub, bus)
        return self.broadcast(sub, bus)

    def config(self, sub, bus):
        """Step 2: the next online controller k (0 = master); its config if it changed (4.3)."""
        if sub == 0:
            k = self.k
            for _ in range(NR_EVSES):
                k = (k + 1) % NR_EVSES
                if k == 0 or self.online[k]:
                    break
            self.k = k
        k = self.k
        if k == 0 or not self.config_changed[k] or sub > 1 or (sub and not self._config_read):
            return False
        self._n = k
        if sub == 0:
            self._config_read = False
            n = frame.build_read(bus.tx, k + 1, frame.FC_READ_INPUT, 0x0108, 2)
            bus.start(n, k + 1, frame.FC_READ_INPUT, 5 + 2 * 2)       # 2 bytes a register (1.3)
        else:
            n = frame.build_write_single(bus.tx, k + 1, frame.FC_WRITE_SINGLE, 0x0006, 0)
            bus.start(n, k + 1, frame.FC_WRITE_SINGLE, n)
        return True

    def status(self, sub, bus):
        """Step 5: each online node, plus one offline node as probe (4.2)."""
        online = self.online
        if sub == 0:
            self._n = 0
            probe = self._probe
            for _ in range(NR_EVSES - 1):
                probe = probe % (NR_EVSES - 1) + 1
                if not online[probe]:
                    break
            self._probe = probe
        n = self._n + 1
        while n < NR_EVSES and not online[n] and n != self._probe:
            n += 1
        if n >= NR_EVSES:
            return False
        self._n = n
        if online[n]:
            online[n] -= 1
            if not online[n]:
                self._evse.node_lost(n)
        count = 8
        size = frame.build_read(bus.tx, n + 1, frame.FC_READ_INPUT, 0, count)
        bus.start(size, n + 1, frame.FC_READ_INPUT, 5 + 2 * count)
        return True

    def write(self, sub, bus):
        """Step 6: [state, errors] (and mode when it differs) to each node that needs it,
        then the master's solar stop timer to a node whose own is off by more than 3 s."""
        if sub == 0:
            self._n = 0
        answer = self._answer
        due = self._timer_due
        n = self._n + 1
        while n < NR_EVSES and answer[n] == _NONE and not due[n]:
            n += 1
        if n >= NR_EVSES:
            return False
        if answer[n] == _NONE:              # charging.md 2.10 step 5, modbus.md 5.1 0x0004
            due[n] = 0
            self._n = n
            size = frame.build_write_single(bus.tx, n + 1, frame.FC_WRITE_SINGLE,
                                            _REG_SOLAR_TIMER, self._evse.solar_stop_timer_s)
            bus.start(size, n + 1, frame.FC_WRITE_SINGLE, size)
            return True
        self._n = n - 1 if due[n] else n    # the timer follows at the next request
        words = self._words
        words[0] = answer[n]
        words[1] = self._evse.reg.node_error[n]
        words[2] = 0
        words[3] = self._v["mode"]
        answer[n] = _NONE
        count = 4 if self.mode[n] != words[3] else 2
        size = build_write_multiple(bus.tx, n + 1, 0, words, count)
        bus.start(size, n + 1, frame.FC_WRITE_MULTIPLE, 8)
        return True

    def broadcast(self, sub, bus):
        """End of the cycle: currents (no CT_NOCOMM), overload stop, settings if due (4.4)."""
        if sub == 0:
            self._phase = 0
        words = self._words
        evse = self._evse
        while self._phase < 3:
            phase = self._phase
            self._phase += 1
            if phase == 0 and not evse.error_flags & CT_NOCOMM:
                reg = evse.reg
                for i in range(NR_EVSES):
                    words[i] = reg.node_balanced_da[i]
                for i in range(3):
                    words[NR_EVSES + i] = reg.mains_irms_da[i]
                size = build_write_multiple(bus.tx, frame.BROADCAST_ADDRESS, _REG_CURRENTS,
                                                  words, NR_EVSES + 3)
                break
            if phase == 1 and self._overload():  # 3: LESS_6A with the master's flags
                size = frame.build_write_single(bus.tx, frame.BROADCAST_ADDRESS,
                                                frame.FC_WRITE_SINGLE, 0x0001,
                                                evse.error_flags | LESS_6A)
                break
            if phase == 2 and self.push_settings:
                self.push_settings = False
                v = self._v
                for i in range(len(SYS_KEYS)):
                    key = SYS_KEYS[i]
                    words[i] = 0 if key is None else v[key]
                size = build_write_multiple(bus.tx, frame.BROADCAST_ADDRESS, _REG_SYSTEM,
                                                  words, len(SYS_KEYS))
                break
        else:
            return False
        bus.start(size, frame.BROADCAST_ADDRESS, frame.FC_WRITE_MULTIPLE, 0)
        return True

    def _overload(self):
        """Hard overload (3): outside Normal a mains phase above 2 x MAINS stops every node."""
        v = self._v
        limit_da = v["current_main"] * 20
        irms = self._evse.reg.mains_irms_da
        return v["mode"] != MODE_NORMAL and (irms[0] > limit_da or irms[1] > limit_da
                                            or irms[2] > limit_da)

    def _timer_check(self, n, timer_s):
        # 2.10 step 5: the node's solar stop timer more than 3 s off the master's: write it.
        # Its own method: no locals added to took, which is on the deepest chain.
        drift_s = timer_s - self._evse.solar_stop_timer_s
        self._timer_due[n] = 1 if drift_s > _TIMER_SLACK_S or drift_s < -_TIMER_SLACK_S else 0

    def took(self, status, rx, at):
        """A node's reply: to the status read (4.2), else to the config read or the
        config-changed reset (4.3)."""
        n = self._n
        if not status:
            if self._config_read:
                self.config_changed[n] = 0
            else:
                self.ev_type[n] = rx[at + 1]
                self.ev_address[n] = rx[at + 3]
                self._config_read = True
            return
        mode = rx[at + 7]
        if self.online[n] and mode != self.mode[n] and mode != self._v["mode"] \
                and self._v["switch"] != _SWITCH_SMART_SOLAR:
            self.adopt_mode = mode          # changed on the node's LCD: the master follows
        self.online[n] = _ONLINE
        self.mode[n] = mode
        if rx[at + 13]:
            self.config_changed[n] = 1
        state = rx[at + 1]
        self._timer_check(n, rx[at + 8] << 8 | rx[at + 9])
        answer = self._evse.node_report(n, state, rx[at + 3], rx[at + 15] * 10)
        if answer < 0 and self.mode[n] != self._v["mode"]:
            answer = state                  # mode sync: the 4-register write (4.2)
        self._answer[n] = _NONE if answer < 0 else answer
