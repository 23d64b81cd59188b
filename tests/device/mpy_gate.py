"""Runs device code under a real MicroPython 1.27 (WebAssembly, Node) for the device gate.

docs/architecture.md "A real MicroPython for the device code". The MicroPython file system holds
the device tree at `/` (code.py, boot.py, smartevse/, ui/), and in `/lib` the pinned
Adafruit libraries (pure Python, copied from the venv) and the stand-ins for CircuitPython's
C modules (tests/device/standins/). The build's `.frozen` path is dropped, so a module
CircuitPython lacks fails to import as it would on the board.

A scenario is a driver script (tests/device/drivers/*.py) split into steps by lines
`#--- step`; a step that is just `#--- run /code.py` runs that file as `__main__` (its
own text as the step, so no driver frame sits under it on the pystack). Each step is one
`runPython` call: the build collects garbage only when a call returns, so heap figures
are read at the start of a step.
"""
import atexit
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PACKAGE = os.path.join(HERE, "node_modules", "@micropython", "micropython-webassembly-pyscript")
RUNNER = os.path.join(HERE, "mpy", "runner.mjs")
if REPO not in sys.path:
    sys.path.insert(0, REPO)
from tools.device_source import device_source, strip_docstrings  # noqa: E402  (as shipped)
DEFAULT_PYSTACK_BYTES = 1536          # CircuitPython's default pystack
# The pinned device libraries (requirements-device.txt), as importable tops.
LIBRARIES = ("adafruit_display_text", "adafruit_displayio_ssd1306", "adafruit_bitmap_font",
             "adafruit_ticks", "adafruit_logging", "adafruit_minimqtt",
             "adafruit_connection_manager", "adafruit_pn532", "adafruit_bus_device",
             "neopixel", "adafruit_pixelbuf", "adafruit_ntp")
_PRELUDE = ("import os, sys, time\nos.chdir('/')\n"
            "if '.frozen' in sys.path:\n    sys.path.remove('.frozen')\n"
            "import standin_plant\ntime.sleep = standin_plant.sleep\n"
            "time.monotonic_ns = standin_plant.monotonic_ns\n"
            "time.monotonic = standin_plant.monotonic\n")
_STEP = "#--- step"
_RUN = "#--- run "


class Unavailable(Exception):
    """Node or the pinned MicroPython package is missing: the reason, for the skip."""


def ensure_micropython():
    """Check Node and the package; install the pinned package with `npm ci` when absent."""
    node = shutil.which("node")
    if node is None:
        raise Unavailable("Node.js is not installed (the MicroPython gate needs node >= 18)")
    if not os.path.exists(os.path.join(PACKAGE, "micropython.mjs")):
        npm = shutil.which("npm")
        if npm is None:
            raise Unavailable("@micropython/micropython-webassembly-pyscript is not installed "
                              "and npm is missing (run `npm ci` in tests/device)")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise Unavailable("npm ci in tests/device failed: " + done.stderr.strip()[-300:])
    return node


def _shipped_copies(prefix, sources, transform, mount):
    """Write each (relative path, host path) of `sources` through `transform` into a
    temporary tree (removed at exit): [(MicroPython path mount + rel, host copy)]."""
    shipped = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, shipped, True)
    copies = []
    for rel, path in sources:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        target = os.path.join(shipped, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(transform(source))
        copies.append((mount + rel, target))
    return copies


def _device_files():
    """(MicroPython path, host path) of every device file, as the bundle ships it: docstrings
    out, private consts folded, line numbers kept (tools/device_source.py). Written once per
    test process."""
    global _SHIPPED
    if _SHIPPED is None:
        rels = ["code.py", "boot.py"]
        for pkg in ("smartevse", "ui"):
            for path in sorted(glob.glob(os.path.join(REPO, pkg, "**", "*.py"), recursive=True)):
                rels.append(os.path.relpath(path, REPO).replace(os.sep, "/"))
        _SHIPPED = _shipped_copies("smartevse-device-", [(rel, os.path.join(REPO, rel))
                                                         for rel in rels], device_source, "/")
    return _SHIPPED


_SHIPPED = None
_LIBS = None


def library_sources():
    """(relative path, host path) of every pinned library's .py file in site-packages."""
    site = next(p for p in sys.path if p.endswith("site-packages") and os.path.isdir(p))
    found = []
    for top in LIBRARIES:
        single = os.path.join(site, top + ".py")
        if os.path.exists(single):
            found.append((top + ".py", single))
            continue
        for path in sorted(glob.glob(os.path.join(site, top, "**", "*.py"), recursive=True)):
            found.append((os.path.relpath(path, site).replace(os.sep, "/"), path))
    return found


def _library_files():
    """The libraries as the bundle ships them (docstrings out, tools/bundle.py strip_tree),
    then the stand-ins and the simulator's device models."""
    global _LIBS
    if _LIBS is None:
        _LIBS = _shipped_copies("smartevse-lib-", library_sources(), strip_docstrings, "/lib/")
    files = list(_LIBS)
    standins = os.path.join(HERE, "standins")
    for path in sorted(glob.glob(os.path.join(standins, "**", "*.py"), recursive=True)):
        files.append(("/lib/" + os.path.relpath(path, standins).replace(os.sep, "/"), path))
    for name, rel in SIM_MODELS:
        files.append(("/lib/" + name + ".py", os.path.join(REPO, rel)))
    return files


# Far ends the simulator models and the stand-ins reuse (MicroPython-clean host code):
# importable name in /lib -> file. They count as stand-ins (not device heap).
SIM_MODELS = (("sim_pn532", "sim/pn532.py"),)


def standin_modules():
    """Importable names of the C-module stand-ins (tests/device/standins/)."""
    standins = os.path.join(HERE, "standins")
    names = []
    for path in sorted(glob.glob(os.path.join(standins, "**", "*.py"), recursive=True)):
        rel = os.path.relpath(path, standins)[:-3].replace(os.sep, ".")
        names.append(rel[:-len(".__init__")] if rel.endswith(".__init__") else rel)
    return names + [name for name, _ in SIM_MODELS]


def split_steps(source):
    """A driver's text as runPython steps (see the module docstring)."""
    steps = []
    current = []
    for line in source.splitlines():
        if line.startswith(_RUN):
            steps.append("\n".join(current))
            with open(os.path.join(REPO, line[len(_RUN):].strip().lstrip("/"))) as f:
                steps.append(f.read())
            current = []
        elif line.startswith(_STEP):
            steps.append("\n".join(current))
            current = []
        else:
            current.append(line)
    steps.append("\n".join(current))
    return [s for s in steps if s.strip()]


class Run:
    """The outcome of one driver: per step its console text and its error (or None)."""

    def __init__(self, steps):
        self.steps = steps

    @property
    def out(self):
        return "".join(s["out"] for s in self.steps)

    def errors(self):
        return [s["error"] for s in self.steps if s["error"]]

    def results(self):
        """Every `RESULT {json}` line the driver printed, merged into one dict."""
        found = {}
        for line in self.out.splitlines():
            if line.startswith("RESULT "):
                found.update(json.loads(line[len("RESULT "):]))
        return found


def qstr_fields(run, which=0):
    """The fields of the `which`-th `micropython.qstr_info()` line a run printed, as ints
    (n_pool, n_qstr, n_str_data_bytes, n_total_bytes), or None."""
    lines = [line for line in run.out.splitlines() if line.startswith("qstr pool:")]
    if len(lines) <= which:
        return None
    parts = (part.strip().split("=") for part in lines[which][10:].split(","))
    return {k: int(v) for k, v in parts}


def qstr_pools_b(run, which=0):
    """What the interned-name pools themselves take beyond 4 B per name, from
    `micropython.qstr_info()`: a pool that fills is followed by one twice its size, a step
    of up to ~20 KB that falls to whichever feature happens to intern the next name."""
    fields = qstr_fields(run, which)
    if fields is None:
        return 0
    return fields["n_total_bytes"] - fields["n_str_data_bytes"] - 4 * fields["n_qstr"]


QSTR_ENTRY_B = 6     # a name's entry in its pool on the device: pointer 4, hash 1, length 1
                     # (CircuitPython's MICROPY_QSTR_BYTES_IN_HASH is 1; this build's is 2)


def pool_step_b(run, base, which=0, which_base=0):
    """The interned-name pools' growth in `run` over `base` beyond the entries of the names
    added (QSTR_ENTRY_B each): a pool that fills is followed by one twice its size, whose
    empty entries are room for every later feature's names. A feature's figure counts its
    names at their entry cost and this step apart; the whole device's figure counts every
    step where it lands ("Device budget")."""
    added = qstr_fields(run, which)["n_qstr"] - qstr_fields(base, which_base)["n_qstr"]
    return (qstr_pools_b(run, which) - qstr_pools_b(base, which_base)
            - (QSTR_ENTRY_B - 4) * added)


def start(driver, pystack_bytes=DEFAULT_PYSTACK_BYTES, setup=""):
    """Start a driver (a file name in drivers/) in its own MicroPython; returns a Popen
    whose result `finish()` reads. `setup` is Python run before the driver's steps."""
    node = ensure_micropython()
    with open(os.path.join(HERE, "drivers", driver)) as f:
        steps = [_PRELUDE + setup] + split_steps(f.read())
    job = {"package": PACKAGE, "pystack_words": pystack_bytes // 4,
           "files": _device_files() + _library_files(), "steps": steps}
    proc = subprocess.Popen([node, RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.stdin.write(json.dumps(job))
    proc.stdin.close()
    return proc


def finish(proc):
    out = proc.stdout.read()
    err = proc.stderr.read()
    proc.wait()
    if proc.returncode != 0 or not out.strip():
        raise RuntimeError("MicroPython runner failed: " + err.strip()[-2000:])
    return Run(json.loads(out.splitlines()[-1])["steps"])


def run(driver, pystack_bytes=DEFAULT_PYSTACK_BYTES, setup=""):
    return finish(start(driver, pystack_bytes, setup))


# ---------------------------------------------------------------- pystack depth
# Device-equivalent depth: the smallest pystack at which a scenario runs to its end with
# every "pystack exhausted" raised inside a stand-in frame (on the device that code is C
# and uses no pystack). Found by bisection in 8-byte steps (the pystack's alignment). An
# exhaustion raised while *pushing* a stand-in frame shows a firmware frame innermost and
# counts against the firmware, so the figure errs high by at most one stand-in frame.
_TRACE = "PYSTACK-TRACE"
_TRACE_SETUP = """
import sys
from smartevse.app import App
from smartevse.health import Health

def _traced(original):
    def report(self, part, exc, *rest):
        if "pystack" in str(exc):
            print("%s" % "{0}")
            sys.print_exception(exc)
            print("%s" % "{0}-END")
        return original(self, part, exc, *rest)
    return report

App._report_fault = _traced(App._report_fault)
Health.failed = _traced(Health.failed)
""".replace("{0}", _TRACE)


def _standin_names():
    return {os.path.basename(p) for p in glob.glob(os.path.join(HERE, "standins", "**", "*.py"),
                                                  recursive=True)} | {
        name + ".py" for name, _ in SIM_MODELS}


def _source_line(path, tip):
    """The text of a traceback frame's line, from the host copy of the file."""
    line_no = int(tip.split("line ")[1].split(",")[0])
    if path.startswith("/lib/"):
        site = next(p for p in sys.path if p.endswith("site-packages") and os.path.isdir(p))
        host = os.path.join(site, path[len("/lib/"):])
    else:
        host = os.path.join(REPO, path.lstrip("/"))
    with open(host) as f:
        lines = f.read().splitlines()
    return lines[line_no - 1] if 0 < line_no <= len(lines) else ""


# Subscripts of objects that are C on the device and stand-ins here (a stand-in's
# __getitem__/__setitem__ is a Python frame): microcontroller.nvm.
_STANDIN_SUBSCRIPTS = ("nvm[", "sock.", "pool.")   # the socketpool stand-in (OCPP)


def _calls_standin(path, tip):
    """True when the frame's line calls a stand-in module's function by name (e.g.
    `bitmaptools.blit(`) or subscripts a stood-in C object (`self._nvm[...]`): the
    exhaustion is the push of a stand-in frame."""
    try:
        text = _source_line(path, tip)
    except (OSError, ValueError, IndexError, StopIteration):
        return False
    if any(subscript in text for subscript in _STANDIN_SUBSCRIPTS):
        return True
    return any(name[:-3] + "." in text for name in _standin_names() if name != "standin_plant.py")


def firmware_exhaustions(run):
    """The innermost frame of each exhaustion not inside a stand-in, plus 'incomplete'
    when the scenario did not reach its end."""
    found = []
    standins = _standin_names()
    inside = None
    for line in run.out.splitlines():
        if line == _TRACE:
            inside = []
        elif line == _TRACE + "-END":
            frames = [f for f in inside if f.strip().startswith("File ")]
            tip = frames[-1].strip() if frames else "?"
            path = tip.split('"')[1] if '"' in tip else tip
            inside_standin = path.startswith("/lib/") and os.path.basename(path) in standins
            if not inside_standin and not _calls_standin(path, tip):
                found.append(tip)
            inside = None
        elif inside is not None:
            inside.append(line)
    errors = run.errors()
    if "SAFE MODE" in run.out or not errors or "scenario over" not in errors[-1]:
        found.append("incomplete: " + (errors[-1].strip().splitlines()[-1] if errors else "?"))
    return found


# The scenarios whose deepest chain is measured: code.py as __main__ through the charge
# cycle and a fault, and through peripherals raising at any moment.
# modbus_share.py (a master's full poll round: Sensorbox, EV meter, nodes) covers the
# meter chains of modbus_poll.py too; modbus_node.py is the slave side.
# rest_api.py: a REST POST changing the mode from a top-level service, as the HTTP server
# calls routes.handle.
PYSTACK_SCENARIOS = ("charge_cycle.py", "faults_any_moment.py", "modbus_share.py",
                     "modbus_node.py", "modes_cycle.py", "menu_walk.py", "rest_api.py",
                     "rfid_tap.py", "ocpp_session.py",
                     "http_device.py", "mqtt_round.py", "ws_data_device.py", "p1_meter.py")


def deepest_pystack(driver, low=512, high=2048, probes=2):
    """(device-equivalent bytes, what failed 8 bytes below it) for one scenario driver.

    A k-ary search: `probes` pystack sizes run at once in separate MicroPython processes;
    `low` fails and `high` runs throughout."""
    failing = None
    while high - low > 8:
        step = max(8, (high - low) // (probes + 1) // 8 * 8)
        sizes = list(range(low + step, high, step))[:probes]
        procs = [start(driver, size, setup=_TRACE_SETUP) for size in sizes]
        outcomes = [firmware_exhaustions(finish(proc)) for proc in procs]
        for size, found in zip(sizes, outcomes):
            if found:
                low, failing = size, found
        high = min([size for size, found in zip(sizes, outcomes) if not found and size > low]
                   + [high])
    return high, failing


# ---------------------------------------------------------------- heap figures

# What the network scenario's clients send (heap.py REQUESTS): a GET and a POST of /settings.
NETWORK_REQUESTS = (b"GET /settings HTTP/1.1\r\nHost: x\r\n\r\n",
                    b"POST /settings?override_current=100 HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Length: 0\r\n\r\n")


def device_figures(with_pystack=False):
    """The device figures of the gate and `python -m bench`: live heap after boot and while
    charging with the stand-ins' own modules taken out (C on the device), the settings
    table's heap, bytes allocated per pass of each service, optionally the pystack depth."""
    setup = "STANDINS = %r\n" % standin_modules()
    base = setup + "RFID = False\nNET = False\n"
    # the whole device: Modbus with an EV meter, menu, RFID, HTTP answering, MQTT connected
    # and (the last run without it) OCPP in a transaction, all charging in one heap
    every_feature = (setup + "RS485 = True\nMENU = True\nRFID = True\nNET = True\nMQTT = True\n"
                     "EV_METER = True\nREQUESTS = %r\n" % (NETWORK_REQUESTS,))
    jobs = [start("heap.py", setup=base + "RS485 = True\nMENU = True\n"),
            start("heap.py", setup=base + "RS485 = False\nMENU = False\n"),
            start("heap.py", setup=base + "RS485 = False\nMENU = True\n"),
            start("table_heap.py"), start("modbus_heap.py"), start("modes_heap.py"),
            start("display_cost.py"), start("mqtt_heap.py"),
            start("heap.py", setup=setup + "RS485 = True\nMENU = True\nRFID = True\nNET = False\n"),
            start("heap.py", setup=setup + "RS485 = True\nMENU = True\nRFID = False\nNET = True\n"),
            start("heap.py", setup=setup + "RS485 = True\nMENU = True\nRFID = False\nNET = False\n"
                  "MQTT = True\n"),
            start("heap.py", setup=base + "RS485 = True\nMENU = True\nEV_METER = True\n"),
            start("heap.py", setup=setup + "RS485 = True\nMENU = True\nRFID = False\nNET = True\n"
                  "MQTT = True\nREQUESTS = %r\n" % (NETWORK_REQUESTS,)),
            start("heap.py", setup=every_feature + "OCPP = True\n"),
            start("heap.py", setup=every_feature)]
    runs = [finish(job) for job in jobs]
    heap, without_modbus, with_menu, table, modbus, modes, display, mqtt, with_rfid, with_http, \
        with_mqtt, with_ev, with_both, everything, all_but_ocpp = [run.results() for run in runs]
    # A feature's figure counts its interned names at their entry cost; the pool step its
    # names happen to trigger (pool_step_b) is the next features' room, shown beside it and
    # counted in the whole device's figure
    rfid_pool_step_b = pool_step_b(runs[8], runs[0])
    http_pool_step_b = pool_step_b(runs[9], runs[0])
    mqtt_pool_step_b = pool_step_b(runs[10], runs[0])
    network_pool_step_b = pool_step_b(runs[12], runs[0])
    found = {"heap_boot_b": heap["heap_boot"] - heap["heap_standins"],
             "heap_charging_b": heap["heap_charging"] - heap["heap_standins"],
             "heap_standins_b": heap["heap_standins"], "table_b": table["table_bytes"],
             "foundation_b": without_modbus["heap_charging"] - without_modbus["heap_standins"],
             "modbus_b":
             heap["heap_charging"] - with_menu["heap_charging"],
             # with an Eastron EV meter read too: meter_rows.py imported (issue 8)
             "modbus_ev_b": with_ev["heap_charging"] - with_menu["heap_charging"],
             "menu_b": with_menu["heap_charging"] - without_modbus["heap_charging"],
             "display": display,
             "modbus_modules_b": modbus["sizes"],
             "modes_b": modes["modes_bytes"], "modes_modules_b": modes["sizes"],
             "per_pass": heap["per_pass"], "charging_outputs": heap["charging"],
             # the PN532 reader, its driver and the whitelist, reader enabled (issue 12)
             "rfid_b": with_rfid["heap_charging"] - heap["heap_charging"] - rfid_pool_step_b,
             "rfid_pool_step_b": rfid_pool_step_b,
             "rfid_per_pass": with_rfid["per_pass"], "rfid_outputs": with_rfid["charging"],
             "http_b": with_http["heap_charging"] - with_http["heap_standins"]
             - (heap["heap_charging"] - heap["heap_standins"]) - http_pool_step_b,
             "http_pool_step_b": http_pool_step_b,
             "http_charging_outputs": with_http["charging"],
             "mqtt_b": with_mqtt["heap_charging"] - heap["heap_charging"] - mqtt_pool_step_b,
             "mqtt_pool_step_b": mqtt_pool_step_b,
             "heap_net_charging_b": with_mqtt["heap_charging"] - with_mqtt["heap_standins"],
             "mqtt_modules_b": mqtt["sizes"], "mqtt_imported_b": mqtt["mqtt_bytes"],
             "mqtt_state": with_mqtt["state"],
             # HTTP and MQTT together on Wi-Fi (issue 11 "On the device"): GET /settings and
             # a POST answered, the MQTT link connected through a publish round
             "network_b": with_both["heap_charging"] - with_both["heap_standins"]
             - (heap["heap_charging"] - heap["heap_standins"]) - network_pool_step_b,
             "network_pool_step_b": network_pool_step_b,
             "network_answers": with_both["answered"], "network_link": with_both["mqtt_link"],
             "network_outputs": with_both["charging"], "network_per_pass": with_both["per_pass"],
             # every feature in one heap ("Device budget": <= 350 KB), and what OCPP adds there,
             # after the other features grew the interned-name pool
             "all_features_b": everything["heap_charging"] - everything["heap_standins"],
             "all_features_ocpp_b": everything["heap_charging"] - everything["heap_standins"]
             - (all_but_ocpp["heap_charging"] - all_but_ocpp["heap_standins"]),
             "all_features_per_pass": everything["per_pass"],
             "all_features_outputs": everything["charging"],
             "all_features_answers": everything["answered"],
             "all_features_links": (everything["mqtt_link"], everything["ocpp_tx"])}
    if with_pystack:
        found["pystack_b"] = max(deepest_pystack(d)[0] for d in PYSTACK_SCENARIOS)
    return found
