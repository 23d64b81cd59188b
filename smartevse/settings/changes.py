"""The one path for changing settings from outside: the menu, REST, MQTT `/Set/`, the
simulator (settings-and-menu.md 1.3, 1.4; interfaces.md 1.5, 2.4).

Decides which changes of a set are taken. The set counts as a whole: each value is
checked on its own (its limits), then against the other settings with the whole set
applied (MODE needs its mains meter and MODES, WEB AUTH needs the LCD PIN, OCPP texts
need OCPP on), so the order of the keys never changes the result (1.4 rule 4). A node
refuses CONTACT 2 Auto and SWITCH Grid Relay; a set that makes the controller a node
gets them replaced by rule 4. Taken values are stored in table order, their side
effects (1.3) run through `effects`, MODE and access go to the charging core's commands
last, then the rules of 1.4 run once. Every source gets the same messages; REST and
MQTT turn them into their wire texts.

`effects` is duck-typed (the app): `change_mode(mode)` -> None or error,
`change_access(access)`, `setting_changed(key)`, `note(text)`.
"""

from micropython import const

from smartevse.settings import facts
from smartevse.settings.live import cross_error
from smartevse.settings.table import KEYS, NIDS, R_MASTER, RESTS

SOURCE_MENU = const(0)    # the menu, the simulator: master-only rows are hidden, not refused
SOURCE_REST = const(1)
SOURCE_MQTT = const(2)
SOURCE_MODBUS = const(3)   # the power-share master's writes: master settings are mirrored


def apply(settings, changes, effects, source=SOURCE_MENU):
    """Apply `changes` ({key: value} in storage units) as one set. Returns
    {key: error} for the refused ones, {} when every change was taken."""
    values = settings.values
    node = settings.is_node()
    errors = {}
    taken = []
    for key in changes:
        error = _own_error(key, changes[key], node, source)
        if error is None:
            taken.append(facts.index(key))
        else:
            errors[key] = error
    taken.sort()                  # table order, whatever order the keys came in
    candidate = dict(values)
    for i in taken:
        candidate[KEYS[i]] = changes[KEYS[i]]
    _refuse_misfits(taken, candidate, values, node, errors)
    _store(settings, taken, candidate, effects)
    for i in taken:
        key = KEYS[i]
        if key == "mode":
            error = effects.change_mode(candidate[key])
            if error is not None:
                errors[key] = error
    for i in taken:
        if KEYS[i] == "access":
            effects.change_access(candidate["access"])
    for text in settings.apply_rules():
        effects.note(text)
    return errors


def _own_error(key, value, node, source):
    """The message when `value` cannot be taken whatever the other settings are."""
    i = facts.index(key)
    if i < 0:
        return "unknown setting " + repr(key)
    if not NIDS[i]:
        return facts.name_of(i) + " is an action, not a stored setting"
    if node and source != SOURCE_MENU and source != SOURCE_MODBUS and RESTS[i] & R_MASTER:
        return facts.name_of(i) + " is set on the master, not on a node"
    return facts.value_error(i, value)


def _refuse_misfits(taken, candidate, values, node, errors):
    """Refuse the changes that do not fit the others; a refusal restores the old value
    in the candidate, which may make another change misfit, so repeat until stable."""
    again = True
    while again:
        again = False
        for i in taken:
            key = KEYS[i]
            error = cross_error(key, candidate[key], candidate, node)
            if error is not None:
                errors[key] = error
                candidate[key] = values[key]
                taken.remove(i)
                again = True
                break


def _store(settings, taken, candidate, effects):
    """Store the plain values (MODE and access are the core's commands), then their
    side effects, each once."""
    changed = []
    for i in taken:
        key = KEYS[i]
        if key != "mode" and key != "access" and settings.values[key] != candidate[key]:
            settings.store(key, candidate[key])
            changed.append(key)
    for key in changed:
        effects.setting_changed(key)
