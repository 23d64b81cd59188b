# The MQTT feature's own heap (issue 11 "On the device"): its modules imported after the
# app they serve (the foundation holds the settings, the core and the REST GET texts).
import gc
import standin_plant as p
import socketpool
app = p.device_app(False, False)
#--- step
import gc
gc.collect()
sizes = {}
before = gc.mem_alloc()
start = before
for name in ("adafruit_connection_manager", "adafruit_minimqtt.adafruit_minimqtt",
             "smartevse.net.mqtt_link", "smartevse.api.settings_get", "smartevse.api.mqtt_state",
             "smartevse.api.settings_post", "smartevse.api.mqtt_set",
             "smartevse.api.mqtt_discovery"):
    __import__(name)
    gc.collect()
    now = gc.mem_alloc()
    sizes[name.split(".")[-1]] = now - before
    before = now
#--- step
import gc
from smartevse.net.mqtt_link import MqttLink
link = MqttLink(app, p.Network())
app.settings.values["mqtt_host"] = "192.168.1.2"
p.ev = "C"
for _ in range(300):                   # connect, discovery, a cycle
    p.now_ms += p.PASS_MS
    app.loop.run_once()
    link.step(p.now_ms)
    link.run_command(p.now_ms)
    if p.now_ms % 1000 == 0:
        link.tick_1s(p.now_ms)
p.mqtt_published.clear()               # the stand-in broker's record is not the device's
#--- step
import gc
sizes["running"] = gc.mem_alloc() - before
mqtt_total = gc.mem_alloc() - start
#--- step
import json
print("RESULT " + json.dumps({"mqtt_bytes": mqtt_total, "sizes": sizes,
                              "connected": link.connected}))
