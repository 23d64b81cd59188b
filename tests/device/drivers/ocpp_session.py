# code.py as __main__ with OCPP on, over the socketpool stand-in's in-memory central
# system: BootNotification, a card's Authorize, StartTransaction once the EV is plugged
# in, and charging (interfaces.md 3.3, 3.6; issue 13 "On the device").
import standin_plant as p
import socketpool


class Net:
    connected = True
    ipv4_address = "10.0.0.5"

    def socket_pool(self):
        return socketpool.SocketPool()


def configure(app):
    app.board.net = Net()
    app.apply_settings({"rfid_reader": 6, "ocpp_mode": 1, "ocpp_cb_id": "CP1",
                        "ocpp_backend_url": "ws://10.0.0.2:9000/"})


p.after_boot = configure
p.at(3, lambda: p.app.ocpp.authorize("AABBCCDD000000"))
p.at(4, p.set_ev("B"))
p.at(5, p.set_ev("C"))


def set_profile():
    # A ChargePointMaxProfile above the offer, written to NVM by the link's 1 s service
    # (a chain the pystack bisection measures: ocpp/profile_store.py); its answer is
    # dropped (the stand-in central system takes every frame for a CALL).
    cp = p.app.ocpp.cp
    cp.received('[2,"90","SetChargingProfile",{"connectorId":0,"csChargingProfiles":{'
                '"chargingProfileId":3,"stackLevel":0,"chargingProfilePurpose":'
                '"ChargePointMaxProfile","chargingProfileKind":"Relative","chargingSchedule":'
                '{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,'
                '"limit":20}]}}}]', 0)
    del cp.replies[:]


p.at(8, set_profile)
p.at(12, p.snapshot("charging"))
p.end_ms = 13000
p.capture_app()
#--- run /code.py
#--- step
import gc
import standin_plant as p
link = p.app.ocpp
before = gc.mem_alloc()
for _ in range(1000):                  # 10 s of the OCPP service alone, connected, charging
    p.now_ms += p.PASS_MS
    link.step(p.now_ms)
ocpp_bytes = gc.mem_alloc() - before
#--- step
import json
import socketpool
import standin_plant as p
app = p.app
print("RESULT " + json.dumps({"received": socketpool.received, "snapshots": p.snapshots,
                              "tx": app.ocpp.cp.journal.tx, "faults": app.loop.faults,
                              "fault": app.fault_text, "state": app.evse.state,
                              "step_bytes": ocpp_bytes, "sent": link.cp._seq,
                              "profiles_saved": link.profiles_saved is link.cp.profiles.installed
                              and len(link.cp.profiles.installed)}))
