"""The requests each meter type gets, as modbus.md 8.2/8.3 write them (written out here
by hand, so a wrong row of the firmware's table fails), and replies decoded from bytes
laid out by hand."""

import struct

import pytest

from smartevse.modbus import frame, meter_rows as t, values
from smartevse.core import states
from smartevse.modbus.meter_poll import MeterData
from smartevse.modbus.sensorbox import Sensorbox
from smartevse.modbus.meter_poll import MeterPoll
from smartevse.modbus.transaction import Transaction
from smartevse.settings.live import Settings

# id: (FC, current register, count) of 8.3 "current request"
CURRENT_REQUESTS = {
    2: (4, 0x000C, 6), 3: (4, 0x100E, 6), 4: (4, 0x0006, 12), 5: (4, 0x0006, 12),
    6: (3, 0x5B0C, 16), 7: (3, 40191, 4), 8: (3, 0x500C, 6), 10: (4, 0x0006, 12),
    11: (4, 2516, 20), 12: (4, 0x0003, 3), 14: (3, 0x0BB7, 60), 15: (3, 0x200C, 14),
    16: (4, 0x000C, 6), 17: (3, 0x0016, 6), 18: (3, 0x0139, 2), 20: (3, 0x0065, 1),
    21: (3, 0x0064, 3),
}
# id: (import register, export register or None, registers per energy read) of 8.2
ENERGY = {
    2: (0x003E, None, 2), 3: (0x1106, 0x110E, 2), 4: (0x0048, 0x004A, 2),
    5: (0x0048, 0x004A, 2), 6: (0x5000, 0x5004, 4), 7: (40234, 40226, 2),
    8: (0x600C, 0x6018, 2), 10: (0x0048, 0x004A, 2), 11: (2752, 2756, 2),
    12: (0x0027, 0x0031, 2), 14: (0xB02B, 0xB02D, 2), 15: (0x101E, 0x1028, 2),
    16: (0x0034, 0x004E, 2), 17: (0x0108, 0x0110, 2), 18: (0xA000, None, 2),
    20: (0x0089, None, 2), 21: (0x0000, None, 2),
}


class _Uart:
    def __init__(self):
        self.written = []

    in_waiting = 0

    def write(self, buf):
        self.written.append(bytes(buf))
        return len(buf)


def _requests(settings, seconds):
    """The frames the master sends in `seconds` of poll cycles with a silent bus."""
    values = Settings()
    for key, value in settings.items():
        values.set(key, value)
    uart = _Uart()
    poll = MeterPoll(values, None, Transaction(uart))
    for now_ms in range(0, seconds * 1000, 5):
        poll.step(now_ms)
    return [(f[0], f[1], f[2] << 8 | f[3], f[4] << 8 | f[5]) for f in uart.written]


@pytest.mark.parametrize("meter_type", sorted(CURRENT_REQUESTS))
def test_the_ev_meter_gets_energy_power_and_current_requests_of_its_type(meter_type):
    """Given an EV meter of each type at 12, when one 2 s cycle runs on a silent bus, then
    the master asks energy import, power (unless the current read brings it: Eastron,
    ABB, Finder 7M, Schneider) and currents, in the order of modbus.md 3 (steps 3, 4, 7)."""
    fc, reg, count = CURRENT_REQUESTS[meter_type]
    imp, _, e_count = ENERGY[meter_type]
    sent = _requests({"mains_meter_type": 0, "ev_meter_type": meter_type,
                      "ev_meter_address": 12}, 1)
    assert sent[0] == (12, fc, imp, e_count)
    assert sent[-1] == (12, fc, reg, count)
    assert len(sent) == (2 if meter_type in (4, 5, 6, 10, 11, 14) else 3)


@pytest.mark.parametrize("meter_type", sorted(ENERGY))
def test_the_mains_meter_energy_is_read_every_120_s(meter_type):
    """Given a mains meter of each type at 11, when 122 s of cycles run, then import
    energy is asked at cycle 30 and export (where the meter has it) at cycle 60 (3 step 8)."""
    imp, exp, e_count = ENERGY[meter_type]
    sent = _requests({"mains_meter_type": meter_type, "mains_meter_address": 11}, 122)
    energy = [r for r in sent if r[2] in (imp, exp) and r[3] == e_count
              and r[2] != CURRENT_REQUESTS[meter_type][1]]
    assert [r[2] for r in energy] == ([imp, exp] if exp is not None else [imp])


def test_the_sensorbox_is_first_read_with_20_registers():
    """Given the Sensorbox, then the first read is FC4 0x0000 x 20 at 0x0A (8.4: 32 only
    once it reported a version >= 1)."""
    assert _requests({"mains_meter_type": 1}, 1)[0] == (0x0A, 4, 0, 20)


def _f32(*values):
    return b"".join(struct.pack(">f", v) for v in values)


def test_phoenix_reads_word_swapped_int32_milliamps():
    """Given Phoenix EEM-350 words low first (HBF_LWF) 12345 mA, -678 mA, 0, then 123,
    -6, 0 dA (8.3: mA INT32 word-swapped)."""
    def swapped(v):
        big = struct.pack(">i", v)
        return big[2:] + big[:2]
    meter = MeterData()
    t.decode(t.row(2), 7, swapped(12345) + swapped(-678) + swapped(0), 0, meter, False)
    assert meter.current_da == [123, -6, 0]


def test_abb_energy_takes_the_low_32_bits_of_its_64_bit_counter():
    """Given ABB's 64-bit import counter 0x00000000_0001E240 (1234.56 kWh in 0.01 kWh),
    then 1234560 Wh (8.3)."""
    meter = MeterData()
    t.decode(t.row(6), 3, struct.pack(">Q", 123456), 0, meter, False)
    assert meter.import_wh == 1234560


def test_solaredge_currents_use_the_sunspec_scale_factor():
    """Given SolarEdge I1..I3 = 1234, 567, 89 with SF -2, then 123, 56, 8 dA (8.3)."""
    meter = MeterData()
    t.decode(t.row(7), 7, struct.pack(">hhhh", 1234, 567, 89, -2), 0, meter, False)
    assert meter.current_da == [123, 56, 8]


def test_sinotimer_power_is_the_sum_of_three_phase_powers():
    """Given Sinotimer phase powers 1000, -200, 300 W (INT16), then 1100 W (8.3)."""
    meter = MeterData()
    t.decode(t.row(12), 4, struct.pack(">hhh", 1000, -200, 300), 0, meter, False)
    assert meter.power_w == 1100


def test_a_reversed_eastron_negates_its_powers_and_swaps_its_energies():
    """Given type 5 reading 10 A on L1 with +2300 W, then the current is -10 A, and its
    import register is taken as export (8.2 InvEastrn)."""
    meter = MeterData()
    t.decode(t.row(5), 7, _f32(10.0, 0.0, 0.0, 2300.0, 0.0, 0.0), 0, meter, False)
    assert meter.current_da == [-100, 0, 0] and meter.power_w == -2300
    t.decode(t.row(5), 3, _f32(42.0), 0, meter, False)
    assert meter.export_wh == 42000 and meter.import_wh == 0


def test_a_sensorbox_without_new_data_is_no_reading_and_ct_currents_double_above_100_a():
    """Given a Sensorbox reply with flags 0, then no reading; with CT data and MAINS
    above 100 A, then the CT currents are doubled (8.4)."""
    words = bytearray(40)
    words[0:2] = b"\x00\x14"
    words[28:40] = _f32(5.0, 6.0, -7.0)
    box = Sensorbox({})
    out = [0, 0, 0]
    v = {"grid": 0, "current_main": 25, "sb2_wifi_mode": 0}
    assert box.decode(words, 0, 20, out, v) is False
    words[3] = 0x03
    assert box.decode(words, 0, 20, out, v) is True
    assert out == [50, 60, -70]
    v["current_main"] = 150
    box.decode(words, 0, 20, out, v)
    assert out == [100, 120, -140]


def test_the_constants_the_device_modules_copy_match_their_owners():
    """Given meter_rows, meter_table and node read rows, data types and step ids through their own
    compile-time constants (a MicroPython const is folded only in its own module; the
    bundle folds private ones into their values), when compared, then each equals its
    owner's: a row field or step id of meter_rows / meter_poll of the same name, a data
    type, order, function or status of values.py / frame.py / transaction.py, a number
    of core/states.py, health.py or settings/changes.py of the name without "_"."""
    from smartevse.modbus import meter_poll, meter_table, node
    checked = 0
    for module, owner in ((node, t), (t, meter_poll), (meter_table, t)):
        for name, value in vars(module).items():
            if name.startswith("_") and name.isupper() and hasattr(owner, name) \
                    and not name.startswith("__"):
                assert value == getattr(owner, name), (module.__name__, name)
                checked += 1
    assert checked >= 14
    from smartevse import health
    from smartevse.modbus import sensorbox, transaction
    from smartevse.settings import changes
    owners = (values, frame, states, transaction, health, changes)
    copies = 0
    for module in (t, meter_table, meter_poll, node, sensorbox, transaction):
        for name, value in vars(module).items():
            owner = next((m for m in owners if m is not module and name[:1] == "_"
                          and name[1:2] != "_" and hasattr(m, name[1:])), None)
            if owner is not None:
                assert value == getattr(owner, name[1:]), (module.__name__, name)
                copies += 1
    assert copies >= 28
