"""Small policies of the core as pure functions over the settings values
(charging.md 4.1 set_mode refusals, 6.1 forced single phase, 12 D1 authorisation).

In the spirit of the fork's mode_policy.c: plain values in, an answer out; an unknown
input gets the safe answer. This module is the one owner of "may this mode be set":
the mode service, the menu, REST, the settings rules (1.4 rule 7) all ask it.
"""

from smartevse.core.states import (  # noqa: F401  (C2_* re-exported for the core)
    C2_ALWAYS_OFF, C2_ALWAYS_ON, C2_AUTO, C2_NOT_PRESENT, C2_SOLAR_OFF, LOADBL_FIRST_NODE,
    METER_DISABLED, MODE_NORMAL, MODE_SMART, MODE_SOLAR, MODES_NO_SMART, MODES_NO_SOLAR,
    RFID_ENABLE_ALL, RFID_ENABLE_ONE, RFID_REMOTE, SWITCH_ACCESS_B, SWITCH_ACCESS_S,
)


def mode_enabled(modes_disabled, mode):
    """False when MODES hides this mode (charging.md 12 D8: bit 1 Smart, bit 2 Solar);
    the menu skips such a mode (settings-and-menu.md 1.1)."""
    if mode == MODE_SMART:
        return not modes_disabled & MODES_NO_SMART
    if mode == MODE_SOLAR:
        return not modes_disabled & MODES_NO_SOLAR
    return True


def mode_error(values, mode):
    """None when `mode` may be set now, else why not (4.1; D8 ModesDisabled)."""
    if mode != MODE_NORMAL and mode != MODE_SMART and mode != MODE_SOLAR:
        return "mode must be 0 (Normal), 1 (Smart) or 2 (Solar), got {}".format(mode)
    if not mode_enabled(values["modes_disabled"], mode):
        return "mode {} is disabled by MODES (modes_disabled)".format(mode)
    if (mode != MODE_NORMAL and values["loadbl"] < LOADBL_FIRST_NODE
            and values["mains_meter_type"] == METER_DISABLED):
        return "Smart and Solar need a mains meter (MAINS MET)"
    return None


def single_phase_forced(values, phases):
    """True when contactor 2 must stay open (6.1); `phases` is the present count."""
    c2 = values["enable_C2"]
    if c2 == C2_ALWAYS_OFF:
        return True
    if c2 == C2_SOLAR_OFF:
        return values["mode"] == MODE_SOLAR
    if c2 == C2_AUTO:
        return phases == 1 and values["loadbl"] < LOADBL_FIRST_NODE
    return False


def single_phase_forced_by_installer(values):
    """CONTACT 2 Always Off, or Solar Off in Solar: contactor 2 may not close (6.2a)."""
    c2 = values["enable_C2"]
    return c2 == C2_ALWAYS_OFF or (c2 == C2_SOLAR_OFF and values["mode"] == MODE_SOLAR)


def authorisation_source(values):
    """RFID EnableAll/EnableOne/Rmt-OCPP or SWITCH Access B/S configured (12 D1): then
    access is cleared at every session end."""
    reader = values["rfid_reader"]
    switch = values["switch"]
    return (reader == RFID_ENABLE_ALL or reader == RFID_ENABLE_ONE or reader == RFID_REMOTE
            or switch == SWITCH_ACCESS_B or switch == SWITCH_ACCESS_S)
