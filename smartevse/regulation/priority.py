# Who charges when a master cannot give every charging EVSE MIN (charging.md 5.3, 12 D5,
# D10): priority order, MIN in turn, the surplus shared, rotation. `schedule` runs in a
# shortage cycle with Active > 1, `tick_1s` is the master's rotation step (2.5-15).
# Decision: the walk gives MIN to the EVSEs already ACTIVE first, then to the others in
# priority order, so a rotation's hand-over holds (the fork re-walks pure priority order
# each cycle, which undoes a rotation at the next shortage).
"""Priority scheduling and rotation (charging.md 5.3)."""

from micropython import const

from smartevse.core.states import LESS_6A, MODE_SOLAR, NR_EVSES, STATE_C

INACTIVE = const(0)
ACTIVE = const(1)
PAUSED = const(2)
NO_SUN = const(0x100)            # BalancedError bit in Solar (charging.md 0)
_EV_FLOWING_DA = const(10)       # 1.0 A on the EV meter: an idle EVSE still draws


def _before(reg, v, a, b):
    # True when a goes before b: charging first, then PrioStrategy (0 index, 1 first, 2 last connected).
    a_c = reg.node_state[a] == STATE_C
    if a_c != (reg.node_state[b] == STATE_C):
        return a_c
    strategy = v["prio_strategy"]
    ta = reg.node_connected_s[a]
    tb = reg.node_connected_s[b]
    if strategy == 1 and ta != tb:
        return tb == 0 or (ta != 0 and ta < tb)
    if strategy == 2 and ta != tb:
        return ta > tb
    return a < b


def sort(reg, v):
    """reg.priority = the indices in priority order (insertion sort)."""
    order = reg.priority
    for i in range(NR_EVSES):
        order[i] = i
    for i in range(1, NR_EVSES):
        key = order[i]
        j = i - 1
        while j >= 0 and _before(reg, v, key, order[j]):
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = key


def schedule(reg, v, mode, available):
    """MIN in turn, the surplus shared; returns how many EVSEs got current."""
    # ACTIVE ones first; the rest 0 and PAUSED (LESS_6A, Solar NO_SUN); surplus in equal
    # shares up to each BalancedMax.
    sort(reg, v)
    min_da = v["current_min"] * 10
    flag = NO_SUN if mode == MODE_SOLAR else LESS_6A
    sched = reg.node_sched
    balanced = reg.node_balanced_da
    given = reg.alloc_fixed
    for n in range(NR_EVSES):
        given[n] = 0
    count = 0
    for want in (ACTIVE, INACTIVE, PAUSED):
        for i in range(NR_EVSES):
            n = reg.priority[i]
            if reg.node_state[n] != STATE_C or given[n] or (sched[n] != want and want != PAUSED):
                continue
            given[n] = 1
            if available >= min_da:
                balanced[n] = min_da
                sched[n] = ACTIVE
                reg.node_error[n] &= ~(LESS_6A | NO_SUN)
                available -= min_da
                count += 1
            else:
                balanced[n] = 0
                sched[n] = PAUSED
                reg.node_error[n] |= flag
    while available > 0:
        uncapped = 0
        for n in range(NR_EVSES):
            if sched[n] == ACTIVE and reg.node_state[n] == STATE_C and balanced[n] < reg.node_max_da[n]:
                uncapped += 1
        if not uncapped:
            break
        share = available // uncapped or 1
        for n in range(NR_EVSES):
            room = reg.node_max_da[n] - balanced[n]
            if sched[n] == ACTIVE and reg.node_state[n] == STATE_C and room > 0 and available > 0:
                add = min(share, room, available)
                balanced[n] += add
                available -= add
    return count


def all_active(reg):
    """No shortage: every charging EVSE ACTIVE, its LESS_6A/NO_SUN cleared."""
    for n in range(NR_EVSES):
        if reg.node_state[n] == STATE_C:
            reg.node_sched[n] = ACTIVE
            reg.node_error[n] &= ~(LESS_6A | NO_SUN)
            reg.node_idle_s[n] = 0


def _hand_over(reg, v, paused_n, after):
    # Pause `paused_n`; activate the next PAUSED EVSE in priority order after `after` (wrapping).
    reg.node_sched[paused_n] = PAUSED
    reg.node_balanced_da[paused_n] = 0
    sort(reg, v)
    start = 0
    for i in range(NR_EVSES):
        if reg.priority[i] == after:
            start = i + 1
    for k in range(NR_EVSES):
        n = reg.priority[(start + k) % NR_EVSES]
        if n != paused_n and reg.node_state[n] == STATE_C and reg.node_sched[n] == PAUSED:
            reg.node_sched[n] = ACTIVE
            reg.node_idle_s[n] = 0
            reg.rotation_timer_s = v["rotation_interval"] * 60
            return


def tick_1s(reg, v):
    """The master's rotation step (5.3, 2.5-15); one hand-over per second at most."""
    reg.uptime_s += 1
    paused = 0
    active = -1
    for n in range(NR_EVSES):
        if reg.node_state[n] == STATE_C:
            if reg.node_connected_s[n] == 0:
                reg.node_connected_s[n] = reg.uptime_s
        else:
            reg.node_connected_s[n] = 0
            reg.node_sched[n] = INACTIVE
        if reg.node_sched[n] == PAUSED:
            paused += 1
        elif reg.node_sched[n] == ACTIVE:
            active = n
    if not paused or active < 0:
        return
    irms = reg.ev_irms_da
    flowing = max(irms[0], irms[1], irms[2]) >= _EV_FLOWING_DA   # the master's meter (fork)
    for n in range(NR_EVSES):
        if reg.node_sched[n] != ACTIVE:
            continue
        reg.node_idle_s[n] += 1
        if reg.node_idle_s[n] >= v["idle_timeout"]:
            if reg.node_balanced_da[n] > 0 and flowing:
                if v["rotation_interval"] and reg.rotation_timer_s == 0:
                    reg.rotation_timer_s = v["rotation_interval"] * 60
            else:
                _hand_over(reg, v, n, n)
                return
    if v["rotation_interval"] and reg.rotation_timer_s > 0:
        reg.rotation_timer_s -= 1
        if reg.rotation_timer_s == 0:
            _hand_over(reg, v, active, active)
