# The Modbus feature's own heap (issue 8 "On the device"): its modules imported and the
# meter poll built over a stand-in UART, after the core it feeds (the settings table and
# the charging core, which the foundation already holds, are imported first).
import gc
import smartevse.core.evse
import smartevse.settings.live
import smartevse.settings.changes
import smartevse.health
import smartevse.core.states
import adafruit_ticks
import busio
from smartevse.settings.live import Settings
settings = Settings()
#--- step
import gc
gc.collect()
sizes = {}
before = gc.mem_alloc()
start = before
for name in ("frame", "values", "transaction", "meter_poll", "sensorbox", "meter_rows",
             "eastron", "share", "registers", "node_link", "node"):
    __import__("smartevse.modbus." + name)
    gc.collect()
    now = gc.mem_alloc()
    sizes[name] = now - before
    before = now
from smartevse.modbus.meter_poll import MeterPoll
from smartevse.modbus.transaction import Transaction
poll = MeterPoll(settings, None, Transaction(busio.UART()))
gc.collect()
sizes["objects"] = gc.mem_alloc() - before
modbus_total = gc.mem_alloc() - start
#--- step
import gc
import json
print("RESULT " + json.dumps({"modbus_bytes": modbus_total, "sizes": sizes}))
