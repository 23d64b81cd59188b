"""`python -m bench`: figures for speed and memory (printed, never asserted).

- simulated seconds per wall second for one controller charging in Normal mode
  (target >= 1000), and for eight controllers on one bus (target >= 100);
- cost of one loop pass (mean, p99) and of the 10 ms safety service alone;
- cost of the 20 ms LED service (settings-and-menu.md D8);
- heap allocations per 10 ms pass in steady state, with tracemalloc (target: 0);
- Modbus: CPU time to decode one meter reply, heap blocks kept per frame (bench/modbus.py);
- regulation: cycles to settle and overshoot after a 10 A house-load step in Smart, and
  the measured solar days replayed in Solar mode (bench/regulation.py);
- MQTT against a real mosquitto: worst blocking of the MQTT step with a contactor closed,
  publish-to-broker and command-to-effect latency, the worst blocking of the step that
  makes a TLS handshake (bench/mqtt.py);
- RFID: tap-to-contactor time (simulated) for a stored card with the EV waiting, and the
  cost of one PN532 poll step of each kind (bench/rfid.py);
- OCPP: round trip to the loopback central system, one OCPP step, NVM writes in an hour
  offline, the heap OCPP adds on the device (bench/ocpp.py);
- REST over real HTTP at 50 requests/s while charging: latency, the 10 ms service's
  worst lateness, the HTTP services' worst blocking (bench/http.py);
- device figures under a real MicroPython (bench/device.py): pystack depth, live heap,
  settings-table heap, bytes per pass of each service.
"""

import statistics
import sys
import time

import sim  # noqa: F401  (CircuitPython shims)
from bench import allocations, device, homewizard, http, modbus, mqtt, ocpp, regulation, rfid
from sim.simulation import Simulation


def charging_sim():
    s = Simulation(settings={"current_max": 16})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(5.0)
    o = s.observe()
    if o["state"] != "Charging":
        raise SystemExit(f"bench setup: expected Charging, got {o['state']!r}")
    return s


def bench_speed(seconds=120.0):
    s = charging_sim()
    t0 = time.perf_counter()
    s.advance(seconds)
    wall = time.perf_counter() - t0
    return seconds / wall


def bench_speed_nodes(nodes, seconds=20.0):
    """Simulated s per wall s for `nodes` controllers on one bus, every EV charging (Normal,
    CIRCUIT 160 A, Eastron mains meter, an Eastron EV meter per controller), as text."""
    s = Simulation(settings={"mains_meter_type": "Eastron3P", "mains_meter_address": 10,
                             "current_max_circuit": 160, "current_max": 16}, nodes=nodes)
    for n in range(1, nodes + 1):
        c = s.node(n)
        c.configure({"ev_meter_type": "Eastron3P", "ev_meter_address": 10 + n})
        c.plant.cable(rating_a=32)
        c.plant.ev.pilot("C")
    s.advance(20.0)
    charging = sum(s.node(n).observe()["state"] == "Charging" for n in range(1, nodes + 1))
    t0 = time.perf_counter()
    s.advance(seconds)
    speed = seconds / (time.perf_counter() - t0)
    return f"{speed:8.0f} simulated s per wall s ({charging} of {nodes} charging)"


def bench_pass_cost(passes=20000):
    s = charging_sim()
    clock, plant, board = s._clock, s.plant, s.board
    run_once = s.app.loop.run_once
    safety = s.app._tick_10ms
    led = s.app._tick_led
    costs, safety_costs, led_costs = [], [], []
    perf = time.perf_counter_ns
    for _ in range(passes):
        clock.now_ms += 10
        plant.step(10, board)
        t0 = perf()
        run_once()
        costs.append(perf() - t0)
    for _ in range(passes):
        clock.now_ms += 10
        t0 = perf()
        safety(clock.now_ms)
        safety_costs.append(perf() - t0)
        t0 = perf()
        led(clock.now_ms)
        led_costs.append(perf() - t0)
    return costs, safety_costs, led_costs


def p99(values):
    return sorted(values)[int(len(values) * 0.99)]


def bench_allocations(passes=5000):
    """Heap blocks the 10 ms safety service keeps per pass, the peak of short-lived bytes
    in one pass, and the firmware lines that kept blocks (bench/allocations.py)."""
    s = charging_sim()
    kept, peak_transient = allocations.measure(s.app._tick_10ms, s, passes)
    return sum(st.count_diff for st in kept) / passes, peak_transient, kept[:5]


def main():
    print("SmartEVSE firmware benchmarks (host CPython %s)" % sys.version.split()[0])
    speed = bench_speed()
    print(f"  speed, 1 controller charging (Normal): {speed:8.0f} simulated s per wall s (target >= 1000)")
    print(f"  speed, 8 controllers on one bus:        {bench_speed_nodes(8)} (target >= 100)")
    costs, safety_costs, led_costs = bench_pass_cost()
    print(f"  loop pass (all due services):           mean {statistics.mean(costs) / 1000:6.1f} us"
          f"   p99 {p99(costs) / 1000:6.1f} us")
    print(f"  10 ms safety service alone:             mean {statistics.mean(safety_costs) / 1000:6.1f} us"
          f"   p99 {p99(safety_costs) / 1000:6.1f} us")
    print(f"  20 ms LED service (D8):                 mean {statistics.mean(led_costs) / 1000:6.1f} us"
          f"   p99 {p99(led_costs) / 1000:6.1f} us")
    per_pass, transient, sites = bench_allocations()
    print(f"  heap blocks kept per 10 ms pass:        {per_pass:8.4f} (tracemalloc, steady state; target 0)")
    print(f"  peak short-lived bytes in one pass:     {transient:8d} (host int boxing; 0 objects kept)")
    for st in sites:
        print(f"    kept: {st}")
    modbus.print_figures()
    regulation.print_figures()
    mqtt.print_figures()
    rfid.print_figures()
    ocpp.print_figures()
    http.print_figures()
    homewizard.print_figures()
    device.print_figures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
