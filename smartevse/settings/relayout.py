"""Moves an NVM image of the layout before the charging-profile record to today's
(architecture.md "One table for all settings"; settings/nvm.py has both)."""
# Only the settings' slot B moved (1024 -> 912, slots of 1024 B became 912 B); the new
# slot B and the profile record (1824..2047) sit where the old slot B was. Run at boot,
# before the settings load, when a settings record starts at 1024; imported for that
# and released (app.py). Two writes, each leaving a loadable image if the power fails:
# 1. the newest record, when it is the old slot B's, copied byte for byte (same sequence
#    number) to slot A: cut, slot B still holds it and the next boot does this again;
# 2. 912..2047 blanked: cut before 1024, slot B is still valid and older or equal, so the
#    next boot only blanks; cut after, the rest of the old slot B reads as a corrupt
#    settings slot B (slot A is used) and, if it reaches 1824, a corrupt profile record
#    (no profiles, which is what the old image held). On the ESP32 a write rewrites the
#    whole NVM blob at once, so neither cut happens there.

from micropython import const

from smartevse.settings.nvm import (KIND_SETTINGS, LEGACY_SETTINGS_SLOT_SIZE,
                                    OCPP_PROFILES_OFFSET, OCPP_PROFILES_SLOT_SIZE,
                                    SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, RecordStore)

_LENGTH_AT = const(9)             # the record header's payload length (nvm.py _HEADER)
_OVERHEAD = const(15)


def migrate(nvm):
    """Move an old-layout image to today's; True when it was one (a valid old slot B)."""
    old = RecordStore(nvm, SETTINGS_OFFSET, LEGACY_SETTINGS_SLOT_SIZE, KIND_SETTINGS)
    newest, b_valid = old.slots()
    if not b_valid:
        return False
    at = SETTINGS_OFFSET + LEGACY_SETTINGS_SLOT_SIZE
    size = _OVERHEAD + (nvm[at + _LENGTH_AT] | nvm[at + _LENGTH_AT + 1] << 8)
    if newest == 1 and size <= SETTINGS_SLOT_SIZE:     # today's largest record: 864 B
        nvm[SETTINGS_OFFSET:SETTINGS_OFFSET + size] = bytes(nvm[at:at + size])
    start = SETTINGS_OFFSET + SETTINGS_SLOT_SIZE
    end = OCPP_PROFILES_OFFSET + 2 * OCPP_PROFILES_SLOT_SIZE
    nvm[start:end] = b"\xff" * (end - start)
    return True
