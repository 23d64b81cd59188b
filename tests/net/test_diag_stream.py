"""The diagnostics WebSocket /diag/stream with a real client (the `websockets` package): the
capture's status, then the lines it records, at most 10 messages a second, open without a
session, its code on the heap only while a client is connected (interfaces.md 1.17, 1.2)."""

import sys

from test_ws_data import Client

from http_client import charging_with_http
from smartevse import log
from tests.api.test_api_auth import PIN, login

STREAM = "smartevse.api.diag_stream"


def _lines(messages):
    return [m for m in messages if m["type"] == "lines"]


def test_a_capture_streams_its_lines_in_order_at_most_10_messages_a_second():
    """Given a charging controller with AuthMode Required and no session, when a client
    opens /diag/stream, then it is accepted (not gated, 1.2) and its first message is the
    capture's status (profile off) while GET /diag/status answers 401; when a capture starts
    (loadbal) a status message says so, and the 200 lines logged over the next 2 s arrive in
    order as "lines" messages numbered from 0 in the capture without a gap, at most 10 a
    second; when the capture stops, a last status says off and frozen (1.17)."""
    s = charging_with_http(3.0)
    s.configure({"lcd_pin": PIN, "auth_mode": "Required"})
    client = Client(s, "/diag/stream")
    try:
        first = client.wait(s, lambda m: m)[0]
        assert first["type"] == "status" and first["d"]["profile"] == "off"
        assert s.rest("GET", "/diag/status")[0] == 401
        assert login(s)[0] == 200               # the capture's REST side needs the session
        assert s.rest("POST", "/diag/start", {"profile": "loadbal"})[0] == 200
        client.wait(s, lambda m: m[-1]["type"] == "status" and m[-1]["d"]["profile"] == "loadbal")
        begin = len(client.messages)
        for i in range(200):
            log.info("diag line %d" % i)
            s.advance(0.01)
        client.wait(s, lambda m: sum(len(x["lines"]) for x in _lines(m)) >= 200)
        streamed = _lines(client.messages[begin:])
        assert len(streamed) <= 2 * 10 + 1                     # 2 s at 10 Hz
        numbers = [m["first"] for m in streamed]
        assert numbers[0] == 0 and all(
            later == earlier + len(m["lines"])
            for earlier, later, m in zip(numbers, numbers[1:], streamed))
        assert [line for m in streamed for line in m["lines"]] == [
            "INFO: diag line %d" % i for i in range(200)]
        assert s.rest("POST", "/diag/stop")[0] == 200
        last = client.wait(s, lambda m: m[-1]["type"] == "status"
                           and m[-1]["d"]["profile"] == "off")[-1]
        assert last["d"]["frozen"] is True and last["d"]["count"] == 32
    finally:
        client.close(s)
        s.close()


def test_a_client_joining_a_running_capture_gets_what_it_recorded_and_its_code_leaves_with_it():
    """Given a capture that recorded 3 lines and a /ws/data page open, when a /diag/stream
    client connects, then it gets the status and those 3 lines numbered from 0; once it
    closes, the stream's code leaves the heap while the page keeps its live data (1.17,
    1.19; issue 11 "On the device")."""
    s = charging_with_http(3.0)
    page = Client(s, "/ws/data")
    client = None
    try:
        s.rest("POST", "/diag/start", {"profile": "general"})
        for i in range(3):
            log.info("before %d" % i)
        client = Client(s, "/diag/stream")
        client.wait(s, lambda m: _lines(m))
        assert client.messages[0]["d"]["profile"] == "general"
        assert _lines(client.messages)[0] == {
            "type": "lines", "first": 0, "lines": ["INFO: before %d" % i for i in range(3)]}
        assert STREAM in sys.modules
        client.close(s)
        client = None
        s.run_realtime(2.0, until=lambda: STREAM not in sys.modules)
        assert STREAM not in sys.modules and s.app.http.ws is not None
        seen = len(page.messages)
        s.plant.ev.pilot("B")
        page.wait(s, lambda m: len(m) > seen)
    finally:
        if client is not None:
            client.close(s)
        page.close(s)
        s.close()
