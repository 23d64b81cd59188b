"""MQTT Set/LinkyMeter and Set/HomeWizardIP (interfaces.md 2.4; charging.md 9.1; modbus.md
8.7) on a real mosquitto and through the firmware's command handling, and
OCPPSmartCharging "Conflict" (2.3, 3.8)."""

from mqtt_broker import Listener
from mqtt_sim import PREFIX, online, received, run_until
from sim import Simulation
from smartevse.api import mqtt_state
from sim.csms import CentralSystem
from tests.ocpp.ocpp_helpers import booted

P = PREFIX + "/"
PEAK = "1:0:0:231.5:12.3:2841:12345678.9:9:8000000:4345678"
OFF_PEAK = "0:1:0:231.5:12.3:2841:12345678.9:9:8000000:4345678"


def _linky_block(s):
    block = s.rest("GET", "/settings")[1]["settings"]
    return block["linky_available"], block["linky_is_hp"], block["linky_is_hc"]


BRIDGE_TOPICS = {"LinkyIsHp": "1", "LinkyIsHc": "0", "LinkyIsPowerOverflow": "0",
                 "LinkyVoltageL1V": "231.50", "LinkyCurrentL1A": "12.30",
                 "LinkyApparentPowerVa": "2841.00", "LinkyActiveEnergyTotal": "12345678.90",
                 "LinkyContractedPowerKva": "9.00", "LinkyTotalHp": "8000000.00",
                 "LinkyTotalHc": "4345678.00"}


def _uptime_after(s, listener, after_s):
    """Run until the listener has an ESPUptime published after `after_s` (the broker keeps
    one client's messages in order: what the controller published before it has arrived)."""
    def arrived():
        got = listener.last().get(P + "ESPUptime")
        return got is not None and int(got[0]) > after_s
    run_until(s, arrived, 30)


def test_a_linky_bridge_gates_peak_hours_feeds_the_linky_topics_and_goes_stale_after_300_s(
        broker):
    """Given a controller on a broker with no Linky meter of its own and an EV asking for
    current, when a bridge publishes Set/LinkyMeter in peak hours, then GET /settings says
    linky_available 1, linky_is_hp 1, the HP/HC gate holds access at PAUSE (WAIT HC), and the
    Linky topics the bridge provides come out, not retained, floats with 2 decimals
    (LinkyVoltageL1V "231.50", LinkyActiveEnergyTotal "12345678.90"), no Linky topic it does
    not provide; off-peak lets the EV charge and LinkyIsHc reads 1; 300 s after the last
    message the data are unavailable, no Linky topic is published any more and /mqtt.json
    marks their last values stale (2.4, 2.2, 2.3, 1.16; modbus.md 8.6; charging.md 9.1)."""
    s = online(broker)
    listener = Listener(broker.port, topics=(P + "+",), client_id="linky-bridge")
    try:
        s.plant.cable(rating_a=32)
        s.plant.ev.pilot("B")
        listener.publish(P + "Set/LinkyMeter", PEAK)
        run_until(s, lambda: _linky_block(s) == (1, 1, 0), 5)
        for name, payload in BRIDGE_TOPICS.items():
            assert received(s, listener, P + name, payload, 10) == (payload, False)
        linky = {topic[len(P):] for topic in listener.last() if topic.startswith(P + "Linky")}
        assert linky == set(BRIDGE_TOPICS)
        s.plant.ev.pilot("C")
        s.advance(3)
        o = s.observe()
        assert o["access"] == "pause" and o["contactor1"] is False
        assert o["linky_gate"] == "WAIT HC"
        listener.publish(P + "Set/LinkyMeter", OFF_PEAK)
        run_until(s, lambda: _linky_block(s) == (1, 0, 1), 5)
        run_until(s, lambda: s.observe()["state"] == "Charging", 30)
        assert s.observe()["access"] == "on"
        assert received(s, listener, P + "LinkyIsHc", "1", 10) == ("1", False)
        s.advance(300)
        assert _linky_block(s)[0] == 0
        stale_s = s.app.uptime_s()
        _uptime_after(s, listener, stale_s)
        mark = len(listener.messages)
        s.advance(60)                            # two heartbeats (25 s) later
        _uptime_after(s, listener, stale_s + 60)
        assert not [m for m in listener.messages[mark:] if m[0].startswith(P + "Linky")]
        cache = s.rest("GET", "/mqtt.json")[1]["cache"]
        assert cache["LinkyVoltageL1V"]["stale"] is True
        assert cache["ESPUptime"]["stale"] is False
    finally:
        listener.close()
        s.close()


def test_linky_bridge_measures_round_to_two_decimals():
    """Given a bridge's measures with three decimals and negative currents, then the topics
    carry them rounded to 2 decimals as the fork's %.2f (interfaces.md 2.2)."""
    s = Simulation()
    assert s.mqtt_set("Set/LinkyMeter", "0:1:1:230.125:-12.345:0:7.004:12:1:0.5")
    s.advance(1)
    snap = {}
    mqtt_state.snapshot(s.app, snap)
    assert [snap[name] for name in ("LinkyIsHc", "LinkyIsPowerOverflow", "LinkyVoltageL1V",
                                    "LinkyCurrentL1A", "LinkyApparentPowerVa",
                                    "LinkyActiveEnergyTotal", "LinkyContractedPowerKva",
                                    "LinkyTotalHp", "LinkyTotalHc")] == [
        "1", "1", "230.13", "-12.35", "0.00", "7.00", "12.00", "1.00", "0.50"]


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
