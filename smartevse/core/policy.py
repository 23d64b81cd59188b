"""Small policies of the core as pure functions over the settings values
(charging.md 4.1 set_mode refusals, 6.1 forced single phase, 12 D1 authorisation).

In the spirit of the fork's mode_policy.c: plain values in, an answer out; an unknown
input gets the safe answer.
"""

from micropython import const

from smartevse.core.states import MODE_NORMAL, MODE_SMART, MODE_SOLAR

C2_NOT_PRESENT = const(0)
C2_ALWAYS_OFF = const(1)
C2_SOLAR_OFF = const(2)
C2_ALWAYS_ON = const(3)
C2_AUTO = const(4)


def mode_error(values, mode):
    """None when `mode` may be set now, else why not (4.1; D8 ModesDisabled)."""
    if mode != MODE_NORMAL and mode != MODE_SMART and mode != MODE_SOLAR:
        return "mode must be 0 (Normal), 1 (Smart) or 2 (Solar), got {}".format(mode)
    if mode != MODE_NORMAL and values["modes_disabled"] & (1 << mode):
        return "mode {} is disabled by MODES (modes_disabled)".format(mode)
    if mode != MODE_NORMAL and values["loadbl"] < 2 and values["mains_meter_type"] == 0:
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
        return phases == 1 and values["loadbl"] < 2
    return False


def authorisation_source(values):
    """RFID EnableAll/EnableOne/Rmt-OCPP or SWITCH Access B/S configured (12 D1): then
    access is cleared at every session end."""
    reader = values["rfid_reader"]
    switch = values["switch"]
    return reader == 1 or reader == 2 or reader == 6 or switch == 1 or switch == 2
