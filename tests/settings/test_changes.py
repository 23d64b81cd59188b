"""The one apply path for a set of settings changes (settings-and-menu.md 1.3, 1.4;
issue 6 item 10: the order of the keys never matters)."""

import itertools

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from sim import Simulation
from smartevse.core.states import C2_AUTO, C2_NOT_PRESENT, METER_DISABLED, MODE_NORMAL, MODE_SMART
from smartevse.settings import changes
from smartevse.settings.changes import SOURCE_MENU, SOURCE_REST
from tests.helpers import make_settings


class Effects:
    """Records the side effects the apply path asks for (the app does them for real)."""

    def __init__(self, settings):
        self.settings = settings
        self.calls = []

    def change_mode(self, mode):
        self.calls.append(("mode", mode))
        self.settings.values["mode"] = mode

    def change_access(self, access):
        self.calls.append(("access", access))
        self.settings.values["access"] = access

    def setting_changed(self, key):
        self.calls.append(("changed", key))

    def note(self, text):
        self.calls.append(("note", text))


def apply(settings, change_set, source=SOURCE_MENU):
    effects = Effects(settings)
    return changes.apply(settings, change_set, effects, source), effects.calls


def test_contact2_auto_and_node_give_the_same_controller_in_both_orders():
    """Given CONTACT 2 Auto and PWR SHARE Node 1 in one settings dict, when the
    simulator is built with either key order, then both controllers are the same node
    with CONTACT 2 Not present (1.3 PWR SHARE, 1.4 rule 4)."""
    first = Simulation(settings={"CONTACT 2": "Auto", "PWR SHARE": "Node 1"})
    second = Simulation(settings={"PWR SHARE": "Node 1", "CONTACT 2": "Auto"})
    assert first.app.settings.values == second.app.settings.values
    assert first.app.settings.values["loadbl"] == 2
    assert first.app.settings.values["enable_C2"] == C2_NOT_PRESENT
    assert first.observe() == second.observe()


def test_a_node_refuses_contact2_auto_by_itself():
    """Given a controller that is a node already, when CONTACT 2 Auto alone is set,
    then refused with the limits on a node and nothing changes (1.1 "4 skipped on
    nodes")."""
    s = make_settings(loadbl=2, enable_C2=3)
    errors, calls = apply(s, {"enable_C2": C2_AUTO})
    assert errors == {"enable_C2": "CONTACT 2 (enable_C2) must be 0..3 on a node, got 4"}
    assert s.values["enable_C2"] == 3 and calls == []


_SETS = [
    {"mode": MODE_SMART, "mains_meter_type": METER_DISABLED},
    {"mode": MODE_SMART, "modes_disabled": 2},
    {"auth_mode": 1, "lcd_pin": 1234},
    {"auth_mode": 1, "lcd_pin": 0},
    {"enable_C2": C2_AUTO, "loadbl": 3, "mode": MODE_SMART},
    {"ocpp_cb_id": "CP-1", "ocpp_mode": 1},
    {"ocpp_cb_id": "CP-1", "ocpp_mode": 0},
    {"mode": MODE_SMART, "mains_meter_type": 4, "current_max": 90},
]


@pytest.mark.parametrize("change_set", _SETS)
def test_every_key_order_gives_the_same_values_and_errors(change_set):
    """Given a set of interacting changes, when it is applied in every key order,
    then the stored values and the per-key errors are the same (1.4; item 10)."""
    results = set()
    for order in itertools.permutations(change_set):
        s = make_settings(mains_meter_type=METER_DISABLED)
        errors, _ = apply(s, {key: change_set[key] for key in order})
        results.add((tuple(sorted(s.values.items())), tuple(sorted(errors.items()))))
    assert len(results) == 1


_KEYS = st.sampled_from(["mode", "mains_meter_type", "modes_disabled", "loadbl", "enable_C2",
                         "lcd_pin", "auth_mode", "switch"])
_VALUES = {"mode": st.integers(0, 2), "mains_meter_type": st.sampled_from([0, 1, 4, 9]),
           "modes_disabled": st.sampled_from([0, 2, 4, 6]), "loadbl": st.integers(0, 3),
           "enable_C2": st.integers(0, 4), "lcd_pin": st.sampled_from([0, 1234]),
           "auth_mode": st.integers(0, 1), "switch": st.integers(0, 7)}


@hsettings(max_examples=60, deadline=None)
@given(st.lists(_KEYS, min_size=2, max_size=5, unique=True).flatmap(
    lambda keys: st.tuples(st.just(keys), st.tuples(*[_VALUES[k] for k in keys]),
                           st.permutations(keys))))
def test_any_permutation_of_interacting_changes_gives_the_same_controller(case):
    """Given a random set of interacting settings, when the simulator is configured with
    it in two key orders, then the controllers are the same, or both refuse with the
    same message (1.4; item 10)."""
    keys, values, order = case
    wanted = dict(zip(keys, values))
    outcomes = []
    for sequence in (keys, order):
        s = Simulation()
        try:
            s.configure({key: wanted[key] for key in sequence})
            outcomes.append(("ok", tuple(sorted(s.app.settings.values.items()))))
        except ValueError as error:
            outcomes.append(("refused", str(error), tuple(sorted(s.app.settings.values.items()))))
    assert outcomes[0] == outcomes[1]


def test_a_refused_change_leaves_the_others_of_the_set():
    """Given MAX 90 and MIN 10 in one set, then MAX is refused with its limits and MIN
    is stored (1.1; interfaces.md 1.5 partial application)."""
    s = make_settings()
    errors, calls = apply(s, {"current_max": 90, "current_min": 10})
    assert errors == {"current_max": "MAX (current_max) must be 6..80 A, got 90"}
    assert s.values["current_min"] == 10 and s.values["current_max"] == 13
    assert ("changed", "current_min") in calls and s.dirty


def test_mode_is_checked_against_the_whole_set_and_goes_to_the_core_last():
    """Given no mains meter, when Smart comes with a mains meter in the same set, then
    the meter is stored first and the mode service gets Smart (1.3 MODE, 4.1)."""
    s = make_settings(mains_meter_type=METER_DISABLED)
    errors, calls = apply(s, {"mode": MODE_SMART, "mains_meter_type": 4})
    assert errors == {}
    assert calls.index(("changed", "mains_meter_type")) < calls.index(("mode", MODE_SMART))
    s = make_settings(mains_meter_type=METER_DISABLED)
    errors, calls = apply(s, {"mode": MODE_SMART})
    assert errors == {"mode": "Smart and Solar need a mains meter (MAINS MET)"}
    assert s.values["mode"] == MODE_NORMAL and ("mode", MODE_SMART) not in calls


def test_master_only_settings_are_refused_from_rest_on_a_node_but_not_from_the_menu():
    """Given a node, when MIN comes from REST, then refused as set on the master; from
    the menu source (the simulator's configure) it is stored (1.2 "master" rows)."""
    s = make_settings(loadbl=2)
    errors, _ = apply(s, {"current_min": 10}, SOURCE_REST)
    assert errors == {"current_min": "MIN (current_min) is set on the master, not on a node"}
    errors, _ = apply(s, {"current_min": 10}, SOURCE_MENU)
    assert errors == {} and s.values["current_min"] == 10


def test_ocpp_texts_need_ocpp_on_in_the_set_or_before():
    """Given OCPP off, when a ChargeBoxId comes alone it is refused with the fork's
    text; with ocpp_mode 1 in the same set it is stored (interfaces.md 1.5)."""
    s = make_settings()
    errors, _ = apply(s, {"ocpp_cb_id": "CP-1"})
    assert errors == {"ocpp_cb_id": "Can only update when OCPP enabled"}
    errors, _ = apply(s, {"ocpp_cb_id": "CP-1", "ocpp_mode": 1})
    assert errors == {} and s.values["ocpp_cb_id"] == "CP-1"


def test_chargeboxid_rule_gives_the_same_text_to_every_source():
    """Given a ChargeBoxId with '<', when it comes from REST or from the simulator's
    configure (the menu path), then both refuse it with the one text of 1.5."""
    s = Simulation(settings={"ocpp_mode": 1})
    status, body = s.rest("POST", "/settings", {"ocpp_update": "1", "ocpp_cb_id": "a<b"})
    assert body["ocpp_cb_id"] == "ChargeBoxId contains invalid characters"
    with pytest.raises(ValueError, match="ChargeBoxId contains invalid characters"):
        s.configure({"ocpp_cb_id": "a<b"})


def test_unknown_keys_and_actions_are_refused_by_name():
    """Given an unknown key and the APP PIN action, then each gets its own error."""
    s = make_settings()
    errors, _ = apply(s, {"nope": 1, "app_pairing": 1})
    assert errors == {"nope": "unknown setting 'nope'",
                      "app_pairing": "APP PIN (app_pairing) is an action, not a stored setting"}


def test_ocpp_texts_stay_stored_when_ocpp_is_turned_off():
    """Given a ChargeBoxId set with OCPP on, when OCPP is turned off, then the id stays
    (only a change needs OCPP on) and the rules of 1.4 find nothing to reset."""
    s = make_settings()
    apply(s, {"ocpp_mode": 1, "ocpp_cb_id": "CP-1"})
    errors, calls = apply(s, {"ocpp_mode": 0})
    assert errors == {} and s.values["ocpp_cb_id"] == "CP-1"
    assert not [call for call in calls if call[0] == "note"]
