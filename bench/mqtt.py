"""MQTT figures for `python -m bench` (issue 11 items 5, 10), against a real mosquitto on
loopback: the worst blocking of one MQTT step while a contactor is closed (connected, and
with no broker listening), command-to-effect and publish-to-broker latency, and the worst
blocking of the step that makes a TLS handshake (mqtts://, contactors open)."""

import os
import statistics
import sys
import tempfile
import time

_TESTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "mqtt")


def _follow_wall(s, seconds, until=None):
    """Run the controller in 10 ms passes on the wall clock for `seconds` (or until `until()`)."""
    start = time.monotonic()
    sim_start = s.time_s
    while time.monotonic() - start < seconds and not (until is not None and until()):
        if time.monotonic() - start > s.time_s - sim_start:
            s.advance(0.01)
        else:
            time.sleep(0.0005)
    return time.monotonic() - start


def figures():
    sys.path.insert(0, _TESTS)
    import shutil
    if shutil.which("mosquitto") is None and not os.path.exists("/usr/sbin/mosquitto"):
        return {"skipped": "mosquitto is not installed"}
    from mqtt_broker import Broker, Listener, free_port
    from mqtt_sim import PREFIX, charging, online, time_mqtt_steps
    from sim import Simulation

    found = {}
    missing = Simulation(mqtt="127.0.0.1:%d" % free_port())
    charging(missing)
    steps = time_mqtt_steps(missing)
    missing.advance(70)
    found["missing_worst_ms"] = max(steps) * 1000
    broker = Broker(tempfile.mkdtemp())
    try:
        listener = Listener(broker.port, client_id="bench")
        sent = {}
        s = online(broker)
        sink = s.app.mqtt.sink

        def spy(topic, payload, retain):
            sent.setdefault(topic, time.perf_counter())
            sink(topic, payload, retain)
        s.app.mqtt.sink = spy
        charging(s)
        steps = time_mqtt_steps(s)
        _follow_wall(s, 3.0)
        arrived = {}
        listener.client.on_message = lambda c, u, m: arrived.setdefault(m.topic, time.perf_counter())
        sent.clear()
        s.app.mqtt.force()
        _follow_wall(s, 3.0)
        publish_ms = [(arrived[t] - sent[t]) * 1000 for t in sent if t in arrived]
        effect_ms = []
        for current_da in (70, 80, 90, 100, 110, 120, 70, 80, 90, 100):
            t0 = time.perf_counter()
            listener.publish(PREFIX + "/Set/CurrentOverride", str(current_da))
            _follow_wall(s, 2.0, lambda: s.app.evse.override_current_da == current_da)
            effect_ms.append((time.perf_counter() - t0) * 1000)
        found.update(connected_worst_ms=max(steps) * 1000, steps=len(steps),
                     connected_p99_ms=sorted(steps)[int(len(steps) * 0.99)] * 1000,
                     publish_ms=publish_ms, effect_ms=effect_ms)
        listener.close()
        s.close()
    finally:
        broker.stop()
    return found


def tls_figures():
    """Worst wall-clock blocking of one MQTT step over TLS: the handshake's step (it starts
    only while the contactors are open, issue 11 item 10), and once connected."""
    sys.path.insert(0, _TESTS)
    import shutil
    if shutil.which("mosquitto") is None and not os.path.exists("/usr/sbin/mosquitto"):
        return {"skipped": "mosquitto is not installed"}
    from mqtt_broker import Broker, self_signed
    from sim import Simulation

    cert, key = self_signed()
    old = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = cert         # the controller trusts it as a root
    broker = Broker(os.path.join(os.path.dirname(cert), "broker"), tls=(cert, key))
    try:
        s = Simulation(mqtt=broker.address, settings={"mqtt_tls": 1})
        link = s.app.mqtt
        steps = {"connecting": [], "connected": []}
        step = link.step

        def timed(now_ms):
            phase = "connected" if link.connected else "connecting"
            start = time.perf_counter()
            step(now_ms)
            steps[phase].append(time.perf_counter() - start)
        passes = s.app.loop._every_pass
        passes[passes.index(step)] = timed
        _follow_wall(s, 10.0, lambda: link.connected)
        connected = link.connected
        _follow_wall(s, 3.0)
        s.close()
    finally:
        broker.stop()
        if old is None:
            os.environ.pop("SSL_CERT_FILE", None)
        else:
            os.environ["SSL_CERT_FILE"] = old
        shutil.rmtree(os.path.dirname(cert), ignore_errors=True)
    if not connected:
        return {"skipped": "the TLS broker was not joined within 10 s"}
    return {"handshake_ms": max(steps["connecting"]) * 1000,
            "connected_ms": max(steps["connected"]) * 1000}


def print_figures():
    print("MQTT (a real mosquitto on loopback, the controller on the wall clock)")
    found = figures()
    if "skipped" in found:
        print("  skipped: " + found["skipped"])
        return
    print(f"  worst MQTT step, contactors closed, no broker:  {found['missing_worst_ms']:6.1f} ms"
          " (target <= 20; back-off 1..30 s)")
    print(f"  worst MQTT step, contactors closed, connected:  {found['connected_worst_ms']:6.1f} ms"
          f" (p99 {found['connected_p99_ms']:.1f} ms) over {found['steps']} steps (target <= 20;"
          " the host's other programs show here too)")
    pub = found["publish_ms"]
    print(f"  publish-to-broker (firmware publish -> subscriber): median {statistics.median(pub):5.2f} ms"
          f"   max {max(pub):5.2f} ms over {len(pub)} topics")
    eff = found["effect_ms"]
    print(f"  command-to-effect (Set/CurrentOverride -> core):   median {statistics.median(eff):5.1f} ms"
          f"   max {max(eff):5.1f} ms (polled every 100 ms)")
    print_tls_figures()


def print_tls_figures():
    tls = tls_figures()
    if "skipped" in tls:
        print("  MQTT over TLS skipped: " + tls["skipped"])
        return
    print(f"  worst MQTT step over TLS: the handshake's step {tls['handshake_ms']:6.1f} ms (contactors"
          f" open: never started while closed; on the device seconds, bounded at 4 s),"
          f" once connected {tls['connected_ms']:5.1f} ms")
