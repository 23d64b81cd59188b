# code.py as __main__ with a network whose socketpool stand-in is an in-memory MQTT broker
# (interfaces.md 2.1-2.5): the link connects, subscribes, says online, publishes the
# discovery configs and a publish cycle while the EV charges, and a Set/CurrentOverride
# from the broker reaches the core. Then the bytes the MQTT step allocates per pass.
import standin_plant as p


def configure(app):
    app.configure("mqtt_host", "192.168.1.2")


p.with_network()
p.after_boot = configure
p.at(1, p.set_ev("C"))
p.at(8, p.mqtt_inject("SmartEVSE/0/Set/CurrentOverride", "100"))
p.at(15, p.snapshot("mqtt_charging"))
p.end_ms = 16000
p.capture_app()
#--- run /code.py
#--- step
import gc
import standin_plant as p
link = p.app.mqtt
for _ in range(100):                   # warm: a poll and a cycle's publishes
    p.now_ms += p.PASS_MS
    link.step(p.now_ms)
before = gc.mem_alloc()
for _ in range(1000):                  # 10 s of passes: 100 polls of an idle broker
    p.now_ms += p.PASS_MS
    link.step(p.now_ms)
allocated = gc.mem_alloc() - before
raw = link._client._sock._sock           # the stand-in socket under the peek (peek_socket.py)
one = bytearray(1)
before = gc.mem_alloc()
for _ in range(100):                   # the stand-in's timeout: a Python exception here
    try:
        raw.recv_into(one, 1)
    except OSError:
        pass
standin_timeout_b = (gc.mem_alloc() - before) // 100
#--- step
import json
import standin_plant as p
app = p.app
link = app.mqtt
published = p.mqtt_published
print("RESULT " + json.dumps({
    "snapshots": p.snapshots, "connected": link.connected, "failures": link.failures,
    "last_error": link.last_error, "faults": app.loop.faults, "fault": app.fault_text,
    "override_da": app.evse.override_current_da,
    "online": published.get("SmartEVSE/0/connected"),
    "state_id": published.get("SmartEVSE/0/StateID"),
    "override_topic": published.get("SmartEVSE/0/ChargeCurrentOverride"),
    "discovery": len([t for t in published if t.startswith("homeassistant/")]),
    "topics": len(published), "allocated_per_poll": allocated // 100,
    "allocated_per_pass": allocated // 1000, "standin_timeout_b": standin_timeout_b}))
