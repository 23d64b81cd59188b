"""Reads a text frame larger than the WebSocket's receive buffer into a buffer of its own."""
# A SendLocalList or a large CALL from the central system (interfaces.md 3.1, 3.6).
# WsClient (smartevse/net/ws.py) imports this module for such a frame and releases it
# once the frame is read or the link closes: no resident device heap. `self` is the
# WsClient.

from smartevse.net import ws


def begin(self, start, size):
    """A frame of `size` payload bytes starting at rx[start]: what came so far moves into
    a one-off buffer, the rest is read by `read`."""
    big = self._big_rx = bytearray(size)
    n = self._rx_len - start
    big[:n] = self._rx[start:self._rx_len]
    self._big_fill = n
    self._rx_len = 0
    self._rx_tail = None


def read(self, now_ms):
    """Go on filling the one-off buffer; the text once full, else None."""
    big = self._big_rx
    try:
        n = self.sock.recv_into(memoryview(big)[self._big_fill:])
    except OSError as exc:
        if exc.errno in ws.BLOCKING:
            return None
        self.close("recv: " + str(exc))
        return None
    if n == 0:
        self.close("closed by the server")
        return None
    self._big_fill += n
    self.received_ms = now_ms
    if self._big_fill < len(big):
        return None
    self._big_rx = None
    ws.release("ws_big")
    return bytes(big).decode()
