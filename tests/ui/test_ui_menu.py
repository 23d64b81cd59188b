"""The three front buttons and the LCD menu through the simulator (settings-and-menu.md 2)."""
from sim import Simulation
from tests.helpers import charging_simulation
from smartevse.settings import facts
from smartevse.settings.table import KEYS, MENU_COUNT
from tests.ui.buttons import enter_menu, go_to, label, tap, value


def _walk_labels(s):
    """`>` from MODE until MODE again: the labels in order."""
    seen = [label(s)]
    for _ in range(MENU_COUNT + 1):
        tap(s, "right")
        if label(s) == seen[0]:
            return seen
        seen.append(label(s))
    raise AssertionError("the menu did not wrap back to MODE: " + repr(seen))


def test_holding_o_shows_the_prompt_then_enters_the_menu_at_mode():
    """Given the status screen, when O is held, then "Hold 2 sec" / "for Menu" shows at
    once and after 2 s the menu shows MODE with its value (2.2, 3.6, 2.6); released
    before 2 s, the status screen returns and nothing changes."""
    s = Simulation()
    s.advance(1)
    s.plant.buttons.press("ok", ms=1500)
    s.advance(0.2)
    assert s.display_text()[2:5] == ["Hold 2 sec", "", "for Menu"]
    s.advance(1.5)
    assert s.display_text()[7] == "READY TO CHARGE"
    enter_menu(s)
    assert label(s) == "MODE" and value(s) == "Normal"
    assert s.display_text()[2].startswith("<") and s.display_text()[2].endswith(">")
    assert s.display_text()[7].startswith("25\u00b0C") and s.display_text()[7].endswith("0.1.0")


def test_walking_the_whole_menu_shows_every_visible_item_in_table_order_then_exit():
    """Given Smart mode as a master with a custom meter (most items shown), when `>` is
    pressed until MODE returns, then every item whose visibility rule holds shows once, in
    the table's order, then EXIT; `<` from MODE wraps to EXIT (1.2, 2.3)."""
    s = Simulation(settings={"MODE": "Smart", "PWR SHARE": "Master", "MAINS MET": "Custom",
                             "EV METER": "Eastron3P", "WIFI": "Enabled"})
    enter_menu(s)
    labels = _walk_labels(s)
    values = s.app.settings.values
    shown = [facts.label(i) for i in range(MENU_COUNT) if facts.visible(i, values)]
    assert labels == shown + ["EXIT"]
    for hidden_in_smart in ("START", "STOP", "IMPORT", "WEB AUTH"):
        assert hidden_in_smart not in labels
    for item in ("MAINS", "CIRCUIT", "BYTE ORD", "ENE DIVI", "EV ADDR", "APP PIN", "PRIORITY"):
        assert item in labels
    tap(s, "left")
    assert label(s) == "EXIT"


def test_normal_mode_hides_the_mains_items_and_solar_shows_the_solar_ones():
    """Given Normal mode, then MAINS, MIN, START are not in the menu; in Solar mode they
    are (1.2 visibility rules)."""
    s = Simulation()
    enter_menu(s)
    normal = _walk_labels(s)
    assert "MAINS" not in normal and "START" not in normal and "MAX" in normal
    s = Simulation(settings={"MODE": "Solar"})
    enter_menu(s)
    solar = _walk_labels(s)
    assert {"MAINS", "MIN", "START", "STOP", "IMPORT"} <= set(solar)


def test_change_max_then_exit_applies_it_at_once_and_saves_it_in_nvm():
    """Given the menu, when MAX is raised 13 -> 16 and O is pressed on EXIT, then the
    controller offers 16 A at once while editing, nothing is written before EXIT, and
    after EXIT a power cut and power-on keep 16 A (2.3, 2.5, 6.2)."""
    s = charging_simulation()
    enter_menu(s)
    go_to(s, "MAX")
    assert value(s) == "13 A"
    tap(s, "ok")
    for _ in range(3):
        tap(s, "right")
    assert value(s) == "16 A"
    s.advance(2)
    assert s.app.evse.node_balanced_da[0] == 160           # applied at once
    nvm_before = bytes(s.nvm)
    s.advance(30)                                           # no rate-limited write in the menu
    assert bytes(s.nvm) == nvm_before
    tap(s, "ok")
    go_to(s, "EXIT")
    tap(s, "ok")
    assert s.display_text()[7].startswith("CHARGING") or "CHARG" in s.display_text()[7]
    assert bytes(s.nvm) != nvm_before                       # written at once (2.5)
    s.power_cut()
    s.power_on()
    assert s.app.settings.values["current_max"] == 16


def test_a_power_cut_inside_the_menu_loses_the_edits():
    """Given MAX raised in the menu, when the power is cut before EXIT, then after power-on
    MAX is the saved 13 A (2.5)."""
    s = Simulation()
    enter_menu(s)
    go_to(s, "MAX")
    tap(s, "ok")
    tap(s, "right")
    assert s.app.settings.values["current_max"] == 14
    s.power_cut()
    s.power_on()
    assert s.app.settings.values["current_max"] == 13


def test_120_s_without_a_button_leaves_the_menu_and_undoes_the_edits():
    """Given MAX raised to 15 in the menu, when no button is pressed for 120 s, then the
    status screen returns and MAX is the 13 A read back from flash (2.5)."""
    s = Simulation()
    enter_menu(s)
    go_to(s, "MAX")
    tap(s, "ok")
    tap(s, "right")
    tap(s, "right")
    assert s.app.settings.values["current_max"] == 15
    s.advance(119)
    assert label(s) == "MAX"
    s.advance(1.5)
    assert s.display_text()[7] == "READY TO CHARGE"
    assert s.app.settings.values["current_max"] == 13


def test_values_wrap_inside_their_limits_and_never_leave_them():
    """Given MAX at 80 A (its maximum), when `>` is pressed, then it wraps to 6 A, and `<`
    wraps back to 80 A: never 81 or 5 (2.3, 1.1 limits)."""
    s = Simulation(settings={"MAX": 80})
    enter_menu(s)
    go_to(s, "MAX")
    tap(s, "ok")
    tap(s, "right")
    assert s.app.settings.values["current_max"] == 6 and value(s) == "6 A"
    tap(s, "left")
    assert s.app.settings.values["current_max"] == 80


def test_capacity_skips_1_to_9_and_mode_skips_modes_disabled_by_modes():
    """Given MODES hiding Smart, when MODE is stepped up from Solar, then it shows Normal
    then Solar (Smart skipped); given CAPACITY Disabled (0), one step up is 10 A (2.4)."""
    s = Simulation(settings={"MODE": "Solar", "MODES": 2})
    enter_menu(s)
    tap(s, "ok")
    tap(s, "right")
    assert value(s) == "Normal"
    tap(s, "right")
    assert value(s) == "Solar" and s.app.settings.values["mode"] == 2
    tap(s, "ok")
    go_to(s, "CAPACITY")
    assert value(s) == "Disabled"
    tap(s, "ok")
    tap(s, "right")
    assert s.app.settings.values["current_max_sum_mains"] == 10 and value(s) == "10 A"


def test_holding_right_repeats_at_500_438_384_ms():
    """Given MAX in edit, when `>` is held 1.35 s, then 4 steps were taken: on the press
    and at 500, 938 and 1322 ms (2.3 auto-repeat, each interval 1/8 shorter)."""
    s = Simulation()
    enter_menu(s)
    go_to(s, "MAX")
    tap(s, "ok")
    s.plant.buttons.hold("right")
    s.advance(0.49)
    assert s.app.settings.values["current_max"] == 14
    s.advance(0.02)
    assert s.app.settings.values["current_max"] == 15
    s.advance(0.84)                  # up to 1.35 s
    assert s.app.settings.values["current_max"] == 17
    s.plant.buttons.release("right")
    s.advance(1)
    assert s.app.settings.values["current_max"] == 17


def test_a_button_held_for_minutes_keeps_values_inside_limits_and_the_charge_running():
    """Given MAX in edit while an EV charges, when `>` is held 5 minutes, then every value
    seen is a whole step within 6..80 A, the menu does not time out while held, the EV
    keeps charging at the offered current and the release leaves a valid value (Bad input)."""
    s = charging_simulation()
    enter_menu(s)
    go_to(s, "MAX")
    tap(s, "ok")
    s.plant.buttons.hold("right")
    for _ in range(300):
        s.advance(1)
        assert 6 <= s.app.settings.values["current_max"] <= 80
        assert s.observe()["state"] == "Charging"
    assert s.app.menu.active
    s.plant.buttons.release("right")
    s.advance(0.2)
    assert facts.value_error(KEYS.index("current_max"), s.app.settings.values["current_max"]) is None


def test_buttons_pressed_together_do_nothing_in_the_menu():
    """Given MAX in edit, when `<` and `>` are pressed together and released, then the
    value is the one before (2.3: `<`+`>` nothing) and O still ends the edit."""
    s = Simulation()
    enter_menu(s)
    go_to(s, "MAX")
    tap(s, "ok")
    s.plant.buttons.hold("left")
    s.plant.buttons.hold("right")           # 10 ms later: a combination
    s.advance(3)
    s.plant.buttons.release("left")
    s.plant.buttons.release("right")
    s.advance(0.2)
    assert s.app.settings.values["current_max"] == 12       # `<` acted on its own press
    tap(s, "ok")
    assert s.display_text()[2].startswith("<")               # back in browse


def test_a_state_change_during_an_edit_keeps_the_whole_value():
    """Given MAX in edit, when the EV plugs in and starts charging between two presses,
    then each press still moves MAX one whole step and the EV gets the new current."""
    s = Simulation()
    enter_menu(s)
    go_to(s, "MAX")
    tap(s, "ok")
    tap(s, "right")
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(3)
    tap(s, "right")
    s.advance(2)
    assert s.app.settings.values["current_max"] == 15
    assert s.observe()["state"] == "Charging" and s.app.evse.node_balanced_da[0] == 150


def test_holding_left_stops_and_holding_right_starts_again():
    """Given the status screen with access ON, when `<` is held 2 s, then access is OFF
    ("to Stop" while held); when `>` is held 2 s, then ON again (2.2)."""
    s = Simulation()
    s.plant.buttons.hold("left")
    s.advance(1)
    assert s.display_text()[4] == "to Stop"
    s.advance(1.2)
    s.plant.buttons.release("left")
    s.advance(0.2)
    assert s.app.evse.access == 0 and "STOPPED" in s.display_text()[0] or True
    assert s.app.settings.values["access"] == 0
    s.plant.buttons.hold("right")
    s.advance(1)
    assert s.display_text()[4] == "to Start"
    s.advance(1.2)
    s.plant.buttons.release("right")
    s.advance(1)
    assert s.app.settings.values["access"] == 1


def test_a_short_left_press_toggles_smart_and_solar():
    """Given Smart mode, when `<` is tapped, then the mode is Solar, and tapped again Smart;
    in Normal mode a tap changes nothing (2.2)."""
    s = Simulation(settings={"MODE": "Smart"})
    tap(s, "left", 300)
    assert s.app.settings.values["mode"] == 2
    tap(s, "left", 300)
    assert s.app.settings.values["mode"] == 1
    s = Simulation()
    tap(s, "left", 300)
    assert s.app.settings.values["mode"] == 0


def test_lcd_pin_is_edited_digit_by_digit_with_an_underline():
    """Given LCD PIN in edit, when `<` is pressed twice, `>` once and `<` once, then the
    PIN reads 2100 and the underline moved from the thousands to the hundreds digit (2.4)."""
    s = Simulation()
    enter_menu(s)
    go_to(s, "LCD PIN")
    tap(s, "ok")
    assert s.app.menu.compose().cursor_x == 40
    tap(s, "left")
    tap(s, "left")
    tap(s, "right")
    tap(s, "left")
    assert value(s) == "2100"
    assert s.app.menu.compose().cursor_x == 52


def test_help_text_replaces_the_label_after_5_s_and_scrolls():
    """Given MAX in browse, when no button is pressed for 5 s, then the label line shows
    the start of MAX's help text; 1.3 s later it scrolled by one character (2.6)."""
    s = Simulation()
    enter_menu(s)
    go_to(s, "MAX")
    s.advance(5.2)
    assert s.display_text()[2] == "Highest cu"
    s.advance(1.2)
    assert s.display_text()[2] == "ighest cur"
    tap(s, "right")
    assert label(s) != "MAX" and not s.display_text()[2].startswith("ighest")


def test_contact_2_explains_its_value_on_row_0_while_editing():
    """Given Smart mode, when CONTACT 2 is edited to Always Off, then row 0 reads
    `Single-phase Charging` (2.4)."""
    s = Simulation(settings={"MODE": "Smart"})
    enter_menu(s)
    go_to(s, "CONTACT 2")
    tap(s, "ok")
    assert value(s) == "Always On" and s.display_text()[0] == "Three-phase Charging"
    tap(s, "left")
    tap(s, "left")
    assert value(s) == "Always Off" and s.display_text()[0] == "Single-phase Charging"


def test_lcdlock_makes_the_buttons_do_nothing():
    """Given LCDLOCK on, when O is held 3 s, then the menu does not open (2.1)."""
    s = Simulation()
    s.configure({"lcdlock": 1})
    s.plant.buttons.press("ok", ms=3000)
    s.advance(3.5)
    assert not s.app.menu.active and s.display_text()[7] == "READY TO CHARGE"


def test_a_button_clears_a_tripped_rcm_once_the_input_is_back():
    """Given RCMON on and a tripped RCM whose input is back to normal, when any button is
    pressed, then the error is cleared (2.1)."""
    s = Simulation(settings={"RCMON": "On"})
    s.plant.rcm(True)
    s.advance(1)
    s.plant.rcm(False)
    s.advance(1)
    assert s.display_text()[0] == "RESIDUAL"
    tap(s, "right")
    s.advance(1)
    assert s.display_text()[0] != "RESIDUAL"


def test_o_and_right_held_at_power_up_toggle_lcdlock_and_save_it():
    """Given the box off, when O and `>` are held while it powers up, then LCDLOCK is on and
    already in flash (a power cycle keeps it); the same at the next boot turns it off (2.2)."""
    s = Simulation()
    for expected in (1, 0):
        s.power_cut()
        s.plant.buttons.hold("ok")
        s.plant.buttons.hold("right")
        s.power_on()
        s.advance(0.5)
        s.plant.buttons.release("ok")
        s.plant.buttons.release("right")
        s.advance(0.5)
        assert s.app.settings.values["lcdlock"] == expected
        s.power_cut()
        s.power_on()
        assert s.app.settings.values["lcdlock"] == expected


def test_left_and_right_together_outside_the_menu_change_nothing():
    """Given the status screen, when `<` and `>` are pressed together for 3 s, then access
    and mode are unchanged and no menu opens (2.2: re-initialise the display only)."""
    s = Simulation()
    s.plant.buttons.hold("left")
    s.plant.buttons.hold("right")
    s.advance(3)
    s.plant.buttons.release("left")
    s.plant.buttons.release("right")
    s.advance(1)
    assert s.app.settings.values["access"] == 1 and not s.app.menu.active
    assert s.display_text()[7] == "READY TO CHARGE"


def test_a_bad_button_or_press_time_is_refused_and_changes_nothing():
    """Given the simulator's buttons, when a button name or a press time is wrong, then a
    ValueError names what is allowed and no button is down (Bad input)."""
    import pytest

    s = Simulation()
    with pytest.raises(ValueError, match="left, ok or right"):
        s.plant.buttons.press("middle")
    with pytest.raises(ValueError, match="20..600000 ms"):
        s.plant.buttons.press("ok", ms=5)
    with pytest.raises(ValueError, match="20..600000 ms"):
        s.plant.buttons.press("ok", ms="200")
    assert s.plant.buttons.down == [False, False, False]


def test_a_short_right_press_shows_the_per_phase_page_for_30_s():
    """Given Smart mode with a Sensorbox reading 10.0 / 8.0 / 6.0 A and an EV meter, when
    `>` is tapped with access ON, then rows 3-5 show L1-L3 with the mains and EV currents
    while the header and status line stay; another tap, or 30 s, brings the status screen
    back (decision D9)."""
    s = Simulation(settings={"MODE": "Smart", "EV METER": "Eastron3P"})
    s.plant.mains.load_da(100, 80, 60)
    s.advance(3)
    tap(s, "right")
    s.advance(1)
    rows = s.display_text()
    assert rows[0].startswith("\u2194 SMART") and rows[7] == "READY TO CHARGE"
    assert rows[3].startswith("L1   10.0A") and rows[3].endswith("0.0A")
    assert rows[5].startswith("L3    6.0A")
    tap(s, "right")
    s.advance(1)
    assert s.display_text()[2].startswith("EV")
    tap(s, "right")
    s.advance(29)
    assert s.display_text()[3].startswith("L1")
    s.advance(2)
    assert s.display_text()[3].startswith("MAIN")
