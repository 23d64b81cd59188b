"""Real peers: pymodbus 3.16.1 acts as the meters on a pty pair (socat), and the
controller's Modbus master reads them through a pyserial UART (issue 8 item 5;
docs/architecture.md "Toolchain notes"). Values are encoded by pymodbus itself.
Without socat the module skips with the reason; under CI=true that skip fails."""

import asyncio
import threading
import time

import pytest

from smartevse.modbus.meter_poll import MeterPoll
from smartevse.modbus.transaction import Transaction
from smartevse.settings.live import Settings

from pty_pair import close_pair, open_pair, skip_or_fail

pymodbus = pytest.importorskip("pymodbus")
from pymodbus import FramerType  # noqa: E402
from pymodbus.client import ModbusSerialClient  # noqa: E402
from pymodbus.server import ModbusSerialServer  # noqa: E402
from pymodbus.simulator import DataType, SimData, SimDevice  # noqa: E402

F32 = ModbusSerialClient.DATATYPE.FLOAT32
I32 = ModbusSerialClient.DATATYPE.INT32
I16 = ModbusSerialClient.DATATYPE.INT16
regs = ModbusSerialClient.convert_to_registers


def test_without_socat_the_peers_skip_with_the_reason_and_fail_under_ci():
    """Given no socat, then a named skip, and a failure under CI=true."""
    with pytest.raises(pytest.skip.Exception, match="socat"):
        skip_or_fail("socat is not installed", {})
    with pytest.raises(pytest.fail.Exception, match="under CI"):
        skip_or_fail("socat is not installed", {"CI": "true"})


def _sensorbox():
    """Sensorbox v2 (8.4): version 1, CTs in use; CT currents 10.5, -3.0, 7.25 A; Wi-Fi
    connected in mode 1 at 10.0.0.7, portal password "secret12" (sent reversed); the
    write registers 0x0800 (grid) and 0x0801 (Wi-Fi mode)."""
    words = [0x0114, 0x0003] + [0] * 12
    for amps in (10.5, -3.0, 7.25):
        words += regs(amps, F32)
    words += [0] * (20 - len(words))
    words += [0x0301, 0x0E05, 0x0B1E, 0x1A01, 0x0A00, 0x0007, 0x1234, 0x5678]
    reversed_password = b"secret12"[::-1]
    words += [reversed_password[i] << 8 | reversed_password[i + 1] for i in range(0, 8, 2)]
    return SimDevice(id=10, simdata=[SimData(0, count=32, values=words,
                                             datatype=DataType.REGISTERS),
                                     SimData(0x0800, count=2, values=[0, 1],
                                             datatype=DataType.REGISTERS)])


def _eastron():
    """Eastron SDM630 (type 4): FC4 FLOAT32; I 0x0006.., P1..P3 0x000C.. (8.3), L2 exporting."""
    block = regs(16.0, F32) + regs(4.5, F32) + regs(8.0, F32) \
        + regs(3680.0, F32) + regs(-1035.0, F32) + regs(1840.0, F32)
    return SimDevice(id=11, simdata=[SimData(0x0006, count=12, values=block,
                                             datatype=DataType.REGISTERS)])


def _custom():
    """Custom meter (type 19): INT32 big endian on FC4, currents at 0x0100 in mA (d = 3)."""
    block = regs(12340, I32) + regs(5670, I32) + regs(890, I32)
    return SimDevice(id=30, simdata=[SimData(0x0100, count=6, values=block,
                                             datatype=DataType.REGISTERS)])


def _serve(devices, tmp_path_factory):
    """pymodbus serving `devices` on one end of a pty pair; yields the controller's UART."""
    meter_port, evse_port, socat = open_pair(tmp_path_factory.mktemp("pty"), ("meter", "evse"))
    loop = asyncio.new_event_loop()
    servers = []

    async def serve():                       # pymodbus builds its transport in the loop
        server = ModbusSerialServer(devices, framer=FramerType.RTU, port=meter_port,
                                    baudrate=9600)
        servers.append(server)
        await server.serve_forever()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    time.sleep(0.3)
    from sim.serial_uart import SerialUart
    uart = SerialUart(evse_port)
    yield uart
    uart.deinit()
    asyncio.run_coroutine_threadsafe(servers[0].shutdown(), loop).result(timeout=5)
    close_pair(socat)


@pytest.fixture(scope="module")
def meters(tmp_path_factory):
    yield from _serve([_sensorbox(), _eastron(), _custom()], tmp_path_factory)


class Readings:
    """The two commands of the core the poll feeds (evse.mains_reading / ev_meter_reading)."""

    def __init__(self):
        self.mains = None
        self.ev = None

    def mains_reading(self, l1, l2, l3):
        self.mains = [l1, l2, l3]

    def ev_meter_reading(self, l1, l2, l3):
        self.ev = [l1, l2, l3]


def _poll(uart, settings, until, timeout_s=2.0):
    """Run the master's poll on wall time until `until(readings)` or the timeout."""
    values = Settings()
    for key, value in settings.items():
        values.set(key, value)
    readings = Readings()
    poll = MeterPoll(values, readings, Transaction(uart))
    end = time.monotonic() + timeout_s
    while time.monotonic() < end and not until(readings):
        poll.step(int(time.monotonic() * 1000) & ((1 << 29) - 1))
        time.sleep(0.001)
    return readings, poll


def test_the_sensorbox_ct_currents_are_read_from_pymodbus(meters):
    """Given pymodbus as a Sensorbox v2 at 0x0A with CT currents 10.5 / -3.0 / 7.25 A,
    when the master polls, then 105, -30, 72 dA (8.4)."""
    readings, poll = _poll(meters, {"mains_meter_type": 1}, lambda r: r.mains)
    assert readings.mains == [105, -30, 72]
    assert poll.sensorbox.version == 1


def test_the_sensorbox_extended_registers_and_its_wifi_write_with_pymodbus(meters, monkeypatch):
    """Given pymodbus as a Sensorbox v2 on the network (10.0.0.7, Wi-Fi mode 1, password
    "secret12") and SB2 WIFI 0 (off) in the controller's settings, when the master polls,
    then the first 32-register reply is read (IP, password in order, connected) and adopts
    mode 1; as the settings still say 0, the next cycle writes FC06 0x0801 = 0, which
    pymodbus takes and echoes: no exception, no timeout (8.4)."""
    sent = []
    write = meters.write
    monkeypatch.setattr(meters, "write", lambda buf: sent.append(bytes(buf)) or write(buf))
    values = Settings()
    values.set("mains_meter_type", 1)
    values.set("sb2_wifi_mode", 0)
    poll = MeterPoll(values, Readings(), Transaction(meters))
    wifi_off = bytes.fromhex("0a0608010000")
    end = time.monotonic() + 8.0
    done_at = None
    while time.monotonic() < (end if done_at is None else done_at):
        poll.step(int(time.monotonic() * 1000) & ((1 << 29) - 1))
        if done_at is None and any(frame[:6] == wifi_off for frame in sent):
            done_at = time.monotonic() + 0.4          # time for the echo
        time.sleep(0.001)
    box = poll.sensorbox
    assert box.version == 1 and box.wifi_mode == 1 and box.live["sb2_connected"] is True
    assert bytes(box.ip) == bytes([10, 0, 0, 7]) and bytes(box.password) == b"secret12"
    assert done_at is not None
    bus = poll.bus
    assert bus.exceptions == 0 and bus.timeouts == 0 and bus.replies == bus.requests


def test_an_eastron_s_float_currents_are_signed_by_its_phase_powers(meters):
    """Given pymodbus as an Eastron SDM630 at 11 with 16.0 / 4.5 / 8.0 A and L2's power
    negative, when polled, then 160, -45, 80 dA and the summed power (8.1, 8.3)."""
    readings, poll = _poll(meters, {"mains_meter_type": 4, "mains_meter_address": 11},
                           lambda r: r.mains)
    assert readings.mains == [160, -45, 80]
    assert poll.mains.power_w == 3680 - 1035 + 1840


def test_the_custom_meter_is_read_as_its_settings_say(meters):
    """Given pymodbus as a custom INT32 big-endian meter on FC4 at 30, currents at 0x0100
    in mA, when the EV meter is set to it, then 123, 56, 8 dA (8.5)."""
    settings = {"mains_meter_type": 0, "ev_meter_type": 19, "ev_meter_address": 30,
                "emcustom_endianness": 3, "emcustom_datatype": 0, "emcustom_function": 4,
                "emcustom_i_register": 0x0100, "emcustom_i_divisor": 3}
    readings, poll = _poll(meters, settings, lambda r: r.ev)
    assert readings.ev == [123, 56, 8]
    assert poll.bus.exceptions >= 1            # energy/power registers 0: exception 02



# Every meter of modbus.md 8.2 read through its table row, each served by pymodbus at
# address 100 + its type id with its registers laid out by hand from 8.2/8.3 (not from
# the firmware's table): L1 16.0 A, L2 8.5 A, L3 6.25 A; where the meter signs its
# currents by its phase powers (8.1, 8.3), L2 is exporting.
U32 = ModbusSerialClient.DATATYPE.UINT32
SIGNED_DA = [160, -85, 62]
UNSIGNED_DA = [160, 85, 62]
AMPS = (16.0, 8.5, 6.25)
POWERS_W = (3680, -1955, 1437)


def _values(numbers, data_type, word_order="big"):
    out = []
    for number in numbers:
        out += regs(number, data_type, word_order=word_order)
    return out


# type: ({first register: registers}, dA read as mains meter, or as EV meter for type 20)
TABLE_METERS = {
    2: ({0x000C: _values((16000, 8500, 6250), I32, "little")}, UNSIGNED_DA),  # mA, words swapped
    3: ({0x100E: _values(AMPS, F32)}, UNSIGNED_DA),
    5: ({0x0006: _values(AMPS, F32),                              # mounted reversed: the
         0x000C: _values([-p for p in POWERS_W], F32)}, SIGNED_DA),  # powers read negated
    6: ({0x5B0C: _values((1600, 850, 625), I32),                  # 0.01 A; 0.01 W
         0x5B16: _values([100 * p for p in POWERS_W], I32)}, SIGNED_DA),
    7: ({40191: _values((160, 85, 62, -1), I16)}, UNSIGNED_DA),   # SunSpec SF -1: 0.1 A
    8: ({0x500C: _values(AMPS, F32)}, UNSIGNED_DA),
    10: ({0x0006: _values(AMPS, F32), 0x000C: _values(POWERS_W, F32)}, SIGNED_DA),
    11: ({2516: _values(AMPS, F32), 2530: _values(POWERS_W, F32)}, SIGNED_DA),
    12: ({0x0003: _values((1600, 850, 625), I16)}, UNSIGNED_DA),  # 0.01 A
    14: ({0x0BB7: _values(AMPS, F32),                             # powers in kW
          0x0BED: _values([p / 1000 for p in POWERS_W], F32)}, SIGNED_DA),
    15: ({0x200C: _values((16000.0, 8500.0, 6250.0), F32),        # mA; powers in 0.1 W
          0x2014: _values([10 * p for p in POWERS_W], F32)}, SIGNED_DA),
    16: ({0x000C: _values((16000, 8500, 6250), I32, "little")}, UNSIGNED_DA),
    17: ({0x0016: _values(AMPS, F32)}, UNSIGNED_DA),
    18: ({0x0139: _values((16000,), U32)}, [160, 0, 0]),          # one phase, mA
    20: ({0x0065: _values((1600,), I16),                          # phase B only, 0.01 A,
          0x0166: _values((3680,), I32)}, [160, 0, 0]),           # signed by the EV power
    21: ({0x0064: _values((1600, 850, 625), I16),                 # 0.01 A, signed by the
          356: _values(POWERS_W + (3162,), I32)}, SIGNED_DA),     # power block FC3 356 x 8
}


def _table_meter(meter_type):
    """One pymodbus device with the type's registers in one block, zeros in between."""
    at = TABLE_METERS[meter_type][0]
    first = min(at)
    words = [0] * (max(register + len(values) for register, values in at.items()) - first)
    for register, values in at.items():
        words[register - first:register - first + len(values)] = values
    return SimDevice(id=100 + meter_type, simdata=[SimData(first, count=len(words), values=words,
                                                           datatype=DataType.REGISTERS)])


@pytest.fixture(scope="module")
def table_meters(tmp_path_factory):
    yield from _serve([_table_meter(t) for t in sorted(TABLE_METERS)], tmp_path_factory)


@pytest.mark.parametrize("meter_type", sorted(TABLE_METERS))
def test_each_meter_type_served_by_pymodbus_reads_its_currents_in_deciamps(table_meters,
                                                                        meter_type):
    """Given pymodbus as a meter of `meter_type` with L1 16.0 A, L2 8.5 A, L3 6.25 A in
    its own data type, word order and unit (modbus.md 8.2, 8.3), L2 exporting where the
    meter signs currents by its phase powers, when the master polls it as the mains meter
    (the Acrel phase-B meter as the EV meter), then 160, 85 or -85, 62 dA (8.1)."""
    expected = TABLE_METERS[meter_type][1]
    address = 100 + meter_type
    if meter_type == 20:
        settings = {"mains_meter_type": 0, "ev_meter_type": 20, "ev_meter_address": address}
        readings, _ = _poll(table_meters, settings, lambda r: r.ev == expected, 5.0)
        assert readings.ev == expected
        return
    settings = {"mains_meter_type": meter_type, "mains_meter_address": address}
    readings, _ = _poll(table_meters, settings, lambda r: r.mains == expected, 5.0)
    assert readings.mains == expected
