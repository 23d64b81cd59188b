"""The pure folders import no adapter, no clock and no socket (docs/architecture.md "Layers,
and which way imports go"; issue 6 item 7). Imports are read with `ast`, so an import
inside a function or a try block counts too."""

import ast
import os

import pytest

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PURE_FOLDERS = ("smartevse/core", "smartevse/regulation", "smartevse/settings", "smartevse/api",
                "smartevse/modbus", "smartevse/ocpp")
# smartevse/modbus: framing and decoding are pure; the UART transaction machine and the
# poll scheduler take now_ms and do wrap-safe ticks arithmetic (docs/architecture.md "Layers").
NOT_PURE = ("smartevse/modbus/transaction.py", "smartevse/modbus/meter_poll.py",
            "smartevse/modbus/node_link.py")
FORBIDDEN = ("smartevse.hal", "sim", "time", "socket", "socketpool", "adafruit_ticks")


def _pure_modules():
    for folder in PURE_FOLDERS:
        for name in sorted(os.listdir(os.path.join(_ROOT, folder))):
            if name.endswith(".py") and folder + "/" + name not in NOT_PURE:
                yield folder + "/" + name


def _imported_names(path, root):
    with open(os.path.join(root, path)) as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            for alias in node.names:        # `from smartevse import hal` names the package too
                yield node.module + "." + alias.name


def forbidden_imports(path, root=_ROOT):
    """The forbidden modules that `path` imports (themselves or a submodule)."""
    return sorted({bad for name in _imported_names(path, root)
                   for bad in FORBIDDEN if name == bad or name.startswith(bad + ".")})


@pytest.mark.parametrize("path", list(_pure_modules()))
def test_pure_module_imports_no_adapter_clock_or_socket(path):
    """Given a module of core/, regulation/, settings/ or api/, when its imports are
    parsed, then none is smartevse.hal, sim, time, socket(pool) or adafruit_ticks."""
    assert forbidden_imports(path) == []


def test_the_layering_check_sees_a_forbidden_import(tmp_path):
    """Given a module that imports a ticks helper inside a function and the HAL by
    `from smartevse import hal`, then the check names both (the test can fail)."""
    source = "def f():\n    from adafruit_ticks import ticks_ms\nfrom smartevse import hal\n"
    (tmp_path / "bad.py").write_text(source)
    assert forbidden_imports("bad.py", str(tmp_path)) == ["adafruit_ticks", "smartevse.hal"]


def test_every_pure_folder_is_checked():
    """Given the pure folders, then each holds modules the check reads (no silent empty set)."""
    folders = {path.rsplit("/", 1)[0] for path in _pure_modules()}
    assert folders == set(PURE_FOLDERS)


# The screen and menu models are pure too: values and button events in, text out; only
# ui/oled.py, ui/textline.py and ui/font.py touch displayio.
PURE_UI = ("ui/menu.py", "ui/screens.py", "ui/when.py", "ui/backlight.py", "ui/icons.py",
           "ui/layout.py", "ui/fmt.py", "ui/status.py", "ui/status_view.py", "ui/error_screen.py",
           "ui/menu_screen.py",
           "ui/phases.py")


@pytest.mark.parametrize("path", PURE_UI)
def test_pure_ui_model_imports_no_adapter_clock_or_displayio(path):
    """Given a screen or menu model of ui/, when its imports are parsed, then none is an
    adapter, the clock, a socket, displayio or bitmaptools (the menu is a pure model)."""
    names = set(_imported_names(path, _ROOT))
    assert forbidden_imports(path) == []
    assert not {name for name in names if name.split(".")[0] in ("displayio", "bitmaptools",
                                                                   "keypad", "ui.oled")}
