"""`python -m sim --replay FILE.csv`: a day of one-minute readings through the controller in
Solar mode, its summary printed (issue 9 item 7)."""

import io

import pytest

from sim import replay
from sim.cli.main import main


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


SUNNY = "time,pv_w,house_w\n" + "".join(f"10:{m:02d},6000,500\n" for m in range(8))


def test_a_sunny_plain_csv_charges_and_prints_its_summary(tmp_path):
    """Given 8 minutes of 6 kW PV over a 0.5 kW house, when replayed, then the summary names
    the file, the EV took energy, and it exits 0 (item 7)."""
    out = io.StringIO()
    status = main(["--replay", _write(tmp_path, "day.csv", SUNNY)], stdout=out)
    text = out.getvalue()
    assert status == 0 and text.startswith("day.csv: 8 min, EV ")
    assert "of the ideal" in text and "relay events" in text
    assert not text.startswith("day.csv: 8 min, EV 0.00 kWh")


def test_grid_files_take_the_house_from_pv_plus_grid_and_hold_null_readings(tmp_path):
    """Given the grid import/export format with a `null` row, then house = PV + grid and the
    gap holds the previous minute (data/solar-days format)."""
    path = _write(tmp_path, "g.csv", '"Date-time string", "solar:solar", "grid:Grid import export RAW"\n'
                                     "2018-06-10 07:00:00, 1000.0, -200\n2018-06-10 07:01:00, null, null\n")
    assert replay.read_day(path) == [(1000.0, 800.0), (1000.0, 800.0)]


def test_pv_only_files_get_a_constant_base_load(tmp_path):
    """Given "Unix timestamp, PV W", then the house is the 300 W base load."""
    path = _write(tmp_path, "p.csv", '"Unix timestamp", "Node:solar"\n1533530700, 250.0\n')
    assert replay.read_day(path) == [(250.0, 300.0)]


def test_a_bad_file_is_one_clear_line_and_status_2(tmp_path, capsys):
    """Given a CSV with text where a number belongs, then exit 2 naming the line (bad input)."""
    path = _write(tmp_path, "bad.csv", "time,pv_w,house_w\n10:00,lots,500\n")
    assert main(["--replay", path], stdout=io.StringIO()) == 2
    assert "bad.csv line 2: not a number" in capsys.readouterr().err


def test_plot_writes_the_day_as_a_png(tmp_path):
    """Given --plot day.png, then the summary prints and a PNG of the day is written (item 7)."""
    png = tmp_path / "day.png"
    out = io.StringIO()
    assert main(["--replay", _write(tmp_path, "d.csv", SUNNY), "--plot", str(png)], stdout=out) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"plot written to {png}" in out.getvalue()


def test_plot_without_replay_is_a_usage_error(capsys):
    """Given --plot alone, then exit 2 saying it draws a --replay day."""
    with pytest.raises(SystemExit) as exc:
        main(["--plot", "d.png"])
    assert exc.value.code == 2
    assert "--plot draws a --replay day" in capsys.readouterr().err


SUNNY_HALF_HOUR = "time,pv_w,house_w\n" + "".join(f"10:{m:02d},6000,500\n" for m in range(30))
CLOUD_IN_THE_MIDDLE = "time,pv_w,house_w\n" + "".join(
    f"10:{m:02d},{500 if 10 <= m < 20 else 5500},500\n" for m in range(30))


def test_the_summary_prints_the_hindsight_bound_of_the_day(tmp_path):
    """Given 30 minutes of 5.5 kW surplus (one relay event allowed), when replayed, then below
    the day's line the summary prints the best any controller could do knowing the day: all of
    the ideal, on 3 phases from one start (issue 9 Solar benchmark, charging.md 4.7)."""
    out = io.StringIO()
    assert main(["--replay", _write(tmp_path, "sunny.csv", SUNNY_HALF_HOUR)], stdout=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("sunny.csv: 30 min, EV ")
    assert lines[1] == ("  hindsight best under the targets: 100.0 % of ideal (import 0.0 %, "
                        "relay events 2.00/h; no controller within the targets does better)")


def test_a_day_whose_bound_is_below_90_percent_says_the_targets_cannot_all_be_met(tmp_path):
    """Given 10 minutes of 5 kW surplus, 10 of none, 10 of 5 kW and one relay event allowed,
    when replayed, then the bound is 50 % (a second start or 10 minutes of import would break
    a target) and the line says plainly no controller can meet all three targets."""
    out = io.StringIO()
    assert main(["--replay", _write(tmp_path, "cloud.csv", CLOUD_IN_THE_MIDDLE)], stdout=out) == 0
    assert ("  hindsight best under the targets: 50.0 % of ideal (import 0.0 %, relay events "
            "2.00/h; no controller within the targets does better): below the 90 % target, so the three targets "
            "cannot all be met on this day by any controller") in out.getvalue().splitlines()


def test_the_summary_prints_the_bound_with_this_controllers_start(tmp_path):
    """Given 30 minutes of 5.5 kW surplus, when replayed in Solar mode, then a third line bounds
    what any start/stop rule of this controller can take knowing the day: a start draws nothing
    for 15 s plus the EV's 2 s answer, then MIN for 40 s (charging.md 3.2, 4.7 a), so the one
    start costs most of its first minute on 3 phases: at most 98.5 % of the ideal."""
    out = io.StringIO()
    assert main(["--replay", _write(tmp_path, "sunny.csv", SUNNY_HALF_HOUR)], stdout=out) == 0
    assert out.getvalue().splitlines()[2] == (
        "  with this controller's start (no draw for the first 17 s, then MIN for 40 s: "
        "charging.md 3.2, 4.7 a), knowing the day: at most 98.5 % of ideal within the targets")


def test_a_day_no_start_stop_rule_can_meet_says_so(tmp_path):
    """Given 10 minutes of 5 kW surplus, 10 of none and 10 of 5 kW (one relay event allowed),
    when replayed, then the bound with this controller's start is under 90 % and the line says
    no start/stop rule of this controller can meet all three targets on this day."""
    out = io.StringIO()
    assert main(["--replay", _write(tmp_path, "cloud.csv", CLOUD_IN_THE_MIDDLE)], stdout=out) == 0
    line = out.getvalue().splitlines()[2]
    assert line.startswith("  with this controller's start") and " at most 55.4 % of ideal " in line
    assert line.endswith(": below the 90 % target, so no start/stop rule of this controller can meet "
                         "all three targets on this day")


SWITCH_TO_ONE_PHASE = "time,pv_w,house_w\n" + "".join(
    f"10:{m:02d},{6000 if m < 10 else 2500},500\n" for m in range(30))


def test_a_phase_switch_is_counted_and_a_start_on_three_phases_is_not(tmp_path):
    """Given 10 minutes of 5.5 kW surplus then 20 of 2 kW, when replayed, then the start on
    3 phases and the switch to 1 phase (charging.md 4.7 b, 6.4: contactor 1 opens and closes)
    are 3 relay events, 6.00/h, of which one phase switch, 2.00/h; a day charging on 3 phases
    from one start shows no phase switch (closing contactor 2 with contactor 1 is a start)."""
    out = io.StringIO()
    assert main(["--replay", _write(tmp_path, "switch.csv", SWITCH_TO_ONE_PHASE)], stdout=out) == 0
    assert "relay events 6.00/h (target <= 2), phase switches 2.00/h" in out.getvalue()
    out = io.StringIO()
    assert main(["--replay", _write(tmp_path, "sunny.csv", SUNNY_HALF_HOUR)], stdout=out) == 0
    assert "relay events 2.00/h (target <= 2), phase switches 0.00/h" in out.getvalue()
