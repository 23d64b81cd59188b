# Solar's stop and automatic 1P/3P switches (charging.md 4.7 b, c; 6.3), called by the
# allocation's shortage and no-shortage branches (4.6 step 6). A switch is a request plus a
# stop (C -> C1); the contactors re-sequence through B1 and the new phase count applies at
# the next C entry (6.4), never under load.
# The home battery's charging counts as Solar surplus (charging.md 4.2): the value (dA,
# + = charging) arrives over REST/MQTT; it applies only in Solar, only while <= 60 s old.
# Here, not a module of its own: a module's own objects and names cost ~0.3 KB of heap.
"""Solar stop timer, phase switches, home battery (charging.md 4.7 b, c; 4.2)."""

from micropython import const

from smartevse.regulation.share import cdiv

_SWITCH_SEVERE_S = const(30)    # 3P -> 1P when the deficit reaches MIN (4.7 b)
_SWITCH_UP_S = const(63)        # 1P -> 3P after spare export (4.7 c)
_HOLD_DOWN_S = const(300)       # no 1P -> 3P within 300 s of a 3P -> 1P
_SOLAR_START_S = const(40)      # IntTimer before the stop timer may be armed (4.7 a)
_STATE_C = const(2)             # core/states.py, private here: folded, no global
_C2_AUTO = const(4)
_C2_ALWAYS_OFF = const(1)
_MODE_SOLAR = const(2)
_BATTERY_MAX_AGE_S = const(60)
_BATTERY_LIMIT_DA = const(10000)    # +/- 1000 A: anything beyond is not a battery reading


def shortage(reg, v, active):
    """4.7 b: arm the 3P -> 1P or stop timer; True: switch to 1P now."""
    imp = reg.isum_import_da
    irms = reg.mains_irms_da
    isum = irms[0] + irms[1] + irms[2]
    min_a = v["current_min"]
    # Automatic switching needs CONTACT 2 Auto and no outside request holding (6.2a).
    auto = v["enable_C2"] == _C2_AUTO and not reg.phases_held
    if not (active > 0 and imp > 0 and
            (isum > (min_a * reg.phases - v["solar_start_current"]) * 10 or (reg.phases > 1 and auto))):
        reg.phase_switch_timer_s = 0
        return False
    if reg.phases > 1 and auto and reg.node_state[0] == _STATE_C:
        if reg.phase_switch_timer_s == 0:
            timer = _SWITCH_SEVERE_S if imp >= 10 * min_a else v["solar_stop_time"] * 60
            reg.phase_switch_timer_s = timer if timer else _SWITCH_SEVERE_S
        elif reg.phase_switch_timer_s <= 2:
            reg.phase_request = 1
            reg.phase_switch_timer_s = 0
            reg.phase_hold_down_s = _HOLD_DOWN_S
            return True
        return False
    if reg.solar_stop_timer_s == 0 and reg.node_int_timer_s[0] >= _SOLAR_START_S:
        reg.solar_stop_timer_s = v["solar_stop_time"] * 60   # STOP 0: never armed
    return False


def wants_three(reg, v, iset):
    """4.7 c: 1P at (nearly) MAX, Auto, no hold-down, in C."""
    return (reg.phases == 1 and v["enable_C2"] == _C2_AUTO and not reg.phases_held
            and reg.phase_hold_down_s == 0
            and iset + 8 >= v["current_max"] * 10 and reg.node_state[0] == _STATE_C)


def spare_export(reg, v):
    """4.7 c: the 1P -> 3P timer; True: switch to 3P now."""
    spare = 3 * (v["current_min"] + 1) - v["current_max"]
    if spare < 0:
        spare = 3
    irms = reg.mains_irms_da
    if -(irms[0] + irms[1] + irms[2]) > 10 * spare:
        if reg.phase_switch_timer_s == 0:
            reg.phase_switch_timer_s = _SWITCH_UP_S
        elif reg.phase_switch_timer_s <= 3:
            reg.phase_request = 3
            reg.phase_switch_timer_s = 0
            return True
        return False
    reg.phase_switch_timer_s = 0
    return False


def battery_update(reg, current_da):
    """A new home-battery current (dA); ValueError for an absurd value."""
    if not -_BATTERY_LIMIT_DA <= current_da <= _BATTERY_LIMIT_DA:
        raise ValueError("home battery current out of range")
    reg.battery_da = current_da
    reg.battery_age_s = 0


def battery_correct(reg, v):
    """On a new mains reading: the battery's current off the phases (CalcIsum)."""
    # A third on each phase; all on L1 with CONTACT 2 Always Off.
    if reg.battery_age_s > _BATTERY_MAX_AGE_S:
        reg.battery_da = 0
    battery = reg.battery_da
    if v["mode"] != _MODE_SOLAR or battery == 0:
        return
    irms = reg.mains_irms_da
    if v["enable_C2"] == _C2_ALWAYS_OFF:
        irms[0] -= battery
    else:
        third = cdiv(battery, 3)
        irms[0] -= third
        irms[1] -= third
        irms[2] -= third
