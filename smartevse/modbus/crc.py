"""Decides the CRC-16/MODBUS of a frame (modbus.md 1.2)."""

# Decides the CRC-16/MODBUS of a frame (modbus.md 1.2).
#
# Polynomial 0x8005 bit-reflected (0xA001), initial 0xFFFF, no final XOR, sent low byte
# first; check value of b"123456789" is 0x4B37. The table is built once at import (as
# pymodbus' framer does), so a frame costs one lookup per byte and allocates nothing.

import array


# Built by module-level code, which is freed after the import.
_TABLE = array.array("H", bytes(512))
for _byte in range(256):
    _crc = _byte
    for _ in range(8):
        _crc = (_crc >> 1) ^ 0xA001 if _crc & 1 else _crc >> 1
    _TABLE[_byte] = _crc
del _byte, _crc, _


def crc16(buf, start, end):
    """CRC-16/MODBUS of buf[start:end] as an int (low byte goes first on the wire)."""
    table = _TABLE
    crc = 0xFFFF
    for i in range(start, end):
        crc = (crc >> 8) ^ table[(crc ^ buf[i]) & 0xFF]
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
