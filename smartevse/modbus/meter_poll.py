"""Decides which meter request goes next: the master's poll cycle (modbus.md 3)."""

# Decides which meter request goes next: the polling cycle of modbus.md 3 for the mains
# meter (or Sensorbox), the EV meter and the circuit (sub-panel) meter, and what each reply
# feeds the core.
#
# Every 2 s a cycle walks the steps of 3 in order; a step whose condition is false is
# skipped, and a step may send several requests (`_prepare` is asked again with the next
# `_sub` until it says no). The power-sharing steps (2 node config, 5 node status, 6 state
# writes) and the end-of-cycle broadcast are share.py's (a master only). Runs on every loop
# pass; one request outstanding at a time (transaction.py). Replies feed the core in dA
# through `evse.mains_reading` / `ev_meter_reading` / `circuit_reading`, which reload the
# 11 s / 64 s timeouts (charging.md 3.5); a timeout, exception or bad reply is "no data"
# (1.3). What a configuration does not use is not imported: the meter table and its
# decoders come with the first meter that has a row, sensorbox.py with a Sensorbox,
# eastron.py with an Eastron mains meter, share.py / node.py with power sharing.

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff

# Other modules' constants, copied: a const is folded only in its own module, an imported
# one is a global looked up by name (tests check they match). core/states.py:
_LOADBL_MASTER = const(1)
_LOADBL_FIRST_NODE = const(2)
_METER_DISABLED = const(0)
_METER_SENSORBOX = const(1)
_METER_API = const(9)
_METER_HOMEWIZARD_P1 = const(13)
_METER_CUSTOM = const(19)
_IDLE = const(0)                         # transaction.py
_DONE = const(3)
_RESULT_REPLY = const(1)
_RS485 = const(4)                        # health.py
_SOURCE_MODBUS = const(3)                # settings/changes.py

_EASTRON_3P = const(4)                  # the mains types with the extra reads of 8.6
_EASTRON_INV = const(5)
_EASTRON_1P = const(10)
_EASTRON = (_EASTRON_3P, _EASTRON_INV, _EASTRON_1P)
# types without a meter_rows row: not polled (Disabled, API 9, HomeWizard 13; 3 step 1),
# or the Sensorbox (8.4: the mains' only, at 0x0A, sensorbox.py)
_NO_ROW = (_METER_DISABLED, _METER_SENSORBOX, _METER_API, _METER_HOMEWIZARD_P1)

_CYCLE_MS = const(2000)                  # every second tick of the 1 s timer (3)

# the steps, numbered as in modbus.md 3 (I currents, E energy, P power); short names:
# on the device every identifier of a .py file is interned, and costs heap
_MAINS_I = const(1)
_NODE_CFG = const(2)                     # power sharing (share.py, master only)
_EV_E = const(3)
_EV_P = const(4)
_NODE_STATUS = const(5)
_NODE_WRITE = const(6)
_EV_I = const(7)
_MAINS_E = const(8)
_PHASE_E = const(9)                      # Eastron per-phase energy (eastron.py)
_CIRCUIT_I = const(10)
_CIRCUIT_E = const(11)
_LINKY = const(12)                       # steps 12-16 (eastron.py)
_ACREL_P = const(17)
_SB_WRITE = const(18)                    # 8.4: FC06 0x0800 / 0x0801 when due
_BCAST = const(19)                       # the end of the cycle (4.4)
_STEPS = (_MAINS_I, _SB_WRITE, _NODE_CFG, _EV_E, _EV_P, _NODE_STATUS, _NODE_WRITE, _EV_I,
          _MAINS_E, _PHASE_E, _CIRCUIT_I, _CIRCUIT_E, _LINKY, _ACREL_P, _BCAST)

_DATA_AT = const(3)                     # address, function, byte count, then data
_BY_ROWS = const(0)                      # who made the request in flight
_BY_SENSORBOX = const(1)
_BY_EASTRON = const(2)
_BY_OTHER = const(3)                    # writes and broadcasts: nothing to decode


class MeterData:
    """What the controller last read from one meter."""

    def __init__(self):
        self.current_da = [0, 0, 0]
        self.phase_power_w = [0, 0, 0]
        self.power_w = 0
        self.import_wh = 0
        self.export_wh = 0
        self.readings = 0              # current readings taken


class MeterPoll:
    """The master's meter requests (and the Sensorbox's writes), one slice per pass."""

    def __init__(self, settings, evse, transaction, app=None):
        self._app = app
        self._health = app.health if app is not None else None
        self.values = settings.values
        self.evse = evse
        self.bus = transaction
        self.mains = MeterData()
        self.ev = None                       # MeterData, with an EV meter (or on a node)
        self.circuit = None                  # MeterData, with a circuit meter
        self.sensorbox = None                # sensorbox.Sensorbox, with a Sensorbox
        self.eastron = None                  # eastron.EastronExtra, with an Eastron mains
        self.rows = None                     # meter_rows' rows by meter type, with such a meter
        self.row_meters = None               # the meter_rows module then (its prepare, handle)
        self._index = len(_STEPS)             # past the end: no cycle running
        self._sub = 0
        self._by = _BY_OTHER                 # who made the request in flight
        self.energy_t = -1                   # t of 3 step 8: the first cycle gives 0
        self._next_cycle_ms = None
        self.cycles = 0
        self.share = None                    # the master's node tables, made on a master
        self.k = 0                           # the controller whose EV meter is read (3 step 2)
        self.node = None                     # the slave side, made when this is a node
        self.manual_sent = False             # a manual REST transaction is on the bus

    def settings_changed(self, key):
        if key[:9] == "emcustom_" and self.rows is not None:
            self.rows.pop(_METER_CUSTOM, None)   # rebuilt from the emcustom_ settings (8.5)
        if key == "mains_meter_type" and self.eastron is not None:
            self.eastron = None              # its Linky facts went with the meter
            if self._app is not None:
                self._app.linky = None
        if self.share is not None:
            self.share.settings_changed(key)
        if self.node is not None:
            self.node.config_changed = 1     # 5.1 register 0x0006
            self.node.custom_row = None

    # --- the pass -------------------------------------------------------------------
    def step(self, now_ms):
        health = self._health
        if health is not None and not health.ready(_RS485, now_ms):
            return                               # the UART rests after an I/O error
        # The UART's own I/O errors are the bus's, counted and rested (architecture.md
        # "Errors"); a silent bus reaches the core as CT_NOCOMM (charging.md 3.5). The try
        # is here, not in a wrapper, to keep the pystack one frame shorter.
        # Few locals here: this frame sits under the allocation a node's COMM_C request
        # starts (share.took -> evse.node_report), the deepest chain on the pystack. No
        # import statement runs per pass: each allocates (16 B on MicroPython). A node's
        # pass is Node.serve's (its code loaded only on a node).
        try:
            bus = self.bus
            if self.values["loadbl"] >= _LOADBL_FIRST_NODE and self._app is not None:
                link = self.node
                if link is None:                 # a node never asks (1.1): it answers
                    from smartevse.modbus import node
                    link = node.link(self, self._app)
                link.serve(now_ms)
                return
            bus.step(now_ms)
            if health is not None:
                health.ok(_RS485)
            if self.manual_sent and bus.state == _DONE:       # REST /api/modbus/cmd (1.15)
                self.manual_sent = False
                from smartevse.modbus import manual
                manual.finish(self._app, bus, now_ms)
                bus.state = _IDLE                # its result taken: the bus is free
            if bus.state == _DONE:
                step = _STEPS[self._index]
                sh = self.share
                # decoders called from here, not through a helper: the pystack; settings
                # changes from the bus (a node's mode, the Sensorbox's Wi-Fi) applied here too
                if step == _NODE_CFG or step == _NODE_STATUS:
                    if bus.result == _RESULT_REPLY:
                        sh.took(step == _NODE_STATUS, bus.rx, bus.reply_at + _DATA_AT)
                    if sh.adopt_mode >= 0 and self._app is not None:
                        mode = sh.adopt_mode
                        sh.adopt_mode = -1
                        self._app.apply_settings({"mode": mode}, _SOURCE_MODBUS)
                elif self._by == _BY_SENSORBOX:
                    self._sensorbox_reply()
                    sh = self.sensorbox          # the same local again (pystack)
                    mode = sh.adopt_wifi         # SB2 WIFI follows the Sensorbox (8.4)
                    if mode >= 0 and self._app is not None:
                        sh.adopt_wifi = -1
                        if mode != self.values["sb2_wifi_mode"]:
                            self._app.apply_settings({"sb2_wifi_mode": mode}, _SOURCE_MODBUS)
                elif bus.result != _RESULT_REPLY or self._by == _BY_OTHER:
                    pass                         # no data (1.3), or nothing to decode
                elif self._by == _BY_ROWS:
                    self.row_meters.handle(self, step)
                else:
                    self.eastron.decode(step == _LINKY, self._sub, bus.rx,
                                        bus.reply_at + _DATA_AT)
                bus.state = _IDLE                # its result taken: the bus is free
                self._sub += 1
            if bus.state != _IDLE:
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
                loadbl = self.values["loadbl"]
                if loadbl >= _LOADBL_FIRST_NODE:
                    return                       # a node never asks (1.1)
                if loadbl == _LOADBL_MASTER and self.share is None:
                    from smartevse.modbus import share
                    self.share = share.ShareMaster(self.values, self.evse)
                self.cycles += 1
                self._index = 0
                self._sub = 0
            while self._index < len(_STEPS):
                if _STEPS[self._index] == _BCAST and not self._sub and self.share is not None \
                        and self._app is not None:
                    self._app.regulate_share(now_ms)   # allocate, then broadcast (charging.md 4.3)
                if self._prepare(_STEPS[self._index], self._sub):
                    bus.step(now_ms)             # send now if the bus allows
                    return
                self._index += 1
                self._sub = 0
        except OSError as exc:                   # busio.UART I/O; nothing else here does I/O
            if health is None:
                raise
            health.failed(_RS485, exc, now_ms)

    def _sensorbox_reply(self):
        bus = self.bus
        if bus.result != _RESULT_REPLY:
            # no data (1.3): the next read asks 20 registers, which every version answers
            # (the reference forgets the version on CT_NOCOMM; the Wi-Fi sync is kept, so a
            # lost reply cannot undo an SB2 WIFI change the menu made meanwhile)
            self.sensorbox.version = 0
            return
        mains = self.mains
        out = mains.current_da
        at = bus.reply_at + _DATA_AT
        if self.sensorbox.decode(bus.rx, at, bus.rx[at - 1] >> 1, out, self.values):
            mains.readings += 1              # no new data: no reading (8.4)
            self.evse.mains_reading(out[0], out[1], out[2])

    # --- requests (3) ---------------------------------------------------------------
    def _prepare(self, step, sub):
        """Build the request of `step` (its `sub`-th) into the bus; False = none."""
        v = self.values
        bus = self.bus
        self._by = _BY_OTHER
        if step == _NODE_CFG or step == _NODE_STATUS or step == _NODE_WRITE \
                or step == _BCAST:
            sh = self.share
            if sh is None or v["loadbl"] != _LOADBL_MASTER:
                self.k = 0
                return False
            found = sh.prepare(step, sub, bus)
            self.k = sh.k
            return found
        mains_type = v["mains_meter_type"]
        if step == _SB_WRITE:
            sb = self.sensorbox
            return sb is not None and mains_type == _METER_SENSORBOX and sb.write(bus)
        if step == _MAINS_E and not sub:
            self.energy_t += 1               # t advances every cycle (3 step 8)
        if step == _PHASE_E or step == _LINKY:
            # steps 9, 12-16: an Eastron-type mains at t == 0 (about every 120 s; 8.6)
            if self.energy_t or mains_type not in _EASTRON:
                return False
            if self.eastron is None:
                from smartevse.modbus import eastron
                self.eastron = eastron.EastronExtra(self._app)
            self._by = _BY_EASTRON
            return self.eastron.request(self, step == _LINKY, sub)
        if step == _MAINS_I and mains_type == _METER_SENSORBOX:
            if sub:
                return False
            sb = self.sensorbox
            if sb is None:
                from smartevse.modbus.sensorbox import Sensorbox
                app = self._app
                live = {}
                if app is not None:          # the menu's facts (settings/facts.py `visible`)
                    if app.menu_live is None:
                        app.menu_live = live
                    live = app.menu_live
                sb = self.sensorbox = Sensorbox(live)
            self._by = _BY_SENSORBOX
            return sb.read(bus)
        # a meter read through its table row: which meter this step asks
        if step == _CIRCUIT_I or step == _CIRCUIT_E:
            meter_type = v["circuit_meter_type"]
            address = v["circuit_meter_address"]
        elif _EV_E <= step <= _EV_I:
            k = self.k
            meter_type = self.share.ev_type[k] if k else v["ev_meter_type"]
            address = self.share.ev_address[k] if k else v["ev_meter_address"]
        else:
            meter_type = mains_type
            address = v["mains_meter_address"]
        if meter_type in _NO_ROW:
            return False
        if self.rows is None:
            from smartevse.modbus import meter_rows
            self.row_meters = meter_rows
            self.rows = {}
        self._by = _BY_ROWS
        return self.row_meters.prepare(self, step, sub, meter_type, address)
