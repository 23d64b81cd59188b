"""The command loop of `python -m sim` (issue 7 item 1, 2): commands in the order read,
time passing only as asked, `wait`, exit status, speed against the simulated clock.
Driven in-process with a fake wall clock and scripted input: nothing sleeps."""

from sim.cli.clock import MAX
from tests.cli.cli_helpers import run_session


def test_piped_commands_print_the_charging_state():
    """Given plug, charge, wait 3, get, quit piped in, when run live at speed 1, then the
    output shows the change to C "Charging" with its simulated time and get's JSON."""
    status, out, session = run_session(["plug 32", "charge", "wait 3", "get", "quit"])
    assert status == 0
    assert 'state C "Charging"' in out and '"state": "Charging (C2)"' in out
    assert abs(session.sim.time_s - 3.0) < 0.05


def test_one_timestamped_line_per_change():
    """Given a batch that plugs and charges, then each change is one line starting with
    its simulated time, in order A, B, C, and nothing is printed while nothing changes."""
    _, out, _ = run_session(["plug 32", "charge", "wait 30"], batch=True)
    changes = [line for line in out.splitlines() if "  state " in line]
    assert [line.split("state ")[1].split(" ")[0] for line in changes] == ["A", "B", "C"]
    assert all(line.strip().split(" ")[0].replace(".", "").isdigit() for line in changes)
    assert "C1 closed" in changes[-1] and "offered 13.0 A" in changes[-1]


def test_batch_time_passes_only_inside_wait():
    """Given --batch, when commands without wait run, then no simulated time passes;
    `wait 5` adds exactly 5 s, and the run ends with the input."""
    status, _, session = run_session(["plug 32", "charge", "get"], batch=True)
    assert status == 0 and session.sim.time_s == 0
    _, _, session = run_session(["plug 32", "wait 5", "charge"], batch=True)
    assert abs(session.sim.time_s - 5.0) < 1e-6


def test_wait_until_stops_on_the_tick_the_state_holds():
    """Given a plugged EV that asks for charge, when `wait until charging 10`, then the
    wait ends when C is reached (about 0.5 s, not 10 s) and the exit status is 0."""
    status, out, session = run_session(["plug 32", "charge", "wait until charging 10"], batch=True)
    assert status == 0 and "wait until charging 10: reached" in out
    assert session.sim.time_s < 1.0 and session.sim.app.evse.state == 2


def test_wait_until_timeout_fails_the_run():
    """Given no EV, when `wait until C 2`, then after 2 s it reports FAILED, the next
    commands still run, and the exit status is 1."""
    status, out, session = run_session(["wait until C 2", "plug 32"], batch=True)
    assert status == 1 and "wait until C 2: FAILED" in out
    assert abs(session.sim.time_s - 2.0) < 1e-6 and "> plug 32" in out


def test_wait_until_takes_internal_state_names():
    """Given an EV charging, when access is paused (REST mode 4), then `wait until c1`
    and then `wait until B1` both succeed (interfaces.md 0.2 names, any case)."""
    status, out, _ = run_session(["plug 32", "charge", "wait until C 5", "post mode=4",
                                  "wait until c1 5", "wait until B1 10"], batch=True)
    assert status == 0, out
    assert out.count(": reached") == 3


def test_live_end_of_input_keeps_running_until_duration():
    """Given live mode with input that ends without quit, then the simulation keeps
    running at the speed until --duration."""
    status, _, session = run_session(["plug 32"], speed=50.0, duration_s=20.0)
    assert status == 0 and abs(session.sim.time_s - 20.0) < 0.02


def test_live_wait_holds_the_next_command_back():
    """Given live mode at speed 10, when `wait 4` then `charge`, then charge is read only
    after 4 simulated seconds (0.4 wall seconds on the fake clock)."""
    _, out, session = run_session(["plug 32", "wait 4", "charge", "wait 2", "quit"], speed=10.0)
    charge_line = next(line for line in out.splitlines() if line.endswith("> charge"))
    assert abs(float(charge_line.split()[0]) - 4.0) < 0.05


def test_speed_change_keeps_simulated_time_at_the_new_rate():
    """Given speed 2 for 3 wall seconds then speed 20 for 1 wall second, then the
    simulated clock shows 6 + 20 s, within a tick, and achieved speed is measured."""
    wall_start = 1000.0
    _, _, session = run_session(["wait 6", "speed 20", "wait 20", "quit"], speed=2.0)
    assert abs(session.sim.time_s - 26.0) < 0.05
    elapsed = session.clock._wall_s() - wall_start
    assert abs(elapsed - 4.0) < 0.1
    assert abs(session.clock.achieved() - 20.0) < 1.0


def test_speed_max_runs_without_waiting_for_the_wall_clock():
    """Given speed max, when waiting 100 s, then almost no fake wall time passes and the
    achieved speed reported is high."""
    _, _, session = run_session(["wait 100", "quit"], speed=MAX)
    assert session.sim.time_s >= 100
    assert session.clock._wall_s() - 1000.0 < 0.1


def test_speed_refuses_zero_negative_and_words_and_keeps_the_rate():
    """Given speed 5, when `speed 0`, `speed -1`, `speed fast` are typed, then each is
    refused with the rule, and time still runs at 5x."""
    _, out, session = run_session(["speed 0", "speed -1", "speed fast", "speed nan",
                                   "wait 5", "quit"], speed=5.0)
    assert out.count("speed must be a number greater than 0, or max") == 4
    assert session.clock.speed == 5.0
    assert abs(session.clock.achieved() - 5.0) < 0.5


def test_quit_and_exit_stop_with_status_zero():
    """Given live input that never ends, when `exit`, then the run stops with 0."""
    status, _, session = run_session(["plug 32", "exit", "charge"])
    assert status == 0 and session.sim.plant.ev.level == "B"


def test_a_closed_output_stops_quietly():
    """Given an output whose reader went away, when the loop writes, then it stops
    without raising."""

    class Closed:
        def write(self, text):
            raise BrokenPipeError

        def flush(self):
            pass

    from sim.cli.session import Session
    from sim.simulation import Simulation
    from tests.cli.cli_helpers import FakeWall, ScriptedInput
    wall = FakeWall()
    session = Session(Simulation(), ScriptedInput(wall, ["plug 32"], end=False), Closed(), wall)
    assert session.run() == 0 and session.out_closed


def test_speed_max_says_how_fast_it_was():
    """Given live mode at speed max, when the run ends, then the last line gives the
    simulated seconds, the wall seconds and the speed reached."""
    _, out, _ = run_session(["wait 50", "quit"], speed=MAX)
    last = out.splitlines()[-1]
    assert "speed max: " in last and " simulated s in " in last and " wall s, " in last


def test_live_view_shows_requested_and_achieved_speed():
    """Given a terminal at speed 20, when the view is drawn after 2 wall seconds, then it
    shows 20x requested and about 20x achieved."""

    class Terminal:
        def __init__(self):
            self.frames = []

        def draw(self, block):
            self.frames.append(block)

        prompt = draw

    terminal = Terminal()
    run_session(["wait 40", "quit"], speed=20.0, live_view=terminal)
    last = terminal.frames[-1][0]
    assert "speed 20x requested, " in last
    achieved = float(last.split("requested, ")[1].split("x")[0])
    assert 19 <= achieved <= 21


def test_live_view_shows_energy_figures_once_an_ev_meter_exists():
    """Given no EV meter, then the live view has no energy line; given EV METER set and
    the figures the OLED shows (EV power, session energy), then it shows them."""
    from sim.cli import screen
    from sim.simulation import Simulation
    assert not any("session" in line for line in screen.status_block(Simulation(), 0, 1.0, None, ""))
    s = Simulation(settings={"EV METER": "Eastron3P"})
    s.app.evse.ev_power_w = 7360
    s.app.session_wh = 1234
    assert "EV power 7360 W  session 1234 Wh" in screen.status_block(s, 0, 1.0, None, "")
