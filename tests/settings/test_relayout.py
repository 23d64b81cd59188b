"""An NVM image of the layout before the charging-profile record (settings slots of
1024 B) loads unchanged after the update (docs/architecture.md "One table for all
settings"; settings-and-menu.md 6.3; smartevse/settings/relayout.py)."""

from pathlib import Path

from sim import Simulation
from smartevse.hal import portal
from smartevse.ocpp import profile_store
from smartevse.ocpp.records import Profiles
from smartevse.settings import relayout
from smartevse.settings.live import SCHEMA_VERSION
from smartevse.settings.nvm import (KIND_SETTINGS, LEGACY_SETTINGS_SLOT_SIZE, NVM_SIZE,
                                    OCPP_PROFILES_OFFSET, OCPP_PROFILES_SLOT_SIZE,
                                    RECORD_OVERHEAD, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE,
                                    RecordStore)
from tests.settings.test_nvm import CutNvm
from tests.settings.test_settings import maximal_settings

# Written by the firmware of the layout before the profiles (main at 7d038b3), through
# the simulator: FreeVend and RFID EnableAll, two settings saves (the newest, seq 4 with
# access OFF, in slot B at 1024), cards 04A1B2C3D4E5F6 AABBCCDD 11223344, local list
# version 7 (TAG0..TAG4), MeterValueSampleInterval 30, one offline session (its Start
# and Stop queued in the journal, its record in the history), the portal's network
# HomeAP / secretpassword.
OLD_IMAGE = Path(__file__).parent.parent / "golden" / "nvm_before_profiles.bin"


def test_an_image_of_the_layout_before_profiles_keeps_every_record():
    """Given the NVM of a controller running the firmware before the profile record, when
    the update boots, then the settings are the newest ones (slot B's), and the cards, the
    session, the local list, the journal, the configuration key and the Wi-Fi network are
    all there, with no record reported corrupt and no profile installed; the next boot
    leaves the NVM as it is (settings-and-menu.md 6.3; interfaces.md 1.14, 3.9)."""
    s = Simulation(nvm=bytearray(OLD_IMAGE.read_bytes()), ocpp="ws://127.0.0.1:9/CP1")
    s.advance(0.01)                     # the first loop pass loads the OCPP records
    assert s.app.boot_message == ""
    v = s.app.settings.values
    assert (v["current_max"], v["access"], v["ocpp_auth_key"]) == (25, 0, "A1" * 20)
    assert v["ocpp_backend_url"] == "wss://cs.example.org/ocpp/" + "x" * 150
    assert s.app.rfid.cards.cards() == ["04A1B2C3D4E5F6", "AABBCCDD000000", "11223344000000"]
    sessions = s.rest("GET", "/sessions", {})[1]
    assert [(x["session_id"], x["max_current_a"], x["ocpp_tx_id"]) for x in sessions] == \
        [(1, 25.0, 1)]
    cp = s.app.ocpp.cp
    assert cp.local_list.version == 7 and sorted(cp.local_list.tags) == \
        ["TAG%d" % n for n in range(5)]
    assert [m[0] for m in cp.journal.queue] == ["S", "T"] and cp.config.numbers[10] == 30
    assert portal.load(s.nvm) == ("HomeAP", "secretpassword")
    assert cp.profiles.installed == [] and s.app.ocpp.profile_errors == 0
    s.power_cut()
    image = bytes(s.nvm)
    s.power_on()
    assert bytes(s.nvm) == image and s.app.settings.values["current_max"] == 25


def _old_image(newest_in_b):
    """An old-layout image with two settings records, the newer one in slot A or B."""
    data = bytearray(b"\xff" * NVM_SIZE)
    old = RecordStore(data, SETTINGS_OFFSET, LEGACY_SETTINGS_SLOT_SIZE, KIND_SETTINGS)
    records = []
    for n in range(3 if newest_in_b else 2):
        s = maximal_settings()                           # the largest record today
        s.values["current_max"] = 10 + n
        old.save(s.encode(), SCHEMA_VERSION)
        records.append(s.encode())
    assert LEGACY_SETTINGS_SLOT_SIZE + len(records[-1]) > OCPP_PROFILES_OFFSET   # overlaps
    return data, records[-1]


def _booted(data):
    relayout.migrate(data)
    store = RecordStore(data, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, KIND_SETTINGS)
    profiles = Profiles()
    profile_store.load(profiles, *profile_store.store(data).load())
    return store.load()[0], profiles.installed


class _CutMove(CutNvm):
    """NVM whose write number `at_write` stops after `cut` bytes; nothing after it lands."""

    def __init__(self, data, at_write, cut):
        CutNvm.__init__(self, data)
        self._left = at_write
        self._k = cut

    def __setitem__(self, index, value):
        if self._left < 0:
            return                                        # the power is off
        self._left -= 1
        self.cut = self._k if self._left < 0 else None
        CutNvm.__setitem__(self, index, value)


def test_a_power_cut_at_every_byte_of_the_move_keeps_the_newest_settings():
    """Given old-layout images whose newest settings sit in slot A or in slot B, when the
    power fails after k bytes of either write of the move, for every k, then the next
    boot (which moves again when it must) loads the newest settings and no profile
    (docs/architecture.md: a power cut keeps the last good record)."""
    blanked = OCPP_PROFILES_OFFSET + 2 * OCPP_PROFILES_SLOT_SIZE - SETTINGS_SLOT_SIZE
    for newest_in_b in (False, True):
        base, newest = _old_image(newest_in_b)
        sizes = [len(newest) + RECORD_OVERHEAD, blanked] if newest_in_b else [blanked]
        for write, size in enumerate(sizes):
            for k in range(size + 1):
                cut = _CutMove(bytearray(base), write, k)
                relayout.migrate(cut)
                payload, installed = _booted(cut.data)
                assert payload == newest and installed == [], (newest_in_b, write, k)
