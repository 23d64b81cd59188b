# The live-data WebSocket /ws/data on the device (interfaces.md 1.19; issue 11 "On the
# device"): code.py on Wi-Fi charging, a browser's upgrade request at 5 s (BROWSER, set by
# the gate), then the 101 answer, the sync and the state messages on the stand-in socket,
# and the bytes the service allocates per pass while nothing changes. The live heap at
# the end, compared with a run without the browser (both served GET /display first), is
# what the WebSocket adds. STREAM: a diagnostics capture starts at 4.5 s and a /diag/stream
# client connects at 5 s (interfaces.md 1.17); a line is logged at 5.5 s; at the end the
# client goes away and the stream's code must leave the heap.
import standin_plant as p
try:
    BROWSER
except NameError:                         # the pystack bisection runs it with the browser
    BROWSER = True
try:
    STREAM
except NameError:                         # ... and with the diagnostics stream
    STREAM = True
p.network_on({"CIRCUITPY_WIFI_SSID": "home", "CIRCUITPY_WIFI_PASSWORD": "secret"})
p.answers = {}
p.now_ms = 1000

UPGRADE = (b"GET /ws/data HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")


def browser():
    p.answers["ws"] = p.http_client(UPGRADE)


def start_capture():
    p.answers["start"] = p.http_client(b"POST /diag/start?profile=general HTTP/1.1\r\n"
                                       b"Host: x\r\nContent-Length: 0\r\n\r\n")


def stream():
    p.answers["diag"] = p.http_client(UPGRADE.replace(b"/ws/data", b"/diag/stream"))


def log_line():
    from smartevse import log
    log.info("diag line")


def display():                            # both runs: the HTTP server's first request
    p.answers["display"] = p.http_client(b"GET /display HTTP/1.1\r\nHost: x\r\n\r\n")


p.at(1, p.set_ev("C"))
p.at(4, display)
if BROWSER:
    p.at(5, browser)
if STREAM:
    p.at(4.5, start_capture)
    p.at(5, stream)
    p.at(5.5, log_line)
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
p.diag_received = bytes(p.answers["diag"].inbox) if STREAM else b""
del idle_passes
#--- step
import gc
import micropython
import standin_plant as p
p.heap_end = gc.mem_alloc()
micropython.qstr_info()
#--- step
import sys
import standin_plant as p
if STREAM:                                # the stream's client goes away
    p.answers["diag"].closed = True
    for _ in range(50):
        p.now_ms += p.PASS_MS
        p.app.http.ws_step(p.now_ms)
p.diag_released = "smartevse.api.diag_stream" not in sys.modules
#--- step
import json
import standin_plant as p


def texts_of(received):
    head, _, frames = received.partition(b"\r\n\r\n")
    texts = []
    while len(frames) >= 2:               # server frames: unmasked text frames
        size, at = frames[1] & 0x7F, 2
        if size == 126:
            size, at = (frames[2] << 8) | frames[3], 4
        texts.append(frames[at:at + size].decode())
        frames = frames[at + size:]
    return head.decode(), texts


head, texts = texts_of(p.received)
diag_head, diag_texts = texts_of(p.diag_received)
print("RESULT " + json.dumps({
    "head": head, "texts": texts, "faults": p.app.loop.faults,
    "diag_head": diag_head, "diag_texts": diag_texts, "diag_released": p.diag_released,
    "snapshots": p.snapshots, "step_bytes": p.step_bytes, "heap_end": p.heap_end}))
