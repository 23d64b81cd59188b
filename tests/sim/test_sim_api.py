"""The simulator's public contract (simulator.md): names, settings input, clear errors."""

import os

import pytest

from sim import Simulation

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

OBSERVE_KEYS = {
    "state", "state_id", "errors", "access", "mode", "pwm_duty", "advertised_da",
    "contactor1", "contactor2", "phases", "lock", "led", "charge_delay_s",
    "solar_stop_timer_s", "summains_timer_s", "mains_da", "ev_da", "temperature_c",
    "rfid_status", "pilot_connected", "display_text",
}


def test_observe_has_every_documented_key():
    """Given a simulation, when observed, then every key of simulator.md is there."""
    o = Simulation().observe()
    assert OBSERVE_KEYS <= set(o)
    assert isinstance(o["errors"], list) and len(o["led"]) == 3


@pytest.mark.parametrize("settings,key,value", [
    ({"current_max": 16}, "current_max", 16),
    ({"MAX": 16}, "current_max", 16),
    ({"max": "16"}, "current_max", 16),
    ({"LOCK": "Solenoid"}, "lock", 1),
    ({"lock": 2}, "lock", 2),
    ({"MAX TEMP": 50}, "temp_max", 50),
    ({"Contact 2": "Always Off"}, "enable_C2", 1),
])
def test_settings_by_key_or_label_in_display_units(settings, key, value):
    """Given settings by key or LCD label (any case), option label or index, then they
    land in the settings table (simulator.md)."""
    s = Simulation(settings=settings)
    assert s.app.settings.values[key] == value


@pytest.mark.parametrize("settings,words", [
    ({"no_such_setting": 1}, ["no_such_setting"]),
    ({"MAX": 90}, ["MAX", "6", "80"]),
    ({"current_min": 5}, ["MIN", "6", "16"]),
    ({"LOCK": "Rope"}, ["LOCK"]),
])
def test_a_bad_setting_raises_value_error_naming_it(settings, words):
    """Given a bad key or an out-of-range value, then ValueError names the setting and
    its limits, and nothing changes (bad input)."""
    with pytest.raises(ValueError) as err:
        Simulation(settings=settings)
    for word in words:
        assert word in str(err.value)


def test_configure_refuses_out_of_range_and_changes_nothing():
    """Given a running controller, when configure gets MAX 81, then ValueError and MAX
    keeps its value."""
    s = Simulation(settings={"MAX": 20})
    with pytest.raises(ValueError):
        s.configure({"MAX": 81})
    assert s.app.settings.values["current_max"] == 20


def test_rest_goes_through_the_firmware_handling():
    """Given an EV connected, when GET /settings, then the state and pwm are the
    firmware's (interfaces.md 1.4)."""
    s = Simulation()
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("B")
    s.advance(1.0)
    status, body = s.rest("GET", "/settings")
    assert status == 200
    assert body["evse"]["state_id"] == 1 and body["evse"]["pwm"] == 102 and body["car_connected"] is True


def test_readme_test_command_is_what_ci_runs():
    """The README's test command and .ci/run stay identical (README)."""
    readme = open(os.path.join(ROOT, "README.md")).read()
    ci = open(os.path.join(ROOT, ".ci", "run")).read()
    command = "python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt && .venv/bin/python -m pytest -q"
    assert command in readme and command in ci


def test_settings_that_depend_on_others_may_come_in_any_order():
    """Given WEB AUTH Required with an LCD PIN in one settings dict, then both apply
    (WEB AUTH needs a PIN: settings-and-menu.md D3), whatever the order."""
    s = Simulation(settings={"WEB AUTH": "Required", "LCD PIN": 1234})
    assert s.app.settings.values["auth_mode"] == 1 and s.app.settings.values["lcd_pin"] == 1234
