"""Decides the integer value of one meter register value (modbus.md 8.1), without floats."""

# Decides the integer value of one meter register value: byte and word order, data
# type, sign and the decimal scaling of modbus.md 8.1, without floats.
#
# FLOAT32 values are decoded from their IEEE 754 bits with integer arithmetic, scaled and
# truncated toward zero, so a reply costs no float object (every float is a heap object on
# CircuitPython). Values are assembled from two 16-bit halves, so every intermediate stays
# a small int (30 bits) for real meter readings; nothing here allocates.

from micropython import const

DT_INT32 = const(0)           # the custom meter's data type numbers (8.5)
DT_FLOAT32 = const(1)
DT_INT16 = const(2)
DT_UINT16 = const(3)          # Orno 1P (8.2)
DT_UINT32 = const(4)
DT_UINT64 = const(5)          # ABB energy: the lower 32 bits are used (8.3)

_ORDER_LBF_LWF = const(0)      # byte/word order codes (8.1)
_ORDER_LBF_HWF = const(1)
_ORDER_HBF_LWF = const(2)
ORDER_HBF_HWF = const(3)

_SMALL_MAX = const(0x3FFFFFFF)   # largest small int on a 32-bit MicroPython port
_POW10 = (1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000)


def tdiv(a, b):
    """a / b truncated toward zero, as C's integer division (b > 0)."""
    return a // b if a >= 0 else -((-a) // b)


def register_count(dtype):
    """Registers one value of `dtype` takes on the wire."""
    if dtype == DT_INT16 or dtype == DT_UINT16:
        return 1
    return 4 if dtype == DT_UINT64 else 2


def float_scaled(high, low, k):
    """The IEEE 754 single of bits high:low times 10^-k, truncated toward zero (8.1)."""
    # As the reference computes it in single precision: (int)(x * 10^-k) with the product
    # rounded to 24 bits (nearest even), so 4.1 A reads 4100 mA, not 4099. A division
    # (k > 0) truncates the exact quotient. NaN and infinity read 0.
    exponent = (high >> 7) & 0xFF
    if exponent == 0 or exponent == 0xFF:
        return 0                               # zero, denormal (< 1e-38), NaN, infinity
    mantissa = ((high & 0x7F) | 0x80) << 16 | low
    shift = exponent - 150                     # value = mantissa * 2^shift
    if k < 0:
        # x * 10^j = x * 5^j * 2^j (j <= 3): the product by 5^j kept as hi * 256 + lo,
        # both small ints, then rounded to 24 bits like a float32 multiply.
        # `drop` is how many bits hi has beyond 16 (those of hi * 256 + lo beyond 24); the
        # dropped bits round to nearest even.
        five = _POW5[-k]
        lo = (mantissa & 0xFF) * five
        hi = (mantissa >> 8) * five + (lo >> 8)
        lo &= 0xFF
        drop = 0
        rest = hi >> 16
        while rest:
            drop += 1
            rest >>= 1
        if drop:
            mantissa = hi << (8 - drop) | lo >> drop
            rest = lo & ((1 << drop) - 1)
            half = 1 << (drop - 1)
            if rest > half or (rest == half and mantissa & 1):
                mantissa += 1
        else:
            mantissa = hi << 8 | lo
        shift += drop - k
    # mantissa * 2^shift truncated toward zero, saturated at the largest small int
    if shift >= 0:
        value = _SMALL_MAX if shift > 7 or mantissa > _SMALL_MAX >> shift else mantissa << shift
    else:
        value = mantissa >> -shift if shift > -31 else 0
    if k > 0:
        value //= _POW10[k]
    return -value if high & 0x8000 else value


_POW5 = (1, 5, 25, 125)


def scaled(buf, at, dtype, order, k):
    """The value at buf[at] times 10^-k, truncated toward zero: the unit of 8.1."""
    s = 1 if order <= _ORDER_LBF_HWF else 0   # orders 0 and 1 swap a word's bytes (8.1)
    if dtype == DT_INT16 or dtype == DT_UINT16:
        value = buf[at + s] << 8 | buf[at + 1 - s]
        if dtype == DT_INT16 and value & 0x8000:
            value -= 0x10000
    else:
        if dtype == DT_UINT64:
            at += 4                            # the lower 32 bits (second 32-bit word)
        # the high word's offset: orders 0 and 2 send it second (8.1)
        hi_at = at + 2 if order == _ORDER_LBF_LWF or order == _ORDER_HBF_LWF else at
        lo_at = at + at + 2 - hi_at
        high = buf[hi_at + s] << 8 | buf[hi_at + 1 - s]
        low = buf[lo_at + s] << 8 | buf[lo_at + 1 - s]
        if dtype == DT_FLOAT32:
            return float_scaled(high, low, k)
        if dtype == DT_INT32 and high & 0x8000:
            value = (high - 0x10000) * 0x10000 + low
        else:
            value = high * 0x10000 + low
    if k >= 0:
        return tdiv(value, _POW10[k])
    return value * _POW10[-k]
