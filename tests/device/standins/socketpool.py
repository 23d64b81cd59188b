"""Stand-in for CircuitPython's `socketpool`: a socket to port 1883 reaches an in-memory
MQTT broker (issue 11), any other port an in-memory OCPP central system (issue 13).

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
import json

import standin_plant

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


class OcppSocket:
    def __init__(self):
        self._in = bytearray()
        self._out = bytearray()
        self._open = False

    def settimeout(self, value):
        pass

    def connect(self, addr):
        pass

    def close(self):
        pass

    def send(self, data):
        self._in.extend(bytes(data))
        self._serve()
        return len(data)

    def recv_into(self, buf, nbytes=0):
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

    def _frame(self, payload):
        size = len(payload)
        head = bytes((0x81, size)) if size < 126 else bytes((0x81, 126, size >> 8, size & 0xFF))
        self._out.extend(head + payload)


class timeout(OSError):
    pass


class MqttSocket:
    def __init__(self):
        self._in = bytearray()          # what the client sent, not yet parsed
        self._out = bytearray()         # what the broker sends the client
        self.open = True
        standin_plant.mqtt_sockets.append(self)

    def settimeout(self, value):
        pass

    def setsockopt(self, *args):
        pass

    def connect(self, address):
        if standin_plant.mqtt_refuse:
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
            standin_plant.now_ms += 1       # the socket's 1 ms timeout passes, then it raises
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
                standin_plant.mqtt_published[topic] = body[at:].decode()
            elif kind == 0xC0:
                self._out += b"\xd0\x00"


MQTT_PORT = 1883


class Socket:
    """The socket the firmware holds; its peer is chosen by the port it connects to."""

    def __init__(self):
        self._peer = None

    def settimeout(self, value):
        pass

    def setsockopt(self, *args):
        pass

    def connect(self, address):
        self._peer = MqttSocket() if address[1] == MQTT_PORT else OcppSocket()
        self._peer.connect(address)

    def send(self, data):
        return self._peer.send(data)

    def recv_into(self, buf, nbytes=0):
        return self._peer.recv_into(buf, nbytes)

    def close(self):
        if self._peer is not None:
            self._peer.close()


class SocketPool:
    AF_INET = 2
    SOCK_STREAM = 1
    SOL_SOCKET = 0xFFF
    SO_REUSEADDR = 4
    IPPROTO_TCP = 6
    TCP_NODELAY = 1
    timeout = timeout

    def __init__(self, radio=None):
        pass

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        return [(self.AF_INET, self.SOCK_STREAM, 0, "", (host, port))]

    def socket(self, family=AF_INET, type=SOCK_STREAM, proto=0):
        return Socket()
