"""`python -m sim` as a process (issue 7 items 1, 4): a pipe, a script's exit status,
SIGTERM with --nvm, a closed pipe, options refused. The few cases that need a real
process; everything else drives the loop in-process (test_cli_session.py)."""

import os
import signal
import subprocess
import sys

import pytest

from sim.simulation import Simulation
from smartevse.settings.nvm import NVM_SIZE

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sim(*args, stdin="", **kw):
    return subprocess.run([sys.executable, "-m", "sim", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=60, **kw)


def test_piped_commands_print_the_charging_state():
    """Given `printf 'plug 32\\ncharge\\nwait 3\\nget\\nquit\\n' | python -m sim` (at 20x),
    then stdout shows the change to Charging and get's JSON, and the status is 0."""
    proc = sim("--speed", "20", stdin="plug 32\ncharge\nwait 3\nget\nquit\n")
    assert proc.returncode == 0, proc.stderr
    assert 'state C "Charging"' in proc.stdout and '"state": "Charging (C2)"' in proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_script_that_fails_a_wait_exits_with_1(tmp_path):
    """Given a script whose `wait until` times out, then the run ends with the script
    and exits 1; the same script with a reachable state exits 0."""
    script = tmp_path / "s.txt"
    script.write_text("plug 32\nwait until charging 3\n")
    assert sim("--script", str(script)).returncode == 1
    script.write_text("plug 32\ncharge\nwait until charging 3\nwait 1000\n")
    proc = sim("--script", str(script))
    assert proc.returncode == 0 and "reached" in proc.stdout
    assert sim("--batch", stdin="plug 32\nwait until C1 1\n").returncode == 1


def test_sigterm_stops_cleanly_and_keeps_the_settings(tmp_path):
    """Given a live run with --nvm and MAX 16 set, when SIGTERM arrives, then the process
    exits 0 and the NVM file boots with MAX 16."""
    nvm = tmp_path / "nvm.bin"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "--nvm", str(nvm)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    proc.stdin.write("set MAX 16\n")
    proc.stdin.flush()
    for line in proc.stdout:                 # the reply proves the command ran
        if "MAX (current_max) = 16 A" in line:
            break
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in err
    assert Simulation(nvm=nvm.read_bytes()).app.settings.values["current_max"] == 16


def test_a_closed_pipe_stops_quietly():
    """Given output piped into a reader that closes at once, when the simulator prints,
    then it stops without a traceback."""
    proc = subprocess.run(f"{sys.executable} -m sim --batch --speed max | head -c 1",
                          shell=True, input="plug 32\ncharge\nwait 5\nget\n", capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert "Traceback" not in proc.stderr and "Broken pipe" not in proc.stderr


@pytest.mark.parametrize("args,words", [
    (["--speed", "0"], ["--speed", "greater than 0"]),
    (["--speed", "fast"], ["--speed", "or max"]),
    (["--port", "70000"], ["--port", "0..65535"]),
    (["--nodes", "9"], ["--nodes", "1..8"]),
    (["--rs485", "/no/such/port"], ["--rs485", "/no/such/port"]),
    (["--rs485", "/dev/ttyUSB0", "--speed", "20"], ["--rs485", "real time"]),
    (["--duration", "-1"], ["--duration", "greater than 0"]),
    (["--script", "/no/such/file"], ["cannot read the script"]),
])
def test_options_refused_with_one_clear_line(args, words):
    """Given an option with a bad value or a part not built yet, then the process stops
    with status 2 and a message naming the option, no traceback."""
    proc = sim(*args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    for word in words:
        assert word in proc.stderr


@pytest.mark.parametrize("text,words", [
    ("MAX = 99\n", ["MAX", "6..80"]),
    ("[plant]\ncabel = 32\n", ["cabel"]),
    ("[plant]\ncable = 99\n", ["cable", "13, 20, 32 or 63"]),
    ("[plant]\nload_da = 5\n", ["load_da", "[L1, L2, L3]"]),
    ("MAX = [1, 2]\n", ["MAX", "not a table or list"]),
    ("MAX = \n", ["not valid TOML"]),
])
def test_a_bad_config_file_is_reported_in_one_line(tmp_path, text, words):
    """Given a config file with a bad value, key or syntax, then the process stops with
    status 2 and one line naming the problem."""
    path = tmp_path / "bad.toml"
    path.write_text(text)
    proc = sim("--config", str(path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    for word in words:
        assert word in proc.stderr


def test_a_wrong_size_nvm_file_is_reported_and_boots_on_defaults(tmp_path):
    """Given an --nvm file of 100 bytes, then the run says it is not an NVM image, boots
    on defaults (MAX 13 A) and the first save replaces it with a proper image."""
    nvm = tmp_path / "nvm.bin"
    nvm.write_bytes(b"\x00" * 100)
    proc = sim("--nvm", str(nvm), "--batch", stdin="get --raw\nset MIN 8\n")
    assert proc.returncode == 0 and "100 bytes, not a 8192-byte NVM image" in proc.stderr
    assert '"current_max": 13' in proc.stdout
    assert len(nvm.read_bytes()) == NVM_SIZE


def test_a_corrupt_nvm_file_is_reported_and_boots_on_defaults(tmp_path):
    """Given an --nvm file of the right size full of garbage, then the firmware's boot
    message is shown and the controller runs on defaults."""
    nvm = tmp_path / "nvm.bin"
    nvm.write_bytes(bytes(range(256)) * (NVM_SIZE // 256))
    proc = sim("--nvm", str(nvm), "--batch", stdin="get --raw\n")
    assert proc.returncode == 0 and "boot:" in proc.stderr
    assert '"current_max": 13' in proc.stdout
