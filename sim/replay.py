"""Replays a day of one-minute PV and house readings against the simulated controller
(issue 9 item 7 and the Solar benchmark): the summary a user tunes START/STOP/IMPORT on.

Formats read (first line a header): `time,pv_w,house_w` (an inverter portal's export; time
is free text), "Unix timestamp, PV W" (house load: a constant base load), and
"date-time, PV W, grid import(+)/export(-) W" (house = PV + grid; `null` holds the previous
reading). PV and house split evenly over the three phases at 230 V.
"""

import csv
from dataclasses import dataclass, field

from sim import hindsight
from sim.simulation import Simulation

VOLTS = 230
BASE_LOAD_W = 300                  # the house for PV-only files
TARGET_SHARE = 90                  # % of the ideal the bench asks for
DEFAULT_SETTINGS = {"mains_meter_type": 1, "mode": "Solar", "MIN": 6, "MAX": 16,
                    "CONTACT 2": "Auto"}
MODE_SOLAR = 2
SOLAR_CHARGE_DELAY_S = 15          # a Solar start waits 15 s of surplus (charging.md 3.2, 2.5-14)
SOLAR_START_S = 40                 # then draws MIN for 40 s (4.7 a)


def read_day(path):
    """[(pv_w, house_w)] per minute from one of the three formats; ValueError otherwise."""
    try:
        with open(path, newline="") as f:
            rows = [[cell.strip().strip('"') for cell in row] for row in csv.reader(f) if row]
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    if len(rows) < 2:
        raise ValueError(f"{path}: a header and at least one minute of readings are needed")
    width = len(rows[0])
    if width not in (2, 3):
        raise ValueError(f"{path}: expected 2 or 3 columns (time, PV W[, house or grid W]), got {width}")
    grid = width == 3 and "grid" in rows[0][2].lower()
    minutes = []
    pv_w, house_w = 0.0, float(BASE_LOAD_W)
    for number, row in enumerate(rows[1:], start=2):
        try:
            values = [None if cell.lower() in ("null", "") else float(cell) for cell in row[1:width]]
        except ValueError:
            raise ValueError(f"{path} line {number}: not a number in {row!r}") from None
        if values[0] is not None:
            pv_w = max(0.0, values[0])
        if width == 3 and values[1] is not None:
            house_w = max(0.0, pv_w + values[1] if grid else values[1])
        minutes.append((pv_w, house_w))
    return minutes


@dataclass
class Summary:
    minutes: int = 0
    ev_wh: float = 0.0
    ideal_wh: float = 0.0
    ev_import_wh: float = 0.0
    relay_events: int = 0
    phase_switches: int = 0
    trace: list = field(default_factory=list)   # (minute, pv_w, house_w, ev_da, phases, grid_w)
    relay_minutes: list = field(default_factory=list)
    bound: hindsight.Plan = None                # the best plan knowing the day (sim/hindsight.py)
    start: hindsight.Start = None               # this controller's start sequence (Solar)
    start_bound_wh: float = None                # no plan paying that start takes more

    def lines(self, name):
        hours = self.minutes / 60 or 1
        share = 100 * self.ev_wh / self.ideal_wh if self.ideal_wh else 100.0
        caused = 100 * self.ev_import_wh / self.ev_wh if self.ev_wh else 0.0
        return [f"{name}: {self.minutes} min, EV {self.ev_wh / 1000:.2f} kWh = {share:.0f} % of the "
                f"ideal {self.ideal_wh / 1000:.2f} kWh (target >= 90 %), import caused by the EV "
                f"{self.ev_import_wh / 1000:.2f} kWh = {caused:.1f} % (target <= 5 %), relay events "
                f"{self.relay_events / hours:.2f}/h (target <= 2), phase switches "
                f"{self.phase_switches / hours:.2f}/h"] + self._hindsight_lines(hours)

    def _hindsight_lines(self, hours):
        best = self.bound
        if best is None:
            return []
        if best.ev_wh <= 0 < self.ideal_wh:
            return ["  hindsight: no plan that charges meets both event and import targets (2 relay "
                    f"events per hour allow {hindsight.max_events(self.minutes)} in {self.minutes} min)"]
        share = 100 * best.ev_wh / self.ideal_wh if self.ideal_wh else 100.0
        caused = 100 * best.import_wh / best.ev_wh if best.ev_wh else 0.0
        line = (f"  hindsight best under the targets: {share:.1f} % of ideal (import {caused:.1f} %, "
                f"relay events {best.relay_events / hours:.2f}/h; no controller within the targets does better)")
        if share < TARGET_SHARE:
            line += (f": below the {TARGET_SHARE} % target, so the three targets cannot all be met "
                     "on this day by any controller")
        return [line] + self._start_lines()

    def _start_lines(self):
        if self.start is None or not self.ideal_wh:
            return []
        share = 100 * self.start_bound_wh / self.ideal_wh
        line = (f"  with this controller's start (no draw for the first {self.start.delay_s} s, then "
                f"MIN for {self.start.min_s} s: charging.md 3.2, 4.7 a), knowing the day: at most "
                f"{share:.1f} % of ideal within the targets")
        if share < TARGET_SHARE:
            line += (f": below the {TARGET_SHARE} % target, so no start/stop rule of this controller "
                     "can meet all three targets on this day")
        return [line]


def _per_phase_da(watts):
    return int(watts * 10 / VOLTS / 3)


def replay(minutes, settings=None, response_s=2.0):
    """Run the controller over the day, one simulated second at a time; a Summary."""
    values = dict(DEFAULT_SETTINGS)
    values.update(settings or {})
    s = Simulation(settings=values)
    s.plant.ev.response_s(response_s)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    v = s.app.settings.values
    min_w, max_w = v["current_min"] * VOLTS, v["current_max"] * VOLTS * 3
    out = Summary()
    c1 = s.board.contactor1.value
    evse = s.app.evse
    switching = False
    for minute, (pv_w, house_w) in enumerate(minutes):
        pv, house = _per_phase_da(pv_w), _per_phase_da(house_w)
        s.plant.mains.pv_da(pv, pv, pv)
        s.plant.mains.load_da(house, house, house)
        surplus_w = pv_w - house_w
        if surplus_w >= min_w:
            out.ideal_wh += min(surplus_w, max_w) / 60
        for _ in range(60):
            charging = c1
            s.advance(1)
            draw = s.plant.ev.draw_da
            ev_w = sum(draw) * VOLTS / 10
            grid_w = house_w - pv_w + ev_w
            out.ev_wh += ev_w / 3600
            out.ev_import_wh += (max(0.0, grid_w) - max(0.0, house_w - pv_w)) / 3600
            if s.board.contactor1.value != c1:
                c1 = not c1
                out.relay_events += 1
                out.relay_minutes.append(minute)
            # a switch is a request recorded while charging (charging.md 6.4 step 1; the EV may
            # open contactor 1 within the same second); a start on 3 phases is no switch
            if evse.phase_request and charging and not switching:
                out.phase_switches += 1
            switching = bool(evse.phase_request)
        out.trace.append((minute, pv_w, house_w, draw[0], 3 if s.board.contactor2.value else 1, grid_w))
    out.minutes = len(minutes)
    surplus_w = [pv_w - house_w for pv_w, house_w in minutes]
    out.bound = hindsight.best_plan(surplus_w, v["current_min"], v["current_max"])
    if v["mode"] == MODE_SOLAR:
        out.start = hindsight.Start(start_w=v["solar_start_current"] * VOLTS,
                                    delay_s=SOLAR_CHARGE_DELAY_S + round(response_s),
                                    min_s=SOLAR_START_S)
        out.start_bound_wh = hindsight.upper_bound_wh(surplus_w, v["current_min"], v["current_max"],
                                                      start=out.start)
    return out
