"""A node as a Modbus slave: the controller register map of modbus.md 5 read and written by
another talker on the simulated bus, and bad frames (issue: bad input)."""

import pytest

from sim import Simulation
from sim.bus import HostRs485
from smartevse.modbus.frame import append_crc


def _frame(hex_text):
    body = bytearray.fromhex(hex_text.replace(" ", ""))
    buf = bytearray(len(body) + 2)
    buf[:len(body)] = body
    append_crc(buf, len(body))
    return bytes(buf)


@pytest.fixture
def bus():
    """Node 1 (address 2) alone with a client on the bus: the master is powered off."""
    s = Simulation({"current_max": 20}, nodes=2)
    s.power_cut()
    probe = HostRs485(s.bus)
    node = s.node(2)

    def ask(hex_text, raw=None):
        probe.write(raw if raw is not None else _frame(hex_text))
        s.advance(0.1)
        return probe.read() or b""
    return s, node, ask


def test_a_status_read_answers_state_errors_mode_and_max_current(bus):
    """Given a node with MAX 20 A, when a client reads FC04 0x0000 x 8, then the reply
    carries state A, no errors, Normal mode, access on, config changed and 20 A; with an
    EV on a 13 A cable: state COMM_B and 13 A (modbus.md 4.2, 5.1)."""
    s, node, ask = bus
    assert ask("02 04 0000 0008") == _frame("02 04 10 0000 0000 0000 0000 0000 0001 0001 0014")
    node.plant.cable(rating_a=13)
    node.plant.ev.pilot("B")
    s.advance(1)
    assert ask("02 04 0000 0008") == _frame("02 04 10 0004 0000 0000 0000 0000 0001 0001 000D")


def test_fc03_and_fc04_read_the_config_and_system_blocks_alike(bus):
    """Given a node, when a client reads its EV meter settings (0x0108 x 2) with FC03 and
    FC04 and MAINS (0x0204), then both give the settings' values (modbus.md 4.3, 5.2, 5.3)."""
    s, node, ask = bus
    assert ask("02 03 0108 0002") == _frame("02 03 04 0000 000C")
    assert ask("02 04 0108 0002") == _frame("02 04 04 0000 000C")
    assert ask("02 03 0204 0001") == _frame("02 03 02 0019")


@pytest.mark.parametrize("request_hex", ["02 04 0008 0008", "02 04 0020 0001", "02 03 0300 0001",
                                         "02 03 0200 0017"])
def test_reads_outside_a_block_get_exception_02(request_hex, bus):
    """Given a node, when a read crosses a block's end, asks for the write-only broadcast
    registers or an unmapped address, then it answers exception 0x02 (modbus.md 1.3, 5)."""
    s, node, ask = bus
    fc = request_hex.split()[1]
    assert ask(request_hex) == _frame("02 %02X 02" % (int(fc, 16) | 0x80))


def test_a_valid_setting_write_is_taken_echoed_and_flags_config_changed(bus):
    """Given a node, when a client writes MAX (0x0103) = 16 A with FC06, then it echoes the
    request, MAX is 16 A and register 0x0006 reads 1 (modbus.md 5, 5.2)."""
    s, node, ask = bus
    ask("02 06 0006 0000")
    assert ask("02 04 0006 0001") == _frame("02 04 02 0000")
    assert ask("02 06 0103 0010") == _frame("02 06 0103 0010")
    assert node.app.settings.values["current_max"] == 16
    assert ask("02 04 0006 0001") == _frame("02 04 02 0001")


@pytest.mark.parametrize("request_hex, code", [("02 06 0103 0063", 3),   # MAX 99 A: out of range
                                               ("02 06 0007 0010", 2),   # read-only max current
                                               ("02 06 0215 0010", 3),   # reserved register
                                               ("02 06 0030 0001", 2)])  # unmapped
def test_bad_writes_get_an_exception_and_change_nothing(request_hex, code, bus):
    """Given a node, when a client writes a value out of range, a read-only, reserved or
    unmapped register, then it answers the exception and no setting changes (modbus.md 5)."""
    s, node, ask = bus
    before = dict(node.app.settings.values)
    assert ask(request_hex) == _frame("02 86 %02X" % code)
    assert node.app.settings.values == before


def test_fc16_answers_the_number_of_registers_taken(bus):
    """Given a node, when a client writes MIN = 8 A and MAX = 99 A in one FC16, then MIN is
    taken, MAX is not, and the reply's quantity is 1 (modbus.md 5)."""
    s, node, ask = bus
    assert ask("02 10 0102 0002 04 0008 0063") == _frame("02 10 0102 0001")
    values = node.app.settings.values
    assert (values["current_min"], values["current_max"]) == (8, 20)


def test_frames_for_others_broadcast_reads_and_unknown_functions_get_no_answer(bus):
    """Given a node, when a client reads another address, sends FC04 to 0x09 or uses
    function 0x05, then nothing answers (modbus.md 1.1, 1.3)."""
    s, node, ask = bus
    assert ask("03 04 0000 0008") == b""
    assert ask("09 04 0000 0008") == b""
    assert ask("02 05 0000 FF00") == b""


def test_garbage_oversized_and_interleaved_frames_are_counted_and_change_nothing(bus):
    """Given a node, when bit-flipped, truncated, oversized and run-together frames arrive,
    then only the valid request in between is answered, the rest is counted as garbage and
    no setting changes (issue 8 "Bad input")."""
    s, node, ask = bus
    before = dict(node.app.settings.values)
    good = _frame("02 03 0103 0001")
    flipped = bytearray(_frame("02 06 0103 0010"))
    flipped[4] ^= 0x01
    oversized = bytes(300)
    assert ask(None, raw=bytes(flipped)) == b""
    assert ask(None, raw=oversized) == b""
    s.advance(0.5)                                   # 300 bytes take 312 ms on the wire
    assert ask(None, raw=b"\x02\x06\x01" + good) == _frame("02 03 02 0014")
    assert node.app.settings.values == before
    counters = node.observe()["modbus"]["node"]
    assert counters["garbage_bytes"] > 300 and counters["answered"] == 1
    assert node.observe()["fault"] is None


def test_a_setting_written_over_modbus_survives_a_power_cut(bus):
    """Given a node, when a client writes MAX = 16 A and the node later loses power, then
    after power-on MAX is still 16 A: writes to settings are persisted (modbus.md 5)."""
    s, node, ask = bus
    assert ask("02 06 0103 0010") == _frame("02 06 0103 0010")
    s.advance(65)                                   # the NVM is written at most once a minute
    node.power_cut()
    node.power_on()
    assert node.app.settings.values["current_max"] == 16


def test_the_solar_stop_timer_register_takes_the_masters_timer_and_refuses_beyond_60_min(bus):
    """Given a node, when a client writes 0x0004 = 120 s (the master's solar stop timer,
    charging.md 2.10 step 5), then the node echoes it, reads it back and counts it down;
    a value above 3600 s (STOP at most 60 min) gets exception 0x03 and changes nothing
    (modbus.md 5.1)."""
    s, node, ask = bus
    assert ask("02 06 0004 0078") == _frame("02 06 0004 0078")
    assert node.observe()["solar_stop_timer_s"] == 120
    s.advance(2)
    assert 117 <= node.observe()["solar_stop_timer_s"] < 120
    timer_s = node.observe()["solar_stop_timer_s"]
    assert ask("02 04 0004 0001") == _frame("02 04 02 %04X" % timer_s)
    assert ask("02 06 0004 0E11") == _frame("02 86 03")
    assert node.observe()["solar_stop_timer_s"] <= timer_s


# Every writable setting register of modbus.md 5.2 / 5.3 with its range as the spec writes
# it (by hand here, so a wrong row of the firmware's map fails): (register, min, max). The
# bus role (0x0104, 0..8) is only refused past 8 here: taking it changes the node's role;
# the reserved 0x0215 is a bad write above. The mains meter type goes to 0 before its
# address, which a Sensorbox would force to 10.
SETTING_RANGES = [(0x0100, 0, 1), (0x0101, 0, 2), (0x0102, 6, 16), (0x0103, 6, 80),
                  (0x0105, 0, 7), (0x0106, 0, 1), (0x0108, 0, 21), (0x0109, 11, 247),
                  (0x0200, 0, 2), (0x0201, 10, 160), (0x0202, 0, 1), (0x0203, 0, 2),
                  (0x0204, 10, 200), (0x0205, 0, 48), (0x0206, 0, 60), (0x0207, 0, 48),
                  (0x0208, 0, 21), (0x0209, 10, 247), (0x020A, 0, 3), (0x020B, 0, 2),
                  (0x020C, 3, 4), (0x020D, 0, 65530), (0x020E, 0, 7), (0x020F, 0, 65530),
                  (0x0210, 0, 7), (0x0211, 0, 65534), (0x0212, 0, 7), (0x0213, 0, 65534),
                  (0x0214, 0, 7)]


def test_every_setting_register_refuses_one_past_its_range_and_takes_its_limits(bus):
    """Given a node, when a client writes each setting register of modbus.md 5.2/5.3 one
    below its minimum and one above its maximum, then each answers exception 0x03 and no
    setting changes; when it writes the minimum and the maximum, each is echoed and reads
    back (modbus.md 5, 5.2, 5.3)."""
    s, node, ask = bus
    for register, low, high in SETTING_RANGES:
        for bad in ([low - 1] if low > 0 else []) + [high + 1]:
            before = dict(node.app.settings.values)
            write = "02 06 %04X %04X" % (register, bad)
            assert ask(write) == _frame("02 86 03"), write
            assert node.app.settings.values == before, write
        for good in (high, low):
            write = "02 06 %04X %04X" % (register, good)
            assert ask(write) == _frame(write), write
            assert ask("02 03 %04X 0001" % register) == _frame("02 03 02 %04X" % good), write
    assert ask("02 06 0104 0009") == _frame("02 86 03")
    assert node.app.settings.values["loadbl"] == 2


def test_the_whole_configuration_and_system_blocks_read_as_the_spec_lists_them(bus):
    """Given a node with MAX 20 A and every other setting at the spec's default, when a
    client reads the node block 0x0100 x 10 and the system block 0x0200 x 22 (the most a
    read takes), then each register holds its setting in the spec's order, the reserved
    0x0215 reading 0 (modbus.md 5.2, 5.3)."""
    s, node, ask = bus
    config = [0, 0, 6, 20, 2, 0, 0, 0, 0, 12]          # ... MAX 20, LoadBl 2 (Node 1), EV meter 12
    system = [0, 16, 0, 0, 25, 4, 10, 0, 1, 10, 0, 0, 4] + [0] * 9
    assert ask("02 03 0100 000A") == _frame("02 03 14" + "".join("%04X" % v for v in config))
    assert ask("02 04 0200 0016") == _frame("02 04 2C" + "".join("%04X" % v for v in system))
