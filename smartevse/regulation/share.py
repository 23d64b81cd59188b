"""Decides each charging EVSE's share of the setpoint (charging.md 4.6 step 6).

`distribute` gives equal shares capped by each BalancedMax (two passes; Solar's first
40 s at MIN, 4.7 a) and `smooth` limits each EVSE's change to 3 A per periodic cycle
(except a cut the guard rails need, decision R1 in docs/architecture.md).
Functions over the `Regulation` record (regulation/balance.py); the master's priority
scheduling (5.3) plugs in beside them with the power-share issue. Integers only; C
division (`cdiv`, charging.md 0).
"""

from micropython import const

from smartevse.core.states import MODE_SOLAR, NR_EVSES, STATE_C

_MAX_DELTA_DA = const(30)          # per-EVSE change per regulation cycle (4.6 6)
_SOLAR_START_S = const(40)         # Solar: MIN for the first 40 s of a session (4.7 a)


def cdiv(a, b):
    """a / b truncated toward zero, as in C (charging.md 0)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def distribute(reg, v, mode, active, active_max, total):
    """Equal shares capped by each BalancedMax (4.6 step 6 distribution, two passes)."""
    if reg.iset_balanced_da > active_max:
        reg.iset_balanced_da = active_max
    remaining = reg.iset_balanced_da
    states = reg.node_state
    balanced = reg.node_balanced_da
    caps = reg.node_max_da
    fixed = reg.alloc_fixed
    for n in range(NR_EVSES):
        fixed[n] = 0
    count = active
    n = 0
    while n < NR_EVSES and count:
        if states[n] == STATE_C and not fixed[n]:
            share = -1
            if mode == MODE_SOLAR and reg.node_int_timer_s[n] < _SOLAR_START_S:
                share = v["current_min"] * 10
                reg.iset_balanced_da = total
            elif cdiv(remaining, count) >= caps[n]:
                share = caps[n]
            if share >= 0:
                balanced[n] = share
                fixed[n] = 1
                count -= 1
                remaining -= share
                n = 0
                continue
        n += 1
    for n in range(NR_EVSES):
        if count and states[n] == STATE_C and not fixed[n]:
            balanced[n] = cdiv(remaining, count)
            fixed[n] = 1
            remaining -= balanced[n]
            count -= 1


def smooth(reg, mod):
    """Limit each charging EVSE's change to 3 A per periodic cycle (4.6 step 6, fork head);
    a cut the guard rails need is never held back (decision R1)."""
    balanced = reg.node_balanced_da
    prev = reg.node_prev_da
    # R1: what the 3 A steps down would keep above reg.limit_da is cut at once, from the
    # EVSEs in index order, never below their own target.
    excess = -reg.limit_da
    for n in range(NR_EVSES):
        if reg.node_state[n] == STATE_C:
            excess += _smoothed(balanced[n], prev[n], mod)
    for n in range(NR_EVSES):
        if reg.node_state[n] == STATE_C:
            target = balanced[n]
            value = _smoothed(target, prev[n], mod)
            if excess > 0 and value > target:
                cut = value - target if value - target < excess else excess
                value -= cut
                excess -= cut
            balanced[n] = value
        prev[n] = balanced[n]


def _smoothed(target, prev, mod):
    # A target of 0 (ceiling 0, paused) is not smoothed: it stops the EVSE (12 D5).
    if mod == 0 and prev != 0 and target != 0:
        if target > prev + _MAX_DELTA_DA:
            return prev + _MAX_DELTA_DA
        if target < prev - _MAX_DELTA_DA:
            return prev - _MAX_DELTA_DA if prev > _MAX_DELTA_DA else 0
    return target
