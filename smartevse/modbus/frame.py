"""Decides what a Modbus RTU frame is, and its CRC (modbus.md 1.2, 1.3)."""

# Decides what a Modbus RTU frame is: its CRC-16, the requests, the awaited reply in the
# received bytes (modbus.md 1.2, 1.3). A node classifies the frames it sees on the bus by
# their length as 1.4 says (node_frames.py).
#
# Framing only, in the shape of pymodbus' RTU framer: `find_reply` returns how many
# bytes it used, so the caller keeps the rest and the framer hunts past garbage (a
# byte that cannot start the awaited frame, a frame whose CRC fails). Pure: no clock, no
# UART; buffers are the caller's preallocated bytearrays.

from micropython import const

FC_READ_HOLDING = const(0x03)
FC_READ_INPUT = const(0x04)
FC_WRITE_SINGLE = const(0x06)
FC_WRITE_MULTIPLE = const(0x10)
_EXCEPTION_BIT = const(0x80)
BROADCAST_ADDRESS = const(0x09)          # SmartEVSE's broadcast, never answered (1.1)

_EXCEPTION_LEN = const(5)                 # address, function | 0x80, code, CRC

# find_reply's status (the transaction's `status`)
_NEED_MORE = const(0)
REPLY = const(1)
EXCEPTION = const(2)


# CRC-16/MODBUS (1.2): polynomial 0x8005 bit-reflected (0xA001), initial 0xFFFF, no
# final XOR, sent low byte first; check value of b"123456789" is 0x4B37. A 16-entry table
# (one per nibble, a tuple of small ints) costs two lookups per byte and allocates
# nothing; the 256-entry table would cost 512 B of heap for half the lookups.
_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
          0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)


def crc16(buf, start, end):
    """CRC-16/MODBUS of buf[start:end] as an int (low byte goes first on the wire)."""
    table = _TABLE
    crc = 0xFFFF
    for i in range(start, end):
        crc ^= buf[i]
        crc = (crc >> 4) ^ table[crc & 0xF]
        crc = (crc >> 4) ^ table[crc & 0xF]
    return crc


def append_crc(buf, end):
    """Write the CRC of buf[0:end] at buf[end], buf[end + 1]; returns the frame length."""
    crc = crc16(buf, 0, end)
    buf[end] = crc & 0xFF
    buf[end + 1] = crc >> 8
    return end + 2


def crc_ok(buf, start, end):
    """True when the last two bytes of buf[start:end] are the CRC of the bytes before."""
    crc = crc16(buf, start, end - 2)
    return buf[end - 2] == crc & 0xFF and buf[end - 1] == crc >> 8


def build_read(buf, address, function, register, count):
    """FC03/FC04 request for `count` registers from `register` into buf; returns 8."""
    # An FC06 request has the same shape, the value written in place of the count (1.3):
    # build_write_single is this function (one function object less on the device heap).
    buf[0] = address
    buf[1] = function
    buf[2] = register >> 8
    buf[3] = register & 0xFF
    buf[4] = count >> 8 & 0xFF           # a negative FC06 value as its 16-bit pattern
    buf[5] = count & 0xFF
    return append_crc(buf, 6)


build_write_single = build_read          # (buf, address, FC_WRITE_SINGLE, register, value)


def find_reply(t, buf, start, end):
    """Look for the reply `t` awaits in buf[start:end] (1.2); returns the bytes used."""
    # `t` is the transaction (transaction.py): it holds what the reply must be (address,
    # function, reply_len) and takes what was found: `status` REPLY or EXCEPTION (the frame
    # at `reply_at`, an exception's code in `exception_code`), or _NEED_MORE: the bytes from
    # start + used on may still begin the frame; `crc_errors` and `garbage_bytes` count.
    # A function over the transaction's fields, not a framer object: one object, class
    # and attribute table fewer on the device heap.
    address = t.address
    function = t.function
    i = start
    while i < end:
        if buf[i] != address:
            i += 1
            t.garbage_bytes += 1
            continue
        if i + 1 >= end:
            break                              # an address byte: wait for more
        fc = buf[i + 1]
        if fc == function:
            length = t.reply_len
            if (function == FC_READ_HOLDING or function == FC_READ_INPUT) \
                    and i + 2 < end and buf[i + 2] != length - 5:
                length = 0                     # byte count of another request
        elif fc == function | _EXCEPTION_BIT:
            length = _EXCEPTION_LEN
        else:
            length = 0
        if length == 0:
            i += 1
            t.garbage_bytes += 1
            continue
        if end - i < length:
            break                              # the frame may still be arriving
        if crc_ok(buf, i, i + length):
            t.reply_at = i
            if length == _EXCEPTION_LEN and fc != function:
                t.status = EXCEPTION
                t.exception_code = buf[i + 2]
            else:
                t.status = REPLY
            return i + length - start
        t.crc_errors += 1
        t.garbage_bytes += 1
        i += 1                                 # hunt on past the bad frame's first byte
    t.status = _NEED_MORE
    return i - start
