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
