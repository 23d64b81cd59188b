# Solar's stop and automatic 1P/3P switches (charging.md 4.7 b, c; 6.3), called by the
# allocation's shortage and no-shortage branches (4.6 step 6). A switch is a request plus a
# stop (C -> C1); the contactors re-sequence through B1 and the new phase count applies at
# the next C entry (6.4), never under load.
"""Solar stop timer and phase switches (charging.md 4.7 b, c)."""

from micropython import const

from smartevse.core import policy
from smartevse.core.states import STATE_C

SWITCH_SEVERE_S = const(30)     # 3P -> 1P when the deficit reaches MIN (4.7 b)
SWITCH_UP_S = const(63)         # 1P -> 3P after spare export (4.7 c)
HOLD_DOWN_S = const(300)        # no 1P -> 3P within 300 s of a 3P -> 1P
_SOLAR_START_S = const(40)      # IntTimer before the stop timer may be armed (4.7 a)


def _auto(reg, v):
    # Automatic switching needs CONTACT 2 Auto and no outside request holding (6.2a).
    return v["enable_C2"] == policy.C2_AUTO and not reg.phases_held


def shortage(reg, v, active):
    """4.7 b: arm the 3P -> 1P or stop timer; True: switch to 1P now."""
    imp = reg.isum_import_da
    irms = reg.mains_irms_da
    isum = irms[0] + irms[1] + irms[2]
    min_a = v["current_min"]
    auto = _auto(reg, v)
    if not (active > 0 and imp > 0 and
            (isum > (min_a * reg.phases - v["solar_start_current"]) * 10 or (reg.phases > 1 and auto))):
        reg.phase_switch_timer_s = 0
        return False
    if reg.phases > 1 and auto and reg.node_state[0] == STATE_C:
        if reg.phase_switch_timer_s == 0:
            timer = SWITCH_SEVERE_S if imp >= 10 * min_a else v["solar_stop_time"] * 60
            reg.phase_switch_timer_s = timer if timer else SWITCH_SEVERE_S
        elif reg.phase_switch_timer_s <= 2:
            reg.phase_request = 1
            reg.phase_switch_timer_s = 0
            reg.phase_hold_down_s = HOLD_DOWN_S
            return True
        return False
    if reg.solar_stop_timer_s == 0 and reg.node_int_timer_s[0] >= _SOLAR_START_S:
        reg.solar_stop_timer_s = v["solar_stop_time"] * 60   # STOP 0: never armed
    return False


def wants_three(reg, v, iset):
    """4.7 c: 1P at (nearly) MAX, Auto, no hold-down, in C."""
    return (reg.phases == 1 and _auto(reg, v) and reg.phase_hold_down_s == 0
            and iset + 8 >= v["current_max"] * 10 and reg.node_state[0] == STATE_C)


def spare_export(reg, v):
    """4.7 c: the 1P -> 3P timer; True: switch to 3P now."""
    spare = 3 * (v["current_min"] + 1) - v["current_max"]
    if spare < 0:
        spare = 3
    irms = reg.mains_irms_da
    if -(irms[0] + irms[1] + irms[2]) > 10 * spare:
        if reg.phase_switch_timer_s == 0:
            reg.phase_switch_timer_s = SWITCH_UP_S
        elif reg.phase_switch_timer_s <= 3:
            reg.phase_request = 3
            reg.phase_switch_timer_s = 0
            return True
        return False
    reg.phase_switch_timer_s = 0
    return False
