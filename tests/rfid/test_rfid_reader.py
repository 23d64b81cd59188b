"""The PN532 reader step: the real adafruit_pn532 driver against the simulated PN532,
listen + poll, one bounded exchange per step (settings-and-menu.md 4.1, 4.3; bad input)."""

import tracemalloc

import pytest

from sim.pn532 import ACK, SimPn532, frame
from smartevse.rfid.reader import CARD, GONE, NOTHING, Pn532Reader


class Counting(SimPn532):
    """The simulated chip, counting the commands written."""

    def __init__(self):
        super().__init__()
        self.exchanges = 0

    def write(self, buf):
        self.exchanges += 1
        return super().write(buf)


def run(reader, chip, steps, start_ms=0):
    """Step the reader every 100 ms; (events, now_ms after)."""
    events = []
    now_ms = start_ms
    for _ in range(steps):
        now_ms += 100
        chip.step(100)
        events.append(reader.step(now_ms))
    return events, now_ms


def ready_reader():
    chip = Counting()
    reader = Pn532Reader(chip)
    events, now_ms = run(reader, chip, 6)
    assert reader.installed and reader.firmware == (0x32, 0x01, 0x06, 0x07)
    return reader, chip, now_ms


def test_detection_then_a_tap_reads_the_uid_once():
    """Given a PN532, when the reader steps, then it is installed after firmware and SAM
    exchanges; a card held for 1 s gives one CARD with its UID, then GONE (4.3: a tap is
    one presence)."""
    reader, chip, now_ms = ready_reader()
    chip.tap("04A1B2C3", hold_s=1.0)
    events, now_ms = run(reader, chip, 15, now_ms)
    assert events.count(CARD) == 1 and events.count(GONE) == 1
    assert bytes(reader.uid) == bytes.fromhex("04A1B2C3")
    assert events.index(CARD) <= 1                      # read within 200 ms of the tap
    assert events.index(GONE) > 9                       # only once the card left


def test_every_step_does_at_most_one_exchange_and_an_idle_step_none():
    """Given a listening reader and no card, then a step writes at most one command and
    most steps only look at in_waiting; the listen is renewed once per second (4.1)."""
    reader, chip, now_ms = ready_reader()
    per_step = []
    for _ in range(30):
        before = chip.exchanges
        now_ms += 100
        reader.step(now_ms)
        per_step.append(chip.exchanges - before)
    assert max(per_step) == 1
    assert 2 <= sum(per_step) <= 4                      # about one listen a second


def test_an_idle_poll_step_allocates_nothing():
    """Given a listening reader and no card, when a step only polls, then it allocates
    nothing (architecture.md "Device budget")."""
    reader, chip, now_ms = ready_reader()
    reader.step(now_ms + 100)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    reader.step(now_ms + 200)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename")
                if "reader.py" in stat.traceback[0].filename)
    assert grown <= 0


def test_a_bad_checksum_is_no_read_and_the_next_read_works():
    """Given a card reply with a bad DCS, then no CARD for it, the error is counted, the
    reader stays installed and the card is read at the next listen (bad input)."""
    reader, chip, now_ms = ready_reader()
    chip.faults(bad_checksum=1)
    chip.present("04A1B2C3")
    events, _ = run(reader, chip, 5, now_ms)
    assert events.count(CARD) == 1 and reader.errors == 1
    assert "checksum" in reader.last_error and reader.installed


def test_a_nack_or_silence_three_times_means_not_installed_then_found_again():
    """Given NACKs instead of ACKs, then after three failed exchanges in a row the reader
    is not installed; it is detected again once the chip answers (bad input)."""
    reader, chip, now_ms = ready_reader()
    chip.faults(nack=3)
    events, now_ms = run(reader, chip, 12, now_ms)
    assert reader.errors == 3 and "ACK" in reader.last_error and not reader.installed
    events, now_ms = run(reader, chip, 15, now_ms)
    assert reader.installed                             # detected again after 1 s
    chip.faults(silent=5)
    events, now_ms = run(reader, chip, 12, now_ms)
    assert not reader.installed and "No data" in reader.last_error


def test_an_unplugged_reader_is_not_installed_and_a_held_card_does_nothing_more():
    """Given a card held, when the reader is unplugged, then within 2 s it is not
    installed and no further CARD comes; plugged back it is found again and the card
    counts as a new presence."""
    reader, chip, now_ms = ready_reader()
    chip.present("04A1B2C3")
    events, now_ms = run(reader, chip, 3, now_ms)
    assert events.count(CARD) == 1
    chip.unplug()
    events, now_ms = run(reader, chip, 20, now_ms)
    assert not reader.installed and CARD not in events
    chip.plug()
    events, now_ms = run(reader, chip, 120, now_ms)     # retries back off to 8 s
    assert reader.installed and events.count(CARD) == 1


def test_a_ten_byte_uid_is_read_as_ten_bytes():
    """Given a triple-size (10-byte) UID, then the reader passes it on (the service takes
    it as an unknown card, D7) instead of failing."""
    reader, chip, now_ms = ready_reader()
    chip.present("0102030405060708090A")
    events, _ = run(reader, chip, 3, now_ms)
    assert CARD in events and len(reader.uid) == 10


def test_the_simulated_chip_speaks_the_frame_protocol():
    """Given host frames, then a good one gets ACK + response with LEN/LCS and DCS that sum
    to 0, a bad DCS gets nothing, an unknown command the error frame, a NACK the last
    response again (PN532 UM 6.2)."""
    chip = SimPn532()
    chip.write(frame(b"\xd4\x02"))
    reply = chip.read(64)
    assert reply[:6] == ACK and reply[6:] == frame(b"\xd5\x03\x32\x01\x06\x07")
    body = reply[6:]
    assert (body[3] + body[4]) & 0xFF == 0 and sum(body[5:-1]) & 0xFF == 0
    bad = bytearray(frame(b"\xd4\x02"))
    bad[-2] ^= 1
    chip.write(bad)
    assert chip.read(64) is None and chip.bad_frames == 1
    chip.write(frame(b"\xd4\x99"))
    assert chip.read(64) == ACK + b"\x00\x00\xff\x01\xff\x7f\x81\x00"
    chip.write(b"\x00\x00\xff\xff\x00\x00")
    assert chip.read(64) == b"\x00\x00\xff\x01\xff\x7f\x81\x00"
    with pytest.raises(ValueError, match="4, 7 or 10 bytes"):
        chip.tap("A1B2C3")


def test_no_step_waits_more_than_once_for_the_uart_whatever_the_reader_does():
    """Given detection, taps of 4-, 7- and 10-byte cards, bad checksums, NACKs, silence and
    an unplugged reader, then no step makes more than one read that would wait for the
    UART timeout: a step blocks at most 10 ms plus one frame (issue 12: <= 20 ms a pass)."""
    chip = Counting()
    reader = Pn532Reader(chip)
    now_ms = 0
    worst = 0
    script = {5: lambda: chip.tap("04A1B2C3", 0.5), 20: lambda: chip.tap(CARD_7_HEX, 0.3),
              30: lambda: chip.faults(bad_checksum=1), 31: lambda: chip.present("0102030405060708090A"),
              40: chip.remove, 45: lambda: chip.faults(nack=2, silent=2), 60: chip.unplug,
              90: chip.plug}
    for i in range(300):                             # the NACK left over meets the replug
        if i in script:
            script[i]()
        before = chip.short_reads             # on the device, each waits the UART timeout
        now_ms += 100
        chip.step(100)
        reader.step(now_ms)
        worst = max(worst, chip.short_reads - before)
    assert worst == 1 and reader.installed


CARD_7_HEX = "04112233445566"
