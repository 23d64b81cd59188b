"""Stand-in for CircuitPython's `socketpool` over memory: a TCP listener whose clients the
scenario queues (standin_plant.http_client), and UDP that answers NTP."""
import struct

import standin_plant as _p

_EAGAIN = 11


class Socket:
    def __init__(self, family=2, type=1):
        self.type = type
        self.inbox = bytearray()          # bytes waiting to be read by this end
        self.peer = None
        self.closed = False
        self.address = None

    def setsockopt(self, level, name, value):
        pass

    def settimeout(self, value):
        pass

    def setblocking(self, flag):
        pass

    def bind(self, address):
        self.address = address

    def getsockname(self):
        return self.address

    def listen(self, backlog):
        pass

    def accept(self):
        if not _p.http_pending:
            raise OSError(_EAGAIN)
        client = _p.http_pending.pop(0)
        server = Socket()
        server.peer = client
        client.peer = server
        server.inbox = client.inbox
        client.inbox = bytearray()
        return server, ("10.0.0.20", 50000)

    def recv_into(self, buffer, nbytes=0):
        data = self.inbox
        if not data:
            if self.peer is None or self.peer.closed:
                return 0
            raise OSError(_EAGAIN)
        n = min(len(data), nbytes or len(buffer))
        buffer[:n] = data[:n]
        self.inbox = data[n:]
        return n

    def send(self, data):
        self.peer.inbox.extend(data)
        return len(data)

    def close(self):
        self.closed = True

    # UDP: an NTP server answers at once
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

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class SocketPool:
    AF_INET = 2
    SOCK_STREAM = 1
    SOCK_DGRAM = 2
    SOL_SOCKET = 0xFFF
    SO_REUSEADDR = 4

    def __init__(self, radio):
        self.radio = radio

    def socket(self, family=2, type=1, proto=0):
        return Socket(family, type)

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        return [(2, 1, 0, "", ("10.0.0.1", port))]
