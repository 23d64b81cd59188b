"""The HTTP transport: every request reaches routes.handle over real sockets, and no client
can block the loop (interfaces.md 1.1; docs/architecture.md "The cooperative loop")."""

import json
import socket

import pytest

from http_client import StepTimer, call, charging_with_http, connect, read_answer, request, split
from sim import Simulation
from smartevse.api import routes
from smartevse.net import http as http_service

# A blocking socket call would wait the library's 1 s socket timeout; the 20 ms budget of
# issue 11 is printed by `python -m bench`, on an idle machine. Here every socket must be
# non-blocking and no call may take a quarter second (a loaded CI host preempts ~0.1 s).
STEP_LIMIT_S = 0.25


@pytest.fixture
def s():
    with charging_with_http(3.0) as s:
        assert s.observe()["contactor1"]
        yield s


def test_get_settings_and_a_post_of_mode_reach_the_firmware(s):
    """Given a charging controller serving HTTP, when a client GETs /settings and POSTs
    mode=3 with override_current=83.0 and an empty body, then the JSON shows the charge and
    the firmware is in Smart with 8.3 A override (interfaces.md 0.3, 1.1, 1.4, 1.5)."""
    status, body = call(s, "GET", "/settings")
    assert status == 200 and body["evse"]["state"] == "Charging (C2)"
    status, body = call(s, "POST", "/settings?mode=3&override_current=83.0")
    assert status == 200 and body == {"mode": "3", "override_current": 83}
    assert s.observe()["mode"] == "Smart"
    assert s.rest("GET", "/settings")[1]["settings"]["override_current"] == 83


def test_percent_encoded_query_values_are_decoded(s):
    """Given a browser's URLSearchParams encoding, when starttime=2026-01-01T10%3A00 is
    POSTed, then the handler reads 10:00 (interfaces.md 1.5 starttime)."""
    status, body = call(s, "POST", "/settings?starttime=2026-01-01T10%3A00")
    assert status == 200 and body["starttime"] > 0


def test_a_form_body_counts_only_for_the_pin_and_the_portal(s, monkeypatch):
    """Given a POST /settings with mode=3 in a form body, then it changes nothing (POST
    parameters come from the query string); the same form body on /lcd-verify-password
    reaches the handler as a parameter (interfaces.md 1.1, 1.11)."""
    seen = {}

    def verify(app, params, body):
        seen.update(params)
        return 200, {"success": False}

    monkeypatch.setitem(routes.ROUTES, ("POST", "/lcd-verify-password"), verify)
    form = "Content-Type: application/x-www-form-urlencoded\r\n"
    status, body = call(s, "POST", "/settings", b"mode=3", form)
    assert status == 200 and "mode" not in body and s.observe()["mode"] == "Normal"
    status, body = call(s, "POST", "/lcd-verify-password", b"password=12%2034", form)
    assert status == 200 and seen == {"password": "12 34"}


def test_the_openapi_document_is_served_when_present_and_404_when_absent(s, tmp_path,
                                                                         monkeypatch):
    """Given no smartevse/api/openapi.json, GET /openapi.json answers 404 JSON; given one,
    it is served as application/json (issue 11 item 1)."""
    monkeypatch.setattr(http_service, "OPENAPI_PATH", str(tmp_path / "missing.json"))
    assert call(s, "GET", "/openapi.json") == (404, {"error": "Not found"})
    doc = tmp_path / "openapi.json"
    doc.write_text(json.dumps({"openapi": "3.0.3", "paths": {"/settings": {}}}))
    monkeypatch.setattr(http_service, "OPENAPI_PATH", str(doc))
    status, body = call(s, "GET", "/openapi.json")
    assert status == 200 and body["paths"] == {"/settings": {}}


def test_unknown_paths_and_methods_answer_404_and_405_as_json(s):
    """Given the catch-all route, an unknown path answers 404 and a known path with another
    method 405, both JSON (interfaces.md 1.1)."""
    assert call(s, "GET", "/nothing") == (404, {"error": "Not found"})
    assert call(s, "DELETE", "/settings") == (405, {"error": "Method not allowed"})


def test_an_answer_is_whole_and_closed_in_the_pass_that_reads_its_request(s):
    """Given a charging controller serving HTTP, when a client sends GET /settings and a
    single 10 ms pass runs, then the client reads the whole answer and the connection's end:
    the server closes in the pass that sent the last byte, not one pass later (the REST
    latency of `python -m bench`; interfaces.md 1.1)."""
    c = connect(s)
    c.sendall(b"GET /settings HTTP/1.1\r\nHost: x\r\n\r\n")
    s.advance(0.01)
    c.settimeout(1.0)                 # loopback: what was sent is there at once
    with c.makefile("rb") as answer:
        data = answer.read()          # up to the end: the server closed
    c.close()
    status, head, body = split(data)
    assert status == 200 and len(body) == int(head["content-length"])
    assert json.loads(body)["evse"]["state"] == "Charging (C2)"


def test_a_client_that_sends_nothing_never_blocks_and_is_closed_after_5_s(s):
    """Given one client that connects and sends nothing and one that sends half a head,
    when another client asks GET /settings meanwhile, then it is answered, no HTTP step
    takes 20 ms, and after 5 s both silent clients are closed (issue 11 item 10)."""
    timer = StepTimer(s)
    silent = connect(s)
    half = connect(s)
    half.sendall(b"GET /settings HTTP/1.1\r\nHost: x\r\n")
    s.advance(0.5)
    assert call(s, "GET", "/settings")[0] == 200
    s.advance(5.0)
    assert read_answer(s, silent, 0.1) == b"" and read_answer(s, half, 0.1) == b""
    assert s.app.http.stats["timed_out"] == 2
    assert timer.bounded(STEP_LIMIT_S) and s.observe()["contactor1"]


def test_a_slow_client_gets_its_answer_and_the_loop_keeps_its_pace(s):
    """Given a client that sends its request one byte per 10 ms pass, then the request is
    answered when complete and no HTTP step takes 20 ms (issue 11 item 10)."""
    timer = StepTimer(s)
    c = connect(s)
    for byte in b"GET /settings HTTP/1.1\r\nHost: x\r\n\r\n":
        c.send(bytes([byte]))
        s.advance(0.01)
    status, _, body = split(read_answer(s, c))
    assert status == 200 and json.loads(body)["evse"]["state_id"] == 2
    assert timer.bounded(STEP_LIMIT_S)


@pytest.mark.parametrize("raw, status", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /settings HTTP/1.1\r\nContent-Length: ten\r\n\r\n", 400),
    (b"\xff\xfe /settings HTTP/1.1\r\n\r\n", 400),
    (b"GET /settings HTTP/1.1\r\nX-Long: " + b"a" * 3000 + b"\r\n\r\n", 431),
    (b"POST /settings HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100, 413),
])
def test_malformed_and_oversized_requests_get_an_error_and_change_nothing(s, raw, status):
    """Given a malformed head, a head over 2 KB or a body over the buffer, then the answer
    is that error as JSON, the controller keeps charging in Normal (issue 11 "Bad input")."""
    timer = StepTimer(s)
    got, headers, body = request(s, raw)
    assert got == status and headers["content-type"] == "application/json"
    assert "error" in json.loads(body)
    o = s.observe()
    assert o["contactor1"] and o["mode"] == "Normal" and o["fault"] is None
    assert timer.bounded(STEP_LIMIT_S)


def test_many_connections_get_503_and_never_exhaust_the_sockets(s):
    """Given 12 clients that connect and stay silent, then the first 8 are served (more
    than 8 concurrent connections get 503) and the 4 beyond are answered 503 "Too many
    connections" at once, charging goes on, and once the silent
    ones are closed after 5 s a new client is answered 200 (interfaces.md 1.1)."""
    timer = StepTimer(s)
    idle = []
    for _ in range(12):
        idle.append(connect(s))
        s.advance(0.01)                          # the listen backlog never fills
    s.advance(0.2)
    answers = [_closed_with(c) for c in idle]
    refused = [a for a in answers if a.startswith(b"HTTP/1.1 503")]
    assert len(refused) == 4 and refused[0].endswith(b"Too many connections")
    s.advance(5.0)
    assert s.app.http.stats["timed_out"] == 8
    assert call(s, "GET", "/settings")[0] == 200
    assert s.observe()["contactor1"] and timer.bounded(STEP_LIMIT_S)


def _closed_with(c):
    try:
        data = c.recv(4096)
    except BlockingIOError:
        return b""
    return data


def test_a_client_that_never_reads_is_closed_without_blocking(s, tmp_path, monkeypatch):
    """Given a client with a 1 KB receive window that asks for a 4 MB file and never reads,
    then no HTTP step takes 20 ms and the connection is closed 5 s after the last byte
    went out (issue 11 item 10)."""
    big = tmp_path / "page.html"
    big.write_bytes(b"x" * 4000000)
    monkeypatch.setattr(http_service, "PAGE_PATH", str(big))
    timer = StepTimer(s)
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    c.connect(("127.0.0.1", s.app.http.port))
    c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    s.advance(20.0)                  # the socket buffers fill (~1.6 MB on loopback), then 5 s
    assert s.app.http.stats["timed_out"] == 1
    assert timer.bounded(STEP_LIMIT_S) and s.observe()["contactor1"]
    c.close()


def test_the_status_page_is_one_small_file_with_no_internet_reference(s):
    """Given GET /, then one HTML file under 16 KB is served that loads nothing from
    another host (no CDN; interfaces.md 4)."""
    status, headers, body = request(s, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert len(body) == int(headers["content-length"]) < 16384
    text = body.decode()
    assert "http://" not in text and "https://" not in text and "//cdn" not in text


def test_the_http_port_survives_a_power_cut_and_a_bad_port_is_refused():
    """Given Simulation(http=True), the server keeps its port across a power cut; a bad
    http_port raises ValueError naming it; without http there is no URL (simulator.md)."""
    with Simulation(http=True) as s:
        url = s.http_url
        s.power_cut()
        s.power_on()
        assert s.http_url == url and call(s, "GET", "/settings")[0] == 200
    with pytest.raises(ValueError, match="http_port"):
        Simulation(http=True, http_port=70000)
    with Simulation() as s:
        assert s.http_url is None and s.app.http is None


def test_a_port_that_cannot_be_bound_is_retried_every_5_s_and_charging_goes_on():
    """Given the HTTP service of a board whose network refuses the bind (Wi-Fi not up yet),
    then the loop runs and the EV charges, the log says so once, and the bind is tried
    again every 5 s until it works (docs/architecture.md: safety never depends on the
    network)."""
    from smartevse import log
    with Simulation(http=True) as s:
        http = s.app.http
        http.stop()
        port = http.port
        tries = []
        real_bind = http._bind

        def refusing(host, p):
            tries.append(s.time_s)
            if len(tries) < 3:
                raise OSError(99, "Cannot assign requested address")
            return real_bind(host, p)

        http._bind = refusing
        s.plant.cable(rating_a=32)
        s.plant.ev.pilot("C")
        s.advance(12.0)
        assert s.observe()["contactor1"] and s.app.fault_text is None
        assert len(tries) == 3 and [round(b - a, 2) for a, b in zip(tries, tries[1:])] == [5.0, 5.0]
        assert sum("cannot listen on port %d" % port in line for line in log.recent()) == 1
        assert call(s, "GET", "/settings")[0] == 200
