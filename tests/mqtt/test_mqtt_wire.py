"""MQTT against a real mosquitto on loopback (interfaces.md 2.1-2.4; issue 11 items 5, 7)."""

import json

from mqtt_broker import Listener
from mqtt_sim import PREFIX, charging, online, received


def test_on_connect_it_says_online_retained_and_publishes_state_and_discovery(broker):
    """Given a controller configured with the broker, when it connects, then a subscriber
    reads `<prefix>/connected` = online (retained), the retained StateID, Mode and
    MaxCurrent, and a retained discovery config per entity (interfaces.md 2.1, 2.3, 2.5)."""
    listener = Listener(broker.port, client_id="ha")
    s = online(broker)
    try:
        assert listener.wait_for(PREFIX + "/connected", "online") == ("online", False)
        assert listener.wait_for(PREFIX + "/StateID") == ("A", False)
        assert listener.wait_for(PREFIX + "/MaxCurrent")[0] == "130"      # MAX 13 A in dA
        assert listener.wait_for(PREFIX + "/Mode")[0] == "Normal"
        mode = json.loads(listener.wait_for(
            "homeassistant/select/" + PREFIX + "-Mode/config")[0])
        assert mode["command_topic"] == PREFIX + "/Set/Mode"
        assert mode["availability_topic"] == PREFIX + "/connected"
    finally:
        listener.close()
        s.close()
    late = Listener(broker.port, client_id="late")      # retained: a late subscriber sees them
    try:
        assert late.wait_for(PREFIX + "/StateID") == ("A", True)
        assert late.wait_for(PREFIX + "/connected")[1] is True
        assert late.wait_for("homeassistant/sensor/" + PREFIX + "-ChargeCurrent/config")[1]
    finally:
        late.close()


def test_a_retained_state_id_follows_the_charge_for_evcc(broker):
    """Given a connected controller, when the EV charges, then StateID reads C (retained:
    evcc's template reads it on subscribe) and State "Charging" (interfaces.md 2.3)."""
    s = online(broker)
    try:
        charging(s)
        s.advance(1.5)                 # the state change forces a cycle on the next tick
        late = Listener(broker.port, client_id="evcc")
        try:
            assert late.wait_for(PREFIX + "/StateID", "C") == ("C", True)
            assert late.wait_for(PREFIX + "/State", "Charging")[1] is True
            assert late.wait_for(PREFIX + "/EVPlugState")[0] == "Connected"
        finally:
            late.close()
    finally:
        s.close()


def test_a_power_cut_leaves_the_last_will_offline_retained(broker):
    """Given a connected controller, when its supply is cut (no DISCONNECT), then the
    broker publishes the last will `<prefix>/connected` = offline, retained, so Home
    Assistant marks every entity unavailable (interfaces.md 2.1)."""
    s = online(broker)
    listener = Listener(broker.port, client_id="ha-lwt")
    try:
        assert listener.wait_for(PREFIX + "/connected", "online")
        s.power_cut()
        assert listener.wait_for(PREFIX + "/connected", "offline") == ("offline", False)  # broker
    finally:
        listener.close()
        s.close()
    late = Listener(broker.port, client_id="late-lwt")
    try:
        assert late.wait_for(PREFIX + "/connected") == ("offline", True)
    finally:
        late.close()


def test_new_broker_settings_over_rest_reconnect_under_the_new_prefix_and_no_secret_is_sent(
        broker):
    """Given a connected controller, when POST /settings?mqtt_update=1 sets a user, a
    password and the prefix "garage/evse", then it disconnects (saying offline under the
    old prefix), connects again and publishes under garage/evse; the password appears in
    no topic or payload it ever published (interfaces.md 1.5 MQTT block, 2.1; issue 11
    item 8)."""
    listener = Listener(broker.port, client_id="ha-prefix")
    s = online(broker)
    try:
        status, answer = s.rest("POST", "/settings", {
            "mqtt_update": "1", "mqtt_topic_prefix": "garage/evse", "mqtt_username": "evse",
            "mqtt_password": "s3cret-Pa55"})
        assert status == 200 and answer["mqtt_password_set"] is True
        assert listener.wait_for(PREFIX + "/connected", "offline")
        assert received(s, listener, "garage/evse/connected", "online")
        assert received(s, listener, "garage/evse/StateID", "A")
        config = json.loads(received(s, listener,
                                     "homeassistant/select/garage/evse-Mode/config")[0])
        assert config["command_topic"] == "garage/evse/Set/Mode"
    finally:
        listener.close()
        s.close()
    everything = " ".join(topic + " " + payload for topic, (payload, _) in
                          listener.last().items())
    assert "s3cret-Pa55" not in everything
    assert all("s3cret-Pa55" not in k + v for k, v in s.mqtt_published().items())
