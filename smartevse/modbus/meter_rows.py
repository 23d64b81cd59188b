"""The kWh meters read by a table row: the table, requests, replies (modbus.md 3, 8)."""

# Decides how each supported meter is read (modbus.md 8.2, 8.3; the custom meter 8.5) and
# what its replies say: per-phase currents in dA (signed), power in W and energies in Wh
# (8.1, 8.3), fed to the core for the mains meter (3 steps 1, 8, 17), the EV meter of
# controller k (steps 3, 4, 7; a node's EV meter is decoded by that node, 4.5) and the
# circuit (sub-panel) meter (steps 10, 11; decoded by its role, not by its address:
# modbus.md 9), through `evse.mains_reading` / `ev_meter_reading` / `circuit_reading`
# (charging.md 3.5). Every type of 8.2 but the Sensorbox, API and HomeWizard has a row.
#
# Imported by meter_poll with the first such meter (a Sensorbox alone never loads it) and
# by a node with its EV meter. On the device every identifier of a .py file is interned,
# and every function costs its objects: one module, few functions, short names. The
# decoders write into one meter's preallocated record (meter_poll.MeterData): pure and
# allocation-free (values.py).

from micropython import const

from smartevse.modbus.frame import build_read
from smartevse.modbus.meter_poll import MeterData
from smartevse.modbus.values import register_count, scaled, tdiv

# A row is a tuple of 18 ints, one per meter type id (the setting value; ids never move),
# read through these indexes (sim/meters.py reads them too).
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
_FIELDS = const(18)

_KIND_PLAIN = const(0)
_KIND_INVERTED = const(1)      # Eastron mounted reversed: powers negated, energies swapped
_KIND_SOLAREDGE = const(2)     # SunSpec scale factors after the values
_KIND_SINOTIMER = const(3)     # power = sum of three INT16 phase powers
_KIND_ACREL_EV = const(4)      # current signed by the last measured power
_KIND_ACREL_MAINS = const(5)   # currents signed by the per-phase power block (FC3 356 x 8)

_ACREL_POWER_BLOCK_REG = const(356)
_ACREL_POWER_BLOCK_COUNT = const(8)
_NONE = const(-1)
_METER_CUSTOM = const(19)                # core/states.py METER_CUSTOM (8.5)

# values.py's data types and order, frame.py's functions (tests check they match)
_DT_INT32 = const(0)
_DT_FLOAT32 = const(1)
_DT_INT16 = const(2)
_DT_UINT32 = const(4)
_DT_UINT64 = const(5)
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

# The table is packed once at import into one bytes object: per row its type id, then the
# fields, registers (_WIDE) in 2 bytes big-endian, the others in 1 byte, both signed as
# -256..-1 (-1 = none). 17 rows x 23 B instead of 17 tuples of 18 objects; the literal
# and the packer are garbage once packed.
_WIDE = const(0x4888)                    # 1 << _I_REG | 1 << _P_REG | 1 << _E_REG | 1 << _EX_REG
_ROW_BYTES = const(23)


def _pack(rows):
    out = bytearray(_ROW_BYTES * len(rows))
    at = 0
    for meter_type in sorted(rows):
        out[at] = meter_type
        at += 1
        f = 0
        for value in rows[meter_type]:
            if _WIDE >> f & 1:
                out[at] = value >> 8 & 0xFF
                at += 1
            out[at] = value & 0xFF
            at += 1
            f += 1
    return bytes(out)


# globals, not consts: a tuple of constants alone would be kept as a constant of the module
_F = _DT_FLOAT32
_I16 = _DT_INT16
_I32 = _DT_INT32
_U32 = _DT_UINT32
# id: (_FC, _DT, _ORDER, _I_REG, _I_DIV, _I_COUNT, _SIGN_AT, _P_REG, _P_DIV, _P_DT, _P_COUNT,
#      _E_REG, _E_DIV, _E_DT, _EX_REG, _PHASES, _KIND, _POWER_IN_CURRENTS)
_TABLE = _pack({
    2: (4, _I32, 2, 0x000C, 3, 6, _NONE, 0x0028, 1, _I32, 2, 0x003E, 1, _I32, _NONE, 3, 0, 0),
    3: (4, _F, 3, 0x100E, 0, 6, _NONE, 0x1026, 0, _F, 2, 0x1106, 3, _F, 0x110E, 3, 0, 0),
    4: (4, _F, 3, 0x0006, 0, 12, 6, 0x0034, 0, _F, 2, 0x0048, 0, _F, 0x004A, 3, 0, 1),
    5: (4, _F, 3, 0x0006, 0, 12, 6, 0x0034, 0, _F, 2, 0x0048, 0, _F, 0x004A, 3,
        _KIND_INVERTED, 1),
    6: (3, _I32, 3, 0x5B0C, 2, 16, 10, 0x5B14, 2, _I32, 2, 0x5000, 2, _DT_UINT64, 0x5004, 3, 0,
        1),
    7: (3, _I16, 3, 40191, 0, 4, _NONE, 40206, 0, _I16, 5, 40234, 3, _I32, 40226, 3,
        _KIND_SOLAREDGE, 0),
    8: (3, _F, 3, 0x500C, 0, 6, _NONE, 0x5012, -3, _F, 2, 0x600C, 0, _F, 0x6018, 3, 0, 0),
    10: (4, _F, 3, 0x0006, 0, 12, 6, 0x000C, 0, _F, 2, 0x0048, 0, _F, 0x004A, 3, 0, 1),
    11: (4, _F, 3, 2516, 0, 20, 14, 2536, 0, _F, 2, 2752, 3, _U32, 2756, 3, 0, 1),
    12: (4, _I16, 3, 0x0003, 2, 3, _NONE, 0x0008, 0, _I16, 3, 0x0027, 2, _I32, 0x0031, 3,
         _KIND_SINOTIMER, 0),
    14: (3, _F, 3, 0x0BB7, 0, 60, 54, 0x0BF3, -3, _F, 2, 0xB02B, 0, _F, 0xB02D, 3, 0, 1),
    15: (3, _F, 3, 0x200C, 3, 14, 8, 0x2012, 1, _F, 2, 0x101E, 0, _F, 0x1028, 3, 0, 0),
    16: (4, _I32, 2, 0x000C, 3, 6, _NONE, 0x0028, 1, _I32, 2, 0x0034, 1, _I32, 0x004E, 3, 0, 0),
    17: (3, _F, 3, 0x0016, 0, 6, _NONE, 0x001C, -3, _F, 2, 0x0108, 0, _F, 0x0110, 3, 0, 0),
    18: (3, _U32, 3, 0x0139, 3, 2, _NONE, 0x0140, 0, _U32, 2, 0xA000, 2, _U32, _NONE, 1, 0, 0),
    20: (3, _I16, 3, 0x0065, 2, 1, _NONE, 0x0166, 0, _I32, 2, 0x0089, 2, _I32, _NONE, 1,
         _KIND_ACREL_EV, 0),
    21: (3, _I16, 3, 0x0064, 2, 3, _NONE, 0x016A, 0, _I32, 2, 0x0000, 2, _I32, _NONE, 3,
         _KIND_ACREL_MAINS, 0),
})
del _pack, _F, _I16, _I32, _U32


def row(meter_type, v=None):
    """The row of a meter type (the custom meter's from the settings `v`, 8.5), or None
    (Disabled, Sensorbox, API, HomeWizard)."""
    # A new tuple each call: the callers keep the one of their meter type.
    if meter_type == _METER_CUSTOM:   # currents at the standard offsets, no sign, no export
        dtype = v["emcustom_datatype"]
        regs = register_count(dtype)
        return (v["emcustom_function"], dtype, v["emcustom_endianness"],
                v["emcustom_i_register"], v["emcustom_i_divisor"], 3 * regs, _NONE,
                v["emcustom_p_register"], v["emcustom_p_divisor"], dtype, regs,
                v["emcustom_e_register"], v["emcustom_e_divisor"], dtype, _NONE, 3,
                _KIND_PLAIN, 0)
    data = _TABLE
    at = 0
    while at < len(data):
        if data[at] != meter_type:
            at += _ROW_BYTES
            continue
        out = [0] * _FIELDS
        for f in range(_FIELDS):
            at += 1
            value = data[at]
            if _WIDE >> f & 1:
                at += 1
                value = value << 8 | data[at]
                if value >= 0xFF00:
                    value -= 0x10000
            elif value >= 0x80:
                value -= 0x100
            out[f] = value
        return tuple(out)
    return None


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


class RowMeters:
    """The requests and replies of the table-row meters for one MeterPoll."""

    def __init__(self, poll):
        self.poll = poll
        self.custom = None               # the custom meter's row, None when its settings change
        self.rows = {}                   # meter type -> its row (at most mains, EV and circuit)
        self.row = None                  # the row of the request in flight
        self.export = False

    def prepare(self, step, sub, meter_type, address):
        """Build the request of `step` for a meter of `meter_type` at `address`; False: none."""
        poll = self.poll
        if meter_type == _METER_CUSTOM:
            r = self.custom
            if r is None:
                r = self.custom = row(meter_type, poll.values)
        else:
            r = self.rows.get(meter_type)    # built once per type (row() makes a tuple)
            if r is None:
                r = row(meter_type)
                if r is not None:
                    self.rows[meter_type] = r
        if sub or r is None:
            return False
        self.row = r
        if _EV_E <= step <= _EV_I:        # the records, made with their first request
            if poll.ev is None:
                poll.ev = MeterData()
        elif (step == _CIRCUIT_I or step == _CIRCUIT_E) and poll.circuit is None:
            poll.circuit = MeterData()
        fc = r[_FC]
        self.export = False
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
                    poll.energy_t = 0
                    register = r[_EX_REG]
                    self.export = True
                if at != _IMPORT_AT_T and (at != _EXPORT_AT_T or register < 0):
                    return False
            elif step == _CIRCUIT_E and poll.energy_t:
                return False
        bus = poll.bus
        n = build_read(bus.tx, address, fc, register, count)
        # reads carry 2 bytes per register (frame.reply_len)
        bus.start(n, address, fc, 5 + 2 * count)
        return True

    def handle(self, step):
        """Decode the reply of the request made (a reply, CRC checked, is in poll.bus)."""
        poll = self.poll
        if poll.k and _EV_E <= step <= _EV_I:
            return                       # a node's EV meter: the node decodes it (4.5)
        if step == _EV_E or step == _EV_P or step == _EV_I:
            meter = poll.ev
        elif step == _CIRCUIT_I or step == _CIRCUIT_E:
            meter = poll.circuit
        else:
            meter = poll.mains
        bus = poll.bus
        decode(self.row, step, bus.rx, bus.reply_at + _DATA_AT, meter, self.export)
        if step == _MAINS_I or step == _EV_I or step == _CIRCUIT_I:
            out = meter.current_da
            evse = poll.evse
            if step == _MAINS_I:
                evse.mains_reading(out[0], out[1], out[2])
            elif step == _CIRCUIT_I:
                evse.circuit_reading(out[0], out[1], out[2])
            else:
                evse.ev_meter_reading(out[0], out[1], out[2])
