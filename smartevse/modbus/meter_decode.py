"""Decides what a meter reply says in dA, W and Wh (modbus.md 8.1, 8.3)."""

# Decides what a meter's reply says: per-phase currents in dA (signed), power in W and
# energies in Wh, from the data bytes of a read reply (modbus.md 8.1, 8.3).
#
# The decoders write into one meter's preallocated record (meter_poll.MeterData). Pure and
# allocation-free (values.py). Imported with the first meter that has a table row (the
# Sensorbox alone needs neither this nor meter_table: sensorbox.py).

from micropython import const

from smartevse.modbus.values import DT_INT32, ORDER_HBF_HWF, register_count, scaled, tdiv

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
