"""A raw-socket HTTP client for the tests of the HTTP service: it sends, then advances the
simulation 10 ms at a time until the server has answered and closed (no wall-clock sleep)."""

import json
import socket
import time

from sim import Simulation


def connect(s):
    c = socket.create_connection(("127.0.0.1", s.app.http.port), timeout=2)
    c.setblocking(False)
    return c


def read_answer(s, c, max_s=3.0):
    """Bytes the server sent until it closed, advancing the simulation meanwhile."""
    data = b""
    for _ in range(int(max_s * 100)):
        try:
            got = c.recv(65536)
        except BlockingIOError:
            s.advance(0.01)
            continue
        if not got:
            c.close()
            return data
        data += got
    raise AssertionError(f"no complete answer in {max_s} simulated s: {data[:200]!r}")


def request(s, raw, max_s=3.0):
    """(status, headers dict, body bytes) of one raw request."""
    c = connect(s)
    c.sendall(raw)
    return split(read_answer(s, c, max_s))


def split(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def call(s, method, target, body=b"", headers=""):
    raw = (f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
           f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    status, head, data = request(s, raw)
    if head.get("content-type", "").startswith("application/json"):
        return status, json.loads(data)
    return status, data


class StepTimer:
    """Wall time of each call of the HTTP service's loop services (step and answer), and
    how often a socket the server held after a call could block (a timeout other than 0)."""

    def __init__(self, s):
        self.worst_s = 0.0
        self.calls = 0
        self.blocking = 0
        services = s.app.loop._every_pass
        http = s.app.http
        self._http = http
        for i, service in enumerate(services):
            if service == http.step or service == http.answer:
                services[i] = self._timed(service)

    def _timed(self, service):
        def timed(now_ms):
            t0 = time.perf_counter()
            try:
                service(now_ms)
            finally:
                self.calls += 1
                self.worst_s = max(self.worst_s, time.perf_counter() - t0)
                socks = [slot.sock for slot in self._http._slots] + [self._http._listen]
                self.blocking += sum(1 for sock in socks
                                     if sock is not None and sock.gettimeout() != 0.0)
        return timed

    def bounded(self, limit_s):
        """No socket could block, and no call took `limit_s` of wall time."""
        return self.blocking == 0 and self.calls > 0 and self.worst_s < limit_s


def charging_with_http(seconds):
    """A controller with its HTTP server on loopback, charging at MAX 16 A after `seconds`."""
    s = Simulation(http=True, settings={"current_max": 16})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(seconds)
    return s
