"""Decides the phase count: contactor 2 and a pending 1P/3P switch (charging.md 6.1, 6.2,
2.3 C entry, 4.1).

Functions over the `Regulation` record (`phases`, `phase_request`) and the settings values
`v`. A switch is only requested here; it takes effect on the next C entry, after both
contactors opened in B1 (6.4), so the core never switches contactor 2 under load.
"""

from smartevse.core import policy
from smartevse.core.states import MODE_SMART, MODE_SOLAR


def single_phase_forced(reg, v):
    """True when contactor 2 must stay open (6.1)."""
    return policy.single_phase_forced(v, reg.phases)


def check_phases(reg, v, in_a):
    """Re-evaluate the phase count on B entry, set_mode and a CONTACT 2 change (6.2):
    in A the count changes at once, otherwise a switch is requested."""
    if reg.phases_held:
        return                      # an outside request holds for the session (6.2a)
    mode = v["mode"]
    if v["enable_C2"] == policy.C2_AUTO and mode == MODE_SOLAR and reg.phase_request:
        return                      # Solar's own switch (4.7 b, c) waits for the C entry (6.4)
    if v["enable_C2"] != policy.C2_AUTO or mode == MODE_SOLAR:
        target = 1 if single_phase_forced(reg, v) else 3
        if reg.phases == target:
            reg.phase_request = 0
        elif in_a:
            reg.phases = target
        else:
            reg.phase_request = target
    elif mode == MODE_SMART:
        reg.phase_request = 3 if reg.phases != 3 else 0


def enter_c(reg, v):
    """C entry (2.3): apply a pending switch, choose the phases (6.1), reset the stop
    timers. Returns True when contactor 2 closes."""
    if reg.phase_request:
        reg.phases = reg.phase_request
        reg.node_int_timer_s[0] = 0
    three = not single_phase_forced(reg, v) and reg.phases_held != 1   # 6.2a: 1P for the session
    reg.phases = 3 if three else 1
    reg.max_sum_mains_timer_s = 0
    reg.solar_stop_timer_s = 0
    reg.phase_request = 0
    return three


def mode_resequences(reg, v, old, mode):
    """True when a mode change must take the contactors through C1/B1 (4.1): CONTACT 2
    Solar Off entering or leaving Solar, or Auto leaving Solar on one phase."""
    if old == mode:
        return False
    c2 = v["enable_C2"]
    if c2 == policy.C2_SOLAR_OFF:
        return old == MODE_SOLAR or mode == MODE_SOLAR
    return c2 == policy.C2_AUTO and old == MODE_SOLAR and reg.phases == 1
