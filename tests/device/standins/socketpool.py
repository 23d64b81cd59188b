"""Stand-in for CircuitPython's `socketpool`, with an in-memory OCPP central system on
the other end of every socket (the device gate's OCPP scenario, issue 13).

The peer answers the WebSocket upgrade, unmasks the client's frames, accepts the
BootNotification and every Authorize, numbers transactions from 1 and answers other
CALLs with an empty CALLRESULT. `received` lists the actions it saw, in order.
"""
import binascii
import errno
import json

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


class Socket:
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


class SocketPool:
    AF_INET = 2
    SOCK_STREAM = 1
    SOL_SOCKET = 1
    SO_REUSEADDR = 2

    def __init__(self, radio=None):
        pass

    def socket(self, family=2, kind=1):
        return Socket()

    def getaddrinfo(self, host, port):
        return [(2, 1, 0, "", (host, port))]
