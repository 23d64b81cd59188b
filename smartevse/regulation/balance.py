"""How much current this controller may offer, and how it is shared (charging.md 4.4-4.6).

Pure functions over the Evse context (its attributes and `settings.values`): the ceiling
of this EVSE (`charge_current`, 4.4 with the D13 ceilings), whether one more EVSE may start
(`is_current_available`, 4.5) and one allocation step (`allocate`, 4.6) with the shortage
bookkeeping and the equal-share distribution over the eight Balanced[] entries.

Normal mode is complete here. The Smart/Solar setpoint (4.6 3a-3h, 5 EMA, 7 ramp/settling,
4.7 solar timers) and priority scheduling (5.3) come with later issues: `setpoint_da` and
the marked seams below are where they plug in. Integers only; C division where a value
can be negative (`cdiv`, charging.md 0).
"""

from micropython import const

from smartevse.core.states import LESS_6A, MODE_NORMAL, MODE_SOLAR, NR_EVSES, STATE_C


_NO_CURRENT_THRESHOLD = const(10)  # shortage cycles before LESS_6A (3.2, fork)
_MAX_DELTA_DA = const(30)          # per-EVSE change per regulation cycle (4.6 6)
_SOLAR_START_S = const(40)         # Solar: MIN for the first 40 s of a session (4.7 a)
_SOLAR_MIN_RUN_S = const(60)       # Solar: no LESS_6A from NoCurrent in the first 60 s
_GRID_RELAY_DA = const(180)        # 18 A summed over the phases (4.8, §14a EnWG)


def cdiv(a, b):
    """a / b truncated toward zero, as in C (charging.md 0)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _max3(values):
    a = values[0]
    if values[1] > a:
        a = values[1]
    if values[2] > a:
        a = values[2]
    return a


def _circuit_applies(values, mode):
    """CIRCUIT limits the EVSEs' sum: master, or standalone with an EV meter outside Normal."""
    loadbl = values["loadbl"]
    return loadbl == 1 or (loadbl == 0 and values["ev_meter_type"] != 0 and mode != MODE_NORMAL)


def charge_current(evse):
    """This EVSE's ceiling in dA (4.4): MAX, cable cap in C, OCPP limit, override (D13)."""
    v = evse.settings.values
    max_a = v["current_max"]
    if evse.node_state[0] == STATE_C and v["config"] == 0 and max_a > evse.max_capacity_a:
        current = evse.max_capacity_a * 10
    else:
        current = max_a * 10
    limit = evse.ocpp_limit_da
    if v.get("ocpp_mode", 0) and v["loadbl"] == 0 and limit >= 0:
        if limit < v["current_min"] * 10:
            current = 0
        elif limit < current:
            current = limit
    override = evse.override_current_da
    # D13: the override is one more ceiling (the fork replaces ChargeCurrent with it).
    if override and override < current:
        current = override
    return current


def is_current_available(evse):
    """True when one more EVSE may start at MIN (4.5, rules 1-6)."""
    v = evse.settings.values
    mode = v["mode"]
    min_da = v["current_min"] * 10
    states = evse.node_state
    balanced = evse.node_balanced_da
    active = 0
    total = 0
    for n in range(NR_EVSES):
        if states[n] == STATE_C:
            active += 1
            total += balanced[n]
    irms = evse.mains_irms_da
    isum = irms[0] + irms[1] + irms[2]
    if mode == MODE_SOLAR:
        if active == 0 and isum >= -v["solar_start_current"] * 10:
            return False
        if active * min_da > total:
            return False
        if active > 0 and isum > v["solar_max_import"] * 10 + total - active * min_da:
            return False
    if active < NR_EVSES:
        active += 1
    baseload = _max3(irms) - total
    baseload_ev = _max3(evse.ev_irms_da) - total
    if baseload_ev < 0:
        baseload_ev = 0
    if mode != MODE_NORMAL and active * min_da + baseload > v["current_main"] * 10:
        return False
    if _circuit_applies(v, mode) and active * min_da + baseload_ev > v["current_max_circuit"] * 10:
        return False
    capacity = v["current_max_sum_mains"]
    if mode != MODE_NORMAL and capacity > 0:
        phases = 1
        if v["loadbl"] == 0 and not evse.single_phase_forced():
            phases = 3
        if phases * active * min_da + isum > capacity * 10:
            return False
    limit = evse.ocpp_limit_da
    if v.get("ocpp_mode", 0) and v["loadbl"] == 0 and 0 <= limit < min_da:
        return False
    return True


def setpoint_da(evse, mod, mode, baseload_ev):
    """IsetBalanced before the guard rails (4.6 step 3)."""
    v = evse.settings.values
    if mode == MODE_NORMAL:
        if evse.phases != 3:
            evse.phase_request = 3   # applied at the next C entry (6.2)
        if v["loadbl"] == 1:
            return v["current_max_circuit"] * 10 - baseload_ev
        return evse.charge_current_da
    # Seam for the Smart/Solar issue: 4.6 3a-3h (Idifference, CAPACITY excess, filter,
    # solar fine steps, mod = 1 join) replace this. Until then Smart and Solar offer the
    # ceiling, still limited by the MAINS/CIRCUIT/grid-relay guard rails of step 4.
    evse.limited_by_max_sum_mains = False
    return evse.charge_current_da


def allocate(evse, mod):
    """One allocation (4.6): mod 0 = periodic cycle, mod 1 = an EVSE is about to enter C."""
    v = evse.settings.values
    mode = v["mode"]
    current = charge_current(evse)
    evse.charge_current_da = current
    evse.node_max_da[0] = current
    states = evse.node_state
    active = 0
    active_max = 0
    total = 0
    for n in range(NR_EVSES):
        if states[n] == STATE_C:
            active += 1
            active_max += evse.node_max_da[n]
            total += evse.node_balanced_da[n]
    baseload = _max3(evse.mains_irms_da) - total
    baseload_ev = _max3(evse.ev_irms_da) - total
    if baseload_ev < 0:
        baseload_ev = 0
    iset = setpoint_da(evse, mod, mode, baseload_ev)
    # Step 4, guard rails.
    if v["mains_meter_type"] != 0 and mode != MODE_NORMAL:
        iset = min(iset, v["current_main"] * 10 - baseload)
    if _circuit_applies(v, mode):
        iset = min(iset, v["current_max_circuit"] * 10 - baseload_ev)
    if evse.grid_relay_open:
        iset = min(iset, _GRID_RELAY_DA // (1 if evse.single_phase_forced() else 3))
    # Seam: capacity-tariff / circuit-meter rails and the EMA (step 5) come with Smart/Solar.
    evse.iset_balanced_da = iset
    if active and (evse.mains_fresh or mode == MODE_NORMAL):
        _shortage_or_not(evse, v, mode, active, baseload, baseload_ev)
        _distribute(evse, mode, active, active_max, total)
        _smooth(evse, mod)
    if not active:   # step 8
        evse.max_sum_mains_timer_s = 0
        evse.no_current = 0
        evse.solar_stop_timer_s = 0
        evse.phase_switch_timer_s = 0
    evse.mains_fresh = False


def _shortage_or_not(evse, v, mode, active, baseload, baseload_ev):
    """Step 6 bookkeeping: NoCurrent, LESS_6A after 10 hard-shortage cycles, timers."""
    min_total = active * v["current_min"] * 10
    if evse.iset_balanced_da < min_total:
        evse.iset_balanced_da = min_total
        iset = min_total
        # Seams: Solar stop / 3P->1P (4.7 b) and, for a master with Active > 1, priority
        # scheduling (5.3) come with the Solar and power-share issues.
        hard = False
        if v["mains_meter_type"] != 0 and mode != MODE_NORMAL and iset > v["current_main"] * 10 - baseload:
            hard = True
        if _circuit_applies(v, mode) and iset > v["current_max_circuit"] * 10 - baseload_ev:
            hard = True
        if v["max_sum_mains_time"] == 0 and evse.limited_by_max_sum_mains:
            hard = True
        if hard and evse.phase_request != 1:
            if evse.no_current < 255:
                evse.no_current += 1
        elif evse.limited_by_max_sum_mains and v["max_sum_mains_time"] and evse.max_sum_mains_timer_s == 0:
            evse.max_sum_mains_timer_s = v["max_sum_mains_time"] * 60
        # 3.2: only outside Normal (the fork head also counts a Normal-mode CIRCUIT shortage).
        if evse.no_current >= _NO_CURRENT_THRESHOLD and mode != MODE_NORMAL:
            if mode != MODE_SOLAR or evse.node_int_timer_s[0] >= _SOLAR_MIN_RUN_S:
                evse.error_flags |= LESS_6A
        return
    if v["loadbl"] == 1:
        for n in range(NR_EVSES):
            if evse.node_state[n] == STATE_C:
                evse.node_error[n] &= ~LESS_6A
    # Seam: the Solar 1P->3P rule (4.7 c) takes this branch when its conditions hold.
    evse.solar_stop_timer_s = 0
    evse.phase_switch_timer_s = 0
    evse.max_sum_mains_timer_s = 0
    if evse.no_current > 0:
        evse.no_current -= 1


def _distribute(evse, mode, active, active_max, total):
    """Equal shares capped by each BalancedMax (4.6 step 6 distribution, two passes)."""
    if evse.iset_balanced_da > active_max:
        evse.iset_balanced_da = active_max
    remaining = evse.iset_balanced_da
    states = evse.node_state
    balanced = evse.node_balanced_da
    caps = evse.node_max_da
    fixed = evse.alloc_fixed
    for n in range(NR_EVSES):
        fixed[n] = 0
    count = active
    n = 0
    while n < NR_EVSES and count:
        if states[n] == STATE_C and not fixed[n]:
            share = -1
            if mode == MODE_SOLAR and evse.node_int_timer_s[n] < _SOLAR_START_S:
                share = evse.settings.values["current_min"] * 10
                evse.iset_balanced_da = total
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


def _smooth(evse, mod):
    """Limit each charging EVSE's change to 3 A per periodic cycle (4.6 step 6, fork head)."""
    balanced = evse.node_balanced_da
    prev = evse.node_prev_da
    for n in range(NR_EVSES):
        # A target of 0 (ceiling 0, paused) is not smoothed: it stops the EVSE (12 D5).
        if mod == 0 and evse.node_state[n] == STATE_C and prev[n] != 0 and balanced[n] != 0:
            delta = balanced[n] - prev[n]
            if delta > _MAX_DELTA_DA:
                balanced[n] = prev[n] + _MAX_DELTA_DA
            elif delta < -_MAX_DELTA_DA:
                balanced[n] = prev[n] - _MAX_DELTA_DA if prev[n] > _MAX_DELTA_DA else 0
        prev[n] = balanced[n]
