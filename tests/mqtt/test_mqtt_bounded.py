"""A missing or lost broker never stalls the loop; DNS only with the contactors open; a
flood of commands keeps the 10 ms timing (issue 11 items 5 and 10; interfaces.md 2.1)."""

import gc
import subprocess
import sys
import time

from mqtt_broker import Broker, Listener, free_port
from mqtt_sim import (PREFIX, charging, on_wall_time, online, percentile, received, run_until,
                      time_mqtt_steps)
from sim import Simulation

STEP_BUDGET_S = 0.020          # every MQTT step while the contactors are closed (item 10)
PASS_BUDGET_S = 0.010          # a pass shorter than the 10 ms period: never a period late
# Other programs share this machine's two cores and deschedule the test at random: the
# tests judge the 95th percentile of wall-clock durations; `python -m bench` prints the worst.
QUANTILE = 0.95


def test_a_missing_broker_never_stalls_the_charge_and_retries_with_back_off():
    """Given a broker address where nothing listens, when the EV charges for 70 s, then it
    charges as without MQTT, MQTT steps block under 20 ms (95th percentile: this machine's
    cores are shared), and the link retries
    after 1, 2, 4, 8, 16, 30 s (interfaces.md 2.1 back-off), 7 attempts, never connected."""
    s = Simulation(mqtt="127.0.0.1:%d" % free_port())
    charging(s)
    steps = time_mqtt_steps(s)
    s.advance(67)
    link = s.app.mqtt
    assert s.observe()["state"] == "Charging" and s.observe()["contactor1"]
    assert not link.connected
    assert link.failures == 7, link.last_error
    assert percentile(steps, QUANTILE) <= STEP_BUDGET_S
    assert s.app.loop.faults == 0


def test_a_lost_broker_is_noticed_and_the_link_comes_back_when_it_returns(tmp_path):
    """Given a connected charging controller, when the broker stops, then the link notices
    it without stalling (steps <= 20 ms) and, once a broker listens again on the address,
    reconnects within its back-off and says online again (interfaces.md 2.1)."""
    broker = Broker(str(tmp_path / "a"))
    s = online(broker)
    try:
        charging(s)
        steps = time_mqtt_steps(s)
        broker.stop()
        run_until(s, lambda: not s.app.mqtt.connected, 15, 0.5)
        s.advance(5)
        assert percentile(steps, QUANTILE) <= STEP_BUDGET_S
        broker = Broker(str(tmp_path / "b"), port=broker.port)
        listener = Listener(broker.port, client_id="back")
        try:
            run_until(s, lambda: s.app.mqtt.connected, 35, 0.5)
            assert received(s, listener, PREFIX + "/connected", "online")
            assert s.observe()["state"] == "Charging"
        finally:
            listener.close()
    finally:
        s.close()
        broker.stop()


def test_a_broker_by_name_is_looked_up_only_while_the_contactors_are_open(broker):
    """Given a charging controller, when its broker is set by host name (a DNS lookup
    blocks for seconds on the device), then no connection is tried while the contactors
    are closed; when the EV stops charging and they open, it connects (issue 11 item 10)."""
    s = Simulation()
    charging(s)
    s.configure({"mqtt_port": broker.port, "mqtt_host": "localhost"})
    s.advance(20)
    link = s.app.mqtt
    assert not link.connected and link.failures == 0
    s.plant.ev.pilot("B")
    run_until(s, lambda: link.connected, 5, 0.1)
    assert not s.observe()["contactor1"]
    s.close()


def test_a_flood_of_commands_keeps_the_10_ms_timing(broker):
    """Given a charging controller, when another process floods 2000 Set/CustomButton
    commands and then Set/Mode Pause, then loop passes take under 10 ms of wall time (the
    10 ms service is not a period late) and MQTT steps under 20 ms (95th percentiles), the
    commands beyond the queue are dropped and counted, and the last one is carried out
    (issue 11 "Bad input", item 10)."""
    s = online(broker)
    try:
        charging(s)
        loop = s.app.loop
        run_once = loop.run_once
        passes = []
        steps = time_mqtt_steps(s)

        def timed():
            start = time.perf_counter()
            run_once()
            passes.append(time.perf_counter() - start)
        loop.run_once = timed
        gc.freeze()        # the test process's heap out of CPython's automatic collections
        flood = subprocess.Popen([sys.executable, "-c", _FLOOD, str(broker.port), PREFIX])
        link = s.app.mqtt
        on_wall_time(s, lambda: link.received >= 2001 and not link.commands, 20)
        assert flood.wait(10) == 0
        s.advance(0.5)
        gc.unfreeze()
        assert percentile(passes, QUANTILE) < PASS_BUDGET_S, max(passes)
        assert percentile(steps, QUANTILE) <= STEP_BUDGET_S, max(steps)
        assert link.dropped > 0 and s.observe()["access"] == "pause"
        assert s.app.loop.faults == 0 and link.failures == 0
    finally:
        gc.unfreeze()
        s.close()


_FLOOD = """
import sys
import paho.mqtt.client as paho
port, prefix = int(sys.argv[1]), sys.argv[2]
c = paho.Client(client_id="flood", protocol=paho.MQTTv311)
c.connect("127.0.0.1", port)
c.loop_start()
for i in range(2000):
    c.publish(prefix + "/Set/CustomButton", "On" if i % 2 else "Off")
c.publish(prefix + "/Set/Mode", "Pause", qos=1).wait_for_publish(10)
c.disconnect()
c.loop_stop()
"""
