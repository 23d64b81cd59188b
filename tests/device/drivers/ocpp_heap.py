# What OCPP adds to the heap (issue 13 "On the device"): its modules imported after what
# they build on (the settings, the charging core and the NVM store, which the foundation
# holds), then the WebSocket client with its buffers and a charge point with its records.
import gc
import smartevse.core.evse
import smartevse.settings.live
import smartevse.settings.nvm
import smartevse.log
import adafruit_ticks
import socketpool
#--- step
import gc
gc.collect()
sizes = {}
before = gc.mem_alloc()
start = before
for name in ("ocpp.rpc", "ocpp.config", "ocpp.locallist", "ocpp.profiles", "ocpp.journal",
             "ocpp.status", "ocpp.chargepoint", "ocpp.operations", "net.ws", "net.ocpp_link"):
    __import__("smartevse." + name)
    gc.collect()
    now = gc.mem_alloc()
    sizes[name] = now - before
    before = now
from smartevse.net.ws import WsClient
from smartevse.ocpp.chargepoint import ChargePoint
ws = WsClient(socketpool.SocketPool())
cp = ChargePoint(51446, "0.1.0", "Eastron3P")
gc.collect()
sizes["objects"] = gc.mem_alloc() - before
ocpp_total = gc.mem_alloc() - start
#--- step
import json
print("RESULT " + json.dumps({"ocpp_bytes": ocpp_total, "sizes": sizes}))
