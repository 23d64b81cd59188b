"""What Home Assistant and evcc send over MQTT, replayed byte for byte against a real
mosquitto, and the answers read back field by field (interfaces.md 2.2-2.5, charging.md
6.2a; issue 11 item 7)."""

import pytest

from mqtt_broker import Listener
from mqtt_sim import PREFIX, charging, on_wall_time, online, received


@pytest.fixture
def ha(broker):
    listener = Listener(broker.port, client_id="homeassistant")
    yield listener
    listener.close()


def _send(s, client, suffix, payload, condition, max_s=2.0):
    """Publish `<prefix>/Set/<suffix>` as the client does; seconds to the effect."""
    client.publish(PREFIX + "/Set/" + suffix, payload)
    return on_wall_time(s, condition, max_s)


def test_home_assistant_commands_change_the_controller_and_the_state_topics_follow(broker, ha):
    """Given a connected controller and Home Assistant's discovered entities, when it sends
    what its select, number, text and switch entities send (Mode "Smart", override 10 A as
    "100" from the command template A x 10, custom button "On", a colour, MQTT change-only
    "0", CONTACT 2 "Auto"), then each takes effect within 0.2 s and the state topic reads
    the new value (interfaces.md 2.4, 2.5)."""
    s = online(broker)
    try:
        app = s.app
        assert _send(s, ha, "Mode", "Smart", lambda: s.observe()["mode"] == "Smart") <= 0.2
        assert received(s, ha, PREFIX + "/Mode", "Smart")   # retained: see test_mqtt_wire
        assert _send(s, ha, "CurrentOverride", "100",
                     lambda: app.evse.override_current_da == 100) <= 0.2
        assert received(s, ha, PREFIX + "/ChargeCurrentOverride", "100")
        assert _send(s, ha, "CustomButton", "On", lambda: app.evse.custom_button) <= 0.2
        assert _send(s, ha, "ColorSmart", "10,20,30",
                     lambda: app.settings.values["color_smart"] == 0x0A141E) <= 0.2
        assert _send(s, ha, "MQTTChangeOnly", "0",
                     lambda: app.settings.values["mqtt_change_only"] == 0) <= 0.2
        assert _send(s, ha, "EnableC2", "Auto",
                     lambda: app.settings.values["enable_C2"] == 4) <= 0.2
        received(s, ha, PREFIX + "/EnableC2", "Auto")
        last = ha.last()
        assert last[PREFIX + "/CustomButton"][0] == "On"
        assert last[PREFIX + "/LEDColorSmart"][0] == "10,20,30"
        assert last[PREFIX + "/MQTTChangeOnly"][0] == "0"
        assert last[PREFIX + "/EnableC2"][0] == "Auto"
        assert _send(s, ha, "Mode", "Off", lambda: s.observe()["access"] == "off") <= 0.2
        assert received(s, ha, PREFIX + "/Mode", "Off")
        assert received(s, ha, PREFIX + "/Access", "Deny")
    finally:
        s.close()


@pytest.mark.parametrize("suffix, payload, key", [
    ("Mode", "smart", "mode"),                       # the exact texts only (2.4)
    ("CurrentOverride", "50", None),                 # below MIN x 10
    ("CurrentOverride", "999", None),                # above MAX x 10
    ("CurrentOverride", "abc", None),
    ("ColorOff", "1,2", "color_off"),
    ("ColorOff", "1,2,256", "color_off"),
    ("EnableC2", "7", "enable_C2"),
    ("EnableC2", "always on", "enable_C2"),
    ("MQTTHeartbeat", "5", "mqtt_heartbeat"),
    ("MQTTChangeOnly", "maybe", "mqtt_change_only"),
    ("RotationInterval", "20", "rotation_interval"),
    ("MainsMeter", "10:20", None),
    ("NoSuchTopic", "1", None),
])
def test_an_invalid_command_is_dropped_and_changes_nothing(broker, ha, suffix, payload, key):
    """Given a connected controller, when a /Set/ command carries an invalid payload, then
    it is dropped silently: the setting, the override and the mains readings stay
    (interfaces.md 2.4 "Invalid payloads are dropped silently")."""
    s = online(broker)
    try:
        before = dict(s.app.settings.values)
        link = s.app.mqtt
        received = link.received
        ha.publish(PREFIX + "/Set/" + suffix, payload)
        on_wall_time(s, lambda: link.received > received and not link.commands, 5.0)
        s.advance(0.1)
        assert s.app.settings.values == before
        assert s.app.evse.override_current_da == 0
        assert s.observe()["mode"] == "Normal" and s.observe()["access"] == "on"
    finally:
        s.close()


def test_evcc_sets_current_and_mode_and_reads_state_id_with_a_25_s_heartbeat(broker):
    """Given a charging controller in Normal mode, when evcc sends what its SmartEVSE MQTT
    template sends (override current in dA, Mode), then the offer follows within 0.2 s of
    simulated time, and while nothing changes every steady topic evcc reads (StateID,
    ChargeCurrentOverride, MaxCurrent) is published again at least every 25 s, within
    evcc's 30 s timeout (interfaces.md 2.2, 2.3)."""
    evcc = Listener(broker.port, client_id="evcc")
    s = online(broker)
    try:
        charging(s)
        assert _send(s, evcc, "CurrentOverride", "100",
                     lambda: s.observe()["advertised_da"] == 100, 3.0) <= 2.5
        times = {}
        link = s.app.mqtt
        sink = link.sink

        def spy(topic, payload, retain):
            times.setdefault(topic[len(PREFIX) + 1:], []).append(s.time_s)
            sink(topic, payload, retain)
        link.sink = spy
        s.advance(75)
        for topic in ("StateID", "ChargeCurrentOverride", "MaxCurrent", "Mode"):
            seen = times[topic]
            gaps = [b - a for a, b in zip(seen, seen[1:])]
            assert len(seen) >= 3 and max(gaps) <= 25.0, (topic, gaps)
        assert received(s, evcc, PREFIX + "/StateID", "C")
        assert _send(s, evcc, "Mode", "Pause", lambda: s.observe()["access"] == "pause") <= 0.2
    finally:
        evcc.close()
        s.close()
