"""A real client: pymodbus (pinned) reads a simulated node's register map and writes its
settings over a socat pty pair, the node on the pty through `Simulation(rs485=PORT)`, the
simulator's real serial port (issue 8 items 5 and 6; modbus.md 5)."""

import os
import subprocess
import sys
import threading
import time

import pytest

from sim import Simulation

pytest.importorskip("pymodbus")
from pymodbus import FramerType  # noqa: E402
from pymodbus.client import ModbusSerialClient  # noqa: E402

from pty_pair import close_pair, open_pair  # noqa: E402


@pytest.fixture
def ptys(tmp_path):
    client_port, evse_port, socat = open_pair(tmp_path, ("client", "evse"))
    yield client_port, evse_port
    close_pair(socat)


def _on_wall_time(sim, work, timeout_s=10.0):
    """Run `work()` in a thread while the simulation follows the wall clock in 10 ms passes
    (a real bus keeps real time); returns what `work` returned."""
    out = []
    thread = threading.Thread(target=lambda: out.append(work()), daemon=True)
    start = time.monotonic()
    sim_start = sim.time_s
    thread.start()
    while thread.is_alive() and time.monotonic() - start < timeout_s:
        behind = (time.monotonic() - start) - (sim.time_s - sim_start)
        if behind >= 0.01:
            sim.advance(0.01)
        else:
            time.sleep(0.002)
    thread.join(timeout=1)
    return out[0] if out else None


def test_pymodbus_reads_a_nodes_registers_and_writes_its_settings(ptys):
    """Given a simulated node (Node 1, address 2, MAX 20 A) on a real serial port, when
    pymodbus reads the status block, writes MAX = 16 A and then MAX = 99 A, then the status
    block is state A / Normal / 20 A, the first write is echoed and taken, the second gets
    exception 0x03 and MAX stays 16 A (modbus.md 5.1, 5.2)."""
    client_port, evse_port = ptys
    s = Simulation({"loadbl": 2, "current_max": 20}, rs485=evse_port)
    client = ModbusSerialClient(client_port, framer=FramerType.RTU, baudrate=9600,
                                timeout=1, retries=0)

    def work():
        client.connect()
        status = client.read_input_registers(0, count=8, device_id=2)
        taken = client.write_register(0x0103, 16, device_id=2)
        refused = client.write_register(0x0103, 99, device_id=2)
        config = client.read_holding_registers(0x0100, count=10, device_id=2)
        client.close()
        return status, taken, refused, config

    status, taken, refused, config = _on_wall_time(s, work)
    assert not status.isError() and status.registers[:8] == [0, 0, 0, 0, 0, 1, 1, 20]
    assert not taken.isError() and taken.registers == [16]
    assert refused.isError() and refused.exception_code == 3
    assert config.registers[2:5] == [6, 16, 2]        # MIN, MAX, PWR SHARE Node 1
    assert s.app.settings.values["current_max"] == 16


def test_python_m_sim_rs485_answers_a_real_client_on_a_pty(ptys, tmp_path):
    """Given `python -m sim --rs485 PTY` with PWR SHARE Node 1 from a config file, when
    pymodbus reads its status block and config block over the pty, then the node answers
    with its values (issue 8 item 6; modbus.md 5.1, 5.2)."""
    client_port, evse_port = ptys
    config = tmp_path / "node.toml"
    config.write_text("loadbl = 2\n")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.Popen([sys.executable, "-m", "sim", "--rs485", evse_port, "--config",
                             str(config), "--quiet"], cwd=root, stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    client = ModbusSerialClient(client_port, framer=FramerType.RTU, baudrate=9600,
                                timeout=1, retries=3)   # retries: while the simulator boots
    try:
        client.connect()
        status = client.read_input_registers(0, count=8, device_id=2)
        config_block = client.read_holding_registers(0x0100, count=10, device_id=2)
    finally:
        client.close()
        proc.terminate()                    # runs on real time until stopped
        _, stderr = proc.communicate(timeout=10)
    assert status.registers == [0, 0, 0, 0, 0, 1, 1, 13]
    assert config_block.registers[4] == 2 and config_block.registers[9] == 12
    assert "Traceback" not in stderr
