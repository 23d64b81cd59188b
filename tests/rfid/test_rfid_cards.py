"""The whitelist of up to 100 cards in its own NVM record (settings-and-menu.md 4.1, 4.2, 6.2)."""

import pytest

from smartevse.rfid.cards import (ALREADY_STORED, CARDS_MAX, DELETED, NOT_STORED, STORAGE_FULL,
                                  STORED, CardList, hex_of, parse_hex, stored_form)
from smartevse.settings.nvm import KIND_RFID, NVM_SIZE, RFID_OFFSET, RFID_SLOT_SIZE, RecordStore


def card_list(nvm=None):
    nvm = bytearray(b"\xff" * NVM_SIZE) if nvm is None else nvm
    return CardList(RecordStore(nvm, RFID_OFFSET, RFID_SLOT_SIZE, KIND_RFID)), nvm


def card(n):
    return bytes((0x04, n, 0xA0, 0x5C)) + b"\x00\x00\x00"


def test_uids_are_stored_as_seven_bytes():
    """Given a 4-, 7- and 10-byte UID, then 4 bytes get 00 00 00, 7 stay, 10 cannot be
    stored (an unknown card, D7); hex is upper case, 12 chars for a legacy entry (4.1)."""
    assert stored_form(b"\xa1\xb2\xc3\xd4") == bytes.fromhex("A1B2C3D4000000")
    assert stored_form(bytes(range(1, 8))) == bytes(range(1, 8))
    assert stored_form(bytes(10)) is None
    assert hex_of(bytes.fromhex("a1b2c3d4000000")) == "A1B2C3D4000000"
    assert hex_of(bytes.fromhex("112233445566ff")) == "112233445566"


@pytest.mark.parametrize("text,stored", [
    ("A1B2C3D4000000", "a1b2c3d4000000"), ("04a1b2c3d4e5f6", "04a1b2c3d4e5f6"),
    ("112233445566", "112233445566ff"), ("A1B2C3D4", "a1b2c3d4000000"),
    (" A1B2C3D4000000\r", "a1b2c3d4000000")])
def test_hex_forms_that_are_accepted(text, stored):
    """Given 14, 12 or 8 hex chars, then the stored form of 4.1."""
    assert parse_hex(text) == (bytes.fromhex(stored), None)


@pytest.mark.parametrize("text,error", [
    ("A1B2C3", "Invalid RFID length"), ("A1B2C3D4000000AA", "Invalid RFID length"),
    ("A1B2C3D40000ZZ", "Invalid RFID hex string"), ("FFFFFFFFFFFFFF", "Invalid RFID hex string"),
    ("", "Invalid RFID length")])
def test_bad_hex_is_refused_with_the_rest_texts(text, error):
    """Given a wrong length, non-hex text or the empty-slot pattern, then the error texts
    of interfaces.md 1.9 and no card."""
    assert parse_hex(text) == (None, error)


def test_learn_delete_and_their_answers():
    """Given an empty list, when a card is learnt twice and deleted twice, then Card
    Stored, already stored, Card Deleted, not in storage (4.3), each change written."""
    cards, _ = card_list()
    assert cards.learn(card(1)) == STORED and cards.find(card(1)) == 0
    assert cards.learn(card(1)) == ALREADY_STORED
    assert cards.learn(card(2)) == STORED and cards.find(card(2)) == 1
    assert cards.delete(card(1)) == DELETED and cards.find(card(1)) == -1
    assert cards.delete(card(1)) == NOT_STORED
    assert cards.learn(card(3)) == STORED and cards.find(card(3)) == 0   # the free slot
    assert cards.writes == 4


def test_the_101st_card_is_refused_and_nothing_is_lost():
    """Given 100 stored cards, when a 101st is learnt, then Card Storage full and the 100
    are still there after a reload from NVM (4.2)."""
    cards, nvm = card_list()
    for n in range(CARDS_MAX):
        assert cards.learn(bytes((n, 1, 2, 3, 4, 5, 6))) == STORED
    assert cards.learn(card(200)) == STORAGE_FULL
    again, _ = card_list(nvm)
    assert again.load() == ""
    assert len(again.cards()) == CARDS_MAX and again.find(card(200)) == -1


def test_a_legacy_entry_matches_on_its_first_six_bytes():
    """Given a legacy 6-byte entry (12 hex chars), then a 7-byte read with those first
    6 bytes is that card (4.1); the empty slots match nothing."""
    cards, _ = card_list()
    cards.replace([parse_hex("112233445566")[0]])
    assert cards.find(bytes.fromhex("11223344556677")) == 0
    assert cards.find(b"\xff" * 7) == -1


def test_a_failed_write_leaves_the_list_as_it_was():
    """Given a stored card, when the NVM write of a second one raises, then the list in
    memory is unchanged and the error reaches the caller (6.2, architecture.md Errors)."""
    class Failing(bytearray):
        fail = False

        def __setitem__(self, index, value):
            if self.fail:
                raise OSError(5, "EIO")
            super().__setitem__(index, value)

    nvm = Failing(b"\xff" * NVM_SIZE)
    cards, _ = card_list(nvm)
    cards.learn(card(1))
    nvm.fail = True
    with pytest.raises(OSError):
        cards.learn(card(2))
    assert cards.cards() == [hex_of(card(1))]


def test_a_list_corrupt_in_both_slots_is_erased_and_said():
    """Given both RFID slots full of garbage, when loaded, then the list is empty, written
    erased, and the message says so (4.2: an uninitialised list is erased)."""
    nvm = bytearray(b"\xff" * NVM_SIZE)
    nvm[RFID_OFFSET:RFID_OFFSET + 2 * RFID_SLOT_SIZE] = bytes(range(256)) * 6
    cards, _ = card_list(nvm)
    assert "erased" in cards.load()
    assert cards.cards() == []
    again, _ = card_list(nvm)
    assert again.load() == "" and again.cards() == []


@pytest.mark.parametrize("entries", [20, 100])
def test_a_legacy_list_of_six_byte_entries_is_taken_with_ff(entries):
    """Given a record in a legacy layout (20 or 100 x 6 bytes, empty = FF x 6), when
    loaded, then each entry becomes its 6 bytes + FF in the same slot (4.2)."""
    cards, nvm = card_list()
    legacy = bytearray(b"\xff" * 6 * entries)
    legacy[6:12] = bytes.fromhex("112233445566")
    RecordStore(nvm, RFID_OFFSET, RFID_SLOT_SIZE, KIND_RFID).save(bytes(legacy), 1)
    assert cards.load() == ""
    assert cards.cards() == ["112233445566"] and cards.find(bytes.fromhex("11223344556677")) == 1
