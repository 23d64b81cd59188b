"""Stand-in for CircuitPython's `socketpool`: a socket that connects to port 1883 reaches an
in-memory MQTT broker (issue 11), to any other port an in-memory OCPP central system
(issue 13); a socket that binds and listens is the HTTP server's: its clients are queued
by the scenario (standin_plant.http_client) and accepted in memory; UDP answers NTP.

MQTT: enough of 3.1.1 for minimqtt: CONNECT -> CONNACK, SUBSCRIBE -> SUBACK, PUBLISH is
recorded in `standin_plant.mqtt_published` (topic -> payload), PINGREQ -> PINGRESP;
`standin_plant.mqtt_inject(topic, payload)` queues a PUBLISH towards the client.
OCPP:
The peer answers the WebSocket upgrade, unmasks the client's frames, accepts the
BootNotification and every Authorize, numbers transactions from 1 and answers other
CALLs with an empty CALLRESULT. `received` lists the actions it saw, in order.
"""
import binascii
import errno
import io
import json
import struct

import standin_plant as _p

class timeout(OSError):
    pass


class MqttSocket:
    def __init__(self):
        self._in = bytearray()          # what the client sent, not yet parsed
        self._out = bytearray()         # what the broker sends the client
        self.open = True
        _p.mqtt_sockets.append(self)

    def settimeout(self, value):
        pass

    def setsockopt(self, *args):
        pass

    def connect(self, address):
        if _p.mqtt_refuse:
            raise OSError(errno.ECONNREFUSED)

    def send(self, data):
        if not self.open:
            raise OSError(errno.ENOTCONN)
        self._in += bytes(data)
        self._parse()
        return len(data)

    def recv_into(self, buf, nbytes=0):
        if not self.open:
            raise OSError(errno.ENOTCONN)
        n = min(nbytes or len(buf), len(self._out))
        if n == 0:
            _p.now_ms += 1       # the socket's 1 ms timeout passes, then it raises
            raise timeout(errno.ETIMEDOUT)
        buf[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def close(self):
        self.open = False

    def inject(self, packet):
        self._out += packet

    def _parse(self):
        while len(self._in) >= 2:
            length = 0
            shift = 0
            i = 1
            while True:
                if i >= len(self._in):
                    return
                b = self._in[i]
                length |= (b & 0x7F) << shift
                shift += 7
                i += 1
                if not b & 0x80:
                    break
            if len(self._in) < i + length:
                return
            kind = self._in[0] & 0xF0
            qos = self._in[0] & 0x06
            body = bytes(self._in[i:i + length])
            self._in = self._in[i + length:]
            if kind == 0x10:
                self._out += b"\x20\x02\x00\x00"
            elif kind == 0x80:
                self._out += b"\x90\x03" + body[:2] + b"\x01"
            elif kind == 0x30:
                n = body[0] << 8 | body[1]
                topic = body[2:2 + n].decode()
                at = 2 + n + (2 if qos else 0)      # a packet id after the topic at QoS > 0
                _p.mqtt_published[topic] = body[at:].decode()
            elif kind == 0xC0:
                self._out += b"\xd0\x00"


MQTT_PORT = 1883
P1_PORT = 80
received = []
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def _answer(action, payload):
    if action == "BootNotification":
        return {"status": "Accepted", "interval": 300, "currentTime": "2026-01-01T08:00:00Z"}
    if action == "Authorize":
        return {"idTagInfo": {"status": "Accepted"}}
    if action == "StartTransaction":
        return {"transactionId": 1, "idTagInfo": {"status": "Accepted"}}
    return {}


class Socket(io.IOBase):
    # io.IOBase with ioctl: selectable, as CircuitPython's sockets are (select.poll)
    def __init__(self, family=2, kind=1):
        self._in = bytearray()
        self._out = bytearray()
        self._open = False
        self.inbox = bytearray()          # HTTP: bytes waiting to be read by this end
        self.peer = None                  # HTTP: the other end of an accepted connection
        self.closed = False
        self.address = None
        self._mqtt = None                 # the broker's end, when connected to MQTT_PORT

    def settimeout(self, value):
        pass

    def setblocking(self, flag):
        pass

    def setsockopt(self, level, name, value):
        pass

    def connect(self, addr):
        if addr[1] == MQTT_PORT:
            self._mqtt = MqttSocket()
            self._mqtt.connect(addr)
        elif addr[1] == P1_PORT and _p.p1_answer is not None:
            # a HomeWizard P1 meter (modbus.md 8.7): its answer, then the close
            _p.p1_requests += 1
            meter = Socket()
            meter.closed = True
            self.peer = meter
            self.inbox = bytearray(_p.p1_answer)

    def close(self):
        self.closed = True
        if self._mqtt is not None:
            self._mqtt.close()

    # HTTP server side (issue 11)
    def bind(self, address):
        self.address = address

    def getsockname(self):
        return self.address

    def listen(self, backlog):
        self.listening = True

    def ioctl(self, request, arg):
        # MP_STREAM_POLL (3): a listener is readable while a client waits to be accepted
        if request == 3 and getattr(self, "listening", False) and _p.http_pending:
            return arg & 1
        return 0

    def accept(self):
        if not _p.http_pending:
            raise OSError(errno.EAGAIN)
        client = _p.http_pending.pop(0)
        server = Socket()
        server.peer = client
        client.peer = server
        server.inbox = client.inbox
        client.inbox = bytearray()
        return server, ("10.0.0.20", 50000)

    # UDP: an NTP server answers at once (issue 11)
    def sendto(self, data, address):
        _p.ntp_requests += 1
        reply = bytearray(48)
        reply[0] = 0x24                   # version 4, server
        reply[1] = 1                      # stratum 1
        reply[2] = 6                      # poll 2**6 s
        seconds = _p.ntp_unix_s + 2208988800
        struct.pack_into("!II", reply, 32, seconds, 0)
        struct.pack_into("!II", reply, 40, seconds, 0)
        self.inbox = reply
        self.peer = self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        if self._mqtt is not None:
            return self._mqtt.send(data)
        if self.peer is not None:
            self.peer.inbox.extend(data)
            return len(data)
        self._in.extend(bytes(data))
        self._serve()
        return len(data)

    def recv_into(self, buf, nbytes=0):
        if self._mqtt is not None:
            return self._mqtt.recv_into(buf, nbytes)
        if self.peer is not None:
            return self._recv_http(buf, nbytes)
        if not self._out:
            raise OSError(errno.EAGAIN)
        n = min(len(buf), len(self._out))
        buf[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def _serve(self):
        if not self._open:
            end = bytes(self._in).find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self._in[:end])
            key = head.split(b"Sec-WebSocket-Key: ")[1].split(b"\r\n")[0]
            try:
                import hashlib
                accept = binascii.b2a_base64(hashlib.sha1(key + _GUID).digest()).strip()
            except (ImportError, AttributeError):
                accept = b"-"
            self._out.extend(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                             b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept +
                             b"\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n")
            self._in = self._in[end + 4:]
            self._open = True
        while len(self._in) >= 6:
            size, start = self._in[1] & 0x7F, 2
            if size == 126:
                size, start = (self._in[2] << 8) | self._in[3], 4
            if len(self._in) < start + 4 + size:
                return
            mask = self._in[start:start + 4]
            data = bytes(self._in[start + 4 + i] ^ mask[i & 3] for i in range(size))
            opcode = self._in[0] & 0x0F
            self._in = self._in[start + 4 + size:]
            if opcode == 1:
                msg = json.loads(data)
                received.append(msg[2])
                self._frame(json.dumps([3, msg[1], _answer(msg[2], msg[3])]).encode())

    def _recv_http(self, buf, nbytes):
        data = self.inbox
        if not data:
            if self.peer.closed:
                return 0
            raise OSError(errno.EAGAIN)
        n = min(len(data), nbytes or len(buf))
        buf[:n] = data[:n]
        self.inbox = data[n:]
        return n

    def _frame(self, payload):
        size = len(payload)
        head = bytes((0x81, size)) if size < 126 else bytes((0x81, 126, size >> 8, size & 0xFF))
        self._out.extend(head + payload)


class SocketPool:
    AF_INET = 2
    SOCK_STREAM = 1
    SOCK_DGRAM = 2
    SOL_SOCKET = 1
    SO_REUSEADDR = 2
    IPPROTO_TCP = 6
    TCP_NODELAY = 1
    timeout = timeout

    def __init__(self, radio=None):
        pass

    def socket(self, family=2, kind=1, proto=0):
        return Socket(family, kind)

    def getaddrinfo(self, host, port, family=0, kind=0, proto=0, flags=0):
        return [(2, 1, 0, "", (host, port))]
