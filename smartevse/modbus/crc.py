"""Decides the CRC-16/MODBUS of a frame (modbus.md 1.2)."""

# Decides the CRC-16/MODBUS of a frame (modbus.md 1.2).
#
# Polynomial 0x8005 bit-reflected (0xA001), initial 0xFFFF, no final XOR, sent low byte
# first; check value of b"123456789" is 0x4B37. A 16-entry table (one per nibble, a
# tuple of small ints) costs two lookups per byte and allocates nothing; the 256-entry
# table would cost 512 B of heap for half the lookups.

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
