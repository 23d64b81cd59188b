"""MQTT Set/LinkyMeter and Set/HomeWizardIP (interfaces.md 2.4; charging.md 9.1; modbus.md
8.7) on a real mosquitto and through the firmware's command handling, and
OCPPSmartCharging "Conflict" (2.3, 3.8)."""

from mqtt_broker import Listener
from mqtt_sim import PREFIX, online, run_until
from sim import Simulation
from sim.csms import CentralSystem
from tests.ocpp.ocpp_helpers import booted

P = PREFIX + "/"
PEAK = "1:0:0:231.5:12.3:2841:12345678.9:9:8000000:4345678"
OFF_PEAK = "0:1:0:231.5:12.3:2841:12345678.9:9:8000000:4345678"


def _linky_block(s):
    block = s.rest("GET", "/settings")[1]["settings"]
    return block["linky_available"], block["linky_is_hp"], block["linky_is_hc"]


def test_a_linky_bridge_on_the_broker_pauses_peak_hours_and_goes_stale_after_300_s(broker):
    """Given a controller on a broker and an EV asking for current, when a Linky bridge
    publishes Set/LinkyMeter in peak hours, then GET /settings says linky_available 1,
    linky_is_hp 1 and the HP/HC gate holds access at PAUSE (WAIT HC); off-peak lets the EV
    charge; 300 s after the last message the Linky data is no longer available (2.4, 9.1)."""
    s = online(broker)
    listener = Listener(broker.port, topics=(P + "+",), client_id="linky-bridge")
    try:
        s.plant.cable(rating_a=32)
        s.plant.ev.pilot("B")
        listener.publish(P + "Set/LinkyMeter", PEAK)
        run_until(s, lambda: _linky_block(s) == (1, 1, 0), 5)
        s.plant.ev.pilot("C")
        s.advance(3)
        o = s.observe()
        assert o["access"] == "pause" and o["contactor1"] is False
        assert o["linky_gate"] == "WAIT HC"
        listener.publish(P + "Set/LinkyMeter", OFF_PEAK)
        run_until(s, lambda: _linky_block(s) == (1, 0, 1), 5)
        run_until(s, lambda: s.observe()["state"] == "Charging", 30)
        assert s.observe()["access"] == "on"
        s.advance(300)
        assert _linky_block(s)[0] == 0
    finally:
        listener.close()
        s.close()


def test_bad_linky_payloads_are_dropped_and_change_nothing():
    """Given Linky data in off-peak hours, when Set/LinkyMeter sends peak and off-peak
    together, a field too many or too few, a voltage of 301, a current of -200.5, a flag
    of 2 or words, then each is dropped and the data stay as they were (2.4)."""
    s = Simulation()
    assert s.mqtt_set("Set/LinkyMeter", OFF_PEAK)
    s.advance(1)
    for bad in ("1:1:0:230:10:2300:1:9:1:1", "0:1:0:230:10:2300:1:9:1", "0:1:0:230:10:2300:1:9:1:1:1",
                "1:0:0:301:10:2300:1:9:1:1", "1:0:0:230:-200.5:2300:1:9:1:1",
                "2:0:0:230:10:2300:1:9:1:1", "1:0:0:230:ten:2300:1:9:1:1",
                "1:0:0:230:10:2300:1:101:1:1", "1:0:0:230:10:2300:2000000001:9:1:1", ""):
        assert not s.mqtt_set("Set/LinkyMeter", bad), bad
    assert _linky_block(s) == (1, 0, 1)
    assert s.mqtt_set("Set/LinkyMeter", "1:0:1:0:-200:0:0:0:0:2000000000")    # the bounds


def test_an_eastron_linky_gateway_keeps_its_place_against_a_bridge():
    """Given an Eastron-type mains that reads the Linky itself in peak hours, when a bridge
    says off-peak over Set/LinkyMeter, then it is dropped and the gate still says WAIT HC
    (modbus.md 8.6: the meter's own reads come first)."""
    s = Simulation(settings={"mains_meter_type": "Eastron3P", "mains_meter_address": 11})
    s.plant.mains.tic_gateway(peak=True)
    s.advance(10)
    assert not s.mqtt_set("Set/LinkyMeter", OFF_PEAK)
    assert _linky_block(s) == (1, 1, 0)


def _host(s):
    return s.rest("GET", "/settings")[1]["mains_meter"]["host"]


def test_set_homewizard_ip_over_the_broker_sets_the_p1_host_and_empty_clears_it(broker):
    """Given a HomeWizard P1 mains on a broker and no P1 meter on the (simulated) LAN, when
    Set/HomeWizardIP says 192.0.2.50, then GET /settings' mains_meter.host is that address;
    an address with a part over 255, 16 characters or words is dropped; an empty payload
    goes back to discovery ("HomeWizard P1 Not Found" while nothing is found) (2.4, 1.4,
    modbus.md 8.7)."""
    s = online(broker, settings={"mains_meter_type": "HmWzrd P1"})
    s.p1_meter.stop()                   # the simulated meter switched off: nothing to find
    listener = Listener(broker.port, topics=(P + "+",), client_id="hw")
    try:
        run_until(s, lambda: _host(s) == "HomeWizard P1 Not Found", 5)
        listener.publish(P + "Set/HomeWizardIP", "192.0.2.50")      # TEST-NET-1, never routed
        run_until(s, lambda: _host(s) == "192.0.2.50", 5)
        for bad in ("192.168.1.256", "192.168.001.1000", "p1meter.local", "1.2.3", "1.2.3.4.5",
                    "192.168.100.1000"):
            assert not s.mqtt_set("Set/HomeWizardIP", bad), bad
        assert _host(s) == "192.0.2.50"
        listener.publish(P + "Set/HomeWizardIP", "")
        run_until(s, lambda: _host(s) == "HomeWizard P1 Not Found", 5)
    finally:
        listener.close()
        s.close()


def test_ocpp_smart_charging_reads_conflict_once_load_balancing_changes_under_ocpp():
    """Given a standalone controller whose OCPP link is up, when LOAD BAL becomes master,
    then OCPPSmartCharging reads "Conflict" and GET /settings' lb_conflict is true (2.3,
    3.8: smart charging is dropped until a restart)."""
    with CentralSystem() as csms:
        s = booted(csms)
        try:
            s.advance(2)
            assert s.mqtt_published()[P + "OCPPSmartCharging"] == "Inactive"
            s.configure({"loadbl": 1})
            run_until(s, lambda: s.mqtt_published()[P + "OCPPSmartCharging"] == "Conflict", 30)
            assert s.rest("GET", "/settings")[1]["ocpp"]["lb_conflict"] is True
        finally:
            s.close()
