"""Decides which meter request goes next: the master's poll cycle (modbus.md 3)."""

# Decides which meter request goes next: the master's polling cycle of modbus.md 3 for
# the mains meter (or Sensorbox) and the EV meter, and what each reply feeds the core.
#
# Every 2 s a cycle walks the steps of 3 in order; a step whose condition is false is
# skipped, and a step may send several requests (`_prepare` is asked again with the next
# `_sub` until it says no). The power-sharing steps (2 node config, 5 node status, 6 state
# writes) and the end-of-cycle broadcast slot in as further step ids. Runs on every loop
# pass; one request outstanding at a time (transaction.py). Replies feed the core in dA
# through `evse.mains_reading` / `evse.ev_meter_reading`, which reload the 11 s / 64 s
# timeouts (charging.md 3.5); a timeout, exception or bad reply is "no data" (1.3).

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff

from smartevse.core.states import (LOADBL_FIRST_NODE, LOADBL_MASTER, METER_API, METER_CUSTOM,
                                   METER_DISABLED, METER_HOMEWIZARD_P1, METER_SENSORBOX,
                                   SENSORBOX_ADDRESS)
from smartevse.modbus import frame, meter_decode, meter_table as t
from smartevse.modbus.transaction import (DONE, IDLE, RESULT_REPLY)
from smartevse.health import RS485
from smartevse.settings.changes import SOURCE_MODBUS

# the fields of a meter_table row read here (folded at compile time; tests check they match)
_FC = const(0)
_I_REG = const(3)
_I_COUNT = const(5)
_P_REG = const(7)
_P_COUNT = const(10)
_E_REG = const(11)
_EX_REG = const(14)
_KIND = const(16)
_POWER_IN_CURRENTS = const(17)
_KIND_ACREL_MAINS = const(5)
_ACREL_POWER_BLOCK_REG = const(356)
_ACREL_POWER_BLOCK_COUNT = const(8)

_CYCLE_MS = const(2000)                  # every second tick of the 1 s timer (3)
_ENERGY_IMPORT_CYCLE = const(30)         # step 8: import at t = 30, export at t = 60 (~120 s)
_ENERGY_EXPORT_CYCLE = const(60)

_STEP_MAINS_CURRENTS = const(1)
_STEP_EV_ENERGY = const(3)
_STEP_EV_POWER = const(4)
_STEP_EV_CURRENTS = const(7)
_STEP_MAINS_ENERGY = const(8)
_STEP_ACREL_POWER = const(17)
_STEP_SENSORBOX_GRID = const(18)        # 8.4: FC06 0x0800 when its wiring bits differ
_SENSORBOX_GRID_REG = const(0x0800)
_STEP_NODE_CONFIG = const(2)            # power sharing (share.py, master only)
_STEP_NODE_STATUS = const(5)
_STEP_NODE_WRITE = const(6)
_STEP_BROADCAST = const(19)
_STEPS = (_STEP_MAINS_CURRENTS, _STEP_SENSORBOX_GRID, _STEP_NODE_CONFIG, _STEP_EV_ENERGY,
          _STEP_EV_POWER, _STEP_NODE_STATUS, _STEP_NODE_WRITE, _STEP_EV_CURRENTS,
          _STEP_MAINS_ENERGY, _STEP_ACREL_POWER, _STEP_BROADCAST)

_DATA_AT = const(3)                     # address, function, byte count, then data
# 5.3 in register order, for the master (share.py) and a node (node.py); None = 0x0215,
# reserved (reads 0, writes refused)
SYS_KEYS = ("mode", "current_max_circuit", "grid", "sb2_wifi_mode", "current_main",
            "solar_start_current", "solar_stop_time", "solar_max_import", "mains_meter_type",
            "mains_meter_address", "emcustom_endianness", "emcustom_datatype",
            "emcustom_function", "emcustom_u_register", "emcustom_u_divisor",
            "emcustom_i_register", "emcustom_i_divisor", "emcustom_p_register",
            "emcustom_p_divisor", "emcustom_e_register", "emcustom_e_divisor", None)


def is_modbus_meter(meter_type):
    """Polled over the bus: not Disabled, API (9) or HomeWizard (13) (3 step 1)."""
    return meter_type != METER_DISABLED and meter_type != METER_API \
        and meter_type != METER_HOMEWIZARD_P1


class MeterPoll:
    """The master's meter requests (and the Sensorbox's grid write), one slice per pass."""

    def __init__(self, settings, evse, transaction, app=None):
        self._app = app
        self._health = app.health if app is not None else None
        self._v = settings.values
        self._evse = evse
        self.bus = transaction
        self.mains = meter_decode.MeterData()
        self.ev = meter_decode.MeterData()
        self._custom = None                  # the custom meter's row, built on demand
        self._index = len(_STEPS)             # past the end: no cycle running
        self._sub = 0
        self._row = None                     # the row of the request in flight
        self._energy_export = False
        self._energy_t = -1                  # the first cycle gives 0 (3 step 8)
        self._next_cycle_ms = None
        self.cycles = 0
        self.share = None                    # the master's node tables, made on a master
        self._k = 0                          # the controller whose EV meter is read (3 step 2)
        self.node = None                     # the slave side, made when this is a node
        self.manual_sent = False             # a manual REST transaction is on the bus

    def settings_changed(self, key):
        if key[:9] == "emcustom_":
            self._custom = None
        if self.share is not None:
            self.share.settings_changed(key)
        if self.node is not None:
            self.node.config_changed = 1     # 5.1 register 0x0006

    def _meter_row(self, meter_type):
        if meter_type == METER_CUSTOM:
            if self._custom is None:
                self._custom = t.custom_row(self._v)
            return self._custom
        return t.row(meter_type)

    # --- the pass -------------------------------------------------------------------
    def step(self, now_ms):
        health = self._health
        if health is not None and not health.ready(RS485, now_ms):
            return                               # the UART rests after an I/O error
        # The UART's own I/O errors are the bus's, counted and rested (architecture.md
        # "Errors"); a silent bus reaches the core as CT_NOCOMM (charging.md 3.5). The try
        # is here, not in a wrapper, to keep the pystack one frame shorter.
        try:
            bus = self.bus
            if self._v["loadbl"] >= LOADBL_FIRST_NODE and self._app is not None:
                node = self.node
                if node is None:
                    from smartevse.modbus.node import Node
                    node = self.node = Node(self._app, bus.uart, bus.gap_ms, self.ev)
                node.step(now_ms)                # a node never asks (1.1): it answers
                self._uart_ok()
                while node.ready:                # each frame's effects from here: a short pystack
                    node.act(now_ms)
                    if node.changes is not None:  # settings writes through the one apply path
                        node.applied(self._app.apply_settings(node.changes, SOURCE_MODBUS), now_ms)
                return
            bus.step(now_ms)
            self._uart_ok()
            if self.manual_sent and bus.state == DONE:       # REST /api/modbus/cmd (1.15)
                self.manual_sent = False
                from smartevse.modbus import manual
                manual.finish(self._app, bus, now_ms)
                bus.finish()
            if bus.state == DONE:
                step = _STEPS[self._index]
                sh = self.share
                if step == _STEP_NODE_CONFIG or step == _STEP_NODE_STATUS:
                    # called from here, not _handle: one frame less under the allocation (pystack)
                    if bus.result == RESULT_REPLY:
                        if step == _STEP_NODE_CONFIG:
                            sh.took_config(bus.rx, bus.reply_at + _DATA_AT)
                        else:
                            sh.took_status(bus.rx, bus.reply_at + _DATA_AT)
                    if sh.adopt_mode >= 0 and self._app is not None:
                        mode = sh.adopt_mode
                        sh.adopt_mode = -1
                        self._app.apply_settings({"mode": mode}, SOURCE_MODBUS)
                else:
                    self._handle(step, bus.result)
                bus.finish()
                self._sub += 1
            if bus.state != IDLE:
                return
            if self._index >= len(_STEPS):
                if getattr(self._app, "modbus_manual", None) is not None:
                    from smartevse.modbus import manual     # between two rounds, bus idle
                    if manual.start(self._app, bus, now_ms):
                        self.manual_sent = True
                        bus.step(now_ms)
                        return
                if self._next_cycle_ms is None:
                    self._next_cycle_ms = now_ms
                if ticks_diff(now_ms, self._next_cycle_ms) < 0:
                    return
                self._next_cycle_ms = ticks_add(self._next_cycle_ms, _CYCLE_MS)
                if ticks_diff(now_ms, self._next_cycle_ms) >= 0:
                    self._next_cycle_ms = ticks_add(now_ms, _CYCLE_MS)
                loadbl = self._v["loadbl"]
                if loadbl >= LOADBL_FIRST_NODE:
                    return                       # a node never asks (1.1)
                if loadbl == LOADBL_MASTER and self.share is None:
                    from smartevse.modbus.share import ShareMaster
                    self.share = ShareMaster(self._v, self._evse)
                self.cycles += 1
                self._index = 0
                self._sub = 0
            while self._index < len(_STEPS):
                if self._prepare(_STEPS[self._index], self._sub):
                    bus.step(now_ms)             # send now if the bus allows
                    return
                self._index += 1
                self._sub = 0

        # --- requests (3) ---------------------------------------------------------------
        except OSError as exc:                   # busio.UART I/O; nothing else here does I/O
            if health is None:
                raise
            health.failed(RS485, exc, now_ms)

    def _uart_ok(self):
        if self._health is not None:
            self._health.ok(RS485)
    def _prepare(self, step, sub):
        """Build the request of `step` (its `sub`-th) into the bus; False = none."""
        v = self._v
        if step == _STEP_NODE_CONFIG or step == _STEP_NODE_STATUS or step == _STEP_NODE_WRITE \
                or step == _STEP_BROADCAST:
            sh = self.share
            if sh is None or v["loadbl"] != LOADBL_MASTER:
                self._k = 0
                return False
            if step == _STEP_NODE_CONFIG:
                found = sh.config(sub, self.bus)
                self._k = sh.k
                return found
            if step == _STEP_NODE_STATUS:
                return sh.status(sub, self.bus)
            if step == _STEP_NODE_WRITE:
                return sh.write(sub, self.bus)
            return sh.broadcast(sub, self.bus)
        if step == _STEP_SENSORBOX_GRID:
            bits = self.mains.sb_grid_write
            if sub or bits < 0 or v["mains_meter_type"] != METER_SENSORBOX:
                return False
            self.mains.sb_grid_write = -1
            bus = self.bus
            n = frame.build_write_single(bus.tx, SENSORBOX_ADDRESS, _SENSORBOX_GRID_REG, bits)
            bus.start(n, SENSORBOX_ADDRESS, frame.FC_WRITE_SINGLE, n)
            return True
        if step == _STEP_MAINS_CURRENTS or step == _STEP_MAINS_ENERGY or step == _STEP_ACREL_POWER:
            meter_type = v["mains_meter_type"]
            if sub or not is_modbus_meter(meter_type):
                return False
            if meter_type == METER_SENSORBOX:
                if step != _STEP_MAINS_CURRENTS:
                    return False
                self._row = None
                return self._read(SENSORBOX_ADDRESS, frame.FC_READ_INPUT, 0,
                                  self.mains.sb_registers)
            row = self._meter_row(meter_type)
            if row is None:
                return False
            self._row = row
            address = v["mains_meter_address"]
            if step == _STEP_MAINS_CURRENTS:
                return self._read(address, row[_FC], row[_I_REG], row[_I_COUNT])
            if step == _STEP_ACREL_POWER:
                if row[_KIND] != _KIND_ACREL_MAINS:
                    return False
                return self._read(address, frame.FC_READ_HOLDING, _ACREL_POWER_BLOCK_REG,
                                  _ACREL_POWER_BLOCK_COUNT)
            return self._mains_energy(row, address)
        k = self._k
        meter_type = self.share.ev_type[k] if k else v["ev_meter_type"]
        if sub or not is_modbus_meter(meter_type) or meter_type == METER_SENSORBOX:
            return False
        row = self._meter_row(meter_type)
        if row is None:
            return False
        self._row = row
        address = self.share.ev_address[k] if k else v["ev_meter_address"]
        if step == _STEP_EV_ENERGY:
            self._energy_export = False
            return self._read(address, row[_FC], row[_E_REG], t.energy_count(row))
        if step == _STEP_EV_POWER:
            if row[_POWER_IN_CURRENTS]:
                return False
            return self._read(address, row[_FC], row[_P_REG], row[_P_COUNT])
        return self._read(address, row[_FC], row[_I_REG], row[_I_COUNT])

    def _mains_energy(self, row, address):
        """Step 8: the counter t, import at 30, export at 60 (then t := 0)."""
        self._energy_t += 1
        at = self._energy_t
        if at == _ENERGY_EXPORT_CYCLE:
            self._energy_t = 0
        if at == _ENERGY_IMPORT_CYCLE:
            self._energy_export = False
            return self._read(address, row[_FC], row[_E_REG], t.energy_count(row))
        if at == _ENERGY_EXPORT_CYCLE and row[_EX_REG] >= 0:
            self._energy_export = True
            return self._read(address, row[_FC], row[_EX_REG], t.energy_count(row))
        return False

    def _read(self, address, function, register, count):
        bus = self.bus
        n = frame.build_read(bus.tx, address, function, register, count)
        bus.start(n, address, function, frame.reply_len(function, count))
        return True

    # --- replies --------------------------------------------------------------------
    def _handle(self, step, result):
        """A finished request: decode a reply; anything else is no data (1.3)."""
        bus = self.bus
        rx = bus.rx
        at = bus.reply_at + _DATA_AT
        if result != RESULT_REPLY or (self._k and step != _STEP_MAINS_CURRENTS
                                      and step != _STEP_MAINS_ENERGY and step != _STEP_ACREL_POWER):
            return                           # a node's EV meter: the node decodes it (4.5)
        row = self._row
        evse = self._evse
        if step == _STEP_MAINS_CURRENTS:
            mains = self.mains
            if row is None:
                if meter_decode.sensorbox(rx, at, mains, self._v["current_main"], self._v["grid"]):
                    evse.mains_reading(mains.current_da[0], mains.current_da[1],
                                       mains.current_da[2])
                return
            meter_decode.currents(row, rx, at, mains)
            evse.mains_reading(mains.current_da[0], mains.current_da[1], mains.current_da[2])
        elif step == _STEP_MAINS_ENERGY:
            meter_decode.energy(row, rx, at, self.mains, self._energy_export)
        elif step == _STEP_ACREL_POWER:
            meter_decode.acrel_phase_powers(rx, at, self.mains)
        elif step == _STEP_EV_ENERGY:
            meter_decode.energy(row, rx, at, self.ev, False)
        elif step == _STEP_EV_POWER:
            meter_decode.power(row, rx, at, self.ev)
        elif step == _STEP_EV_CURRENTS:
            ev = self.ev
            meter_decode.currents(row, rx, at, ev)
            evse.ev_meter_reading(ev.current_da[0], ev.current_da[1], ev.current_da[2])
