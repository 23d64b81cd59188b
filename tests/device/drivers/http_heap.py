# What the HTTP feature's modules keep on the heap, one by one (issue 11 "On the device"),
# after the core they serve (imported first). One import per step: this MicroPython build
# collects only between steps (docs/architecture.md).
import gc
import smartevse.core.evse
import smartevse.settings.live
import smartevse.api.routes
import adafruit_ticks
sizes = {}
#--- step
import gc
heap0 = gc.mem_alloc()
import adafruit_httpserver
#--- step
import gc
heap1 = gc.mem_alloc()
sizes["adafruit_httpserver"] = heap1 - heap0
import adafruit_ntp
#--- step
import gc
heap2 = gc.mem_alloc()
sizes["adafruit_ntp"] = heap2 - heap1
import smartevse.net.http
import smartevse.net.localtime
#--- step
import gc
heap3 = gc.mem_alloc()
sizes["smartevse.net"] = heap3 - heap2
import json
print("RESULT " + json.dumps({"http_bytes": heap3 - heap0, "sizes": sizes}))
