"""Decides what a meter reply says in dA, W and Wh (modbus.md 8.1, 8.3, 8.4)."""

# Decides what a meter's reply says: per-phase currents in dA (signed), power in W and
# energies in Wh, from the data bytes of a read reply (modbus.md 8.1, 8.3, 8.4).
#
# `MeterData` is one meter's record, preallocated; the decoders write into it and return
# whether the reply counts as a reading. Pure and allocation-free (values.py).

from micropython import const

from smartevse.modbus.values import DT_FLOAT32, DT_INT32, ORDER_HBF_HWF, register_count, scaled, tdiv

# the fields of a meter_table row read here (folded at compile time; tests check they match)
_DT = const(1)
_ORDER = const(2)
_I_DIV = const(4)
_SIGN_AT = const(6)
_P_DIV = const(8)
_P_DT = const(9)
_E_DIV = const(12)
_E_DT = const(13)
_PHASES = const(15)
_KIND = const(16)
_KIND_INVERTED = const(1)
_KIND_SOLAREDGE = const(2)
_KIND_SINOTIMER = const(3)
_KIND_ACREL_EV = const(4)
_KIND_ACREL_MAINS = const(5)

_SB_P1_PRESENT = const(0x80)
_SB_P1_CURRENTS_REG = const(8)        # 8.4: P1 currents L1..L3 (A)
_SB_CT_CURRENTS_REG = const(14)       # 8.4: CT currents L1..L3 (A, signed)
_SB_CT_DOUBLING_ABOVE_A = const(100)  # MAINS > 100 A: 200 A : 50 mA CTs assumed
_SB_GRID_SUPPORT = const(0x10)


class MeterData:
    """What the controller last read from one meter."""

    def __init__(self):
        self.current_da = [0, 0, 0]
        self.phase_power_w = [0, 0, 0]
        self.power_w = 0
        self.import_wh = 0
        self.export_wh = 0
        self.readings = 0              # current readings taken
        self.sb_version = 0            # Sensorbox software version (reg 0 high byte)
        self.sb_registers = 20         # Sensorbox read size learned from the version (8.4)
        self.sb_grid_write = -1        # GRID bits the Sensorbox should be sent, or -1


def currents(row, buf, at, meter):
    """The current reply's data at buf[at] -> meter.current_da (dA). Always a reading."""
    # Meters that sign currents by power also give their phase powers and total (8.1).
    dtype = row[_DT]
    order = row[_ORDER]
    step = 2 * register_count(dtype)
    k = row[_I_DIV] - 3                           # to mA (8.1)
    kind = row[_KIND]
    if kind == _KIND_SOLAREDGE:                   # current SF after I1..I3 (8.3)
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
        meter.power_w = power_w                    # the meter's measured power (8.1)
    meter.readings += 1
    return True


def power(row, buf, at, meter):
    """The power reply's data -> meter.power_w (W)."""
    dtype = row[_P_DT]
    order = row[_ORDER]
    kind = row[_KIND]
    if kind == _KIND_SINOTIMER:                   # three INT16 phase powers, summed
        total = 0
        for phase in range(3):
            total += scaled(buf, at + 2 * phase, dtype, order, row[_P_DIV])
        meter.power_w = total
        return
    k = row[_P_DIV]
    if kind == _KIND_SOLAREDGE:                   # W_SF at 40210 (SunSpec; 8.3)
        k = -scaled(buf, at + 8, dtype, order, 0)
    value = scaled(buf, at, dtype, order, k)
    meter.power_w = -value if kind == _KIND_INVERTED else value


def energy(row, buf, at, meter, export):
    """An energy reply's data -> meter.import_wh or export_wh (Wh)."""
    # A reversed Eastron reads its import at the export register and vice versa (8.3).
    value = scaled(buf, at, row[_E_DT], row[_ORDER], row[_E_DIV] - 3)
    if export != (row[_KIND] == _KIND_INVERTED):
        meter.export_wh = value
    else:
        meter.import_wh = value


def acrel_phase_powers(buf, at, meter):
    """The Acrel power block (FC3 356 x 8: Pa, Pb, Pc, total; INT32 W) -> meter (8.3)."""
    # It signs the next current reading and gives the measured power.
    for phase in range(3):
        meter.phase_power_w[phase] = scaled(buf, at + 4 * phase, DT_INT32, ORDER_HBF_HWF, 0)
    meter.power_w = scaled(buf, at + 12, DT_INT32, ORDER_HBF_HWF, 0)


def sensorbox(buf, at, meter, mains_a, grid):
    """A Sensorbox reply (8.4) -> meter.current_da; False: no new data."""
    # Flags 0: no new data, the mains timeout is not reloaded. P1 currents when present,
    # else the CT currents, doubled when MAINS > 100 A. The version sets the read size.
    flags = buf[at + 3]
    version = buf[at]
    meter.sb_version = version
    meter.sb_registers = 32 if version >= 1 else 20
    if flags == 0:
        return False
    reg = _SB_P1_CURRENTS_REG if flags & _SB_P1_PRESENT else _SB_CT_CURRENTS_REG
    # A v2 with CT grid support (reg 0 low byte >= 0x10) measuring with its CTs is told
    # the GRID setting when its wiring bits differ (bit 1 = 3-wire; 8.4 register 0x0800).
    status = buf[at + 1]
    meter.sb_grid_write = -1
    if status >= _SB_GRID_SUPPORT and reg == _SB_CT_CURRENTS_REG and status & 3 != grid << 1:
        meter.sb_grid_write = grid << 1
    double = reg == _SB_CT_CURRENTS_REG and mains_a > _SB_CT_DOUBLING_ABOVE_A
    out = meter.current_da
    for phase in range(3):
        ma = scaled(buf, at + 2 * reg + 4 * phase, DT_FLOAT32, ORDER_HBF_HWF, -3)
        if double:
            ma *= 2
        out[phase] = tdiv(ma, 100)
    meter.readings += 1
    return True
