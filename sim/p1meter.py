"""A simulated HomeWizard P1 meter: real HTTP on loopback, read from the plant's mains.

modbus.md 8.7: GET /api/v1/data answers the P1 telegram's JSON (per-phase current and
power, import/export energy); the meter announces itself over the simulated mDNS as
`_hwenergy._tcp` named `p1meter-...` at 192.168.1.80 port 80, an address the host
network's sockets (sim/board.py `HostSocketPool`) reach at its loopback port, so a manual
IP reaches it as on a real LAN. It is served in the simulation's own thread, one
non-blocking slice per 10 ms pass (`step`), so runs stay deterministic on simulated time.
A user can stop it (connections refused, gone from mDNS), start it again on the same
port, make it answer 1 or 3 phases, or answer badly (`fault`). `plant.mains.online(False)`
makes it accept and never answer, as a meter that lost its telegram.
"""

import json
import socket

from sim.plant import VOLTS

SERVICE = ("_hwenergy", "_tcp")
FAULTS = ("http_500", "bad_json", "missing_fields", "endless_body", "silent")
_MAX_REQUEST = 4096


class SimP1Meter:
    """The meter at http://127.0.0.1:<port>/api/v1/data; see README "Simulation API"."""

    LAN_ADDRESS = ("192.168.1.80", 80)    # where the controller reaches it on the LAN

    def __init__(self, mains, services, hostname="p1meter-5c2faf", lan=None):
        self._mains = mains
        self._services = services            # the simulated LAN's mDNS rows
        self._lan = {} if lan is None else lan   # (ip, port) -> its loopback address
        self.hostname = hostname
        self.port = 0
        self.requests = 0                    # requests answered (or faulted)
        self._phases = 3
        self.faulting = None                 # the bad answer it gives (fault()), or None
        self._listener = None
        self._clients = []                   # [socket, request bytes, answer left or None]
        self.start()

    # --- what a user does -------------------------------------------------------------
    def start(self):
        """Power the meter on: listening again (on the same port) and announced."""
        if self._listener is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(4)
        listener.setblocking(False)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._lan[self.LAN_ADDRESS] = ("127.0.0.1", self.port)
        self._services.append(self._row())

    def stop(self):
        """Power the meter off: connections refused, gone from mDNS."""
        if self._listener is None:
            return
        self._services.remove(self._row())
        self._listener.close()
        self._listener = None
        for client in self._clients:
            client[0].close()
        self._clients = []

    @property
    def running(self):
        return self._listener is not None

    def phases(self, count):
        """1: a single-phase connection (only L1 fields), 3: all three."""
        if count not in (1, 3):
            raise ValueError(f"P1 meter phases must be 1 or 3, got {count!r}")
        self._phases = count

    def fault(self, kind=None):
        """Answer badly from now on (None: answer well again): http_500, bad_json,
        missing_fields, endless_body (a body that never ends), silent (accepts, never
        answers)."""
        if kind is not None and kind not in FAULTS:
            raise ValueError(f"P1 meter fault must be one of {', '.join(FAULTS)} or None, "
                             f"got {kind!r}")
        self.faulting = kind

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/api/v1/data"

    def close(self):
        self.stop()

    # --- the data ---------------------------------------------------------------------
    def data(self):
        """The JSON object the meter serves now (modbus.md 8.7 names its fields)."""
        mains = self._mains
        currents = mains.current_da()
        doc = {"wifi_ssid": "simulated", "wifi_strength": 100, "smr_version": 50,
               "meter_model": "Simulated P1", "unique_id": "5c2faf5c2faf", "active_tariff": 1,
               "total_power_import_kwh": round(mains.import_wh() / 1000, 3),
               "total_power_export_kwh": round(mains.export_wh() / 1000, 3),
               "active_power_w": round(sum(currents) * VOLTS / 10, 1)}
        for i in range(self._phases):
            doc[f"active_power_l{i + 1}_w"] = round(currents[i] * VOLTS / 10, 1)
            doc[f"active_voltage_l{i + 1}_v"] = float(VOLTS)
            doc[f"active_current_l{i + 1}_a"] = round(currents[i] / 10, 3)
        doc["any_power_fail_count"] = 0
        return doc

    def _row(self):
        return (SERVICE[0], SERVICE[1], self.hostname) + self.LAN_ADDRESS

    # --- serving, one slice per pass ------------------------------------------------------
    def step(self):
        if self._listener is None:
            return
        try:
            sock, _ = self._listener.accept()
            sock.setblocking(False)
            self._clients.append([sock, b"", None])
        except BlockingIOError:
            pass
        for client in list(self._clients):
            self._serve(client)

    def _serve(self, client):
        sock = client[0]
        if client[2] is None:
            try:
                chunk = sock.recv(1024)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self._drop(client)
                return
            client[1] += chunk
            if b"\r\n\r\n" not in client[1]:
                if len(client[1]) > _MAX_REQUEST:
                    self._drop(client)
                return
            self.requests += 1
            if self.faulting == "silent" or not self._mains.is_online:
                client[2] = b""                   # holds the connection, says nothing
                return
            client[2] = self._answer(client[1])
        if client[2] == b"":
            if self.faulting == "endless_body":
                client[2] = b" " * 512            # more body, for ever
            elif self._peer_closed(sock):
                self._drop(client)                # the poller gave up on a silent meter
                return
        if client[2]:
            try:
                sent = sock.send(client[2])
            except BlockingIOError:
                return
            except OSError:
                self._drop(client)
                return
            client[2] = client[2][sent:]
            if not client[2] and self.faulting != "endless_body" and self.faulting != "silent" \
                    and self._mains.is_online:
                self._drop(client)                # Connection: close

    def _answer(self, request):
        line = request.split(b"\r\n", 1)[0].split()
        if len(line) < 2 or line[0] != b"GET" or line[1] != b"/api/v1/data":
            return _response(404, b'{"error":"not found"}')
        fault = self.faulting
        if fault == "http_500":
            return _response(500, b'{"error":"internal"}')
        if fault == "bad_json":
            return _response(200, b'{"active_current_l1_a": 1.5, "active_power_l1_w": ')
        doc = self.data()
        if fault == "missing_fields":
            doc = {key: value for key, value in doc.items() if "current" not in key}
        if fault == "endless_body":
            return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Connection: close\r\n\r\n{" + b" " * 256)
        return _response(200, json.dumps(doc).encode())

    @staticmethod
    def _peer_closed(sock):
        try:
            return sock.recv(1024) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def _drop(self, client):
        try:
            client[0].close()
        except OSError:
            pass
        if client in self._clients:
            self._clients.remove(client)


_REASONS = {200: "OK", 404: "Not Found", 500: "Internal Server Error"}


def _response(status, body):
    return (f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
