"""Bad input on the bus never crashes the poll or changes a setting (issue 8 "Bad input"),
fuzzed with hypothesis: whatever bytes come back, only a CRC-valid reply is a reading."""

import struct

from hypothesis import given, settings, strategies as st

from smartevse.modbus.frame import append_crc
from smartevse.modbus.meter_poll import MeterPoll
from smartevse.modbus.transaction import Transaction
from smartevse.settings.live import Settings

from fake_uart import ScriptedUart


def _eastron_reply():
    words = b"".join(struct.pack(">f", v) for v in (10.0, 20.0, 30.0, 1.0, 1.0, 1.0))
    out = bytearray(b"\x0b\x04\x18" + words + b"\x00\x00")
    append_crc(out, 3 + 24)
    return bytes(out)


class _Readings:
    def __init__(self):
        self.mains = []

    def mains_reading(self, l1, l2, l3):
        self.mains.append([l1, l2, l3])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=60),
                          st.just(_eastron_reply()),
                          st.tuples(st.integers(0, 30), st.integers(0, 7)).map(
                              lambda flip: _flipped(*flip))),
                max_size=12))
def test_any_bytes_on_the_bus_give_only_valid_readings_and_change_no_setting(answers):
    """Given an Eastron mains meter whose answers are random bytes, valid replies or
    replies with one bit flipped, when the poll runs 30 s, then it never raises, every
    reading is the valid reply's 100/200/300 dA (a valid first reply is one), and no
    setting changed."""
    values = Settings()
    values.set("mains_meter_type", 4)
    values.set("mains_meter_address", 11)
    before = dict(values.values)
    readings = _Readings()
    uart = ScriptedUart(answers)
    poll = MeterPoll(values, readings, Transaction(uart))
    for now_ms in range(0, 30000, 10):
        poll.step(now_ms)
    assert all(r == [100, 200, 300] for r in readings.mains)
    assert readings.mains.count([100, 200, 300]) <= answers.count(_eastron_reply())
    assert values.values == before
    if answers and answers[0] == _eastron_reply():
        assert readings.mains                    # the valid first reply was taken


def _flipped(at, bit):
    reply = bytearray(_eastron_reply())
    reply[at % len(reply)] ^= 1 << bit
    return bytes(reply)
