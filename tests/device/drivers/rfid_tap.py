# code.py as __main__ with RFID EnableAll, one stored card, access OFF and an EV waiting;
# the real adafruit_pn532 driver talks to the simulator's PN532 model through the stand-in
# UART (frames byte for byte). A tap of the stored card grants access and the EV charges
# (settings-and-menu.md 4.3, charging.md 9.2). Then the RFID service's cost per poll step.
import standin_plant as p

CARD = b"\x04\xa1\xb2\xc3\x00\x00\x00"


def configure(app):
    app.configure("rfid_reader", 1)    # EnableAll
    app.rfid_service().cards.learn(CARD)
    app.configure("access", 0)


p.after_boot = configure
p.at(0.5, p.set_ev("C"))
p.at(2.5, p.snapshot("waiting"))
p.at(3, lambda: p.pn532.tap("04A1B2C3", 0.5))
p.at(6, p.snapshot("charging"))
p.end_ms = 6500
p.capture_app()
#--- run /code.py
#--- step
import gc
import standin_plant as p
app = p.app
rfid = app.rfid
rfid.step(p.now_ms)                    # warm
before = gc.mem_alloc()
steps = 0
for _ in range(100):                   # 10 s of 100 ms poll steps, listening, no card
    p.now_ms += 100
    rfid.step(p.now_ms)
    steps += 1
allocated_idle = gc.mem_alloc() - before
#--- step
import json
import standin_plant as p
app = p.app
reader = app.rfid.reader
print("RESULT " + json.dumps({
    "snapshots": p.snapshots, "access": app.evse.access, "state": app.evse.state,
    "status": app.rfid_status_text, "lastread": app.rfid_lastread, "taps": app.rfid.taps,
    "installed": reader.installed, "errors": reader.errors, "faults": app.loop.faults,
    "commands": p.pn532.commands, "bad_frames": p.pn532.bad_frames,
    "allocated_per_step": allocated_idle // steps, "steps": steps}))
