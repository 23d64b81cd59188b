"""RFC 6455 frame heads, shared by the WebSocket client (ws.py) and server (ws_data.py)."""

import binascii

from micropython import const

TOO_BIG = const(65536)          # a 64-bit length: larger than any buffer here
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def accept_key(key):
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key (bytes, RFC 6455 4.2.2)."""
    # CircuitPython's hashlib has only new("sha1"), MicroPython's only sha1(); a build
    # without SHA-1 raises ImportError, AttributeError or ValueError
    import hashlib
    try:
        digest = hashlib.new("sha1", key + _GUID).digest()
    except AttributeError:
        digest = hashlib.sha1(key + _GUID).digest()
    return binascii.b2a_base64(digest).strip()


def put_head(buf, at, opcode, size, mask_bit):
    """A final frame's head at buf[at] (RFC 6455 5.2), mask key not included; its length."""
    buf[at] = 0x80 | opcode
    if size < 126:
        buf[at + 1] = mask_bit | size
        return 2
    buf[at + 1] = mask_bit | 126
    buf[at + 2] = size >> 8
    buf[at + 3] = size & 0xFF
    return 4


def frame_head(buf, n):
    """(payload size, where the mask key or payload starts) of the frame in buf[:n];
    None while incomplete; a 64-bit length reads as TOO_BIG (refused by every caller)."""
    if n < 2:
        return None
    size = buf[1] & 0x7F
    if size == 126:
        if n < 4:
            return None
        return (buf[2] << 8) | buf[3], 4
    return (TOO_BIG if size == 127 else size), 2
