# code.py as __main__ as PWR SHARE master in Smart mode: a Sensorbox v2 at 0x0A, an Eastron
# EV meter at 12, and two nodes (addresses 2 and 3) on the stand-in UART answering real
# frames: node 2 asks COMM_B, node 3 asks COMM_C with an EV meter at 13 (modbus.md 3, 4.2-4.4).
# The full poll rounds run; then the bytes the Modbus service allocates over them are read.
import standin_plant as p


words_at = p.words_at


sensorbox = {reg: 0 for reg in range(32)}
sensorbox[0] = 0x0114
sensorbox[1] = 0x0003
sensorbox.update(words_at(14, (4.5, 4.5, 4.5)))
eastron = words_at(0x0006, (7.5, 7.5, 7.5, 1725.0, 1725.0, 1725.0))
eastron.update(words_at(0x0048, (1234.5,)))
eastron.update(words_at(0x0034, (5175.0,)))


def node(state, ev_type, ev_address):
    words = {reg: 0 for reg in range(12)}
    words.update({0: state, 3: 1, 5: 1, 6: 1, 7: 16, 0x0108: ev_type, 0x0109: ev_address})
    return (4, words)


p.bus_devices = {10: (4, sensorbox), 12: (4, eastron), 13: (4, eastron),
                 2: node(4, 0, 12), 3: node(6, 4, 13)}


def configure(app):
    app.configure("loadbl", 1)
    app.configure("ev_meter_type", 4)
    app.configure("ev_meter_address", 12)
    app.configure("current_main", 40)
    app.configure("mode", 1)


p.after_boot = configure
p.at(1, p.set_ev("C"))
p.at(20, p.snapshot("master_charging"))
p.end_ms = 21000
p.capture_app()
#--- run /code.py
#--- step
import gc
import standin_plant as p
app = p.app
poll = app.modbus
frames_before = poll.bus.uart.frames
broadcasts_before = poll.bus.uart.broadcasts
_ = allocated = frames = broadcasts = 0  # the step's globals exist before the measure
before = gc.mem_alloc()
for _ in range(1000):                  # 10 s: 5 full poll rounds of the Modbus service alone
    p.now_ms += p.PASS_MS
    poll.step(p.now_ms)
allocated = gc.mem_alloc() - before
frames = poll.bus.uart.frames - frames_before
broadcasts = poll.bus.uart.broadcasts - broadcasts_before
#--- step
import json
import standin_plant as p
app = p.app
poll = app.modbus
reg = app.evse.reg
print("RESULT " + json.dumps({
    "snapshots": p.snapshots, "errors": app.evse.error_flags,
    "node_state": list(reg.node_state), "node_da": list(reg.node_balanced_da),
    "online": list(poll.share.online), "ev_address": list(poll.share.ev_address),
    "words2": p.bus_devices[2][1][0], "words3": p.bus_devices[3][1][0],
    "config3": p.bus_devices[3][1][6],
    "counters": [poll.bus.requests, poll.bus.replies], "frames": frames, "broadcasts": broadcasts,
    "allocated": allocated, "faults": app.loop.faults}))
