"""Register values: byte/word order, data types, scaling, FLOAT32 decoded with integers
(modbus.md 8.1)."""

import math
import struct

import pytest
from hypothesis import given, settings, strategies as st

from smartevse.modbus.values import (DT_FLOAT32, DT_INT16, DT_INT32, DT_UINT32, DT_UINT64,
                                     float_scaled, scaled)

# 0x11223344 as wire bytes b0..b3 in each order of 8.1's table
ORDERS = {0: b"\x44\x33\x22\x11", 1: b"\x22\x11\x44\x33", 2: b"\x33\x44\x11\x22",
          3: b"\x11\x22\x33\x44"}


@pytest.mark.parametrize("order", [0, 1, 2, 3])
def test_each_byte_and_word_order_reads_the_same_32_bit_value(order):
    """Given 0x11223344 sent in order 0..3 as 8.1 lays it out, when read, then the value."""
    assert scaled(ORDERS[order], 0, DT_INT32, order, 0) == 0x11223344


def test_int16_orders_and_sign():
    """Given INT16 -2 as FF FE (orders 2, 3) or FE FF (orders 0, 1), then -2."""
    assert scaled(b"\xff\xfe", 0, DT_INT16, 3, 0) == -2
    assert scaled(b"\xfe\xff", 0, DT_INT16, 0, 0) == -2


def test_signed_and_unsigned_32_bit_and_the_abb_64_bit_counter():
    """Given -1 as INT32 and 0xFFFFFFFE as UINT32, and a 64-bit counter, then signed,
    unsigned, and the lower 32 bits of the counter (8.3 ABB)."""
    assert scaled(b"\xff\xff\xff\xff", 0, DT_INT32, 3, 0) == -1
    assert scaled(b"\x00\x00\x00\x00\x00\x01\x86\xa0", 0, DT_UINT64, 3, 0) == 100000
    assert scaled(b"\x00\x01\x86\xa0", 0, DT_UINT32, 3, -1) == 1000000


def test_integer_scaling_truncates_toward_zero_like_c():
    """Given INT16 -1234 at d = 2 read as mA (k = -1) and a 0.01 kWh counter, then C's
    truncation (not Python's floor) for negatives."""
    raw = struct.pack(">h", -1234)
    assert scaled(raw, 0, DT_INT16, 3, 1) == -123          # -123.4 -> -123
    assert scaled(raw, 0, DT_INT16, 3, -1) == -12340


@pytest.mark.parametrize("value, k, expected", [(16.0, -3, 16000), (-7.25, -3, -7250),
                                                (0.0, -3, 0), (1.5e-40, -3, 0),
                                                (12345.678, 3, 12), (230.1, 0, 230),
                                                (float("nan"), 0, 0)])
def test_float32_reads_as_the_scaled_truncated_integer(value, k, expected):
    """Given FLOAT32 big-endian values, when scaled to the internal unit, then the
    integer that C's (int)(value * 10^-k) gives."""
    assert scaled(struct.pack(">f", value), 0, DT_FLOAT32, 3, k) == expected


def _f32(x):
    return struct.unpack(">f", struct.pack(">f", x))[0]


@settings(max_examples=1000, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, width=32), st.sampled_from([-3, -2, -1, 0]))
def test_float32_integer_decoding_equals_single_precision_arithmetic(value, k):
    """Given any FLOAT32 a meter sends (|x| <= 1e6) and a scale-up (A -> mA, kW -> W, kWh
    -> Wh), when decoded with integers, then exactly C's (int)(x * 10^-k) in single
    precision (the product rounded to float32, then truncated; 8.1)."""
    high, low = struct.unpack(">HH", struct.pack(">f", value))
    assert float_scaled(high, low, k) == math.trunc(_f32(value * 10.0 ** -k))


@settings(max_examples=500, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, width=32), st.sampled_from([1, 2, 3, 4]))
def test_float32_scale_down_is_within_one_unit_of_single_precision(value, k):
    """Given a FLOAT32 divided by 10^k (custom meter divisors), then within one unit of
    C's single-precision result (the exact quotient is truncated)."""
    high, low = struct.unpack(">HH", struct.pack(">f", value))
    assert abs(float_scaled(high, low, k) - math.trunc(_f32(value / 10.0 ** k))) <= 1


def test_a_float_product_that_rounds_up_reads_as_the_reference_does():
    """Given 4.1 A (4.0999999 as float32), then 4100 mA, as the reference's float multiply
    rounds it (not the 4099 of the exact product)."""
    assert scaled(struct.pack(">f", 4.1), 0, DT_FLOAT32, 3, -3) == 4100
