"""Opens a WebSocket: the URL, the TCP (or TLS) connection and the HTTP upgrade (RFC 6455 4)."""
# interfaces.md 3.1. WsClient's `open` and `_handshake` (smartevse/net/ws.py) import this
# module while a connection is being made and release it once the link is open or closed:
# its code costs no device heap while the link runs. `self` is the WsClient.

import binascii

from adafruit_ticks import ticks_add

from smartevse.net import ws
from smartevse.net.ws_frame import accept_key


def split_url(url):
    """(tls, host, port, path) of a ws:// or wss:// URL, or None."""
    if url.startswith("ws://"):
        tls, rest, port = False, url[5:], 80
    elif url.startswith("wss://"):
        tls, rest, port = True, url[6:], 443
    else:
        return None
    n = rest.find("/")
    host, path = (rest, "/") if n < 0 else (rest[:n], rest[n:])
    i = host.rfind(":")
    if i > 0 and host[i + 1:].isdigit():
        port = int(host[i + 1:])
        host = host[:i]
    if not host:
        return None
    return tls, host, port, path


def _numeric(host):
    parts = host.split(".")
    return len(parts) == 4 and all(p.isdigit() for p in parts)


def open(self, url, user, password, now_ms, may_block, timeout_ms):
    """Start connecting; False (and `error`) when it cannot start now."""
    self.close("")
    parts = split_url(url)
    if parts is None:
        self.error = "bad URL"
        return False
    tls, host, port, path = parts
    if (tls or not _numeric(host)) and not may_block:
        self.error = "waiting for open contactors"     # DNS / TLS block (3.1)
        return False
    pool = self._pool
    try:
        addr = (host, port) if _numeric(host) else \
            pool.getaddrinfo(host, port)[0][4]
        sock = pool.socket(pool.AF_INET, pool.SOCK_STREAM)
        self.sock = sock
        if tls:
            import ssl
            sock.settimeout(min(timeout_ms, ws.TLS_MS) / 1000)    # blocks: contactors open
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
            self.sock = sock
            sock.connect(addr)
        sock.settimeout(0)
        if not tls:
            try:
                sock.connect(addr)
            except OSError as exc:
                if exc.errno not in ws.BLOCKING:
                    raise
    except OSError as exc:
        self.close("connect: " + str(exc))
        return False
    self._key = binascii.b2a_base64(ws.random4() + ws.random4() + ws.random4() +
                                    ws.random4()).strip()
    head = "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" \
           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n" \
           "Sec-WebSocket-Protocol: ocpp1.6\r\n" % (path, host, port, self._key.decode())
    if password:
        text = binascii.b2a_base64((user + ":" + password).encode()).strip().decode()
        head += "Authorization: Basic " + text + "\r\n"
    data = (head + "\r\n").encode()
    self._tx[:len(data)] = data
    self._tx_pos, self.tx_len, self._rx_len = 0, len(data), 0
    self._rx_tail = None
    self.state = ws.CONNECTING
    self._deadline_ms = ticks_add(now_ms, timeout_ms)
    self.received_ms = now_ms
    return True

def handshake(self):
    raw = bytes(self._rx_mv[:self._rx_len])
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        if self._rx_len == ws.RX_SIZE:
            self.close("handshake too long")
        return
    head = raw[:end].lower()
    if not head.startswith(b"http/1.1 101"):
        self.close("refused: " + raw[:raw.find(b"\r")].decode())
        return
    if b"sec-websocket-protocol: ocpp1.6" not in head:
        self.close("no ocpp1.6 sub-protocol")
        return
    try:
        accept = accept_key(self._key)
        if b"sec-websocket-accept: " + accept.lower() not in head:
            self.close("bad Sec-WebSocket-Accept")
            return
    except (ImportError, AttributeError, ValueError):
        pass                  # a build without SHA-1: the status line suffices
    self._consume(end + 4)
    self.state = ws.OPEN
    self.error = ""

