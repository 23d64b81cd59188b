"""The transaction machine on a UART: when requests go out, when a reply is complete,
lost or bad (modbus.md 1.2, 1.3), on an injected clock."""

from smartevse.modbus import frame, transaction as tr
from smartevse.modbus.frame import append_crc

from fake_uart import ScriptedUart

REPLY = bytes.fromhex("0204100001000000 3C00010000000100000010 21A4".replace(" ", ""))


def _start(bus):
    n = frame.build_read(bus.tx, 2, 4, 0, 8)
    bus.start(n, 2, 4, 5 + 2 * 8)


def _run(bus, from_ms, to_ms):
    for now_ms in range(from_ms, to_ms):
        bus.step(now_ms)
        if bus.state == tr.DONE:
            return now_ms
    return None


def test_a_reply_in_pieces_completes_by_length_and_crc():
    """Given a request sent, when the 21-byte reply arrives in two pieces, then the
    transaction ends with the reply at the moment its last byte is read."""
    uart = ScriptedUart()
    bus = tr.Transaction(uart)
    _start(bus)
    bus.step(0)
    assert uart.written == [bytes.fromhex("020400000008F1FF")]
    uart.input += REPLY[:10]
    bus.step(20)
    assert bus.state == tr._WAIT_REPLY
    uart.input += REPLY[10:]
    bus.step(21)
    assert bus.result == tr.RESULT_REPLY and bus.rx[bus.reply_at + 3] == 0x00
    assert bus.rx[bus.reply_at + 4] == 0x01          # state = 1 (B)


def test_silence_ends_a_request_at_150_ms_after_its_last_byte_and_the_next_waits_50_ms():
    """Given no answer, then the timeout comes 150 ms after the 8 request bytes (9 ms at
    9600 baud) and the next request is sent no earlier than 50 ms later (1.2)."""
    uart = ScriptedUart()
    bus = tr.Transaction(uart)
    _start(bus)
    done_ms = _run(bus, 0, 400)
    assert done_ms == 9 + 150 and bus.result == tr._RESULT_TIMEOUT and bus.timeouts == 1
    bus.state = tr.IDLE
    _start(bus)
    _run(bus, done_ms + 1, done_ms + 50)
    assert len(uart.written) == 1
    bus.step(done_ms + 50)
    assert len(uart.written) == 2


def test_a_truncated_reply_ends_as_bad_after_the_inter_frame_gap():
    """Given 12 of 21 bytes and then silence, when 4 ms (3.5 characters, at least 4 ms)
    pass, then the transaction ends as a bad frame, long before the 150 ms timeout."""
    uart = ScriptedUart()
    bus = tr.Transaction(uart)
    _start(bus)
    bus.step(0)
    uart.input += REPLY[:12]
    bus.step(15)
    bus.step(18)
    assert bus.state == tr._WAIT_REPLY
    bus.step(19)
    assert bus.result == tr._RESULT_BAD and bus.bad_frames == 1


def test_an_exception_reply_is_no_data_and_counted():
    """Given the meter answers exception 02, then the result is an exception with its
    code, counted (1.3)."""
    uart = ScriptedUart()
    bus = tr.Transaction(uart)
    _start(bus)
    bus.step(0)
    reply = bytearray(b"\x02\x84\x02\x00\x00")
    append_crc(reply, 3)
    uart.input += reply
    bus.step(20)
    assert bus.result == tr._RESULT_EXCEPTION and bus.exception_code == 2
    assert bus.exceptions == 1


def test_an_oversized_frame_s_tail_and_stray_bytes_are_counted_not_taken():
    """Given the reply followed by 6 extra bytes, then the reply is taken and the 6 bytes
    are counted as stray; bytes between transactions are drained and counted too."""
    uart = ScriptedUart()
    bus = tr.Transaction(uart)
    _start(bus)
    bus.step(0)
    uart.input += REPLY + b"\x01\x02\x03\x04\x05\x06"
    bus.step(30)
    assert bus.result == tr.RESULT_REPLY and bus.stray_bytes == 6
    bus.state = tr.IDLE
    uart.input += b"\xaa\xbb"
    bus.step(31)
    assert bus.stray_bytes == 8


def test_a_broadcast_is_sent_and_never_awaited():
    """Given a write to 0x09, then it is sent and the transaction ends at once (1.1)."""
    uart = ScriptedUart()
    bus = tr.Transaction(uart)
    n = frame.build_write_single(bus.tx, 9, 6, 1, 2)
    bus.start(n, 9, 6, 8)
    bus.step(0)
    assert bus.result == tr._RESULT_SENT and len(uart.written) == 1


def test_timing_follows_the_baud_rate():
    """Given 19200 baud, then a character is 520 us, and the sending gap stays 4 ms."""
    assert tr.Transaction(ScriptedUart(), 19200).char_us == 520
    assert tr.Transaction(ScriptedUart(), 19200).gap_ms == 4
    assert tr.Transaction(ScriptedUart(), 1200).gap_ms == 30     # 3.5 x 8.33 ms


def test_a_request_waits_until_another_talker_has_been_silent_for_the_gap():
    """Given bytes of another device on the bus just before a request is due, then the
    request goes out only 3.5 characters (4 ms) after the last of them (1.2)."""
    uart = ScriptedUart()
    bus = tr.Transaction(uart)
    _start(bus)
    uart.input += b"\x0c\x03"
    bus.step(0)
    bus.step(3)
    assert uart.written == [] and bus.stray_bytes == 2
    bus.step(4)
    assert len(uart.written) == 1
