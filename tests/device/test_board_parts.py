"""The host board implements exactly the parts of the device board (docs/architecture.md
"Layers"; smartevse/hal/board.py lists them)."""

import ast
import os
import re

from sim import Simulation

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def documented_parts():
    text = open(os.path.join(ROOT, "smartevse", "hal", "board.py")).read()
    block = text.split("A board object carries these attributes:")[1].split("`display`")[0]
    return set(re.findall(r"[a-z_0-9]+", block))


def device_parts():
    tree = ast.parse(open(os.path.join(ROOT, "smartevse", "hal", "device_board.py")).read())
    board = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "DeviceBoard")
    init = next(n for n in board.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
    parts = set()
    for node in ast.walk(init):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                and isinstance(node.value, ast.Name) and node.value.id == "self" \
                and not node.attr.startswith("_"):
            parts.add(node.attr)
    return parts


def host_parts():
    board = Simulation().board
    public = {name for name in vars(board) if not name.startswith("_")}
    return public | {"ticks_ms", "collect"}


def test_device_and_host_boards_have_the_documented_parts():
    """Given smartevse/hal/board.py's list, then DeviceBoard and HostBoard each carry exactly
    those parts."""
    documented = documented_parts()
    assert len(documented) >= 15
    assert device_parts() == documented
    assert host_parts() == documented
