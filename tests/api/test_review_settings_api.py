"""Review findings on settings, REST /settings and the simulator's settings input
(settings-and-menu.md 1.1, interfaces.md 0.3 and 1.5, simulator.md "The Python API")."""

import math

import pytest

from sim import Simulation
from smartevse.settings.live import Settings

NA = "Value not allowed!"


def post(s, **params):
    status, body = s.rest("POST", "/settings", params)
    assert status == 200
    return body


# --- simulator.md: "a bad key or value raises ValueError naming it" -------------------

@pytest.mark.parametrize("value", [float("nan"), float("inf"), "nan", "inf", "-inf", "1e400"])
def test_non_finite_number_is_a_value_error_naming_the_setting(value):
    """Given a running simulation, when MAX is configured as NaN or infinity (a TOML
    `inf`, `set MAX inf` on the command line), then ValueError names MAX and nothing
    changes (simulator.md "The Python API"; settings-and-menu.md 1.1 limits)."""
    s = Simulation()
    with pytest.raises(ValueError, match="MAX"):
        s.configure({"MAX": value})
    assert s.app.settings.values["current_max"] == 13


def test_parse_refuses_non_finite_numbers_with_the_limits_text():
    """Given the settings, when parse() gets NaN or infinity, then it returns the
    error with the limits instead of raising (settings-and-menu.md 1.1)."""
    s = Settings()
    for value in (math.nan, math.inf, "inf"):
        parsed, error = s.parse("current_max", value)
        assert parsed is None and "6..80 A" in error


# --- interfaces.md 0.3: any other mode value is refused and changes nothing -----------

@pytest.mark.parametrize("value", ["SMART", "Smart", "", "abc"])
def test_mode_that_is_not_a_rest_mode_number_is_refused_and_changes_nothing(value):
    """Given Smart with access ON, when POST mode=SMART (text, or empty), then
    "Value not allowed!" and the charger stays Smart and ON; the fork's toInt() would
    read 0 and switch it OFF (interfaces.md 0.3 "Any other value gets ...")."""
    s = Simulation(settings={"mode": "Smart"})
    assert post(s, mode=value) == {"mode": NA}
    o = s.observe()
    assert (o["mode"], o["access"]) == ("Smart", "on")


def test_mode_number_with_blanks_still_counts():
    """Given Normal, when POST mode=" 3" (a number with leading blank), then Smart
    (interfaces.md 0.3, numbers read as the fork's toInt())."""
    s = Simulation()
    assert post(s, mode=" 3") == {"mode": " 3"}
    assert s.observe()["mode"] == "Smart"


# --- settings-and-menu.md 1.1: skipped values are also rejected by validation ---------

@pytest.mark.parametrize("value", [1, 13])
def test_ev_meter_sensorbox_and_homewizard_are_rejected_from_every_source(value):
    """Given EV METER, when Sensorbox (1) or HmWzrd P1 (13) is set, then it is refused
    like every skipped value ("they are also rejected by REST/MQTT validation",
    settings-and-menu.md 1.1 notes and row 9)."""
    s = Settings()
    error = s.set("ev_meter_type", value)
    assert error and "EV METER" in error
    assert s.values["ev_meter_type"] == 0
    with pytest.raises(ValueError, match="EV METER"):
        Simulation(settings={"EV METER": value})
