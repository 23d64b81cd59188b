"""The commands of `python -m sim` (issue 7 items 3, 4, 5): each does what it says, says
why when it cannot have an effect, and answers bad input with its usage line."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import commands
from sim.cli.registry import COMMANDS
from sim.simulation import Simulation
from smartevse.settings.table import KEYS


def console(settings=None):
    return commands.Console(Simulation(settings=settings))


def reply(c, line):
    return commands.run(c, line)


@pytest.mark.parametrize("line,words", [
    ("bogus", ["unknown command 'bogus'", "help"]),
    ("plug 99", ["13, 20, 32 or 63", "usage: plug"]),
    ("plug x y", ["wrong number of arguments", "usage: plug"]),
    ("temp hot", ["whole number", "usage: temp C"]),
    ("load 1 2", ["wrong number", "usage: load L1 L2 L3"]),
    ("load a b c", ["load L1 must be a whole number"]),
    ("ev Q", ["A, B, C or D"]),
    ("diode maybe", ["on or off"]),
    ("phases 2", ["1 or 3"]),
    ("rcm", ["usage: rcm on|off|reset|glitch"]),
    ("pilot high", ["MV must be a whole number"]),
    ("pilot 20000", ["MV must be -12000..12000"]),
    ("draw -5", ["DA must be 0..800"]),
    ("bus 2 0", ["DROP must be 0..1"]),
    ("bus 0.1", ["usage: bus DROP CORRUPT"]),
    ("evmeter up", ["online or offline"]),
    ("switch sideways", ["on, off or press"]),
    ("set", ["usage: set KEY VALUE"]),
    ("set MAX abc", ["MAX (current_max) must be 6..80 A"]),
    ("set MAX 99", ["MAX (current_max) must be 6..80 A"]),
    ("set FOO 1", ["unknown setting 'FOO'"]),
    ("get --pretty", ["unknown flag", "usage: get [--raw]"]),
    ("post mode", ["KEY=VALUE"]),
    ("wait", ["usage: wait"]),
    ("wait -1", ["SECONDS must be"]),
    ("wait until Z", ["unknown state 'Z'", "B1", "CHARGING"]),
    ("wait until C abc", ["TIMEOUT_S must be a number"]),
    ("speed 0", ["greater than 0"]),
    ("speed -3", ["greater than 0"]),
    ("speed fast", ["greater than 0, or max"]),
    ("help nothing", ["no command 'nothing'"]),
    ("press middle", ["left, ok or right"]),
    ("tap xyz", ["UID must be hex"]),
    ("meter maybe", ["online or offline"]),
])
def test_bad_input_is_answered_with_a_usage_line(line, words):
    """Given a running controller, when a bad line is typed, then the reply names the
    problem (and the usage), never a Python message, and nothing raises."""
    r = reply(console(), line)
    assert r.failed
    for word in words:
        assert word in r.text
    for python_text in ("invalid literal", "index out of range", "Traceback", "NoneType"):
        assert python_text not in r.text


@pytest.mark.parametrize("line", ["\x00\x01", "plug \ud800", "set MAX 1e999", "load 1e5 2 3",
                                  "wait nan", "wait inf", "speed inf", "post ==", "set = =",
                                  "png /no/such/dir/x.png", "   ", "# a comment"])
def test_any_line_gets_an_answer_and_the_firmware_keeps_running(line):
    """Given a charging controller, when odd text is typed, then it gets a reply and the
    controller still charges."""
    c = console()
    for setup in ("plug 32", "charge"):
        reply(c, setup)
    c.sim.advance(2)
    reply(c, line)
    c.sim.advance(0.5)
    assert c.sim.observe()["state"] == "Charging"


def test_help_lists_every_command_and_explains_one():
    """Given `help`, then every registered command's usage is listed; `help wait` gives
    its usage and summary."""
    text = reply(console(), "help").text
    for c in COMMANDS.values():
        assert c.usage in text
    one = reply(console(), "help wait").text
    assert one.startswith("usage: wait SECONDS") and "until" in one


def test_rcm_on_with_monitoring_off_says_why():
    """Given RCMON Disabled, when `rcm on`, then the reply says monitoring is off and how
    to turn it on, and no RCM error is raised (charging.md 3.4)."""
    c = console()
    text = reply(c, "rcm on").text
    assert text == "RCM input tripped, but RCM monitoring is off: set RCMON Enabled"
    c.sim.advance(1)
    assert "RCM_TRIPPED" not in c.sim.observe()["errors"]


def test_rcm_reset_at_the_box_clears_a_released_trip():
    """Given RCMON Enabled and a trip, when `rcm reset` while still tripped, then it says
    to release first; after `rcm off`, `rcm reset` (a switch press) clears the error."""
    c = console({"RCMON": "Enabled"})
    reply(c, "rcm on")
    c.sim.advance(1)
    assert "RCM_TRIPPED" in c.sim.observe()["errors"]
    assert "still tripped" in reply(c, "rcm reset").text
    reply(c, "rcm off")
    c.sim.advance(1)
    assert "RCM_TRIPPED" in c.sim.observe()["errors"]         # latching: no timer clears it
    reply(c, "rcm reset")
    c.sim.advance(1)
    assert c.sim.observe()["errors"] == []


def test_jam_without_a_lock_says_why():
    """Given LOCK Disabled, when `jam`, then the reply says no actuator is used and names
    the setting; with a fixed cable it says a fixed cable has no lock."""
    assert reply(console(), "jam").text.endswith("set LOCK Solenoid")
    assert "fixed cable has no lock" in reply(console({"CONFIG": "Fixed"}), "jam").text


def test_a_lock_jammed_after_unplugging_shows_its_error():
    """Given a Solenoid lock that locked during charging, when it jams and the EV is
    unplugged, then unplug, the change line and the live view say the cable is stuck."""
    from sim.cli import screen
    c = console({"LOCK": "Solenoid"})
    reply(c, "plug 32")
    reply(c, "charge")
    c.sim.advance(3)
    assert c.sim.observe()["state"] == "Charging"
    reply(c, "jam")
    assert "cannot come out" in reply(c, "unplug").text
    c.sim.advance(2)
    assert "LOCK JAMMED locked" in screen.change_line(c.sim, c.sim.time_s)
    block = screen.status_block(c.sim, c.sim.time_s, 1.0, None, "")
    assert any("cannot be taken out" in line for line in block)


def test_commands_while_powered_off_say_so():
    """Given a power cut, when `get` or `set` is typed, then the reply says the
    controller is off and how to power it; `on` boots it again."""
    c = console()
    reply(c, "cut")
    for line in ("get", "set MAX 16", "settings", "png"):
        assert "the controller is off" in reply(c, line).text
    assert reply(c, "on").text.startswith("booted") and c.sim.app is not None


def test_set_takes_labels_with_spaces_and_logs_the_change():
    """Given `set MAX TEMP 50`, then the setting changes and `log` lists it with its
    simulated time."""
    c = console()
    c.sim.advance(1.5)
    assert reply(c, "set MAX TEMP 50").text == "MAX TEMP (temp_max) = 50 C"
    assert c.sim.app.settings.values["temp_max"] == 50
    assert "1.50 s  SETTING: MAX TEMP (temp_max) = 50 C" in reply(c, "log").text


def test_log_shows_firmware_events_with_simulated_time():
    """Given an EV plugged at 2 s, when `log`, then the state change is listed with a
    simulated time between 2 and 3.5 s (the firmware logs events once a second)."""
    c = console()
    c.sim.advance(2)
    reply(c, "plug 32")
    from sim.cli.watch import Watcher
    Watcher(c.sim, c.events, lambda t: None, lambda t, line: None).run(2)
    line = next(l for l in reply(c, "log").text.splitlines() if "state Connected to EV" in l)
    assert 2.0 <= float(line.split()[0]) <= 3.5


def test_get_is_pretty_and_raw_is_one_line():
    """Given `get`, then the JSON is indented over many lines; `get --raw` is one line;
    both parse to the same document."""
    c = console()
    pretty, raw = reply(c, "get").text, reply(c, "get --raw").text
    assert pretty.count("\n") > 20 and "\n" not in raw
    assert json.loads(pretty) == json.loads(raw)


def test_settings_lists_every_row_of_the_table():
    """Given `settings`, then every key of the settings table is listed once with its
    label, value, limits or options and whether the menu shows it."""
    text = reply(console(), "settings").text
    lines = text.splitlines()
    assert len(lines) == len(KEYS) + 1
    mode = next(l for l in lines if l.startswith("mode "))
    assert "MODE" in mode and "Normal, Smart, Solar" in mode and mode.rstrip().endswith("yes")
    assert "6..80 A" in next(l for l in lines if l.startswith("current_max "))
    assert "GRID" in text and reply(console(), "settings grid").text.count("\n") == 1


def test_png_writes_the_oled_picture(tmp_path):
    """Given `png PATH`, then a PNG of the OLED is written there."""
    path = tmp_path / "oled.png"
    assert "wrote" in reply(console(), f"png {path}").text
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tap_holds_a_card_on_the_reader_and_learn_stores_it():
    """Given RFID Learn, when `tap 04A1B2C3` is typed and 0.3 s pass, then the card is in
    the whitelist as 04A1B2C3000000 (settings-and-menu.md 4.1, 4.3); a UID that is not
    hex is refused with usage."""
    c = console({"rfid": "Learn"})
    c.sim.advance(1)
    assert not reply(c, "tap 04A1B2C3").failed
    c.sim.advance(0.3)
    assert c.sim.app.rfid.cards.cards() == ["04A1B2C3000000"]
    assert reply(c, "tap XYZ").failed


def test_press_holds_a_front_button_for_its_time():
    """Given the status screen, when `press ok 2500` is typed and 3 s pass, then the
    menu shows its first item (settings-and-menu.md 2.2: hold `O` 2 s)."""
    c = console()
    assert not reply(c, "press ok 2500").failed
    c.sim.advance(3)
    assert "MODE" in c.sim.display_text()[2]


def test_meter_and_bus_commands_reach_the_plant():
    """Given the simulated RS485 bus, when `meter offline`, `evmeter offline`, `evload 10 0 0`
    and `bus 0.1 0.05` are typed, then the plant's meters and the bus take them."""
    c = console()
    for line in ("meter offline", "evmeter offline", "evload 10 0 0", "bus 0.1 0.05"):
        assert not reply(c, line).failed, line
    plant = c.sim.plant
    assert not plant.mains.is_online and not plant.ev_meter.is_online
    assert plant.ev_meter.current_da()[0] == 10 and plant.mains.current_da()[0] == 10


def test_raw_pilot_and_draw_limit_reach_the_plant():
    """Given `pilot 7500` and `draw 100`, then the EV presents 7.5 V and draws at most
    10 A; `charge` ends the raw level."""
    c = console()
    reply(c, "pilot 7500")
    reply(c, "draw 100")
    assert c.sim.plant.ev.cp_mv_override == 7500 and c.sim.plant.ev.limit_da == 100
    reply(c, "charge")
    assert c.sim.plant.ev.cp_mv_override is None


def test_mains_commands_in_normal_mode_say_why():
    """Given Normal mode, when `load`, `pv` or `meter offline`, then the reply says Normal
    mode reads no mains meter and names MODE Smart."""
    for line in ("load 100 40 40", "pv 10 10 10", "meter offline"):
        assert reply(console(), line).text.endswith("Normal mode reads no mains meter: set MODE Smart")


_WORDS = sorted(COMMANDS) + ["until", "on", "off", "max", "C", "B1", "--raw", "MAX", "16", "-1",
                             "0", "1e9", "nan", "x=y", "=", "LOCK", "Solenoid", "ok", "reset"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=8)), max_size=5))
def test_no_line_of_text_raises(words):
    """Given any line made of command words and random text, when run, then it is
    answered (maybe as a failure) and never raises (issue 7 "Bad input")."""
    c = _FUZZ_CONSOLE
    r = commands.run(c, " ".join(words).replace("png", "help"))   # no files written
    assert isinstance(r.text, str)
    if c.sim.app is None:
        c.sim.power_on()


_FUZZ_CONSOLE = console()


def test_the_p1_command_switches_the_homewizard_meter_and_its_answers():
    """Given the mains meter HmWzrd P1, when `p1 off`, `p1 on`, `p1 phases 1` and `p1 fault
    bad_json` are typed, then the simulated P1 meter takes each (modbus.md 8.7); without a
    P1 mains the reply names the setting that gives one, and a bad fault its choices."""
    c = console({"mains_meter_type": 13})
    meter = c.sim.p1_meter
    assert not reply(c, "p1 off").failed and not meter.running
    assert not reply(c, "p1 on").failed and meter.running
    assert not reply(c, "p1 phases 1").failed and "active_current_l2_a" not in meter.data()
    assert not reply(c, "p1 fault bad_json").failed and meter.faulting == "bad_json"
    assert not reply(c, "p1 fault none").failed and meter.faulting is None
    assert "http_500" in reply(c, "p1 fault boom").text
    assert "HmWzrd P1" in reply(console(), "p1 off").text
