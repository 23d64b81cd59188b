"""The NVM record store: alternating slots, CRC, fall-back and power cuts
(docs/architecture.md "One table for all settings", settings-and-menu.md 6.1)."""

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from smartevse.settings import nvm
from smartevse.settings.nvm import (KIND_RFID, KIND_SETTINGS, NVM_SIZE, RECORD_OVERHEAD,
                           SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, RecordStore, seq_newer)
from smartevse.settings.live import SCHEMA_VERSION, Settings

SLOT_B = SETTINGS_OFFSET + SETTINGS_SLOT_SIZE


class CutNvm:
    """NVM whose next slice assignment stops after `cut` bytes (a power cut)."""

    def __init__(self, data):
        self.data = data
        self.cut = None

    def __getitem__(self, index):
        return self.data[index]

    def __setitem__(self, index, value):
        if self.cut is None:
            self.data[index] = value
            return
        start = index.start
        self.data[start:start + self.cut] = value[:self.cut]
        self.cut = None


def settings_store(data=None):
    return RecordStore(data if data is not None else blank_nvm(),
                       SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, KIND_SETTINGS)


def blank_nvm():
    return bytearray(b"\xff" * NVM_SIZE)


def test_layout_fits_the_8192_bytes():
    """Given the layout constants, then settings, the charging profiles, the RFID list, the
    session records, the OCPP records and the portal's network tile 8 KB, two slots each,
    every record fitting its slot (settings-and-menu.md 4.2, interfaces.md 1.14, 3.8, 3.9;
    the settings' worst case: tests/settings/test_settings.py)."""
    regions = [(nvm.SETTINGS_OFFSET, nvm.SETTINGS_SLOT_SIZE),
               (nvm.OCPP_PROFILES_OFFSET, nvm.OCPP_PROFILES_SLOT_SIZE),
               (nvm.RFID_OFFSET, nvm.RFID_SLOT_SIZE),
               (nvm.SESSIONS_OFFSET, nvm.SESSIONS_SLOT_SIZE),
               (nvm.OCPP_LIST_OFFSET, nvm.OCPP_LIST_SLOT_SIZE),
               (nvm.OCPP_JOURNAL_OFFSET, nvm.OCPP_JOURNAL_SLOT_SIZE),
               (nvm.OCPP_CONFIG_OFFSET, nvm.OCPP_CONFIG_SLOT_SIZE),
               (nvm.WIFI_OFFSET, nvm.WIFI_SLOT_SIZE)]
    at = 0
    for offset, slot in regions:
        assert offset == at
        at += 2 * slot
    assert at == NVM_SIZE
    assert nvm.SETTINGS_OFFSET == 0 and nvm.SETTINGS_SLOT_SIZE == 912   # slot A never moved
    assert nvm.OCPP_PROFILES_OFFSET + 2 * nvm.OCPP_PROFILES_SLOT_SIZE == \
        nvm.SETTINGS_OFFSET + 2 * nvm.LEGACY_SETTINGS_SLOT_SIZE == nvm.RFID_OFFSET
    assert 20 * 28 + 1 + RECORD_OVERHEAD <= nvm.SESSIONS_SLOT_SIZE   # interfaces.md 1.14
    assert 100 * 7 + RECORD_OVERHEAD <= nvm.RFID_SLOT_SIZE
    assert 1 + 32 + 63 + RECORD_OVERHEAD <= nvm.WIFI_SLOT_SIZE


@pytest.mark.parametrize("fill", [0xFF, 0x00])
def test_blank_nvm_means_no_saved_settings(fill):
    """Given erased NVM, when loaded, then no payload and "no saved settings" (6.1)."""
    store = settings_store(bytearray([fill]) * NVM_SIZE)
    assert store.load() == (None, 0, "no saved settings, using defaults")


def test_saves_alternate_and_the_newest_wins():
    """Given two saves, then they sit in slots A and B and load returns the newer one."""
    data = blank_nvm()
    store = settings_store(data)
    store.save(b"one", 1)
    assert store.load() == (b"one", 1, "")
    store.save(b"two", 2)
    assert data[SLOT_B + 11:SLOT_B + 14] == b"two"
    assert store.load() == (b"two", 2, "")
    store.save(b"three", 2)
    assert data[11:16] == b"three" and store.load() == (b"three", 2, "")


def test_sequence_comparison_survives_wrap():
    """Given u32 sequence numbers, then 0 is newer than 0xFFFFFFFF."""
    assert seq_newer(0, 0xFFFFFFFF) and not seq_newer(0xFFFFFFFF, 0) and not seq_newer(5, 5)


def test_corrupt_newer_slot_falls_back_and_says_so():
    """Given a bad CRC in slot B, when loaded, then slot A's record and the message names
    both slots (docs/architecture.md)."""
    data = blank_nvm()
    store = settings_store(data)
    store.save(b"old", 1)
    store.save(b"new", 1)
    data[SLOT_B + 12] ^= 0x01
    assert store.load() == (b"old", 1, "settings slot B corrupt, using slot A")
    store.save(b"next", 1)      # the corrupt slot is the one overwritten
    assert store.load() == (b"next", 1, "")


def test_both_slots_corrupt_means_defaults_and_says_so():
    """Given both slots damaged, when loaded, then None and "settings corrupt"."""
    data = blank_nvm()
    store = settings_store(data)
    store.save(b"old", 1)
    store.save(b"new", 1)
    data[5] ^= 0xFF
    data[SLOT_B + 13] ^= 0xFF
    assert store.load() == (None, 0, "settings corrupt, using defaults")


def test_record_of_another_kind_is_not_taken():
    """Given an RFID record where settings are expected, then it does not load."""
    data = blank_nvm()
    RecordStore(data, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, KIND_RFID).save(b"uids", 1)
    assert settings_store(data).load()[0] is None


def test_oversized_payload_is_refused():
    """Given a payload larger than a slot, then save raises and writes nothing."""
    data = blank_nvm()
    with pytest.raises(ValueError):
        settings_store(data).save(bytes(SETTINGS_SLOT_SIZE), 1)
    assert data == blank_nvm()


def test_erase_blanks_both_slots():
    """Given saved settings, when erased (factory reset 6.4), then "no saved settings"."""
    store = settings_store(blank_nvm())
    store.save(b"x", 1)
    store.save(b"y", 1)
    store.erase()
    assert store.load()[0] is None


def _payloads():
    old = Settings()
    old.set("current_max", 20)
    new = Settings()
    for row_key, value in (("current_max", 32), ("mqtt_host", "broker.example.org"),
                           ("ocpp_backend_url", "wss://cs.example.org/ocpp/" + "x" * 150)):
        new.set(row_key, value)
    return old.encode(), new.encode()


@pytest.mark.parametrize("history", [1, 2, 3])
def test_power_cut_at_every_byte_keeps_old_or_new_settings(history):
    """Given saved settings (1, 2 or 3 earlier saves, so the target slot is blank or holds
    an older record), when the power fails after k bytes of the next write, for every k,
    then load gives the old or the new settings, never defaults or garbage (6.1)."""
    old, new = _payloads()
    base = blank_nvm()
    store = settings_store(base)
    for n in range(history):
        store.save(old[:-1] if n < history - 1 else old, SCHEMA_VERSION)
    record_len = len(new) + RECORD_OVERHEAD
    for k in range(record_len + 1):
        cut = CutNvm(bytearray(base))
        cut.cut = k
        RecordStore(cut, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, KIND_SETTINGS).save(
            new, SCHEMA_VERSION)
        payload, version, _ = settings_store(cut.data).load()
        expected = new if k == record_len else old
        assert payload == expected, k
        s = Settings()
        assert s.decode(payload, version) == []


@hsettings(max_examples=200)
@given(st.binary(max_size=2 * SETTINGS_SLOT_SIZE + 10), st.integers(0, 2 * SETTINGS_SLOT_SIZE))
def test_garbage_or_truncated_nvm_never_raises(garbage, keep):
    """Given random bytes over both slots, or a short NVM, when loaded, then a tuple of
    payload-or-None, version and message, never an exception."""
    for data in (bytearray(garbage), bytearray(garbage[:keep])):
        payload, version, message = settings_store(data).load()
        assert payload is None or isinstance(payload, bytes)
        assert isinstance(version, int) and isinstance(message, str)


@hsettings(max_examples=100)
@given(st.integers(0, 2 * SETTINGS_SLOT_SIZE - 1), st.integers(1, 255))
def test_any_single_byte_error_is_detected(position, flip):
    """Given two saved records, when any one byte of the slots changes, then load returns
    one of the two saved payloads (CRC catches the damage)."""
    data = blank_nvm()
    store = settings_store(data)
    store.save(b"first record", 1)
    store.save(b"second record", 1)
    data[position] ^= flip
    assert store.load()[0] in (b"first record", b"second record")


def test_save_is_one_slice_assignment_of_the_record():
    """Given a save, then the NVM sees exactly one write, of header + payload + CRC, so
    the ESP-IDF blob is rewritten once (docs/architecture.md)."""
    writes = []

    class Counting(CutNvm):
        def __setitem__(self, index, value):
            writes.append((index.start, index.stop, len(value)))
            CutNvm.__setitem__(self, index, value)

    store = RecordStore(Counting(blank_nvm()), SETTINGS_OFFSET, SETTINGS_SLOT_SIZE,
                        KIND_SETTINGS)
    store.save(b"abc", 1)
    assert writes == [(0, 3 + RECORD_OVERHEAD, 3 + RECORD_OVERHEAD)]
