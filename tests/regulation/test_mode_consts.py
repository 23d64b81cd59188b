"""The Smart/Solar modules keep private copies of a few core constants (folded on the
device, so no global and no interned name each; issue 9 "On the device"): they must equal
the originals in core/states.py."""
import ast
import os

import pytest

from smartevse.core import states

REGULATION = os.path.join(os.path.dirname(__file__), "..", "..", "smartevse", "regulation")


def _private_consts(module):
    with open(os.path.join(REGULATION, module + ".py")) as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", "") == "const"):
            name = node.targets[0].id
            if name.startswith("_") and hasattr(states, name[1:]):
                yield name[1:], node.value.args[0].value


@pytest.mark.parametrize("module", ["setpoint", "solar", "priority"])
def test_private_copies_equal_core_states(module):
    """Given a modes module, when its private copies of core constants are read, then each
    equals core/states.py's value (charging.md 0: the state and mode numbers)."""
    copies = dict(_private_consts(module))
    assert copies
    for name, value in copies.items():
        assert value == getattr(states, name), (module, name)
