"""A closed charging core (issue 6 item 7; STYLE.md "one owner per decision"): outside
`smartevse/core/evse.py` no module assigns an attribute of the Evse (its machine,
core/machine.py, only assigns its own `self`), and outside
`smartevse/settings/` none writes `settings.values[...]`; they call commands instead.
Assignments are read with `ast` from every firmware and simulator module."""

import ast
import os

import pytest

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCANNED = ("smartevse", "sim", "ui")
EVSE_OWNER = "smartevse/core/evse.py"


def _modules():
    for folder in SCANNED:
        for base, _, names in os.walk(os.path.join(_ROOT, folder)):
            for name in sorted(names):
                if name.endswith(".py"):
                    yield os.path.relpath(os.path.join(base, name), _ROOT)


def _chain(node):
    """`app.evse.node_state[1]` -> ["app", "evse", "node_state"] (subscripts skipped)."""
    names = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    return names[::-1]


def _targets(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                yield from (ast.walk(target) if isinstance(target, ast.Tuple) else (target,))
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            yield node.target


def violations(source, path):
    """(line, text) of each assignment into an Evse or into settings.values in `source`."""
    found = []
    for target in _targets(ast.parse(source, path)):
        chain = _chain(target)
        if "evse" in chain[:-1] and path != EVSE_OWNER:
            found.append((target.lineno, ".".join(chain)))
        if (isinstance(target, ast.Subscript) and chain[-1:] == ["values"]
                and not path.startswith("smartevse/settings/")):
            found.append((target.lineno, ".".join(chain) + "[...]"))
    return found


@pytest.mark.parametrize("path", list(_modules()))
def test_no_module_writes_into_the_evse_or_the_settings_values(path):
    """Given a firmware or simulator module, when its assignments are parsed, then none
    assigns `evse.<attribute>` (outside evse.py) or `settings.values[...]` (outside settings/)."""
    with open(os.path.join(_ROOT, path)) as f:
        assert violations(f.read(), path) == []


def test_the_check_sees_attribute_subscript_and_values_writes():
    """Given assignments of the kinds this issue removed, then each is reported."""
    source = ("app.evse.custom_button = True\n"
              "evse.node_state[1] = 2\n"
              "evse.error_flags |= 1\n"
              "a, evse.charge_delay_s = 1, 2\n"
              "settings.values['mode'] = 1\n"
              "self.evse = evse\n")
    assert [line for line, _ in violations(source, "smartevse/core/switch.py")] == [1, 2, 3, 4, 5]
