# What OCPP adds to the heap (issue 13 "On the device"): its modules imported after what
# they build on (the settings, the charging core, the NVM store and the calendar, which the
# foundation holds), then the WebSocket client with its buffers and a charge point with its
# records, and what stays of two CSMS operations, of loading the records and of
# connecting (their code is released). Each figure is read at the start of a step (the
# build collects between steps), so compile-time garbage is not counted.
import gc
import smartevse.core.evse
import smartevse.core.pilot
import smartevse.settings.live
import smartevse.settings.nvm
import smartevse.settings.facts
import smartevse.log
import adafruit_ticks
import socketpool
import ui.when
import microcontroller            # its 8 KB NVM stand-in: the board's, not OCPP's
sizes = {}
before = start = 0
# the driver's own texts, interned before the count starts (not OCPP's names)
OWN = ("ocpp_bytes", "objects", "RESULT ", "Eastron3P")
#--- step
import micropython
micropython.qstr_info()           # the interned names before OCPP (the test prints the step)
#--- step
import gc
gc.collect()
before = gc.mem_alloc()
start = before
#--- step
import smartevse.ocpp.rpc
import smartevse.ocpp.records
#--- step
import gc
gc.collect()
now = gc.mem_alloc()
sizes["records"] = now - before
before = now
import smartevse.ocpp.session
import smartevse.ocpp.chargepoint
import smartevse.ocpp.start       # the set-up ChargePoint() imports and releases: its names
smartevse.ocpp.chargepoint._release()
#--- step
import gc
gc.collect()
now = gc.mem_alloc()
sizes["charge point"] = now - before
before = now
import smartevse.net.ws
import smartevse.net.ocpp_link
#--- step
import gc
gc.collect()
now = gc.mem_alloc()
sizes["link"] = now - before
before = now
from smartevse.net.ws import WsClient
from smartevse.ocpp.chargepoint import ChargePoint
ws = WsClient(socketpool.SocketPool())
cp = ChargePoint(51446, "0.1.0", "Eastron3P")
#--- step
import gc
import json
gc.collect()
now = gc.mem_alloc()
sizes["objects"] = now - before
before = now
# CSMS operations imported for their message and released (chargepoint.py `received`):
# what stays of them (their interned names) is counted
cp.received('[2,"1","GetConfiguration",{"key":["HeartbeatInterval"]}]', 0)
cp.received('[2,"2","ClearChargingProfile",{"id":7}]', 0)
cp.replies = []
import smartevse.ocpp.codec       # what loading the records at boot leaves (OcppLink)
import smartevse.ocpp.events      # what a card presented or a call timed out leaves
smartevse.ocpp.chargepoint._release()
import smartevse.net.ws_open      # what connecting leaves (WsClient.open, _handshake)
smartevse.net.ws.release()
#--- step
import gc
import json
gc.collect()
now = gc.mem_alloc()
sizes["after operations"] = now - before
before = now
#--- step
# The charging profiles kept in NVM (ocpp/profile_store.py): loaded at boot, a
# ChargePointMaxProfile set (its room checked) and written, the module released each time
import microcontroller
import smartevse.ocpp.profile_store
smartevse.ocpp.profile_store.load(
    cp.profiles, *smartevse.ocpp.profile_store.store(microcontroller.nvm).load())
smartevse.ocpp.chargepoint._release()
cp.received('[2,"3","SetChargingProfile",{"connectorId":0,"csChargingProfiles":{'
            '"chargingProfileId":3,"stackLevel":0,"chargingProfilePurpose":'
            '"ChargePointMaxProfile","chargingProfileKind":"Absolute","chargingSchedule":'
            '{"chargingRateUnit":"A","startSchedule":"2026-01-01T00:00:00Z",'
            '"chargingSchedulePeriod":[{"startPeriod":0,"limit":10}]}}}]', 0)
cp.replies = []
import smartevse.ocpp.profile_store
smartevse.ocpp.profile_store.store(microcontroller.nvm).save(
    smartevse.ocpp.profile_store.encode(cp.profiles.installed), 1)
smartevse.ocpp.chargepoint._release()
#--- step
import gc
import json
gc.collect()
now = gc.mem_alloc()
sizes["profiles"] = now - before
print("RESULT " + json.dumps({"ocpp_bytes": now - start, "sizes": sizes,
                              "profiles": len(cp.profiles.installed)}))
#--- step
import micropython
micropython.qstr_info()
