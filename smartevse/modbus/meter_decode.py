"""The kWh meters read by their table row: requests, and what a reply says (modbus.md 3, 8)."""

# Decides the requests to the meters that meter_table describes (every type of 8.2 but the
# Sensorbox, API and HomeWizard; the custom meter from its settings, 8.5) and what their
# replies say: per-phase currents in dA (signed), power in W and energies in Wh (8.1, 8.3),
# fed to the core for the mains meter (3 steps 1, 8, 17), the EV meter of controller k
# (steps 3, 4, 7; a node's EV meter is decoded by that node, 4.5) and the circuit
# (sub-panel) meter (steps 10, 11; decoded by its role, not by its address: modbus.md 9),
# through `evse.mains_reading` / `ev_meter_reading` / `circuit_reading` (charging.md 3.5).
#
# The decoders write into one meter's preallocated record (meter_poll.MeterData): pure and
# allocation-free (values.py). Imported by meter_poll with the first such meter, with the
# table: a controller with a Sensorbox alone never loads them (sensorbox.py).

from micropython import const

from smartevse.core.states import METER_CUSTOM
from smartevse.modbus import frame, meter_table
from smartevse.modbus.meter_poll import MeterData
from smartevse.modbus.values import DT_INT32, ORDER_HBF_HWF, register_count, scaled, tdiv

# the fields of a meter_table row read here (folded at compile time; tests check they match)
_FC = const(0)
_DT = const(1)
_ORDER = const(2)
_I_REG = const(3)
_I_DIV = const(4)
_I_COUNT = const(5)
_SIGN_AT = const(6)
_P_REG = const(7)
_P_DIV = const(8)
_P_DT = const(9)
_P_COUNT = const(10)
_E_REG = const(11)
_E_DIV = const(12)
_E_DT = const(13)
_EX_REG = const(14)
_PHASES = const(15)
_KIND = const(16)
_POWER_IN_CURRENTS = const(17)
_KIND_INVERTED = const(1)
_KIND_SOLAREDGE = const(2)
_KIND_SINOTIMER = const(3)
_KIND_ACREL_EV = const(4)
_KIND_ACREL_MAINS = const(5)
_ACREL_POWER_BLOCK_REG = const(356)
_ACREL_POWER_BLOCK_COUNT = const(8)
_DATA_AT = const(3)                      # address, function, byte count, then data
_IMPORT_AT_T = const(30)                 # step 8: import at t = 30, export at t = 60 (~120 s)
_EXPORT_AT_T = const(60)
# meter_poll's step ids (modbus.md 3 numbering)
_MAINS_I = const(1)
_EV_E = const(3)
_EV_P = const(4)
_EV_I = const(7)
_MAINS_E = const(8)
_CIRCUIT_I = const(10)
_CIRCUIT_E = const(11)
_ACREL_P = const(17)


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


class RowMeters:
    """The requests and replies of the table-row meters for one MeterPoll."""

    def __init__(self, poll):
        self._poll = poll
        self._custom = None              # the custom meter's row, rebuilt when its settings change
        self._rows = {}                  # meter type -> its row (at most mains, EV and circuit)
        self._row = None                 # the row of the request in flight
        self._export = False

    def settings_changed(self):
        self._custom = None              # an emcustom_ setting changed (8.5)

    def _meter_row(self, meter_type):
        if meter_type == METER_CUSTOM:
            if self._custom is None:
                self._custom = meter_table.custom_row(self._poll.values)
            return self._custom
        rows = self._rows                # built once per type (meter_table.row makes a tuple)
        row = rows.get(meter_type)
        if row is None:
            row = meter_table.row(meter_type)
            if row is not None:
                rows[meter_type] = row
        return row

    def prepare(self, step, sub, meter_type, address):
        """Build the request of `step` for a meter of `meter_type` at `address`; False: none."""
        row = self._meter_row(meter_type)
        if sub or row is None:
            return False
        self._row = row
        poll = self._poll
        if _EV_E <= step <= _EV_I:        # the records, made with their first request
            if poll.ev is None:
                poll.ev = MeterData()
        elif (step == _CIRCUIT_I or step == _CIRCUIT_E) and poll.circuit is None:
            poll.circuit = MeterData()
        fc = row[_FC]
        self._export = False
        if step == _MAINS_I or step == _EV_I or step == _CIRCUIT_I:
            register = row[_I_REG]
            count = row[_I_COUNT]
        elif step == _EV_P:
            if row[_POWER_IN_CURRENTS]:
                return False             # the current read brings it (3 step 4)
            register = row[_P_REG]
            count = row[_P_COUNT]
        elif step == _ACREL_P:
            if row[_KIND] != _KIND_ACREL_MAINS:
                return False
            fc = frame.FC_READ_HOLDING
            register = _ACREL_POWER_BLOCK_REG
            count = _ACREL_POWER_BLOCK_COUNT
        else:                            # energy: steps 3, 8 (at t = 30 / 60) and 11 (t = 0)
            register = row[_E_REG]
            count = meter_table.energy_count(row)
            if step == _MAINS_E:
                at = poll.energy_t
                if at == _EXPORT_AT_T:
                    poll.energy_t = 0
                    register = row[_EX_REG]
                    self._export = True
                if at != _IMPORT_AT_T and (at != _EXPORT_AT_T or register < 0):
                    return False
            elif step == _CIRCUIT_E and poll.energy_t:
                return False
        bus = poll.bus
        n = frame.build_read(bus.tx, address, fc, register, count)
        bus.start(n, address, fc, frame.reply_len(fc, count))
        return True

    def handle(self, step):
        """Decode the reply of the request made (a reply, CRC checked, is in poll.bus)."""
        poll = self._poll
        if poll.k and _EV_E <= step <= _EV_I:
            return                       # a node's EV meter: the node decodes it (4.5)
        bus = poll.bus
        rx = bus.rx
        at = bus.reply_at + _DATA_AT
        row = self._row
        if step == _EV_E or step == _EV_P or step == _EV_I:
            meter = poll.ev
        elif step == _CIRCUIT_I or step == _CIRCUIT_E:
            meter = poll.circuit
        else:
            meter = poll.mains
        if step == _ACREL_P:
            acrel_phase_powers(rx, at, meter)
        elif step == _EV_P:
            power(row, rx, at, meter)
        elif step == _MAINS_I or step == _EV_I or step == _CIRCUIT_I:
            currents(row, rx, at, meter)
            out = meter.current_da
            evse = poll.evse
            if step == _MAINS_I:
                evse.mains_reading(out[0], out[1], out[2])
            elif step == _CIRCUIT_I:
                evse.circuit_reading(out[0], out[1], out[2])
            else:
                evse.ev_meter_reading(out[0], out[1], out[2])
        else:
            energy(row, rx, at, meter, self._export)
