"""A half-copied update never runs (docs/architecture.md "Firmware update").

`smartevse/startup/manifest.py` detects a missing, truncated or altered file; `code.py`'s boot
decision (`smartevse.startup.safemode.boot`) then runs the safe mode: contactors open, pilot at
+12 V, "update incomplete" on the display, and the firmware is never imported.
"""
import os
import runpy
import sys
import types
import zlib

import pytest

from smartevse.startup import manifest
from smartevse.startup import safemode

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FILES = {
    "code.py": b"print('hi')\n",
    "smartevse/core/evse.py": b"STATE_A = 0\n" * 400,          # > one 1024-byte chunk
    "lib/adafruit_ticks.py": b"def ticks_ms():\n    return 0\n",
}


def make_tree(root, files=FILES, version="9.9.9"):
    for rel, data in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    text = manifest.build(str(root), sorted(files), version)
    with open(os.path.join(root, manifest.MANIFEST_NAME), "w") as f:
        f.write(text)
    return str(root)


def test_complete_tree_verifies(tmp_path):
    """Given a tree and its manifest, when verified, then nothing is reported."""
    assert manifest.verify(make_tree(tmp_path)) is None


def test_manifest_records_size_and_crc32_read_in_chunks(tmp_path):
    """Given a file larger than the read buffer, when listed, then size and CRC32 cover it whole."""
    import json

    root = make_tree(tmp_path)
    data = json.load(open(os.path.join(root, manifest.MANIFEST_NAME)))
    entry = [e for e in data["files"] if e[0] == "smartevse/core/evse.py"][0]
    body = FILES["smartevse/core/evse.py"]
    assert entry == ["smartevse/core/evse.py", len(body), "%08x" % zlib.crc32(body)]
    assert data["version"] == "9.9.9" and data["format"] == 1


def test_missing_file_is_detected(tmp_path):
    """Given a copy that never reached one file, when verified, then 'missing <file>'."""
    root = make_tree(tmp_path)
    os.remove(os.path.join(root, "lib/adafruit_ticks.py"))
    assert manifest.verify(root) == "missing lib/adafruit_ticks.py"


def test_truncated_file_is_detected(tmp_path):
    """Given a file cut short by an interrupted copy, when verified, then 'size mismatch'."""
    root = make_tree(tmp_path)
    path = os.path.join(root, "smartevse/core/evse.py")
    with open(path, "r+b") as f:
        f.truncate(1500)
    assert manifest.verify(root) == "size mismatch smartevse/core/evse.py"


def test_one_changed_byte_is_detected(tmp_path):
    """Given a file with one byte changed (same size), when verified, then 'crc mismatch'."""
    root = make_tree(tmp_path)
    path = os.path.join(root, "smartevse/core/evse.py")
    data = bytearray(open(path, "rb").read())
    data[2000] ^= 0x01
    open(path, "wb").write(data)
    assert manifest.verify(root) == "crc mismatch smartevse/core/evse.py"


def test_checkout_without_manifest_runs_normally(tmp_path):
    """Given a development checkout (no manifest.json), when verified, then None, unless required."""
    (tmp_path / "code.py").write_text("x = 1\n")
    assert manifest.verify(str(tmp_path)) is None
    assert manifest.verify(str(tmp_path), required=True) == "missing manifest.json"


def test_half_written_manifest_is_detected(tmp_path):
    """Given a manifest cut short, when verified, then 'manifest unreadable'."""
    root = make_tree(tmp_path)
    path = os.path.join(root, manifest.MANIFEST_NAME)
    text = open(path).read()
    open(path, "w").write(text[: len(text) // 2])
    assert manifest.verify(root) == "manifest unreadable"


def test_stale_source_shadowing_a_compiled_module_is_detected(tmp_path):
    """Given x.mpy shipped and an old x.py left on the drive, when verified, then 'stale x.py'
    (CircuitPython would import the old .py first)."""
    root = make_tree(tmp_path, {"code.py": b"x\n", "smartevse/core/evse.mpy": b"C\x06..."})
    (tmp_path / "smartevse" / "core" / "evse.py").write_text("OLD = 1\n")
    assert manifest.verify(root) == "stale smartevse/core/evse.py"


# ---------------------------------------------------------------- code.py's boot decision

class FakePart:
    value = True


class FakePilot:
    def __init__(self):
        self.duty_1024 = 0
        self.connected = False

    def set_duty(self, duty_1024):
        self.duty_1024 = duty_1024

    def connect(self, connected):
        self.connected = connected


class FakeLed:
    rgb = None

    def show(self, r, g, b):
        self.rgb = (r, g, b)


class FakeDisplay:
    root_group = None
    refreshed = 0

    def refresh(self):
        self.refreshed += 1


class FakeBoard:
    def __init__(self):
        self.contactor1 = FakePart()
        self.contactor2 = FakePart()
        self.pilot = FakePilot()
        self.led = FakeLed()
        self.display = FakeDisplay()


class Tripwire(types.ModuleType):
    """A module that fails the test when anything is taken from it."""

    def __getattr__(self, name):
        raise AssertionError(f"{self.__name__}.{name} was imported")


@pytest.fixture
def code_py(monkeypatch):
    """code.py's functions, with the firmware modules replaced by tripwires."""
    monkeypatch.setitem(sys.modules, "smartevse.app", Tripwire("smartevse.app"))
    monkeypatch.setitem(sys.modules, "smartevse.hal.device_board",
                        Tripwire("smartevse.hal.device_board"))
    return runpy.run_path(os.path.join(REPO, "code.py"), run_name="code_under_test")


def test_half_copied_update_runs_safe_mode_and_never_imports_the_app(tmp_path, code_py):
    """Given an update copied half-way (one file truncated), when code.py boots, then safe mode:
    contactors open, pilot connected at duty 1024, LED red, 'update incomplete' shown, and
    smartevse.app is never imported (docs/architecture.md "Firmware update")."""
    root = make_tree(tmp_path)
    with open(os.path.join(root, "smartevse/core/evse.py"), "r+b") as f:
        f.truncate(100)
    board = FakeBoard()
    reason = safemode.boot(root, code_py["start_app"], lambda: board, passes=1)
    assert reason == "size mismatch smartevse/core/evse.py"
    assert board.contactor1.value is False and board.contactor2.value is False
    assert board.pilot.duty_1024 == 1024 and board.pilot.connected is True
    assert board.led.rgb == (255, 0, 0)
    texts = [label.text for label in board.display.root_group]
    assert texts[:3] == ["update incomplete", "size mismatch", "smartevse/core/evse.py"[-21:]]  # the tail of a long path
    assert board.display.refreshed == 1


def test_complete_update_starts_the_app(tmp_path, monkeypatch):
    """Given a complete tree, when code.py boots, then it builds the device board and runs the app."""
    ran = []
    board_module = types.ModuleType("smartevse.hal.device_board")
    board_module.DeviceBoard = FakeBoard
    app_module = types.ModuleType("smartevse.app")

    def build_app(board, clock_epoch=None):
        loop = types.SimpleNamespace(run_forever=lambda: ran.append(board))
        return types.SimpleNamespace(run_forever=loop.run_forever, loop=loop)

    app_module.build_app = build_app
    monkeypatch.setitem(sys.modules, "smartevse.hal.device_board", board_module)
    monkeypatch.setitem(sys.modules, "smartevse.app", app_module)
    code = runpy.run_path(os.path.join(REPO, "code.py"), run_name="code_under_test")
    root = make_tree(tmp_path)
    assert safemode.boot(root, code["start_app"], code["safe_target"], passes=1) is None
    assert len(ran) == 1 and isinstance(ran[0], FakeBoard)


def test_safe_mode_without_display_still_holds_outputs():
    """Given a board without a display, when safe mode runs, then the outputs are still safe."""
    board = FakeBoard()
    board.display = None
    board.contactor1.value = True
    safemode.run_safe_mode(board, "missing lib/x.py", passes=3, sleep=lambda s: None)
    assert board.contactor1.value is False and board.pilot.duty_1024 == 1024


def test_a_firmware_that_fails_to_start_holds_safe_shows_why_and_resets(tmp_path):
    """Given a complete tree whose app raises at start, when code.py boots, then the
    outputs are held safe with "firmware error" and the exception shown, then the
    controller resets (docs/architecture.md: safety never depends on the firmware starting)."""
    root = make_tree(tmp_path)
    board = FakeBoard()
    resets = []

    def start_app():
        raise OSError("I2C bus stuck")

    reason = safemode.boot(root, start_app, lambda: board, passes=1,
                           reset=lambda: resets.append(True))
    assert reason == "OSError: I2C bus stuck" and resets == [True]
    assert board.contactor1.value is False and board.pilot.duty_1024 == 1024
    texts = [label.text for label in board.display.root_group]
    assert texts[0] == "firmware error" and "I2C bus stuck" in " ".join(texts)
