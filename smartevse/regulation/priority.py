# Who charges when a master cannot give every charging EVSE MIN (charging.md 5.3, 12 D5,
# D10): priority order, MIN in turn, the surplus shared, rotation. `schedule` runs in a
# shortage cycle with Active > 1, `tick_1s` is the master's rotation step (2.5-15).
# Decision: the walk gives MIN to the EVSEs already ACTIVE first, then to the others in
# priority order, so a rotation's hand-over holds (the fork re-walks pure priority order
# each cycle, which undoes a rotation at the next shortage).
# Decision: a PAUSED EVSE stays PAUSED while its EV is plugged in (not A), though it leaves
# C as 5.2 and D5 say; the fork makes every not-C entry INACTIVE, so a paused EVSE was
# forgotten within a cycle and rotation never handed over. The EVSE given the turn
# (ACTIVE, not in C) has its LESS_6A cleared and starts again (nodes.py, core/evse.py).
# Decision: after a pause no other pause for 5 s (IEC 61851-1 gives an EV 5 s to follow
# a new offer): a mains reading taken before the EVs followed still shows the paused
# EVSE's draw, and pausing on it paused one EVSE after another.
"""Priority scheduling and rotation (charging.md 5.3)."""

from micropython import const

INACTIVE = const(0)
ACTIVE = const(1)
PAUSED = const(2)
NO_SUN = const(0x100)            # BalancedError bit in Solar (charging.md 0)
_EV_FLOWING_DA = const(10)       # 1.0 A on the EV meter: an idle EVSE still draws
_PAUSE_SETTLE_S = const(5)       # no second pause before the EVs followed the first
_STATE_A = const(0)              # core/states.py, private here: folded, no global
_STATE_C = const(2)
_STATE_C1 = const(10)
_LESS_6A = const(0x01)
_MODE_SOLAR = const(2)
_NR_EVSES = const(8)


def sort(reg, v):
    """reg.priority = the indices in priority order (insertion sort)."""
    # `a` goes before `b`: charging first, then PrioStrategy (0 index, 1 first connected,
    # 2 last connected), then the index.
    order = reg.priority
    state = reg.node_state
    since = reg.node_connected_s
    strategy = v["prio_strategy"]
    for i in range(_NR_EVSES):
        order[i] = i
    for i in range(1, _NR_EVSES):
        a = order[i]
        j = i - 1
        while j >= 0:
            b = order[j]
            a_c = state[a] == _STATE_C
            ta = since[a]
            tb = since[b]
            if a_c != (state[b] == _STATE_C):
                first = a_c
            elif strategy == 1 and ta != tb:
                first = tb == 0 or (ta != 0 and ta < tb)
            elif strategy == 2 and ta != tb:
                first = ta > tb
            else:
                first = a < b
            if not first:
                break
            order[j + 1] = b
            j -= 1
        order[j + 1] = a


def schedule(reg, v, mode, available):
    """MIN in turn, the surplus shared; returns how many EVSEs got current."""
    # ACTIVE ones first; the rest 0 and PAUSED (LESS_6A, Solar NO_SUN); surplus in equal
    # shares up to each BalancedMax.
    sort(reg, v)
    min_da = v["current_min"] * 10
    flag = NO_SUN if mode == _MODE_SOLAR else _LESS_6A
    sched = reg.node_sched
    balanced = reg.node_balanced_da
    given = reg.alloc_fixed
    for n in range(_NR_EVSES):
        given[n] = 0
    count = 0
    hold = reg.pause_hold_s > 0      # readings may still show the last pause's draw
    for want in (ACTIVE, INACTIVE, PAUSED):
        for i in range(_NR_EVSES):
            n = reg.priority[i]
            if reg.node_state[n] != _STATE_C or given[n] or (sched[n] != want and want != PAUSED):
                continue
            given[n] = 1
            if available >= min_da or (hold and sched[n] == ACTIVE):
                balanced[n] = min_da
                sched[n] = ACTIVE
                reg.node_error[n] &= ~(_LESS_6A | NO_SUN)
                available -= min_da
                count += 1
            else:
                if sched[n] != PAUSED:
                    reg.pause_hold_s = _PAUSE_SETTLE_S
                balanced[n] = 0
                sched[n] = PAUSED
                reg.node_error[n] |= flag
    while available > 0:
        uncapped = 0
        for n in range(_NR_EVSES):
            if sched[n] == ACTIVE and reg.node_state[n] == _STATE_C and balanced[n] < reg.node_max_da[n]:
                uncapped += 1
        if not uncapped:
            break
        share = available // uncapped or 1
        for n in range(_NR_EVSES):
            room = reg.node_max_da[n] - balanced[n]
            if sched[n] == ACTIVE and reg.node_state[n] == _STATE_C and room > 0 and available > 0:
                add = min(share, room, available)
                balanced[n] += add
                available -= add
    return count


def all_active(reg):
    """No shortage: every charging EVSE ACTIVE, its LESS_6A/NO_SUN cleared."""
    # Its idle timer restarts only when no EVSE waits PAUSED: the ones charging fit, the
    # one waiting does not, and its turn comes through the idle and rotation timers.
    waiting = False                  # no `in` on a bytearray in MicroPython
    for n in range(_NR_EVSES):
        if reg.node_sched[n] == PAUSED:
            waiting = True
    for n in range(_NR_EVSES):
        if reg.node_state[n] == _STATE_C:
            reg.node_sched[n] = ACTIVE
            reg.node_error[n] &= ~(_LESS_6A | NO_SUN)
            if not waiting:
                reg.node_idle_s[n] = 0


def _hand_over(reg, v, paused_n, after):
    # Pause `paused_n`; activate the next PAUSED EVSE in priority order after `after` (wrapping).
    reg.node_sched[paused_n] = PAUSED
    reg.node_balanced_da[paused_n] = 0
    if reg.node_state[paused_n] == _STATE_C:
        reg.node_state[paused_n] = _STATE_C1     # leaving C (5.2, D5); nodes.py keeps it so
    reg.node_error[paused_n] |= NO_SUN if v["mode"] == _MODE_SOLAR else _LESS_6A
    sort(reg, v)
    start = 0
    for i in range(_NR_EVSES):
        if reg.priority[i] == after:
            start = i + 1
    for k in range(_NR_EVSES):
        n = reg.priority[(start + k) % _NR_EVSES]
        if n != paused_n and reg.node_sched[n] == PAUSED:    # waiting, in C or not
            reg.node_sched[n] = ACTIVE
            reg.node_error[n] &= ~(_LESS_6A | NO_SUN)
            reg.node_idle_s[n] = 0
            reg.rotation_timer_s = v["rotation_interval"] * 60
            reg.turn = n             # its LESS_6A and charge delay go (core/evse.py)
            return


def tick_1s(reg, v):
    """The master's rotation step (5.3, 2.5-15); one hand-over per second at most."""
    reg.uptime_s += 1
    if reg.turn >= 0 and (reg.node_sched[reg.turn] != ACTIVE or reg.node_state[reg.turn] == _STATE_C):
        reg.turn = -1                # started, or the turn went on
    if reg.pause_hold_s > 0:
        reg.pause_hold_s -= 1
    paused = 0
    active = -1
    sched = reg.node_sched
    idle = reg.node_idle_s
    for n in range(_NR_EVSES):
        state = reg.node_state[n]
        if state == _STATE_C:
            if reg.node_connected_s[n] == 0:
                reg.node_connected_s[n] = reg.uptime_s
        elif state == _STATE_A or sched[n] == INACTIVE:
            reg.node_connected_s[n] = 0
            sched[n] = INACTIVE
        if sched[n] == PAUSED:
            paused += 1
        elif sched[n] == ACTIVE and (active < 0 or idle[n] > idle[active]):
            active = n           # Decision: rotation pauses the longest ACTIVE (the fork: the last)
    if not paused or active < 0:
        return
    for n in range(_NR_EVSES):
        if sched[n] != ACTIVE:
            continue
        idle[n] += 1
        if idle[n] >= v["idle_timeout"]:
            # The idle rule's "EV meter >= 1.0 A" (5.3). Decision: the master's EV meter
            # speaks for the master only (the fork tests it for every EVSE); a node, whose
            # EV meter the master does not read (modbus.md 4.5), or a master without one,
            # draws while it is in C.
            drawing = reg.node_state[n] == _STATE_C
            if n == 0 and v["ev_meter_type"]:
                irms = reg.ev_irms_da
                drawing = max(irms[0], irms[1], irms[2]) >= _EV_FLOWING_DA
            if reg.node_balanced_da[n] > 0 and drawing:
                if v["rotation_interval"] and reg.rotation_timer_s == 0:
                    reg.rotation_timer_s = v["rotation_interval"] * 60
            else:
                _hand_over(reg, v, n, n)
                return
    if v["rotation_interval"] and reg.rotation_timer_s > 0:
        reg.rotation_timer_s -= 1
        if reg.rotation_timer_s == 0:
            _hand_over(reg, v, active, active)

