"""When settings are written to NVM (settings-and-menu.md 6.2, 6.3)."""

from smartevse.settings.nvm import (KIND_SETTINGS, NVM_SIZE, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE,
                           RecordStore)
from smartevse.settings.persist import Persistence
from smartevse.settings import facts
from smartevse.settings.live import SCHEMA_VERSION, Settings


class CountingNvm:
    """An 8 KB NVM that counts slice assignments (each is one flash blob write)."""

    def __init__(self):
        self.data = bytearray(b"\xff" * NVM_SIZE)
        self.writes = 0

    def __getitem__(self, index):
        return self.data[index]

    def __setitem__(self, index, value):
        self.writes += 1
        self.data[index] = value


def make(nvm=None):
    nvm = nvm or CountingNvm()
    store = RecordStore(nvm, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, KIND_SETTINGS)
    settings = Settings()
    return nvm, settings, Persistence(settings, store)


def reboot(nvm):
    _, settings, persist = make(nvm)
    message = persist.boot()
    assert message == "; ".join(persist.notes)
    return settings, persist, persist.notes


def test_blank_nvm_boots_with_defaults_and_says_so():
    """Given erased NVM, when booted, then defaults, a message, and nothing written."""
    nvm, settings, persist = make()
    assert persist.boot() == "no saved settings, using defaults"
    assert settings.values["current_max"] == 13 and not settings.dirty
    assert not persist.step_1s(0) and nvm.writes == 0


def test_first_write_after_boot_is_not_delayed():
    """Given a boot, when a REST change marks the settings dirty, then the next 1 s step
    writes at once (6.2)."""
    nvm, settings, persist = make()
    persist.boot()
    persist.step_1s(100)
    settings.set("current_max", 20)
    assert persist.step_1s(101) and nvm.writes == 1 and not settings.dirty
    assert reboot(nvm)[0].values["current_max"] == 20


def test_later_writes_wait_60_s_since_the_last_write():
    """Given a write at t=101, when more changes follow, then the next write happens only
    at t >= 161, and it carries the latest values (6.2)."""
    nvm, settings, persist = make()
    persist.boot()
    settings.set("current_max", 20)
    persist.step_1s(101)
    settings.set("current_max", 21)
    for t in range(102, 161):
        assert not persist.step_1s(t)
    settings.set("current_max", 22)
    assert persist.step_1s(161) and nvm.writes == 2
    assert reboot(nvm)[0].values["current_max"] == 22


def test_unchanged_bytes_are_not_written():
    """Given saved settings, when a value is changed and changed back, or dirty is set by
    a service without a real change, then no write happens (6.2)."""
    nvm, settings, persist = make()
    persist.boot()
    settings.set("current_max", 20)
    persist.step_1s(0)
    settings.set("current_max", 21)
    settings.set("current_max", 20)
    assert not persist.step_1s(100) and not settings.dirty
    settings.dirty = True                      # e.g. Evse.set_access(ON) while ON
    assert not persist.save_now() and nvm.writes == 1


def test_save_now_ignores_the_rate_limit():
    """Given a write a second ago, when the menu EXIT saves, then it writes at once (6.2)."""
    nvm, settings, persist = make()
    persist.boot()
    settings.set("current_max", 20)
    persist.step_1s(10)
    persist.step_1s(11)
    settings.set("mode", 0)
    settings.set("lock", 2)
    assert persist.save_now() and nvm.writes == 2
    assert reboot(nvm)[0].values["lock"] == 2


def test_evse_writes_values_directly_and_marks_dirty():
    """Given the mode service writing settings.values and dirty, then it is persisted
    (contract: Evse.set_mode / set_access)."""
    nvm, settings, persist = make()
    persist.boot()
    settings.values["access"] = 0
    settings.dirty = True
    assert persist.step_1s(5)
    assert reboot(nvm)[0].values["access"] == 0


def test_boot_applies_the_rules_and_writes_the_fix():
    """Given a stored record that breaks a rule (RFID DeleteAll), when booted, then RFID
    is Disabled, the erase is signalled and the corrected record is written (1.4)."""
    nvm, settings, persist = make()
    persist.boot()
    settings.set("rfid_reader", 5)
    persist.save_now()
    settings, persist, notes = reboot(nvm)
    assert settings.values["rfid_reader"] == 0 and settings.rfid_erase_pending
    assert any("DeleteAll" in n for n in notes)
    assert persist.step_1s(0)
    assert reboot(nvm)[0].values["rfid_reader"] == 0


def test_newer_record_is_not_written_back_until_a_change():
    """Given a record written by newer firmware, when booted, then the known fields are
    used, the notes say so and nothing is written until the user changes something (6.3)."""
    nvm, settings, persist = make()
    store = RecordStore(nvm, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, KIND_SETTINGS)
    newer = Settings()
    newer.set("current_max", 30)
    store.save(newer.encode() + bytes((250, 2, 1, 2)), SCHEMA_VERSION + 1)
    writes = nvm.writes
    settings, persist, notes = reboot(nvm)
    assert settings.values["current_max"] == 30
    assert any("newer firmware" in n for n in notes)
    assert not persist.step_1s(0) and not persist.save_now() and nvm.writes == writes
    settings.set("current_max", 31)
    assert persist.step_1s(1) and nvm.writes == writes + 1


def test_reload_after_menu_timeout_undoes_unsaved_edits():
    """Given saved settings and live menu edits, when the menu times out and the settings
    are reloaded, then the saved values are back (2.5)."""
    nvm, settings, persist = make()
    persist.boot()
    settings.set("current_max", 20)
    persist.save_now()
    settings.set("current_max", 32)
    values = settings.values
    persist.boot()
    assert settings.values is values and values["current_max"] == 20 and not settings.dirty


def test_corrupt_slot_message_reaches_the_boot_notes():
    """Given slot B damaged, when booted, then slot A's settings and the message (6.1)."""
    nvm, settings, persist = make()
    persist.boot()
    settings.set("current_max", 20)
    persist.save_now()
    settings.set("current_max", 25)
    persist.save_now()
    nvm.data[SETTINGS_SLOT_SIZE + 20] ^= 0x40
    settings, persist, notes = reboot(nvm)
    assert notes[0] == "settings slot B corrupt, using slot A"
    assert settings.values["current_max"] == 20
    assert facts.default("current_max") == 13
