"""RTU framing: CRC, requests, finding the awaited reply, classification (modbus.md 1.2-1.4)."""

from hypothesis import given, settings, strategies as st

from smartevse.modbus import frame
from smartevse.modbus.share import build_write_multiple
from smartevse.modbus.frame import append_crc, crc16
from smartevse.modbus.transaction import Transaction

SPEC_STATUS_READ = bytes.fromhex("020400000008F1FF")
SPEC_STATE_WRITE = bytes.fromhex("02100000000204000500 00ECEA".replace(" ", ""))
SPEC_CONFIG_READ = bytes.fromhex("0304010800 02F017".replace(" ", ""))
SPEC_CONFIG_CLEAR = bytes.fromhex("0306000600006829")
SPEC_BROADCAST = bytes.fromhex("091000200 00B1600A0003C00000000000000000000000000B400AA00BEBFA8"
                               .replace(" ", ""))
SPEC_STATUS_REPLY = bytes.fromhex("0204100001000000 3C00010000000100000010 21A4".replace(" ", ""))


def test_crc_check_value_is_the_spec_s():
    """Given ASCII "123456789", when its CRC-16/MODBUS is computed, then 0x4B37 (1.2)."""
    assert crc16(b"123456789", 0, 9) == 0x4B37


def test_requests_are_byte_identical_to_the_spec_examples():
    """Given the requests of modbus.md 4.2-4.4, when built, then every byte (CRC low byte
    first) equals the spec's example frames."""
    buf = bytearray(64)
    assert buf[:frame.build_read(buf, 2, 4, 0, 8)] == SPEC_STATUS_READ
    assert buf[:frame.build_read(buf, 3, 4, 0x0108, 2)] == SPEC_CONFIG_READ
    assert buf[:frame.build_write_single(buf, 3, 6, 6, 0)] == SPEC_CONFIG_CLEAR
    assert buf[:build_write_multiple(buf, 2, 0, [5, 0], 2)] == SPEC_STATE_WRITE
    currents = [160, 60, 0, 0, 0, 0, 0, 0, 180, 170, 190]
    assert buf[:build_write_multiple(buf, 9, 0x20, currents, 11)] == SPEC_BROADCAST


def _framer(address=2, function=4, count=8):
    framer = Transaction(None)            # what frame.find_reply reads and writes
    framer.start(8, address, function, 5 + 2 * count)      # a read's reply (1.3)
    return framer


def test_the_reply_is_found_behind_garbage_and_a_bad_crc_copy():
    """Given noise, a copy of the reply with one byte flipped, then the reply, when the
    framer decodes, then it finds the good reply, counts one CRC error and the garbage."""
    bad = bytearray(SPEC_STATUS_REPLY)
    bad[5] ^= 0x10
    data = bytearray(b"\x00\xff\x55") + bad + SPEC_STATUS_REPLY
    framer = _framer()
    used = frame.find_reply(framer, data, 0, len(data))
    assert framer.status == frame.REPLY and used == len(data)
    assert data[framer.reply_at:framer.reply_at + 21] == SPEC_STATUS_REPLY
    assert framer.crc_errors == 1 and framer.garbage_bytes >= 3


def test_a_truncated_reply_waits_and_keeps_its_bytes():
    """Given the first 15 bytes of a 21-byte reply, when decoded, then NEED_MORE and the
    bytes from the reply's start are kept (used counts only what went before)."""
    data = b"\x07" + SPEC_STATUS_REPLY[:15]
    framer = _framer()
    assert frame.find_reply(framer, data, 0, len(data)) == 1 and framer.status == frame._NEED_MORE


def test_an_exception_reply_is_recognised_with_its_code():
    """Given an exception reply 02 84 02 + CRC (1.3), when decoded, then EXCEPTION, code 2."""
    data = bytearray(5)
    data[0:3] = b"\x02\x84\x02"
    append_crc(data, 3)
    framer = _framer()
    assert frame.find_reply(framer, data, 0, 5) == 5
    assert framer.status == frame.EXCEPTION and framer.exception_code == 2


def test_interleaved_frames_of_other_addresses_and_functions_are_skipped():
    """Given another device's reply and a request of another function before ours, when
    decoded, then only the awaited reply is taken."""
    other = bytearray(9)
    other[0:7] = b"\x0c\x04\x04\x00\x01\x00\x02"
    append_crc(other, 7)
    data = bytes(other) + SPEC_CONFIG_CLEAR + SPEC_STATUS_READ + SPEC_STATUS_REPLY
    framer = _framer()
    frame.find_reply(framer, data, 0, len(data))
    assert framer.status == frame.REPLY and framer.reply_at == len(data) - 21


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=80), st.binary(max_size=80))
def test_fuzzed_bytes_never_break_the_framer_and_a_true_reply_is_always_found(head, tail):
    """Given random bytes before and after a valid reply, when decoded, then the framer
    never raises, uses at most what it got, and finds a reply with a valid CRC."""
    data = head + SPEC_STATUS_REPLY + tail
    framer = _framer()
    used = frame.find_reply(framer, data, 0, len(data))
    assert 0 <= used <= len(data)
    assert framer.status == frame.REPLY
    start = framer.reply_at
    assert crc16(data, start, start + 19) == data[start + 19] | data[start + 20] << 8


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120))
def test_fuzzed_garbage_alone_is_never_a_reply_with_a_bad_crc(data):
    """Given random bytes, when decoded, then any reply found has a valid CRC."""
    framer = _framer()
    used = frame.find_reply(framer, data, 0, len(data))
    assert 0 <= used <= len(data)
    if framer.status == frame.REPLY:
        s = framer.reply_at
        assert crc16(data, s, s + 19) == data[s + 19] | data[s + 20] << 8
