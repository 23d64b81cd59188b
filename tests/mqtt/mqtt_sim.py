"""Simulated controllers on a real broker: run until something holds, on simulated time
(the firmware's own socket waits let the wall clock move along)."""

import time

from sim import Simulation

PREFIX = "SmartEVSE/51446"


WALL_FLOOR_S = 5.0     # the broker and the clients run on the wall clock of a shared machine


def run_until(s, condition, max_s=10.0, step_s=0.1):
    """Advance in `step_s` slices until condition() holds; the simulated seconds it took.
    Fails after `max_s` simulated seconds, but not before 5 s of wall time have passed
    (what arrives over a socket needs wall time, however fast simulated time runs)."""
    start = s.time_s
    wall_start = time.monotonic()
    while not condition():
        if s.time_s - start > max_s and time.monotonic() - wall_start > WALL_FLOOR_S:
            raise AssertionError("condition not met within %.1f simulated s" % max_s)
        s.advance(step_s)
    return s.time_s - start


def online(broker, settings=None, **kwargs):
    """A controller connected to `broker`, its discovery and first cycle published."""
    s = Simulation(settings=settings, mqtt=broker.address, **kwargs)
    run_until(s, lambda: s.app.mqtt.connected, 5)
    s.advance(2.0)                     # discovery and the first (forced) cycle go out
    return s


def charging(s, seconds=3.0):
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(seconds)
    assert s.observe()["state"] == "Charging"


def received(s, listener, topic, payload=None, max_s=3.0):
    """Run the controller until `listener` holds `payload` (any if None) on `topic`;
    its (payload, retain)."""
    def arrived():
        got = listener.last().get(topic)
        return got is not None and (payload is None or got[0] == payload)
    run_until(s, arrived, max_s, 0.05)
    return listener.last()[topic]


def on_wall_time(s, condition, max_s=3.0):
    """Run the controller in 10 ms passes following the wall clock (the broker and the
    other clients live on it) until condition() holds; the seconds it took."""
    start = time.monotonic()
    sim_start = s.time_s
    while not condition():
        elapsed = time.monotonic() - start
        if elapsed > max_s:
            raise AssertionError("condition not met within %.1f s" % max_s)
        if elapsed > s.time_s - sim_start:
            s.advance(0.01)
        else:
            time.sleep(0.001)
    return s.time_s - sim_start


def time_mqtt_steps(s):
    """Wall-clock durations (s) of the MQTT step while a contactor is closed, from now on.
    Other programs share this machine's two cores, so tests judge a high percentile;
    `python -m bench` prints the worst."""
    link = s.app.mqtt
    board = s.board
    durations = []
    step = link.step

    def timed(now_ms):
        closed = board.contactor1.value or board.contactor2.value
        start = time.perf_counter()
        step(now_ms)
        if closed:
            durations.append(time.perf_counter() - start)
    passes = s.app.loop._every_pass
    passes[passes.index(step)] = timed
    return durations


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]
