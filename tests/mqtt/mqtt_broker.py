"""A real mosquitto on loopback for the MQTT wire tests, and a paho client that records
what a subscriber (Home Assistant, evcc) receives."""

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import paho.mqtt.client as paho


def skip_or_fail(reason, environ):
    """A missing mosquitto skips with its reason; under CI=true it fails (.ci/run installs it)."""
    import pytest
    if environ.get("CI") == "true":
        pytest.fail("MQTT wire tests unavailable under CI: " + reason)
    pytest.skip(reason)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed():
    """(certificate, key) paths of a fresh self-signed EC certificate for 127.0.0.1 (made
    with the openssl program; missing: a skip with the reason, a failure under CI=true),
    in a folder mosquitto can read after it dropped root (remove it with shutil.rmtree)."""
    exe = shutil.which("openssl")
    if exe is None:
        skip_or_fail("openssl is not installed (apt-get install openssl)", os.environ)
    folder = tempfile.mkdtemp(prefix="smartevse-tls-")
    os.chmod(folder, 0o755)
    cert = os.path.join(folder, "cert.pem")
    key = os.path.join(folder, "key.pem")
    subprocess.run([exe, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    os.chmod(key, 0o644)                  # a throw-away key: the broker's user reads it
    return cert, key


class Broker:
    """mosquitto on 127.0.0.1:<free port>, anonymous, until stop(); with `tls` =
    (certificate, key) its listener speaks TLS (mqtts://)."""

    def __init__(self, folder, port=None, tls=None):
        if shutil.which("mosquitto") is None and not os.path.exists("/usr/sbin/mosquitto"):
            skip_or_fail("mosquitto is not installed (apt-get install mosquitto)", os.environ)
        exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.port = free_port() if port is None else port
        os.makedirs(folder, exist_ok=True)
        conf = os.path.join(folder, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n" % self.port)
            if tls is not None:
                f.write("cafile %s\ncertfile %s\nkeyfile %s\n" % (tls[0], tls[0], tls[1]))
        self.process = subprocess.Popen([exe, "-c", conf], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("mosquitto did not start")
                time.sleep(0.02)

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=5)


class Listener:
    """A paho client subscribed to `topics`; keeps every message as (topic, payload, retain)."""

    def __init__(self, port, topics=("#",), client_id="listener", tls_ca=None):
        self.messages = []
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self.client = paho.Client(client_id=client_id, protocol=paho.MQTTv311)
        if tls_ca is not None:
            self.client.tls_set(ca_certs=tls_ca)
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *args: self._subscribed.set()
        self.client.connect("127.0.0.1", port, keepalive=30)
        self.client.loop_start()
        for topic in topics:
            self._subscribed.clear()
            self.client.subscribe(topic, qos=1)
            assert self._subscribed.wait(5)

    def _on_message(self, client, userdata, msg):
        with self._lock:
            self.messages.append((msg.topic, msg.payload.decode(), bool(msg.retain)))

    def last(self):
        """topic -> (payload, retain) of the last message on each topic."""
        with self._lock:
            return {topic: (payload, retain) for topic, payload, retain in self.messages}

    def wait_for(self, topic, payload=None, timeout_s=5.0):
        """The last (payload, retain) on `topic` once it arrives (with `payload` if given)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            got = self.last().get(topic)
            if got is not None and (payload is None or got[0] == payload):
                return got
            time.sleep(0.005)
        raise AssertionError("no %r on %s within %.1f s (last %r)"
                             % (payload, topic, timeout_s, self.last().get(topic)))

    def publish(self, topic, payload, retain=False, qos=0):
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        info.wait_for_publish(5)

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()
