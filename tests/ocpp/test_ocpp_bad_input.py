"""Bad input from a central system: malformed JSON, wrong message types, oversized frames,
unexpected answers, a server that never answers or closes mid-frame. Each gets a CALLERROR
or a reconnect, never a crash, a blocked loop or a lost transaction (issue 13 "Bad
input"; interfaces.md 3.1, 3.4). A raw TCP server in the test thread plays the central
system byte by byte."""

import base64
import hashlib
import json
import socket
import struct

import pytest

from sim import Simulation
from smartevse.ocpp.chargepoint import ChargePoint

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def _answers(frames):
    """The replies of a booted charge point to raw frames, decoded."""
    cp = ChargePoint(1, "0.1.0", "")
    for text in frames:
        cp.received(text, 0)
    return [json.loads(r) for r in cp.replies]


def test_unknown_malformed_and_unsupported_calls_get_the_spec_callerrors():
    """Given a charge point, when the central system sends an unknown action, a payload
    missing its field, broken JSON, a wrong message type, UpdateFirmware and GetDiagnostics,
    then it answers NotImplemented, FormationViolation twice, MessageTypeNotSupported and
    NotSupported twice (interfaces.md 3.4; issue 13)."""
    replies = _answers(['[2,"a","FlyToTheMoon",{}]', '[2,"b","RemoteStartTransaction",{}]',
                        '[2,"c","Reset",{"type":', '[7,"d",{}]',
                        '[2,"e","UpdateFirmware",{"location":"ftp://x","retrieveDate":"2026-01-01T00:00:00Z"}]',
                        '[2,"f","GetDiagnostics",{"location":"ftp://x"}]'])
    assert [(r[0], r[1], r[2]) for r in replies] == [
        (4, "a", "NotImplemented"), (4, "b", "FormationViolation"),
        (4, "-1", "FormationViolation"), (4, "d", "MessageTypeNotSupported"),
        (4, "e", "NotSupported"), (4, "f", "NotSupported")]


def test_an_unexpected_callresult_or_callerror_is_ignored():
    """Given no call outstanding, when a CALLRESULT and a CALLERROR arrive, then nothing is
    answered and nothing changes (issue 13 "Bad input")."""
    cp = ChargePoint(1, "0.1.0", "")
    cp.received('[3,"99",{"status":"Accepted"}]', 0)
    cp.received('[4,"98","InternalError","x",{}]', 0)
    assert cp.replies == [] and not cp.accepted


def test_firmware_management_is_not_offered_and_datatransfer_is_rejected():
    """Given GetConfiguration of SupportedFeatureProfiles and a DataTransfer, then the
    profiles list no FirmwareManagement and DataTransfer is Rejected (3.4; issue 13)."""
    cp = ChargePoint(1, "0.1.0", "")
    cp.received('[2,"a","GetConfiguration",{"key":["SupportedFeatureProfiles"]}]', 0)
    cp.received('[2,"b","DataTransfer",{"vendorId":"x"}]', 0)
    conf, data = [json.loads(r) for r in cp.replies]
    assert conf[2]["configurationKey"][0]["value"] == \
        "Core,LocalAuthListManagement,Reservation,RemoteTrigger,SmartCharging"
    assert data[2] == {"status": "Rejected"}


class RawServer:
    """A listening socket; the test accepts and speaks WebSocket by hand."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.conn = None

    def accept(self, s):
        self.listener.settimeout(2.0)
        s.advance(0.05)
        self.conn, _ = self.listener.accept()
        self.conn.settimeout(2.0)
        return self

    def request(self, s):
        data = b""
        while b"\r\n\r\n" not in data:
            s.advance(0.01)
            data += self.conn.recv(4096)
        return data

    def upgrade(self, s, protocol=b"ocpp1.6"):
        head = self.request(s)
        key = head.split(b"Sec-WebSocket-Key: ")[1].split(b"\r\n")[0]
        accept = base64.b64encode(hashlib.sha1(key + _GUID).digest())
        self.conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                          b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept +
                          b"\r\nSec-WebSocket-Protocol: " + protocol + b"\r\n\r\n")
        return head

    def frame(self, s, pings=False):
        """(opcode, unmasked payload) of the next client frame (its pings skipped)."""
        while True:
            found = self._frame(s)
            if pings or found[0] != 9:
                return found

    def _frame(self, s):
        s.advance(0.05)
        b0, b1 = self.conn.recv(2)
        assert b1 & 0x80, "client frames are masked (RFC 6455 5.3)"
        size = b1 & 0x7F
        if size == 126:
            size = struct.unpack(">H", self.conn.recv(2))[0]
        mask = self.conn.recv(4)
        data = b""
        while len(data) < size:
            data += self.conn.recv(size - len(data))
        return b0 & 0x0F, bytes(c ^ mask[i & 3] for i, c in enumerate(data))

    def send(self, opcode, payload):
        size = len(payload)
        head = bytes((0x80 | opcode, size)) if size < 126 else \
            bytes((0x80 | opcode, 126)) + struct.pack(">H", size)
        self.conn.sendall(head + payload)

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.listener.close()


@pytest.fixture
def raw():
    server = RawServer()
    yield server
    server.close()


def _sim(raw, key=None):
    settings = {"ocpp_auth_key": key} if key else None
    s = Simulation(settings=settings, ocpp="ws://127.0.0.1:%d/CP7" % raw.port)
    s.ocpp_wait_s = 0                        # the server is this thread: nothing to wait for
    return s, raw.accept(s)


def test_the_handshake_asks_for_ocpp16_with_basic_auth_and_masks_every_frame(raw):
    """Given an auth key, when the controller connects, then the upgrade request names the
    sub-protocol ocpp1.6 and carries Basic base64("CP7:<key>"), and its first frame is a
    masked BootNotification CALL (interfaces.md 3.1, 3.3)."""
    s, server = _sim(raw, key="secret")
    head = server.upgrade(s)
    assert head.startswith(b"GET /CP7 HTTP/1.1\r\n")
    assert b"Sec-WebSocket-Protocol: ocpp1.6\r\n" in head
    assert b"Authorization: Basic " + base64.b64encode(b"CP7:secret") in head
    opcode, payload = server.frame(s)
    msg = json.loads(payload)
    assert opcode == 1 and msg[0] == 2 and msg[2] == "BootNotification"


def test_a_server_ping_is_answered_with_the_same_payload(raw):
    """Given an open link, when the server pings, then the controller pongs the same
    payload (RFC 6455 5.5.3)."""
    s, server = _sim(raw)
    server.upgrade(s)
    server.frame(s)                                     # the BootNotification
    server.send(9, b"hello")
    assert server.frame(s) == (10, b"hello")


def test_an_oversized_frame_closes_the_link_and_the_controller_reconnects(raw):
    """Given an open link, when the server sends a 9000-byte frame (over the 8 KB a message
    may take), then the controller closes with 1009 and connects again after
    Cst_ReconnectInterval 10 s; the loop ran on (no fault) (issue 13 "Bad input")."""
    s, server = _sim(raw)
    server.upgrade(s)
    server.frame(s)
    server.send(1, b"[3,\"1\",{\"x\":\"" + b"y" * 9000 + b"\"}]")
    opcode, payload = server.frame(s)
    assert opcode == 8 and payload[:2] == struct.pack(">H", 1009)
    server.conn.close()
    s.advance(11)
    server.accept(s).upgrade(s)
    assert json.loads(server.frame(s)[1])[2] == "BootNotification"
    assert s.observe()["fault"] is None and s.app.ocpp.connects == 2


def test_a_server_closing_mid_frame_is_a_reconnect_not_a_crash(raw):
    """Given an open link, when the server sends half a frame and closes, then the link is
    down with the reason and the controller connects again (issue 13 "Bad input")."""
    s, server = _sim(raw)
    server.upgrade(s)
    server.frame(s)
    server.conn.sendall(b"\x81\x7e\x01")                 # half a header
    server.conn.close()
    s.advance(1)
    assert not s.app.ocpp.connected and s.app.ocpp.ws.error == "closed by the server"
    s.advance(11)
    server.accept(s).upgrade(s)
    assert json.loads(server.frame(s)[1])[2] == "BootNotification"
    assert s.observe()["fault"] is None


def test_a_server_without_the_ocpp_subprotocol_is_refused(raw):
    """Given a server that upgrades without ocpp1.6, then the controller drops the link and
    says why (interfaces.md 3.1)."""
    s, server = _sim(raw)
    server.upgrade(s, protocol=b"chat")
    s.advance(0.5)
    assert s.app.ocpp.ws.error == "no ocpp1.6 sub-protocol" and not s.app.ocpp.connected


def test_a_server_that_never_answers_gets_the_boot_again_and_the_loop_keeps_time(raw):
    """Given a server that takes the upgrade but never answers, when 100 s pass, then the
    BootNotification is sent again after its 30 s timeout and 60 s wait, and the 10 ms
    service kept running: the EV charges meanwhile without OCPP deciding access
    (interfaces.md 3.3; architecture.md "Nothing blocks")."""
    s, server = _sim(raw)
    server.upgrade(s)
    first = json.loads(server.frame(s)[1])
    s.advance(100)
    again = json.loads(server.frame(s)[1])
    assert first[2] == again[2] == "BootNotification" and first[1] != again[1]
    assert s.app.loop.passes >= 10000


class _CountingPool:
    """A socketpool that counts what the client asked of it and connects nowhere."""
    AF_INET, SOCK_STREAM = socket.AF_INET, socket.SOCK_STREAM

    def __init__(self):
        self.lookups = self.sockets = 0

    def getaddrinfo(self, host, port):
        self.lookups += 1
        return [(2, 1, 0, "", ("10.0.0.2", port))]

    def socket(self, family, kind):
        self.sockets += 1
        raise OSError(113, "no route in this test")


def test_tls_and_dns_wait_for_open_contactors_a_numeric_ws_url_does_not():
    """Given the contactors closed (blocking not allowed), when the link opens wss:// or a
    host name, then nothing is looked up or connected and the reason says why; a numeric
    ws:// address goes on without blocking (architecture.md "Device budget", 3.1)."""
    from smartevse.net.ws import WsClient
    pool = _CountingPool()
    ws = WsClient(pool)
    assert not ws.open("wss://10.0.0.2/CP1", "CP1", "", 0, False, 30000)
    assert not ws.open("ws://csms.example.com/CP1", "CP1", "", 0, False, 30000)
    assert ws.error == "waiting for open contactors"
    assert (pool.lookups, pool.sockets) == (0, 0)
    assert not ws.open("ws://10.0.0.2:9000/CP1", "CP1", "", 0, False, 30000)
    assert pool.sockets == 1 and ws.error.startswith("connect: ")
    assert not ws.open("ws://csms.example.com/CP1", "CP1", "", 0, True, 30000)
    assert pool.lookups == 1


def test_mutated_frames_never_raise_and_every_call_gets_one_answer():
    """Given 1000 frames made by cutting, retyping and corrupting valid CSMS calls (seeded),
    when each reaches the charge point, then none raises, and each frame that parses as a
    CALL gets exactly one CALLRESULT or CALLERROR (issue 13 "Bad input")."""
    import random
    valid = [[2, "1", "RemoteStartTransaction", {"idTag": "A1", "connectorId": 1}],
             [2, "2", "SetChargingProfile", {"connectorId": 1, "csChargingProfiles": {
                 "chargingProfileId": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
                 "chargingProfileKind": "Relative", "chargingSchedule": {
                     "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0,
                                                                         "limit": 8}]}}}],
             [2, "3", "ChangeConfiguration", {"key": "HeartbeatInterval", "value": "60"}],
             [2, "4", "SendLocalList", {"listVersion": 2, "updateType": "Full",
                                        "localAuthorizationList": [{"idTag": "B"}]}],
             [2, "5", "ReserveNow", {"connectorId": 1, "expiryDate": "2026-01-01T09:00:00Z",
                                     "idTag": "R", "reservationId": 1}],
             [2, "6", "GetCompositeSchedule", {"connectorId": 1, "duration": 600}]]
    rng = random.Random(13)
    fillers = [None, True, -1, 2 ** 40, 1.5, "", "x" * 300, [], {}, [1, 2], {"a": None}]

    def mutate(node):
        if isinstance(node, dict) and node and rng.random() < 0.5:
            key = rng.choice(list(node))
            node = dict(node)
            if rng.random() < 0.3:
                del node[key]
            else:
                node[key] = mutate(node[key]) if rng.random() < 0.5 else rng.choice(fillers)
        elif isinstance(node, list) and node and rng.random() < 0.5:
            node = list(node)
            i = rng.randrange(len(node))
            node[i] = mutate(node[i]) if rng.random() < 0.5 else rng.choice(fillers)
        return node

    cp = ChargePoint(1, "0.1.0", "")
    cp.app_epoch = 1767254400
    for n in range(1000):
        text = json.dumps(mutate(rng.choice(valid)))
        if n % 7 == 0:
            text = text[:rng.randrange(len(text))]
        before = len(cp.replies)
        cp.received(text, n)
        cp.tick(n)
        msg = None
        try:
            msg = json.loads(text)
        except ValueError:
            pass
        is_call = isinstance(msg, list) and len(msg) == 4 and msg[0] == 2 and \
            isinstance(msg[1], str) and isinstance(msg[2], str)
        if is_call:
            assert len(cp.replies) == before + 1
            assert json.loads(cp.replies[-1])[1] == msg[1]


def test_the_message_type_copies_in_the_charge_point_match_the_frame_parser():
    """Given the OCPP-J message types of smartevse/ocpp/rpc.py (CALL 2, CALLRESULT 3,
    unreadable 0), then chargepoint.py's and operations.py's private copies are the same
    numbers (they fold to literals on the device; OCPP-J 1.6 section 4)."""
    from smartevse.ocpp import chargepoint, operations, rpc
    assert (rpc._CALL, rpc._RESULT, rpc._ERROR, rpc._BAD) == (2, 3, 4, 0)
    assert (operations._RESULT, operations._ERROR) == (rpc._RESULT, rpc._ERROR)
    assert (chargepoint._CALL, chargepoint._RESULT, chargepoint._BAD) == \
        (rpc._CALL, rpc._RESULT, rpc._BAD)
    assert rpc.parse('[2,"7","Reset",{"type":"Soft"}]')[0] == chargepoint._CALL
