# The HomeWizard P1 mains meter on the device (modbus.md 8.7): code.py on Wi-Fi in Smart
# mode, the mains type HmWzrd P1 (P1, set by the gate; else API fed the same currents
# each second, the heap's baseline),
# the meter found over the mdns stand-in while the contactors are open, its answer over
# the in-memory socket, the EV charging on the reading; then the bytes the poll step
# allocates per idle pass and the live heap at the end.
import standin_plant as p
try:
    P1
except NameError:                         # the pystack bisection runs it with the meter
    P1 = True
p.network_on({"CIRCUITPY_WIFI_SSID": "home", "CIRCUITPY_WIFI_PASSWORD": "secret"})
p.now_ms = 1000
p.mdns_remote = [("p1meter-0a1b2c", "192.168.1.50", 80)]
BODY = (b'{"wifi_ssid":"home","smr_version":50,"meter_model":"ISKRA 2M550T-101",'
        b'"total_power_import_kwh":35264.809,"total_power_export_kwh":7867.813,'
        b'"active_power_w":2990.0,"active_power_l1_w":2300.0,"active_power_l2_w":-460.0,'
        b'"active_power_l3_w":1150.0,"active_voltage_l1_v":230.0,"active_current_l1_a":10.0,'
        b'"active_current_l2_a":2.0,"active_current_l3_a":5.0,"any_power_fail_count":3}')
p.p1_answer = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
               b"Connection: close\r\n\r\n" % len(BODY)) + BODY


def configure(app):
    app.apply_settings({"mains_meter_type": 13 if P1 else 9, "mode": 1})   # 1 = Smart


def reading():                            # the baseline's mains: the same currents, fed
    p.app.evse.mains_reading(100, -20, 50)   # as POST /currents would (no REST modules)


p.after_boot = configure
if not P1:
    for second in range(2, 15):
        p.at(second, reading)
p.at(5, p.set_ev("C"))
p.at(14, p.snapshot("charging"))
p.end_ms = 15000
p.capture_app()
#--- run /code.py
#--- step
import gc
import standin_plant as p
poller = p.app.homewizard
p.step_bytes = 0
if poller is not None:
    for _ in range(10):
        p.now_ms += p.PASS_MS
        poller.step(p.now_ms)
    before = gc.mem_alloc()
    for _ in range(150):                  # 1.5 s between two polls: idle passes
        p.now_ms += p.PASS_MS
        poller.step(p.now_ms)
    p.step_bytes = (gc.mem_alloc() - before) // 150
#--- step
import gc
import micropython
import standin_plant as p
p.heap_end = gc.mem_alloc()
micropython.qstr_info()
#--- step
import json
import standin_plant as p
app = p.app
poller = app.homewizard
print("RESULT " + json.dumps({
    "faults": app.loop.faults, "snapshots": p.snapshots, "heap_end": p.heap_end,
    "step_bytes": p.step_bytes, "mains_da": list(app.evse.mains_irms_da),
    "requests": p.p1_requests, "finds": p.mdns_finds,
    "readings": poller.readings if poller else 0, "errors": poller.errors if poller else 0,
    "last_error": poller.last_error if poller else "", "host": poller.host if poller else "",
    "import_wh": app.mains_meter.import_wh if poller else 0}))
