"""Stand-in for CircuitPython's `socketpool`: TCP sockets to an in-memory MQTT broker.

Enough of MQTT 3.1.1 for minimqtt: CONNECT -> CONNACK, SUBSCRIBE -> SUBACK, PUBLISH is
recorded in `standin_plant.mqtt_published` (topic -> payload), PINGREQ -> PINGRESP.
`standin_plant.mqtt_inject(topic, payload)` queues a PUBLISH towards the client.
"""
import errno

import standin_plant


class timeout(OSError):
    pass


class Socket:
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
