"""RFID figures for `python -m bench` (issue 12): tap-to-contactor time in simulated time
for a stored card with the EV waiting, and the host cost of one PN532 poll step of each
kind (the real adafruit_pn532 driver against the simulated PN532)."""

import statistics
import time
import tracemalloc

from sim import Simulation
from sim.pn532 import SimPn532
from smartevse.rfid.reader import Pn532Reader

CARD = "04A1B2C3"


def tap_to_contactor_s():
    """Simulated seconds from a tap of a stored card to contactor 1 closing, EV waiting in
    B with access OFF (EnableAll, settings-and-menu.md 4.3)."""
    s = Simulation(settings={"rfid": "EnableAll"})
    text = CARD + "\n"
    s.rest("POST", "/update", params={"file": "rfid.txt", "offset": 0, "size": len(text)},
           body=text)
    s.configure({"access": "OFF"})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(5.0)
    start = s.time_s
    s.plant.rfid.tap(CARD, hold_s=0.5)
    while not s.board.contactor1.value and s.time_s - start < 30:
        s.advance(0.01)
    return s.time_s - start


def _listening_reader():
    chip = SimPn532()
    reader = Pn532Reader(chip)
    now_ms = 0
    for _ in range(6):
        now_ms += 100
        reader.step(now_ms)
    return reader, chip, now_ms


def _run_steps(steps, measure):
    """Step a listening reader with a card tapped every 5 s; measure(kind, step) each step."""
    reader, chip, now_ms = _listening_reader()
    for i in range(steps):
        if i % 50 == 10:
            chip.tap(CARD, hold_s=0.1)
        waiting = chip.in_waiting
        commands = chip.commands
        short = chip.short_reads
        now_ms += 100
        chip.step(100)
        value = measure(reader.step, now_ms)
        kind = "card read" if waiting else "listen" if chip.commands > commands else "idle poll"
        yield kind, (value, chip.short_reads - short)


def _timed(step, now_ms):
    t0 = time.perf_counter_ns()
    step(now_ms)
    return time.perf_counter_ns() - t0


def _traced(step, now_ms):
    tracemalloc.start()
    step(now_ms)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def step_costs(steps=3000):
    """{kind: (mean us, peak bytes traced, most reads that wait)} of an idle poll, a listen
    (renewed each second, and after each card) and a card read. A read asking for more
    than has arrived waits out the UART timeout (10 ms) on the device."""
    costs = {}
    waits = {}
    for kind, (ns, short) in _run_steps(steps, _timed):
        costs.setdefault(kind, []).append(ns)
        waits[kind] = max(waits.get(kind, 0), short)
    peaks = {}
    for kind, (peak, _) in _run_steps(steps, _traced):
        peaks[kind] = max(peaks.get(kind, 0), peak)
    return {kind: (statistics.mean(v) / 1000, peaks[kind], waits[kind])
            for kind, v in costs.items()}


def print_figures():
    print("RFID (PN532, real adafruit_pn532 over the simulated chip)")
    print(f"  tap to contactor, stored card, EV waiting: {tap_to_contactor_s():6.2f} s simulated"
          " (reader poll 100 ms, then B -> C)")
    for kind, (mean_us, peak_b, waits) in step_costs().items():
        print(f"  poll step, {kind:<10} host mean {mean_us:7.1f} us, peak {peak_b:5d} B traced,"
              f" {waits} read(s) waiting the 10 ms UART timeout on the device")
