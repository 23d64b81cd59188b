"""The live-data WebSocket /ws/data with a real client (the `websockets` package): the sync
on connect and every 30 s, the 500 ms state deltas, at most 4 clients, client messages
ignored (interfaces.md 1.19; issue 11 items 1 and 3)."""

import json
import sys
import threading

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from http_client import call, charging_with_http, request
from sim import Simulation

FIELDS = {"mode_id", "state_id", "error_flags", "charge_current", "temp", "temp_max", "pwm",
          "car_connected", "loadbl", "override_current", "current_min", "current_max",
          "phase_L1", "phase_L2", "phase_L3", "evmeter_L1", "evmeter_L2", "evmeter_L3",
          "evmeter_power", "evmeter_charged_wh", "battery_current", "battery_last_update",
          "phases_last_update", "evse_mode", "linky_is_hp"}
SYNC_ONLY = {"temp_max", "current_min", "current_max", "phases_last_update"}


class Client:
    """A websockets client in a thread of its own (the simulation runs in this one); text
    messages are kept decoded from JSON, binary ones (/ws/lcd's pictures) as bytes."""

    def __init__(self, s, path="/ws/data"):
        self.messages = []
        self.error = None
        self.ws = None
        self._opened = threading.Event()
        self._url = s.http_url.replace("http://", "ws://") + path
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert s.run_realtime(10.0, until=self._opened.is_set), "no handshake"
        if self.error is not None:
            raise self.error

    def _run(self):
        try:
            with connect(self._url, open_timeout=10) as ws:
                self.ws = ws
                self._opened.set()
                for message in ws:
                    self.messages.append(message if isinstance(message, bytes)
                                         else json.loads(message))
        except Exception as exc:      # a refused handshake reaches the test by the constructor
            self.error = exc
            self._opened.set()

    def wait(self, s, condition, seconds=10.0):
        assert s.run_realtime(seconds, until=lambda: condition(self.messages)), self.messages
        return self.messages

    def close(self, s):
        """Close as a browser does; the simulation runs to answer the close frame."""
        closing = threading.Thread(target=self.ws.close, daemon=True)
        closing.start()
        s.run_realtime(5.0, until=lambda: not closing.is_alive())
        self._thread.join(5)


@pytest.fixture
def s():
    with charging_with_http(5.0) as s:
        yield s


def test_a_client_gets_every_field_on_connect_then_only_what_changed(s):
    """Given a controller charging at 16 A in Normal, when a WebSocket client connects to
    /ws/data, then its first message is a sync with every field of 1.19 matching GET
    /settings (state_id 2, charge_current 160, mode_id 1, evse_mode 1, current_max 16);
    when the EV stops asking, a state message within about 500 ms carries state_id 1 and
    no sync-only field; a mode change to Smart says mode_id 3; once the page closes, the
    live-data code is released (1.19)."""
    client = Client(s)
    try:
        first = client.wait(s, lambda m: m)[0]
        assert first["type"] == "sync" and set(first["d"]) == FIELDS
        doc = s.rest("GET", "/settings")[1]
        d = first["d"]
        assert (d["state_id"], d["mode_id"], d["evse_mode"]) == (2, 1, 1)
        assert d["charge_current"] == doc["settings"]["charge_current"] == 160
        assert (d["current_max"], d["temp_max"], d["pwm"]) == (
            16, doc["evse"]["temp_max"], doc["evse"]["pwm"])
        assert d["car_connected"] is True
        s.plant.ev.pilot("B")
        states = client.wait(s, lambda m: any(x["d"].get("state_id") == 1 for x in m[1:]))
        change = next(x for x in states[1:] if x["d"].get("state_id") == 1)
        assert change["type"] == "state" and not SYNC_ONLY & set(change["d"])
        assert s.rest("POST", "/settings", {"mode": "3"})[1]["mode"] == "3"
        client.wait(s, lambda m: any(x["d"].get("mode_id") == 3 for x in m[1:]))
    finally:
        client.close(s)
    assert s.run_realtime(5.0, until=lambda: s.app.http.ws is None)
    assert "smartevse.net.ws_data" not in sys.modules


def test_a_sync_every_30_s_and_nothing_while_nothing_changes(s):
    """Given a connected client and a steady charge, when 31 simulated seconds pass, then
    it got one more sync and no state message repeats an unchanged field (1.19)."""
    client = Client(s)
    try:
        client.wait(s, lambda m: m)
        s.advance(31.0)
        messages = client.wait(s, lambda m: sum(x["type"] == "sync" for x in m) == 2)
        for message in messages[1:]:
            if message["type"] == "state":
                assert "state_id" not in message["d"] and "charge_current" not in message["d"]
    finally:
        client.close(s)


def test_four_clients_at_most_and_the_http_slots_stay_free(s):
    """Given 4 connected clients, when a fifth asks, then it is refused (503), while GET
    /settings still answers: WebSockets do not hold the HTTP server's slots (1.19, 1.1);
    a client that closes frees its place for the next."""
    clients = [Client(s) for _ in range(4)]
    try:
        with pytest.raises(InvalidStatus) as refused:
            Client(s)
        assert refused.value.response.status_code == 503
        assert call(s, "GET", "/settings")[0] == 200
        clients.pop().close(s)
        assert s.run_realtime(5.0, until=lambda: len(s.app.http.ws.clients) == 3)
        clients.append(Client(s))
        clients[-1].wait(s, lambda m: m and m[0]["type"] == "sync")
    finally:
        for client in clients:
            client.close(s)


def test_client_messages_are_ignored_and_a_ping_is_answered(s):
    """Given a connected client, when it sends {"subscribe":["state"]}, a long text and a
    ping, then the link stays open, the pong comes back and the state messages go on
    (1.19: client messages are ignored; RFC 6455 5.5.2)."""
    client = Client(s)
    try:
        client.wait(s, lambda m: m)
        client.ws.send(json.dumps({"subscribe": ["state"]}))
        client.ws.send("x" * 3000)
        pong = client.ws.ping(b"hi")
        assert s.run_realtime(5.0, until=lambda: pong.is_set())
        s.plant.ev.pilot("B")
        client.wait(s, lambda m: any(x["d"].get("state_id") == 1 for x in m[1:]))
        assert len(s.app.http.ws.clients) == 1
    finally:
        client.close(s)


def test_a_request_without_the_upgrade_key_gets_400():
    """Given the HTTP server, when GET /ws/data comes without Sec-WebSocket-Key, then 400
    and nothing is kept: the live-data code is released again (1.19)."""
    with Simulation(http=True) as s:
        status, _, _ = request(s, b"GET /ws/data HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 400
        s.advance(0.1)
        assert s.app.http.ws is None and "smartevse.net.ws_data" not in sys.modules
