# code.py as __main__ on a network (issue 11 "On the device"): Wi-Fi from settings.toml
# (the wifi, socketpool and mdns stand-ins; NTP answered over the in-memory UDP), the
# HTTP server answering GET /settings and a POST while the EV charges, a malformed
# request, and the bytes each HTTP service allocates per idle pass.
import standin_plant as p
p.network_on({"CIRCUITPY_WIFI_SSID": "home", "CIRCUITPY_WIFI_PASSWORD": "secret",
              "SMARTEVSE_TZ_OFFSET_MIN": "60", "SMARTEVSE_TZ_DST": "EU"})
p.answers = {}
p.now_ms = 1000       # a board's monotonic clock is past 0 at boot (adafruit_ntp syncs when
                      # monotonic_ns() > its next_sync, which starts at 0)


def ask(name, raw):
    def action():
        p.answers[name] = p.http_client(raw)
    return action


p.at(1, p.set_ev("C"))
p.at(5, ask("get", b"GET /settings HTTP/1.1\r\nHost: smartevse-51446.local\r\n\r\n"))
p.at(6, ask("post", b"POST /settings?mode=3&override_current=100 HTTP/1.1\r\n"
                    b"Host: x\r\nContent-Length: 0\r\n\r\n"))
p.at(7, ask("display", b"GET /display HTTP/1.1\r\nHost: x\r\n\r\n"))
p.at(8, ask("bad", b"GARBAGE\r\n\r\n"))
p.at(9, p.snapshot("charging"))
p.end_ms = 10000
p.capture_app()
#--- run /code.py
#--- step
import gc
import standin_plant as p
http = p.app.http
for _ in range(20):
    p.now_ms += p.PASS_MS
    http.step(p.now_ms)
    http.answer(p.now_ms)
before = gc.mem_alloc()
for _ in range(500):
    p.now_ms += p.PASS_MS
    http.step(p.now_ms)
p.step_bytes = (gc.mem_alloc() - before) // 500
before = gc.mem_alloc()
for _ in range(500):
    p.now_ms += p.PASS_MS
    http.answer(p.now_ms)
p.answer_bytes = (gc.mem_alloc() - before) // 500
#--- step
import json
import standin_plant as p
app = p.app
net = app.board.net
print("RESULT " + json.dumps({
    "answers": {k: bytes(c.inbox).decode() for k, c in p.answers.items()},
    "mode": app.settings.values["mode"], "override": app.evse.override_current_da
    if hasattr(app.evse, "override_current_da") else None,
    "local_epoch_s": app.now_epoch_s(), "hostname": net.hostname, "mdns": p.mdns_services,
    "ipv4": net.ipv4_address, "time_status": net.time_status, "ntp_requests": p.ntp_requests,
    "snapshots": p.snapshots, "faults": app.loop.faults, "stats": app.http.stats,
    "step_bytes": p.step_bytes, "answer_bytes": p.answer_bytes}))
