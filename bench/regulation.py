"""Regulation figures of `python -m bench` (issue 9 benchmarks): Smart's answer to a 10 A
house-load step, and measured solar days replayed in Solar mode (sim/replay.py).

The solar days come from a GPL-3.0 project and stay outside this repository: set
SMARTEVSE_SOLAR_DAYS to the folder holding them; without it they are skipped with a note.
"""

import os

from sim import replay
from sim.simulation import Simulation

MAINS_A = 25
CYCLE_S = 2


def settle_after_step(response_s=2.0):
    """(cycles to settle within 1 A, largest overshoot above MAINS in dA, cycles above MAINS)
    after the house load steps from 5 A to 15 A per phase under Smart, MAINS 25 A, MAX 32."""
    s = Simulation(settings={"mains_meter_type": 1, "mode": "Smart", "MAX": 32, "MAINS": MAINS_A})
    s.plant.ev.response_s(response_s)
    s.plant.cable(rating_a=32)
    s.plant.mains.load_da(50, 50, 50)
    s.plant.ev.pilot("C")
    s.advance(120)
    s.plant.mains.load_da(150, 150, 150)
    target_da = MAINS_A * 10 - 150
    overshoot = 0
    above = 0
    settled = None
    for cycle in range(1, 61):
        s.advance(CYCLE_S)
        highest = max(s.plant.mains.current_da())
        if highest > MAINS_A * 10:
            above += 1
            overshoot = max(overshoot, highest - MAINS_A * 10)
        if settled is None and abs(s.plant.ev.draw_da[0] - target_da) <= 10:
            settled = cycle
    return settled, overshoot, above


def solar_days():
    folder = os.environ.get("SMARTEVSE_SOLAR_DAYS")
    if not folder or not os.path.isdir(folder):
        return None
    return sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".csv"))


def print_figures():
    settled, overshoot, above = settle_after_step()
    print("Regulation (simulated EV answering after 2 s)")
    print(f"  Smart, 10 A house-load step: settled within 1 A after {settled} cycles; largest "
          f"overshoot above MAINS {overshoot / 10:.1f} A over {above} cycles (target 0 A steady, "
          f"at most one cycle of transient)")
    days = solar_days()
    if days is None:
        print("  solar days: skipped (set SMARTEVSE_SOLAR_DAYS to the folder of the measured days)")
        return
    for path in days:
        summary = replay.replay(replay.read_day(path))
        for line in summary.lines(os.path.basename(path)):
            print("  " + line)
