"""The fork's MQTT topics and commands: Session/Complete, the capacity tariff, the circuit
meter and the card swipe (interfaces.md 2.3, 2.4, 1.14; issue 11 item 5), on a real
mosquitto and through the firmware's command handling."""

import gc
import json

from mqtt_broker import Broker, Listener
from mqtt_sim import PREFIX, online, received, run_until
from sim import Simulation
from smartevse.api import mqtt_state
from tests.api.test_api_sessions import START, one_session

P = PREFIX + "/"
SENSORBOX = 1


def test_a_session_that_ends_while_the_broker_is_down_is_published_retained_after_reconnect(
        tmp_path):
    """Given a controller on a broker with an API EV meter, when the broker stops and a
    2-minute session ends meanwhile, then once a broker is back the record of 1.14 arrives
    retained on Session/Complete, equal to GET /session/last; a later cycle does not send
    it again (published once per session, 2.3)."""
    broker = Broker(str(tmp_path / "a"))
    s = online(broker, settings={"ev_meter_type": "API", "MAX": 16}, start=START)
    try:
        assert P + "Session/Complete" not in s.mqtt_published()   # none since boot
        broker.stop()
        run_until(s, lambda: not s.app.mqtt.connected, 15, 0.5)
        one_session(s, 120.0)
        broker = Broker(str(tmp_path / "b"), port=broker.port)
        listener = Listener(broker.port, client_id="ha")
        try:
            run_until(s, lambda: s.app.mqtt.connected, 35, 0.5)
            payload = received(s, listener, P + "Session/Complete")[0]
            late = Listener(broker.port, topics=(P + "Session/#",), client_id="late")
            assert late.wait_for(P + "Session/Complete") == (payload, True)   # retained
            late.close()
            record = json.loads(payload)
            assert record == s.rest("GET", "/session/last")[1]
            assert record["session_id"] == 1 and record["kwh"] == 12.345
            count = sum(1 for topic, _, _ in listener.messages
                        if topic == P + "Session/Complete")
            s.advance(40)                                          # past the 25 s heartbeat
            assert sum(1 for topic, _, _ in listener.messages
                       if topic == P + "Session/Complete") == count
        finally:
            listener.close()
    finally:
        s.close()
        broker.stop()


def test_the_next_session_is_published_as_it_ends():
    """Given a controller that published one session, when a second one ends, then
    Session/Complete carries session 2 (1.14, 2.3)."""
    s = Simulation(settings={"ev_meter_type": "API", "MAX": 16}, start=START)
    one_session(s, 70.0)
    s.advance(2)
    assert json.loads(s.mqtt_published()[P + "Session/Complete"])["session_id"] == 1
    one_session(s, 70.0, 154645, 160000)
    s.advance(2)
    assert json.loads(s.mqtt_published()[P + "Session/Complete"])["session_id"] == 2


def test_capacity_topics_follow_the_window_and_set_capacity_limit_changes_the_limit(broker):
    """Given Smart with a Sensorbox, CAP PEAK 6.9 kW and a house load of 2 A per phase, when
    the EV charges through a 15-minute window and a broker is then set over REST, then
    CapacityLimit reads 6900, CapacityWindowAvg and CapacityMonthlyPeak equal GET
    /settings' figures and CapacityHeadroom is within the limit; Set/CapacityLimit 5000
    sets the limit and 30000 is dropped (0..25000 W, 2.3, 2.4)."""
    s = Simulation(settings={"mains_meter_type": SENSORBOX, "MAX": 16, "MAINS": 25,
                             "mode": "Smart", "CAP PEAK": 6900})
    listener = Listener(broker.port, topics=(P + "+",), client_id="cap")
    try:
        s.plant.cable(rating_a=32)
        s.plant.mains.load_da(20, 20, 20)
        s.plant.ev.pilot("C")
        s.advance(16 * 60)
        block = s.rest("GET", "/settings")[1]["settings"]
        assert block["capacity_window_avg"] > 0
        host, _, port = broker.address.partition(":")
        s.rest("POST", "/settings", {"mqtt_update": "1", "mqtt_host": host, "mqtt_port": port})
        s.plant.ev.pilot("B")            # contactors open: the link may connect (item 10)
        run_until(s, lambda: s.app.mqtt.connected, 10)
        assert received(s, listener, P + "CapacityLimit", "6900")
        assert received(s, listener, P + "CapacityWindowAvg", str(block["capacity_window_avg"]))
        assert received(s, listener, P + "CapacityMonthlyPeak",
                        str(block["capacity_monthly_peak"]))
        assert 0 <= int(received(s, listener, P + "CapacityHeadroom")[0]) <= 6900
        listener.publish(P + "Set/CapacityLimit", "5000")
        assert received(s, listener, P + "CapacityLimit", "5000")
        assert s.rest("GET", "/settings")[1]["settings"]["capacity_limit"] == 5000
        assert not s.mqtt_set("CapacityLimit", "30000")
        assert s.rest("GET", "/settings")[1]["settings"]["capacity_limit"] == 5000
    finally:
        listener.close()
        s.close()


def test_set_circuit_meter_feeds_the_regulation_and_is_published(broker):
    """Given a standalone controller with CIRCUIT MET API on a broker, when
    Set/CircuitMeter sends 120:80:-10 (dA), then the regulation reads the highest phase
    (12.0 A), CircuitCurrentL1..3 are published and GET /settings shows them; a payload
    out of range or of two fields is dropped (2.4, 1.7)."""
    s = online(broker, settings={"circuit_meter_type": "API"})
    listener = Listener(broker.port, topics=(P + "+",),
                        client_id="circuit")
    try:
        listener.publish(P + "Set/CircuitMeter", "120:80:-10")
        assert received(s, listener, P + "CircuitCurrentL1", "120")
        assert received(s, listener, P + "CircuitCurrentL3", "-10")
        assert s.app.evse.circuit_da == 120
        currents = s.rest("GET", "/settings")[1]["circuit_meter"]["currents"]
        assert currents == {"TOTAL": 190, "L1": 120, "L2": 80, "L3": -10}
        assert not s.mqtt_set("CircuitMeter", "120:80")
        assert not s.mqtt_set("CircuitMeter", "9000:0:0")
        assert s.app.evse.circuit_da == 120
    finally:
        listener.close()
        s.close()


def test_set_circuit_meter_is_refused_without_an_api_circuit_meter_and_on_a_node():
    """Given no circuit meter, or a power-share node with CIRCUIT MET API, when
    Set/CircuitMeter arrives, then it is dropped (type API, master only, 2.4)."""
    assert not Simulation().mqtt_set("CircuitMeter", "10:10:10")
    s = Simulation(nodes=2, settings={"circuit_meter_type": "API"})
    assert not s.node(2).mqtt_set("CircuitMeter", "10:10:10")


def test_set_rfid_swipes_a_card_like_post_rfid():
    """Given RFID Learn, when Set/RFID sends a 14-hex-char UID, then the card is stored as a
    swipe on the reader would (RFID `Card Stored`, RFIDLastRead the UID); a bad hex string
    is dropped, and without a reader enabled the command is dropped (2.4, 1.9)."""
    s = Simulation(settings={"RFID": "Learn"})
    s.advance(2)
    assert s.mqtt_set("Set/RFID", "04A1B2C3D4E5F6")
    s.advance(12)
    assert s.app.rfid.cards.cards() == ["04A1B2C3D4E5F6"]
    assert s.mqtt_published()[P + "RFIDLastRead"] == "04A1B2C3D4E5F6"
    assert not s.mqtt_set("RFID", "04XYZ")
    off = Simulation(settings={"RFID": "Disabled"})
    assert not off.mqtt_set("RFID", "04A1B2C3D4E5F6")


def test_free_heap_is_published_where_the_runtime_tells_it(monkeypatch):
    """Given a runtime with gc.mem_free (CircuitPython), when a cycle runs, then FreeHeap
    carries its bytes (not retained; 2.3 fork); on a host without it the topic is left
    out rather than made up."""
    s = Simulation()
    s.advance(12)
    assert P + "FreeHeap" not in s.mqtt_published()
    monkeypatch.setattr(gc, "mem_free", lambda: 123456, raising=False)
    s.advance(12)
    assert s.mqtt_published()[P + "FreeHeap"] == "123456"


def test_set_cppwm_override_follows_the_rest_rule_and_drops_bad_payloads():
    """Given a controller, when Set/CPPWMOverride sends a duty out of -1..1024 or no
    number, then it is dropped; in range it is taken exactly when POST /settings'
    override_pwm takes it (2.4: -1 release, 0 pilot off, 1..1024 a fixed duty)."""
    s = Simulation()
    assert not s.mqtt_set("CPPWMOverride", "2000")
    assert not s.mqtt_set("CPPWMOverride", "-5")
    assert not s.mqtt_set("CPPWMOverride", "half")
    rest = s.rest("POST", "/settings", {"override_pwm": "512"})[1]["override_pwm"]
    assert s.mqtt_set("CPPWMOverride", "512") == (rest == 512)


def test_an_eastron_mains_publishes_its_energy_per_phase_but_not_a_zero():
    """Given an Eastron SDM630 as mains meter with 1500 kWh, 2.5 kWh and 0 Wh imported per
    phase, when a cycle runs, then MainsEnergyL1 and L2 carry the Wh and L3 is left out
    while 0 (2.3, the zero-guard of 2.2; modbus.md 8.6)."""
    s = Simulation(settings={"mains_meter_type": "Eastron3P", "mains_meter_address": 11})
    s.plant.mains.phase_imported_mwh = [1500000000, 2500000, 0]
    s.advance(12)
    published = s.mqtt_published()
    assert published[P + "MainsEnergyL1"] == "1500000"
    assert published[P + "MainsEnergyL2"] == "2500"
    assert P + "MainsEnergyL3" not in published


def test_set_diag_profile_starts_and_stops_the_capture_like_rest():
    """Given a controller, when Set/DiagProfile says `loadbal` (or 3), then GET /diag/status
    shows that profile; `off` (or 0) stops it; an unknown profile is dropped (2.4, 1.17)."""
    s = Simulation()
    assert s.mqtt_set("DiagProfile", "3")
    assert s.rest("GET", "/diag/status")[1]["profile"] == "loadbal"
    assert not s.mqtt_set("DiagProfile", "verbose")
    assert s.rest("GET", "/diag/status")[1]["profile"] == "loadbal"
    assert s.mqtt_set("DiagProfile", "off")
    assert s.rest("GET", "/diag/status")[1]["profile"] == "off"
    assert s.mqtt_set("DiagProfile", "fast")
    assert s.rest("GET", "/diag/status")[1]["profile"] == "fast"


def test_meter_timeouts_recoveries_and_stale_api_feeds_are_counted():
    """Given Smart with a Sensorbox, when the mains meter stops answering for 20 s and comes
    back, then MeterTimeoutCount reads 1 (after its 11 s) and MeterRecoveryCount 1; given
    an API mains feed that stops, ApiStaleCount reads 1 once the 120 s staleness passed
    (2.3 fork counters; charging.md 3.5)."""
    s = Simulation(settings={"mains_meter_type": SENSORBOX, "mode": "Smart"})
    s.advance(3)
    s.plant.mains.online(False)
    s.advance(20)
    s.plant.mains.online(True)
    s.advance(12)
    published = s.mqtt_published()
    assert (published[P + "MeterTimeoutCount"], published[P + "MeterRecoveryCount"]) == ("1", "1")
    api = Simulation(settings={"mains_meter_type": "API", "mode": "Smart"})
    assert api.mqtt_set("MainsMeter", "10:10:10")
    api.advance(130)
    assert api.mqtt_published()[P + "ApiStaleCount"] == "1"


def test_a_linky_tic_gateway_publishes_the_linky_topics_until_the_meter_is_lost():
    """Given an Eastron-type mains that is a Linky TIC gateway in peak hours with 9 kVA
    contracted, when a cycle runs, then LinkyIsHp 1, LinkyIsHc 0, LinkyIsHphcTariff 1, the
    contracted power "9.00", the power factor "1.00" and the gateway's date are published
    (not retained); once the meter is silent (CT_NOCOMM in Smart) the Linky topics are
    left out of the cycle (2.3; modbus.md 8.6)."""
    s = Simulation(settings={"mains_meter_type": "Eastron3P", "mains_meter_address": 11,
                             "mode": "Smart"})
    s.plant.mains.tic_gateway(peak=True, contracted_kva=9.0)
    s.advance(12)
    published = s.mqtt_published()
    assert [published[P + name] for name in ("LinkyIsHp", "LinkyIsHc", "LinkyIsHphcTariff",
                                              "LinkyIsTempoTariff")] == ["1", "0", "1", "0"]
    assert published[P + "LinkyContractedPowerKva"] == "9.00"
    assert published[P + "LinkyPowerFactor"] == "1.00"
    assert [published[P + "LinkyDate" + part] for part in ("Year", "Month", "Day")] == [
        "2026", "11", "30"]
    assert not s.app.mqtt._state_module.retained("LinkyIsHp")
    snap = {}
    mqtt_state.snapshot(s.app, snap)
    assert snap["LinkyIsHp"] == "1"
    s.plant.mains.online(False)
    s.advance(15)
    assert "CT_NOCOMM" in s.observe()["errors"]
    snap.clear()
    mqtt_state.snapshot(s.app, snap)
    assert not [name for name in snap if name.startswith("Linky")]


def test_linky_floats_keep_two_decimals():
    """Given hundredths, then the payload has two decimals and the sign (2.2)."""
    from smartevse.api.mqtt_linky import two_decimals
    assert [two_decimals(v) for v in (900, 1234, 5, -5, -1250, 0)] == [
        "9.00", "12.34", "0.05", "-0.05", "-12.50", "0.00"]
