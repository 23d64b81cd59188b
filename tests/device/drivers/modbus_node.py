# code.py as __main__ as PWR SHARE Node 1 (address 2): the stand-in UART feeds a master's
# frames (modbus.md 4.2-4.4, 5): status reads, the COMM_B_OK / COMM_C_OK writes, current
# broadcasts (node 2 gets 10.0 A), a settings broadcast (MAINS 32 A) and a MAX write. The
# node answers, charges with the broadcast current; then the Modbus service's bytes
# allocated over 5 rounds of broadcast + status read + answer are read.
import standin_plant as p

STATUS = p.rtu("02 04 0000 0008")
CURRENTS = p.rtu("09 10 0020 000B 16 0000 0064 0000 0000 0000 0000 0000 0000 00B4 00AA 00BE")
SETTINGS = p.rtu("09 10 0200 0016 2C 0000 0010 0000 0000 0020 0004 000A 0000 0001 000A"
                 " 0000 0000 0004 0000 0000 0000 0000 0000 0000 0000 0000 0000")
GRANT_B = p.rtu("02 10 0000 0002 04 0005 0000")
GRANT_C = p.rtu("02 10 0000 0002 04 0007 0000")
MAX_16 = p.rtu("02 06 0103 0010")


def configure(app):
    app.configure("loadbl", 2)


p.after_boot = configure
p.at(1, p.set_ev("C"))
for t in range(2, 21, 2):
    p.at(t, p.feed(CURRENTS))
    p.at(t + 0.5, p.feed(STATUS))
p.at(3, p.feed(GRANT_B))
p.at(5, p.feed(GRANT_C))
p.at(7, p.feed(SETTINGS))
p.at(9, p.feed(MAX_16))
p.at(20, p.snapshot("node_charging"))
p.end_ms = 21000
p.CURRENTS_FRAME = CURRENTS
p.STATUS_FRAME = STATUS
p.capture_app()
#--- run /code.py
#--- step
import gc
import standin_plant as p
app = p.app
poll = app.modbus
uart = p.rs485
writes_before = uart.writes
_ = allocated = writes = 0              # the step's globals exist before the measure
before = gc.mem_alloc()
for _ in range(1000):                   # 10 s: 5 rounds of broadcast, status read, reply
    p.now_ms += p.PASS_MS
    if _ % 200 == 0:
        uart.feed(p.CURRENTS_FRAME)
    elif _ % 200 == 50:
        uart.feed(p.STATUS_FRAME)
    poll.step(p.now_ms)
allocated = gc.mem_alloc() - before
writes = uart.writes - writes_before
#--- step
import json
import standin_plant as p
app = p.app
v = app.settings.values
print("RESULT " + json.dumps({
    "snapshots": p.snapshots, "errors": app.evse.error_flags, "state": app.evse.state,
    "balanced": app.evse.balanced_da, "mains_da": list(app.evse.mains_irms_da),
    "current_main": v["current_main"], "current_max": v["current_max"],
    "last_reply": bytes(p.rs485.sent[:p.rs485.sent_len]).hex(),
    "node": list(app.modbus.node.counters()), "writes": writes, "allocated": allocated,
    "faults": app.loop.faults}))
