"""A plain TCP socket with one byte of look-ahead, for the MQTT link's idle poll (issue 11)."""
# minimqtt's loop() allocates ~930 B per call on the device even when nothing arrived (its
# debug f-strings, float divisions, a bytearray, a list); `ready()` reads one byte into a
# buffer of its own instead, so an idle poll costs only the socket's timeout exception.
# The byte read is handed back by the next recv_into (minimqtt's first read of a packet).
# Not for TLS: the ssl module wraps the pool's own sockets only.


class PeekSocket:
    def __init__(self, sock):
        self._sock = sock
        self._byte = bytearray(1)
        self._holding = False                 # _byte holds a packet's first byte
        self.settimeout = sock.settimeout
        self.connect = sock.connect
        self.send = sock.send
        self.close = sock.close
        self.recv_into = sock.recv_into       # C on the device: no Python frame per read

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def ready(self):
        """True when a packet has started (its first byte held) or the peer closed."""
        if self._holding:
            return True
        try:
            got = self._sock.recv_into(self._byte, 1)
        except OSError:                       # timed out (EAGAIN/ETIMEDOUT): nothing came
            return False
        if got:
            self._holding = True
            self.recv_into = self._give
        return True                           # 0: closed, minimqtt's read reports it

    def _give(self, buf, nbytes=0):
        # the held byte as the first read (minimqtt reads a packet's first byte alone)
        self._holding = False
        self.recv_into = self._sock.recv_into
        buf[0] = self._byte[0]
        return 1
