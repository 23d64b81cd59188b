"""The OLED "backlight" (contrast) and sleep (settings-and-menu.md 3.7, decision D5)."""
from sim import Simulation
from tests.helpers import charging_simulation
from tests.ui.buttons import tap


def test_the_panel_dims_in_its_last_second_then_goes_to_minimum_contrast():
    """Given boot (timer 120 s, counted down once per second from the first) in state A,
    then contrast is 255 and REST says ON until its last second, DIMMED (64) in it, then
    OFF at the minimum contrast (3.7)."""
    s = Simulation()
    s.advance(117.5)
    assert s.view.contrast == 255 and s.rest("GET", "/settings")[1]["backlight"]["status"] == "ON"
    s.advance(1)
    assert s.view.contrast == 64
    s.advance(1)
    assert s.view.contrast == 1 and s.rest("GET", "/settings")[1]["backlight"]["status"] == "OFF"


def test_charging_and_errors_keep_the_panel_lit():
    """Given an EV charging, when 10 minutes pass, then contrast stays 255 (re-armed each
    second in state C); an error other than LESS_6A does the same (3.7)."""
    s = charging_simulation()
    s.advance(600)
    assert s.view.contrast == 255
    s = Simulation()
    s.plant.temperature(80)
    s.advance(600)
    assert s.view.contrast == 255


def test_after_30_min_dark_in_state_a_the_panel_sleeps_and_a_button_wakes_it():
    """Given state A without an error, when 120 s + 30 min pass, then the panel sleeps
    (D5); a button press wakes it at full contrast and still acts (hold O: the prompt)."""
    s = Simulation()
    s.advance(119 + 1798)
    assert not s.view.asleep
    s.advance(2)
    assert s.view.asleep
    s.plant.buttons.press("ok", ms=500)
    s.advance(1.2)
    assert not s.view.asleep and s.view.contrast == 255
    s.plant.buttons.press("ok", ms=2500)
    s.advance(3)
    assert s.app.menu.active
