"""The kWh meters read by a table row: their requests and replies (modbus.md 3, 8)."""

# Decides how each supported meter is read (modbus.md 8.2, 8.3; the custom meter 8.5; its
# row from the table of meter_table.py) and what its replies say: per-phase currents in
# dA (signed), power in W and energies in Wh (8.1, 8.3), fed to the core for the mains
# meter (3 steps 1, 8, 17), the EV meter of controller k (steps 3, 4, 7; a node's EV meter
# is decoded by that node, 4.5) and the circuit (sub-panel) meter (steps 10, 11; decoded by
# its role, not by its address: modbus.md 9), through `evse.mains_reading` /
# `ev_meter_reading` / `circuit_reading` (charging.md 3.5). Every type of 8.2 but the
# Sensorbox, API and HomeWizard has a row.
#
# Imported by meter_poll with the first such meter (a Sensorbox alone never loads it) and
# by a node with its EV meter. On the device every identifier of a .py file is interned,
# and every function, class and object costs heap: one module, few functions, short
# names, no object of its own. The decoders write into one meter's preallocated record
# (meter_poll.MeterData): pure and allocation-free (values.py).

from micropython import const

from smartevse.modbus.frame import build_read
from smartevse.modbus.meter_poll import MeterData
from smartevse.modbus.values import register_count, scaled, tdiv

# A row is a tuple of 18 ints, one per meter type id (the setting value; ids never move),
# read through these indexes (meter_table.py packs them, sim/meters.py reads them too).
_FC = const(0)            # read function (3 or 4)
_DT = const(1)            # data type of the current (and sign power) values (values.py)
_ORDER = const(2)         # byte/word order code (8.1)
_I_REG = const(3)         # L1 current register; L2/L3 follow (8.1)
_I_DIV = const(4)         # current divisor d
_I_COUNT = const(5)       # registers of the current request (8.3)
_SIGN_AT = const(6)       # registers from _I_REG to the P1 power that signs the currents, or -1
_P_REG = const(7)         # total power register
_P_DIV = const(8)
_P_DT = const(9)
_P_COUNT = const(10)      # registers of the power request
_E_REG = const(11)        # import energy register
_E_DIV = const(12)
_E_DT = const(13)
_EX_REG = const(14)       # export energy register, -1 = none (no export request)
_PHASES = const(15)       # 3, or 1: reported as L1, L2 = L3 = 0
_KIND = const(16)         # special decoding, below
_POWER_IN_CURRENTS = const(17)   # EV power comes with the current read (3 step 4)

_KIND_INVERTED = const(1)      # Eastron mounted reversed: powers negated, energies swapped
_KIND_SOLAREDGE = const(2)     # SunSpec scale factors after the values
_KIND_SINOTIMER = const(3)     # power = sum of three INT16 phase powers
_KIND_ACREL_EV = const(4)      # current signed by the last measured power
_KIND_ACREL_MAINS = const(5)   # currents signed by the per-phase power block (FC3 356 x 8)

_ACREL_POWER_BLOCK_REG = const(356)
_ACREL_POWER_BLOCK_COUNT = const(8)

# values.py's data types and order, frame.py's functions (tests check they match)
_DT_INT32 = const(0)
_ORDER_HBF_HWF = const(3)
_FC_READ_HOLDING = const(3)
_FC_READ_INPUT = const(4)

# meter_poll's step ids (modbus.md 3 numbering); a node decodes its EV meter by them too
_MAINS_I = const(1)
_EV_E = const(3)
_EV_P = const(4)
_EV_I = const(7)
_MAINS_E = const(8)
_CIRCUIT_I = const(10)
_CIRCUIT_E = const(11)
_ACREL_P = const(17)
_DATA_AT = const(3)                      # address, function, byte count, then data
_IMPORT_AT_T = const(30)                 # step 8: import at t = 30, export at t = 60 (~120 s)
_EXPORT_AT_T = const(60)


def row(meter_type, v=None):
    """The row of a meter type (the custom meter's from the settings `v`, 8.5), or None
    (Disabled, Sensorbox, API, HomeWizard)."""
    # The table is imported for the call and dropped after it: its code and rows go back
    # to the heap, the callers keep the row of their meter type (meter_table.py).
    import sys
    from smartevse.modbus import meter_table
    found = meter_table.row(meter_type, v)
    del sys.modules["smartevse.modbus.meter_table"]
    del sys.modules["smartevse.modbus"].meter_table
    return found


def decode(row, step, buf, at, meter, export):
    """The data at buf[at] of the reply to `step` (modbus.md 3 numbering: currents,
    power, energy, the Acrel power block) -> `meter` (dA, W, Wh)."""
    dtype = row[_DT]
    order = row[_ORDER]
    kind = row[_KIND]
    if step == _ACREL_P:           # Pa, Pb, Pc, total; INT32 W: signs the next currents (8.3)
        for phase in range(3):
            meter.phase_power_w[phase] = scaled(buf, at + 4 * phase, _DT_INT32,
                                                _ORDER_HBF_HWF, 0)
        meter.power_w = scaled(buf, at + 12, _DT_INT32, _ORDER_HBF_HWF, 0)
    elif step == _EV_P:
        dtype = row[_P_DT]
        k = row[_P_DIV]
        if kind == _KIND_SINOTIMER:               # three INT16 phase powers, summed
            total = 0
            for phase in range(3):
                total += scaled(buf, at + 2 * phase, dtype, order, k)
            meter.power_w = total
            return
        if kind == _KIND_SOLAREDGE:               # W_SF at 40210 (SunSpec; 8.3)
            k = -scaled(buf, at + 8, dtype, order, 0)
        value = scaled(buf, at, dtype, order, k)
        meter.power_w = -value if kind == _KIND_INVERTED else value
    elif step == _MAINS_I or step == _EV_I or step == _CIRCUIT_I:
        # Meters that sign currents by power also give their phase powers and total (8.1).
        step = 2 * register_count(dtype)          # now the bytes from one phase to the next
        k = row[_I_DIV] - 3                       # to mA (8.1)
        if kind == _KIND_SOLAREDGE:               # current SF after I1..I3 (8.3)
            k = -scaled(buf, at + 6, dtype, order, 0) - 3
        sign_at = row[_SIGN_AT]
        out = meter.current_da
        power_w = 0
        for phase in range(3):
            if phase >= row[_PHASES]:
                out[phase] = 0
                continue
            ma = scaled(buf, at + phase * step, dtype, order, k)
            if sign_at >= 0:
                p = scaled(buf, at + 2 * sign_at + phase * step, dtype, order, row[_P_DIV])
                if kind == _KIND_INVERTED:
                    p = -p
                meter.phase_power_w[phase] = p
                power_w += p
                if p < 0:
                    ma = -ma
            elif kind == _KIND_ACREL_EV and meter.power_w < 0:
                ma = -ma
            elif kind == _KIND_ACREL_MAINS and meter.phase_power_w[phase] < 0:
                ma = -ma
            out[phase] = tdiv(ma, 100)
        if sign_at >= 0:
            meter.power_w = power_w                # the meter's measured power (8.1)
        meter.readings += 1
    else:          # an energy: a reversed Eastron reads import at export and vice versa (8.3)
        value = scaled(buf, at, row[_E_DT], order, row[_E_DIV] - 3)
        if export != (kind == _KIND_INVERTED):
            meter.export_wh = value
        else:
            meter.import_wh = value


# The requests and replies of the table-row meters of one MeterPoll: module functions over
# its `rows` dict (meter type -> its row, built once per type: at most the mains, EV and
# circuit meters'; the custom meter's until its settings change; key 0, Disabled, which has
# no row: the row of the request in flight), not an object of their own (its class,
# methods and attribute table would cost device heap).
def prepare(poll, step, sub, meter_type, address):
    """Build the request of `step` for a meter of `meter_type` at `address`; False: none."""
    rows = poll.rows
    r = rows.get(meter_type)
    if r is None:
        r = row(meter_type, poll.values)
        if r is None:
            return False
        rows[meter_type] = r
    if sub:
        return False
    rows[0] = r
    if _EV_E <= step <= _EV_I:        # the records, made with their first request
        if poll.ev is None:
            poll.ev = MeterData()
    elif (step == _CIRCUIT_I or step == _CIRCUIT_E) and poll.circuit is None:
        poll.circuit = MeterData()
    fc = r[_FC]
    if step == _MAINS_I or step == _EV_I or step == _CIRCUIT_I:
        register = r[_I_REG]
        count = r[_I_COUNT]
    elif step == _EV_P:
        if r[_POWER_IN_CURRENTS]:
            return False             # the current read brings it (3 step 4)
        register = r[_P_REG]
        count = r[_P_COUNT]
    elif step == _ACREL_P:
        if r[_KIND] != _KIND_ACREL_MAINS:
            return False
        fc = _FC_READ_HOLDING
        register = _ACREL_POWER_BLOCK_REG
        count = _ACREL_POWER_BLOCK_COUNT
    else:                            # energy: steps 3, 8 (at t = 30 / 60) and 11 (t = 0)
        register = r[_E_REG]
        count = register_count(r[_E_DT])   # a 64-bit ABB counter takes 4
        if step == _MAINS_E:
            at = poll.energy_t
            if at == _EXPORT_AT_T:
                poll.energy_t = 0    # handle() reads the export by this 0
                register = r[_EX_REG]
            if at != _IMPORT_AT_T and (at != _EXPORT_AT_T or register < 0):
                return False
        elif step == _CIRCUIT_E and poll.energy_t:
            return False
    bus = poll.bus
    n = build_read(bus.tx, address, fc, register, count)
    # reads carry 2 bytes per register (frame.reply_len)
    bus.start(n, address, fc, 5 + 2 * count)
    return True


def handle(poll, step):
    """Decode the reply of the request made (a reply, CRC checked, is in poll.bus)."""
    if poll.k and _EV_E <= step <= _EV_I:
        return                       # a node's EV meter: the node decodes it (4.5)
    if step == _EV_E or step == _EV_P or step == _EV_I:
        meter = poll.ev
    elif step == _CIRCUIT_I or step == _CIRCUIT_E:
        meter = poll.circuit
    else:
        meter = poll.mains
    bus = poll.bus
    # step 8 asked the export register when it set t back to 0 (import at t = 30)
    decode(poll.rows[0], step, bus.rx, bus.reply_at + _DATA_AT, meter,
           step == _MAINS_E and not poll.energy_t)
    if step == _MAINS_I or step == _EV_I or step == _CIRCUIT_I:
        out = meter.current_da
        evse = poll.evse
        if step == _MAINS_I:
            evse.mains_reading(out[0], out[1], out[2])
        elif step == _CIRCUIT_I:
            evse.circuit_reading(out[0], out[1], out[2])
        else:
            evse.ev_meter_reading(out[0], out[1], out[2])
