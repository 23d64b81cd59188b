# code.py as __main__ in Smart mode with a Sensorbox v2 at 0x0A and an Eastron SDM630 EV
# meter at 12 on the stand-in UART, which answers real RTU frames (modbus.md 3, 8.3, 8.4):
# the poll rounds feed the core, the EV charges without CT_NOCOMM / EV_NOCOMM. Then the
# bytes allocated per frame by the Modbus service are read across poll rounds.
import standin_plant as p


words_at = p.words_at


sensorbox = {reg: 0 for reg in range(32)}
sensorbox[0] = 0x0114                  # version 1, v2 with CT grid support
sensorbox[1] = 0x0003                  # CTs in use
sensorbox.update(words_at(14, (10.5, 4.5, 6.5)))
sensorbox[0x14] = 0x0301               # time set, Wi-Fi connected; Wi-Fi mode 1 (on)
sensorbox[0x18] = 0xC0A8               # IP 192.168.1.42
sensorbox[0x19] = 0x012A
eastron = words_at(0x0006, (7.5, 7.5, 7.5, 1725.0, 1725.0, 1725.0))
eastron.update(words_at(0x0048, (1234.5,)))     # import energy, kWh
p.bus_devices = {10: (4, sensorbox), 12: (4, eastron)}


def configure(app):
    app.configure("ev_meter_type", 4)
    app.configure("ev_meter_address", 12)
    app.configure("mode", 1)           # Smart: the mains meter is needed (charging.md 3.5)


p.after_boot = configure
p.at(1, p.set_ev("C"))
p.at(20, p.snapshot("smart_charging"))
p.end_ms = 21000
p.capture_app()
#--- run /code.py
#--- step
import gc
import standin_plant as p
app = p.app
poll = app.modbus
frames_before = poll.bus.uart.frames
before = gc.mem_alloc()
for _ in range(1000):                  # 10 s: 5 poll rounds of the Modbus service alone
    p.now_ms += p.PASS_MS
    poll.step(p.now_ms)
allocated = gc.mem_alloc() - before
frames = poll.bus.uart.frames - frames_before
#--- step
import json
import standin_plant as p
app = p.app
poll = app.modbus
print("RESULT " + json.dumps({
    "snapshots": p.snapshots, "errors": app.evse.error_flags, "state": app.evse.state,
    "mains_da": list(app.evse.mains_irms_da), "ev_da": list(app.evse.ev_irms_da),
    "ev_import_wh": poll.ev.import_wh, "counters": [poll.bus.requests, poll.bus.replies],
    "sb2_wifi_mode": app.settings.values["sb2_wifi_mode"], "sb2_ip": list(poll.sensorbox.ip),
    "frames": frames, "allocated": allocated, "faults": app.loop.faults}))
