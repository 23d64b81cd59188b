# The live-data WebSocket /ws/data on the device (interfaces.md 1.19; issue 11 "On the
# device"): code.py on Wi-Fi charging, a browser's upgrade request at 5 s (BROWSER, set by
# the gate), then the 101 answer, the sync and the state messages on the stand-in socket,
# and the bytes the service allocates per pass while nothing changes. The live heap at
# the end, compared with a run without the browser (both served GET /display first), is
# what the WebSocket adds.
import standin_plant as p
try:
    BROWSER
except NameError:                         # the pystack bisection runs it with the browser
    BROWSER = True
p.network_on({"CIRCUITPY_WIFI_SSID": "home", "CIRCUITPY_WIFI_PASSWORD": "secret"})
p.answers = {}
p.now_ms = 1000

UPGRADE = (b"GET /ws/data HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")


def browser():
    p.answers["ws"] = p.http_client(UPGRADE)


def display():                            # both runs: the HTTP server's first request
    p.answers["display"] = p.http_client(b"GET /display HTTP/1.1\r\nHost: x\r\n\r\n")


p.at(1, p.set_ev("C"))
p.at(4, display)
if BROWSER:
    p.at(5, browser)
p.at(6, p.set_ev("B"))
p.at(9, p.snapshot("end"))
p.end_ms = 10000
p.capture_app()
# the wasm MicroPython's hashlib has no SHA-1 (CircuitPython's C hashlib.new("sha1") does):
# the stand-in answers the RFC 6455 sample key's accept
import smartevse.net.ws_frame as ws_frame
ws_frame.accept_key = lambda key: b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
#--- run /code.py
#--- step
import gc
import standin_plant as p


def idle_passes():
    ws = p.app.http.ws
    p.step_bytes = 0
    if ws is None:
        return
    for _ in range(100):
        p.now_ms += p.PASS_MS
        ws.step(p.now_ms)
    before = gc.mem_alloc()
    for _ in range(1000):                 # 10 s: 20 state ticks, nothing changes
        p.now_ms += p.PASS_MS
        ws.step(p.now_ms)
    p.step_bytes = (gc.mem_alloc() - before) // 1000


idle_passes()
p.received = bytes(p.answers["ws"].inbox) if BROWSER else b""
del idle_passes
#--- step
import gc
import micropython
import standin_plant as p
p.heap_end = gc.mem_alloc()
micropython.qstr_info()
#--- step
import json
import standin_plant as p
head, _, frames = p.received.partition(b"\r\n\r\n")
texts = []
while len(frames) >= 2:                   # server frames: unmasked text frames
    size, at = frames[1] & 0x7F, 2
    if size == 126:
        size, at = (frames[2] << 8) | frames[3], 4
    texts.append(frames[at:at + size].decode())
    frames = frames[at + size:]
print("RESULT " + json.dumps({
    "head": head.decode(), "texts": texts, "faults": p.app.loop.faults,
    "snapshots": p.snapshots, "step_bytes": p.step_bytes, "heap_end": p.heap_end}))
