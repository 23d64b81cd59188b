# Live heap after boot and while charging, and bytes allocated per pass of each service
# (docs/architecture.md "Device budget"). The build collects only when a runPython call returns,
# so each figure is read at the start of a step; allocation is read across many passes
# inside one step (docs/architecture.md).
# The stand-ins' own modules are C on the device: their heap is measured first and taken
# out of the device-equivalent figures (what they build for the firmware stays counted).
import gc
import standin_plant as p
if NET:               # the HTTP server on Wi-Fi (issue 11); else the wifi stand-in is absent
    p.network_on({"CIRCUITPY_WIFI_SSID": "home", "CIRCUITPY_WIFI_PASSWORD": "secret"})
#--- step
import gc
heap_empty = gc.mem_alloc()
for name in STANDINS:
    try:
        __import__(name)
    except ImportError:   # wifi without a network scenario
        pass
#--- step
import gc
heap_standins = gc.mem_alloc() - heap_empty
app = p.device_app(RS485, MENU, RFID, globals().get("MQTT", False))
if RFID:
    app.configure("rfid_reader", 1)         # EnableAll: the reader polled, the driver loaded
if globals().get("EV_METER"):            # bench: the Modbus heap with an Eastron EV meter too
    app.apply_settings({"ev_meter_type": 4, "ev_meter_address": 12})
if globals().get("OCPP"):                # every feature at once: OCPP to the in-memory CSMS
    app.apply_settings({"ocpp_mode": 1, "ocpp_cb_id": "CP1",
                        "ocpp_backend_url": "ws://10.0.0.2:9000/"})
#--- step
import gc
heap_boot = gc.mem_alloc()
p.ev = "C"
clients = []
for i in range(600):
    if i in (200, 300) and globals().get("REQUESTS"):    # GET /settings, then a POST (issue 11)
        clients.append(p.http_client(REQUESTS[i // 100 - 2]))
    app.loop.run_once()
    p.now_ms += p.PASS_MS
answered = [bytes(c.inbox[:12]).decode() for c in clients]
del clients
p.mqtt_published.clear()                    # the stand-in broker's record (MQTT) is not the device's
#--- step
import gc
heap_charging = gc.mem_alloc()
per_pass = {}
for name, service, passes in (("10ms", app._tick_10ms, 500), ("led_20ms", app._tick_led, 500),
                              ("100ms", app._tick_100ms, 500), ("1s", app._tick_1s, 100),
                              ("display_1s", app._tick_display, 100)) + ((
        ("buttons_10ms", app.panel.tick_buttons, 500),
        ("menu_action_10ms", app.panel.tick_action, 500)) if app.panel else ()) + ((
        ("rfid_100ms", app.rfid.step, 500),) if app.rfid else ()):
    service(p.now_ms)                       # warm: first-call caches
    before = gc.mem_alloc()
    for _ in range(passes):
        p.now_ms += 1000 if passes == 100 else p.PASS_MS
        service(p.now_ms)
    per_pass[name] = (gc.mem_alloc() - before) // passes
charging = p.outputs()
#--- step
import micropython
micropython.qstr_info()                     # the interned-name pools (mpy_gate.qstr_pools_b)
#--- step
import json
print("RESULT " + json.dumps({"heap_empty": heap_empty, "heap_standins": heap_standins,
                              "heap_boot": heap_boot,
                              "heap_charging": heap_charging, "per_pass": per_pass,
                              "charging": charging, "state": app.evse.state,
                              "answered": answered,
                              "mqtt_link": app.mqtt._state if app.mqtt else None,
                              "ocpp_tx": app.ocpp.cp.journal.tx[4] if app.ocpp else None}))
