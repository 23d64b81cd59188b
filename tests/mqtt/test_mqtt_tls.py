"""MQTT over TLS (mqtts://) against a real mosquitto with a TLS listener on loopback and a
certificate made by the test; the TLS handshake starts only while the contactors are open
(interfaces.md 2.1; issue 11 item 10)."""

import os
import shutil

import pytest

from mqtt_broker import Broker, Listener, self_signed
from mqtt_sim import PREFIX, charging, received, run_until
from sim import Simulation


@pytest.fixture
def tls_broker(monkeypatch):
    cert, key = self_signed()
    # the controller trusts the certificate as a root (on the device: the PEM copied to
    # the drive, or the built-in roots); CPython's default context reads SSL_CERT_FILE
    monkeypatch.setenv("SSL_CERT_FILE", cert)
    folder = os.path.dirname(cert)
    broker = Broker(os.path.join(folder, "broker"), tls=(cert, key))
    broker.cert = cert
    yield broker
    broker.stop()
    shutil.rmtree(folder, ignore_errors=True)


def test_mqtts_connects_says_online_and_takes_commands(tls_broker):
    """Given MQTT TLS on and a broker with a TLS listener, when the controller starts,
    then it connects over TLS, says online (retained) and publishes its state, and a
    Set/Mode command over TLS reaches the firmware (2.1, 2.4)."""
    listener = Listener(tls_broker.port, client_id="ha-tls", tls_ca=tls_broker.cert)
    s = Simulation(mqtt=tls_broker.address, settings={"mqtt_tls": 1})
    try:
        run_until(s, lambda: s.app.mqtt.connected, 10)
        assert received(s, listener, PREFIX + "/connected", "online")
        assert received(s, listener, PREFIX + "/Mode", "Normal")
        listener.publish(PREFIX + "/Set/Mode", "Smart")
        run_until(s, lambda: s.observe()["mode"] == "Smart", 5)
    finally:
        listener.close()
        s.close()


def test_a_tls_broker_set_while_charging_is_joined_only_once_the_contactors_open(tls_broker):
    """Given a charging controller without MQTT, when a TLS broker is configured over REST
    (mqtt_update=1), then no connection is even tried while the contactors are closed (a
    TLS handshake blocks for seconds on the device); once the EV stops and the contactors
    open, the link connects over TLS and says online (issue 11 item 10; 2.1)."""
    listener = Listener(tls_broker.port, client_id="ha-tls-late", tls_ca=tls_broker.cert)
    s = Simulation()
    try:
        charging(s)
        host, _, port = tls_broker.address.partition(":")
        status, answer = s.rest("POST", "/settings", {
            "mqtt_update": "1", "mqtt_host": host, "mqtt_port": port, "mqtt_tls": "1"})
        assert status == 200 and answer["mqtt_tls"] is True
        s.advance(10.0)
        link = s.app.mqtt
        assert not link.connected and link.failures == 0 and link._client is None
        s.plant.ev.pilot("B")
        s.advance(1.0)
        assert not s.observe()["contactor1"]
        run_until(s, lambda: link.connected, 10)
        assert received(s, listener, PREFIX + "/connected", "online")
    finally:
        listener.close()
        s.close()
