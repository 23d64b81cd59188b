"""Decides how much current this controller may offer and how it is shared (charging.md
4.4-4.8, 5).

`Regulation` is the one record of the regulation and power-sharing state (2.2): meter
readings and timeouts, the Balanced[] / BalancedMax[] / BalancedState[] / BalancedError[]
tables and node timers (index 0 = this controller), the setpoint and NoCurrent, the
ceilings set from outside (override, OCPP limit, grid relay), the phase count and the
regulation timers. The Evse holds one and asks it; only this package writes it (meters.py:
readings and timeouts, phases.py: the phase count). The functions operate on it with the
settings values `v`: this EVSE's ceiling (`charge_current`, 4.4, D13), whether one more
EVSE may start (`is_current_available`, 4.5) and one allocation (`allocate`, 4.6; each EVSE's share in share.py).

The Smart/Solar setpoint is setpoint.py (4.6 3a-3h, 5, 7), Solar's stop and phase
switches solar.py (4.7); priority scheduling (5.3) plugs in at the marked seam. `allocate`
returns ALLOC_* bits. Integers and preallocated lists only: the 10 ms path allocates nothing.
"""

from micropython import const

from smartevse.core.states import (CONFIG_SOCKET, LOADBL_MASTER, LOADBL_STANDALONE, METER_DISABLED,
                                   LESS_6A, MODE_NORMAL, MODE_SMART, MODE_SOLAR, NR_EVSES,
                                   STATE_A, STATE_C)
from smartevse.regulation import meters, priority, setpoint, share, solar
from smartevse.regulation.phases import single_phase_forced

ALLOC_LESS_6A = const(1)           # the shortage counter demands LESS_6A (3.2)
ALLOC_SWITCH = const(2)            # Solar switches phases: stop now, C -> C1 (4.7 b, c)
_SCHEDULE = const(4)               # master in shortage with Active > 1: priority scheduling (5.3)


_NO_CURRENT_THRESHOLD = const(10)  # shortage cycles before LESS_6A (3.2, fork)
_SOLAR_MIN_RUN_S = const(60)       # Solar: no LESS_6A from NoCurrent in the first 60 s
_GRID_RELAY_DA = const(180)        # 18 A summed over the phases (4.8, §14a EnWG)
NO_CAPACITY_DA = const(0x7FFF)     # no capacity tariff: no limit (4.8)
NO_LIMIT_DA = const(0x7FFF)        # no guard rail applies (4.6 step 4)
_EV_RESPONSE_S = const(5)          # an EV follows a new offer within 5 s (IEC 61851-1)


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
    return loadbl == LOADBL_MASTER or (loadbl == LOADBL_STANDALONE and values["ev_meter_type"] != METER_DISABLED and mode != MODE_NORMAL)


class Regulation:
    """The regulation and power-sharing state of one controller (index 0 = itself)."""

    def __init__(self):
        self.mains_irms_da = [0, 0, 0]     # mains phase currents, signed (4.2)
        self.ev_irms_da = [0, 0, 0]
        self.circuit_da = 0                # CircuitImeasured: the circuit meter's highest phase
        self.mains_fresh = True            # a new mains reading since the last allocation
        self.mains_timeout_s = meters.MAINS_TIMEOUT_S
        self.ev_timeout_s = meters.EV_TIMEOUT_S
        self.circuit_timeout_s = meters.MAINS_TIMEOUT_S   # the circuit meter's (3.5, 4.8)
        self.mains_age_s = 0               # s since the last mains reading (API staleness, 3.5)
        self.meter_timeouts = 0            # meters gone silent past their timeout (MQTT
        self.meter_recoveries = 0          # MeterTimeoutCount / MeterRecoveryCount), and
        self.api_stale_count = 0           # API feeds gone stale (ApiStaleCount, 2.3)
        self.charge_current_da = 0         # ChargeCurrent, this EVSE's ceiling (4.4)
        self.override_current_da = 0       # 0 = none (D13, D15)
        self.ocpp_limit_da = -1            # OCPP charging-profile limit, -1 = none (4.4)
        self.grid_relay_open = False       # SWITCH Grid Relay open: 4.8 limit
        self.capacity_da = NO_CAPACITY_DA  # capacity tariff headroom per phase (4.8, D7)
        self.iset_balanced_da = 0
        self.no_current = 0                # hard-shortage cycles (3.2)
        self.limited_by_max_sum_mains = False
        self.phases = 3
        self.phase_request = 0             # 0 none, 1 or 3: switch at the next C entry (6.2)
        self.phases_held = 0               # an outside request's count for the session (6.2a)
        self.phase_hold_down_s = 0         # no 1P -> 3P before it is 0 (4.7 c)
        self.idiff_prev_da = 0             # 4.6 3e filter state
        self.idiff_filtered_da = 0
        self.oscillation_count = 0
        self.isum_import_da = 0            # 4.6 3g, 0 while settling
        self.ema_da = 0                    # 4.6 5
        self.limit_da = NO_LIMIT_DA        # the guard rails' sum for the EVSEs in C (4.6 4, R1)
        self.pending_cut_da = 0            # R1: a cut the EVs may not have followed yet
        self.pending_cut_s = 0
        self.node_hist_da = None           # master: each EVSE's 2 previous shares (_followed)
        self.cut_mains_da = 0              # the highest mains phase when it was made
        self.ramp_prev_da = 0              # 4.6 7
        self.battery_da = 0                # home battery, + = charging (4.2)
        self.battery_age_s = 0
        self.solar_stop_timer_s = 0
        self.max_sum_mains_timer_s = 0
        self.phase_switch_timer_s = 0
        self.settling_timer_s = 0
        self.node_balanced_da = [0] * NR_EVSES
        self.node_max_da = [0] * NR_EVSES
        self.node_state = [STATE_A] * NR_EVSES
        self.node_error = [0] * NR_EVSES
        self.node_prev_da = [0] * NR_EVSES
        self.node_timer_s = [0] * NR_EVSES
        self.node_int_timer_s = [0] * NR_EVSES
        self.alloc_fixed = bytearray(NR_EVSES)
        self.node_sched = bytearray(NR_EVSES)      # priority.INACTIVE / ACTIVE / PAUSED (5.3)
        self.node_connected_s = [0] * NR_EVSES     # uptime at C entry, 0 = not in C
        self.node_idle_s = [0] * NR_EVSES
        self.priority = bytearray(NR_EVSES)
        self.rotation_timer_s = 0
        self.pause_hold_s = 0                      # no further pause while > 0 (priority.py)
        self.turn = -1                             # the EVSE a hand-over just made ACTIVE
        self.uptime_s = 0
        self.available_da = 0

    # --- inputs -------------------------------------------------------------------------
    def set_override(self, current_da):
        """Override current in dA, 0 = none: a ceiling (4.4 3, D13)."""
        self.override_current_da = current_da

    def set_ocpp_limit(self, limit_da):
        """OCPP charging-profile limit in dA, -1 = none (4.4 2, D13)."""
        self.ocpp_limit_da = limit_da

    def set_grid_relay(self, is_open):
        """SWITCH Grid Relay: an open relay caps the sum at 18 A (4.8)."""
        self.grid_relay_open = is_open

    def sync_solar_timer(self, seconds):
        """Node: the master's solar stop timer (2.10 step 5); it runs out here as there."""
        self.solar_stop_timer_s = seconds

    def set_capacity_headroom(self, v, headroom_da):
        """The capacity tariff's headroom in dA summed over the phases (None = off), kept
        per phase: divided by the phase count once (4.8, D7)."""
        if headroom_da is None:
            self.capacity_da = NO_CAPACITY_DA
        else:
            self.capacity_da = share.cdiv(headroom_da, 1 if single_phase_forced(self, v) else 3)

    def request_phases(self, phases):
        """An outside request (REST, 6.2a): switch at the next C entry (6.4); it holds for
        the session, automatic choices do not undo it."""
        self.phase_request = phases if phases != self.phases else 0
        self.phases_held = phases

    def node_current(self, current_da):
        """Node: the master's share for this controller arrived (5.2); reload 11 s (3.5)."""
        self.node_balanced_da[0] = current_da
        self.mains_timeout_s = meters.MAINS_TIMEOUT_S

    def node_status(self, n, state, max_da):
        """Master: node n (1..7) reported its state and min(MAX, cable) in dA (2.10, 4.4 4)."""
        self.node_state[n] = state
        self.node_max_da[n] = max_da

    # --- this controller's state changes (2.3, 2.4) ---------------------------------------
    def own_state(self, state):
        """BalancedState[0] mirrors the state machine (2.3)."""
        self.node_state[0] = state

    def session_end(self):
        """A entry (2.3 A-only block): this EVSE's charge-time counters restart."""
        self.node_timer_s[0] = 0
        self.node_int_timer_s[0] = 0
        self.phases_held = 0

    def offer_b(self, v, cable_a):
        """Row 3: ChargeCurrent for the B offer (dA): the cable cap or MIN, and the D13
        ceilings (override, OCPP) when at least MIN (D2 "as 4.4 gives")."""
        if v["current_max"] > cable_a and cable_a != 0:
            current = cable_a * 10
        else:
            current = v["current_min"] * 10
        ceiling_da = charge_current(self, v, cable_a)
        if v["current_min"] * 10 <= ceiling_da < current:
            current = ceiling_da
        self.charge_current_da = current
        return current

    def enter_b(self, cable_a):
        """Row 3 on a master/standalone: BalancedMax[0] = cable, Balanced[0] = the offer."""
        self.node_max_da[0] = cable_a * 10
        self.node_balanced_da[0] = self.charge_current_da

    def may_enter_c(self, v):
        """Row 7: BalancedMax[0] = ChargeCurrent; True when current is available (4.5)."""
        self.node_max_da[0] = self.charge_current_da
        return is_current_available(self, v)

    def refused(self, v):
        """Row 3/7 refused for lack of current (4.5): a master's own EVSE waits its turn
        PAUSED, as a node refused does (5.3, regulation/priority.py)."""
        if v["loadbl"] == LOADBL_MASTER and self.node_sched[0] == priority.INACTIVE:
            self.node_sched[0] = priority.PAUSED

    def join_c(self, v):
        """Row 7: this EVSE starts at MIN, before the allocation with mod = 1; admitted, it
        is scheduled ACTIVE (5.3)."""
        self.node_balanced_da[0] = v["current_min"] * 10
        self.node_sched[0] = priority.ACTIVE
        # Solar: 4.6 3a on the latest reading while still in B, as the fork's allocation
        # before C: an EV passes B in 0.5 s, less than a cycle (decision S1, docs/architecture.md)
        setpoint.choose_phases(self, v)

    def mode_set(self, old, mode):
        """set_mode's regulation part (4.1): no stale override in another mode, none in
        Solar (D15); a new mode restarts the meter timeouts; Smart clears the stop timers."""
        if old != mode or mode == MODE_SOLAR:
            self.override_current_da = 0
        if old != mode:
            meters.restart(self)
        if mode == MODE_SMART:
            self.clear_stop_timers()

    def clear_stop_timers(self):
        """SolarStopTimer = MaxSumMainsTimer = 0 (4.1 SMART, 3.6 Sma-Sol tap)."""
        self.solar_stop_timer_s = 0
        self.max_sum_mains_timer_s = 0

    # --- the 1 s step (2.5) ---------------------------------------------------------------
    def solar_timers_1s(self):
        """2.5-3 and -4: settling, solar stop, phase switch. True when the solar stop
        timer ran out now (the Evse then stops: C -> C1 and LESS_6A)."""
        if self.settling_timer_s > 0:
            self.settling_timer_s -= 1
        if self.pending_cut_s > 0:
            self.pending_cut_s -= 1
            if self.pending_cut_s == 0:
                self.pending_cut_da = 0
        expired = False
        if self.solar_stop_timer_s > 0:
            self.solar_stop_timer_s -= 1
            expired = self.solar_stop_timer_s == 0
        if self.phase_switch_timer_s > 0:
            self.phase_switch_timer_s -= 1
        if self.phase_hold_down_s > 0:
            self.phase_hold_down_s -= 1
        if self.battery_age_s < 255:
            self.battery_age_s += 1
        return expired

    def node_timers_1s(self):
        """2.5-6 and -7: charge-time counters, MaxSumMains. True when MaxSumMains ran out now."""
        for n in range(NR_EVSES):
            if self.node_state[n] == STATE_C:
                self.node_int_timer_s[n] += 1
                self.node_timer_s[n] += 1
            else:
                self.node_int_timer_s[n] = 0
        if self.max_sum_mains_timer_s > 0:
            self.max_sum_mains_timer_s -= 1
            return self.max_sum_mains_timer_s == 0
        return False

    def schedule_1s(self, v):
        """2.5-15: the master's priority-scheduling and rotation tick (5.3)."""
        if v["loadbl"] == LOADBL_MASTER:
            priority.tick_1s(self, v)

    def hard_overload(self, v):
        """3.2: outside Normal, a mains phase above 2 x MAINS. Resets NoCurrent; True then."""
        limit_da = v["current_main"] * 20
        irms = self.mains_irms_da
        if v["mode"] != MODE_NORMAL and (irms[0] > limit_da or irms[1] > limit_da or irms[2] > limit_da):
            self.no_current = 0
            return True
        return False


def charge_current(reg, v, cable_a):
    """This EVSE's ceiling in dA (4.4): MAX, cable cap (A) in C, OCPP limit, override (D13)."""
    max_a = v["current_max"]
    if reg.node_state[0] == STATE_C and v["config"] == CONFIG_SOCKET and max_a > cable_a:
        current = cable_a * 10
    else:
        current = max_a * 10
    limit = reg.ocpp_limit_da
    if v["ocpp_mode"] and v["loadbl"] == LOADBL_STANDALONE and limit >= 0:
        if limit < v["current_min"] * 10:
            current = 0
        elif limit < current:
            current = limit
    override = reg.override_current_da
    # D13: the override is one more ceiling (the fork replaces ChargeCurrent with it).
    if override and override < current:
        current = override
    return current


def is_current_available(reg, v):
    """True when one more EVSE may start at MIN (4.5, rules 1-6)."""
    mode = v["mode"]
    min_da = v["current_min"] * 10
    states = reg.node_state
    balanced = reg.node_balanced_da
    active = 0
    total = 0
    for n in range(NR_EVSES):
        if states[n] == STATE_C:
            active += 1
            total += balanced[n]
    irms = reg.mains_irms_da
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
    baseload = _max3(irms) - (_followed(reg, 1) if v["loadbl"] == LOADBL_MASTER else total)
    baseload_ev = _max3(reg.ev_irms_da) - total
    if baseload_ev < 0:
        baseload_ev = 0
    if mode != MODE_NORMAL and active * min_da + baseload > v["current_main"] * 10:
        return False
    if _circuit_applies(v, mode) and active * min_da + baseload_ev > v["current_max_circuit"] * 10:
        return False
    # The circuit meter's limit, as rule 3 for MAINS (decision: 4.5 lists no rule for it, so
    # the LESS_6A of its hard shortage (4.8) would clear at the next second).
    if v["max_circuit_mains"] and v["circuit_meter_type"] \
            and active * min_da + reg.circuit_da - total > v["max_circuit_mains"] * 10:
        return False
    capacity = v["current_max_sum_mains"]
    if mode != MODE_NORMAL and capacity > 0:
        phases = 1
        if v["loadbl"] == LOADBL_STANDALONE and not single_phase_forced(reg, v):
            phases = 3
        if phases * active * min_da + isum > capacity * 10:
            return False
    limit = reg.ocpp_limit_da
    if v["ocpp_mode"] and v["loadbl"] == LOADBL_STANDALONE and 0 <= limit < min_da:
        return False
    return True


def normal_setpoint_da(reg, v, baseload_ev):
    """IsetBalanced in Normal (4.6 step 3); Smart/Solar: setpoint.smart_solar."""
    if reg.phases != 3 and not reg.phases_held:
        reg.phase_request = 3   # applied at the next C entry (6.2)
    if v["loadbl"] == LOADBL_MASTER:
        return v["current_max_circuit"] * 10 - baseload_ev
    return reg.charge_current_da


def allocate(reg, v, mod, cable_a):
    """One allocation (4.6): mod 0 = periodic cycle, mod 1 = an EVSE is about to enter C.
    `cable_a` is this EVSE's cable rating (MaxCapacity). Returns ALLOC_* bits."""
    mode = v["mode"]
    current = charge_current(reg, v, cable_a)
    reg.charge_current_da = current
    reg.node_max_da[0] = current
    states = reg.node_state
    active = 0
    active_max = 0
    total = 0
    for n in range(NR_EVSES):
        if states[n] == STATE_C:
            active += 1
            active_max += reg.node_max_da[n]
            total += reg.node_balanced_da[n]
    # R1: an EV follows a lower offer within 5 s (IEC 61851-1), so until then a reading may
    # still hold its old current: counted as the EVs', not as house load. J1: a master's
    # join counts the shares its EVs surely draw (_followed).
    baseload = _max3(reg.mains_irms_da) - _pending_cut(reg) - (
        _followed(reg, mod) if v["loadbl"] == LOADBL_MASTER else total)
    baseload_ev = _max3(reg.ev_irms_da) - total
    if baseload_ev < 0:
        baseload_ev = 0
    if mode == MODE_NORMAL:
        iset = normal_setpoint_da(reg, v, baseload_ev)
    else:   # called from here, not through a helper: the device's pystack (docs/architecture.md)
        iset = setpoint.smart_solar(reg, v, mod, mode, active, baseload, baseload_ev)
        if mod and active and v["loadbl"] == LOADBL_MASTER:
            # J1: readings before the EVs follow the join's shares (5 s) move no setpoint
            reg.settling_timer_s = _EV_RESPONSE_S
    # Step 4, guard rails: their minimum is limit_da, what the EVSEs in C may draw in sum.
    limit = NO_LIMIT_DA
    if v["mains_meter_type"] != METER_DISABLED and mode != MODE_NORMAL:
        limit = v["current_main"] * 10 - baseload
        if reg.pending_cut_da and limit > total:
            # R1: no rise on the pending cut, only on a reading that shows the EVs followed.
            limit = max(limit - reg.pending_cut_da, total)
    if _circuit_applies(v, mode):
        limit = min(limit, v["current_max_circuit"] * 10 - baseload_ev)
    if reg.grid_relay_open:
        limit = min(limit, _GRID_RELAY_DA // (1 if single_phase_forced(reg, v) else 3))
    # Circuit meter (4.8): its limit less what the sub-panel draws besides the EVSEs in C
    # (as MAINS less Baseload; the formula (MaxCircuitMains x 10 - CircuitImeasured) / Ph of
    # 4.6 step 4 would count the EVs' own current as load and hold them at MIN). Also 3h.
    if v["max_circuit_mains"] and v["circuit_meter_type"] and mode != MODE_NORMAL:
        limit = min(limit, v["max_circuit_mains"] * 10 - reg.circuit_da + total)
    if mode != MODE_NORMAL and reg.capacity_da < limit:
        limit = reg.capacity_da            # capacity tariff (4.8, D7)
    reg.limit_da = limit
    if iset > limit:
        iset = limit
        # Decision R1 (docs/architecture.md): the cut to the limit is the whole reduction;
        # the filter's memory of the excess would take it off a second time (undershoot).
        # Standalone only: a master's nodes follow a cycle late, the memory covers that.
        if reg.idiff_filtered_da < 0 and v["loadbl"] == LOADBL_STANDALONE:
            reg.idiff_filtered_da = 0
    if mode != MODE_NORMAL and reg.mains_fresh:
        iset = min(setpoint.ema(reg, v, iset), limit)   # R1: no smoothing above a limit
    reg.iset_balanced_da = iset
    result = 0
    if active and (reg.mains_fresh or mode == MODE_NORMAL):
        result = _shortage_or_not(reg, v, mode, active, baseload, baseload_ev)
        if result & _SCHEDULE:
            if not priority.schedule(reg, v, mode, reg.available_da) and reg.no_current < 255:
                reg.no_current += 1        # nobody could be scheduled (5.3)
            result &= ~_SCHEDULE
        else:
            share.distribute(reg, v, mode, active, active_max, total)
        share.smooth(reg, mod)
    if mode != MODE_NORMAL and v["loadbl"] == LOADBL_STANDALONE and states[0] == STATE_C:
        setpoint.ramp(reg, v)
    else:
        reg.ramp_prev_da = 0
    if v["loadbl"] == LOADBL_STANDALONE:
        _note_cut(reg, total)
    if not active:   # step 8
        reg.max_sum_mains_timer_s = 0
        reg.no_current = 0
        reg.solar_stop_timer_s = 0
        reg.phase_switch_timer_s = 0
    reg.mains_fresh = False
    return result


def _note_cut(reg, before_da):
    # R1, standalone (its settling window holds the setpoint meanwhile): the offer fell; a
    # reading of the next 5 s may not show it yet. (A master's nodes follow at the broadcast.)
    after_da = 0
    for n in range(NR_EVSES):
        if reg.node_state[n] == STATE_C:
            after_da += reg.node_balanced_da[n]
    if after_da < before_da:
        reg.pending_cut_da += before_da - after_da
        reg.pending_cut_s = _EV_RESPONSE_S
        reg.cut_mains_da = _max3(reg.mains_irms_da)


def _followed(reg, mod):
    # J1 (docs/architecture.md): an EV follows a new share within 5 s of the broadcast (IEC
    # 61851-1), so at a reading it may still draw either of its two previous shares (2 s
    # cycles); at a join (mod 1, and the admission check) it counts with the lowest of the
    # three (a newcomer's 0 among them), so a rise not yet followed is not taken as house
    # load that is not there (4.6 2, 4.5 2). A cycle (mod 0) keeps the spec's Total.
    past = reg.node_hist_da
    if past is None:                       # the shares so far: followed
        past = reg.node_hist_da = [0] * (2 * NR_EVSES)
        for n in range(NR_EVSES):
            if reg.node_state[n] == STATE_C:
                past[n] = past[n + NR_EVSES] = reg.node_balanced_da[n]
    out = 0
    for n in range(NR_EVSES):
        now = reg.node_balanced_da[n] if reg.node_state[n] == STATE_C else 0
        if mod == 0:                       # once a cycle, before the new shares
            past[n + NR_EVSES] = past[n]
            past[n] = now
            out += now
        else:
            out += min(now, past[n], past[n + NR_EVSES])
    return out


def _pending_cut(reg):
    # R1: a reading whose highest phase fell by half the cut shows the EVs followed it.
    if reg.pending_cut_da and _max3(reg.mains_irms_da) <= reg.cut_mains_da - reg.pending_cut_da // 2:
        reg.pending_cut_da = 0
        reg.pending_cut_s = 0
    return reg.pending_cut_da


def _shortage_or_not(reg, v, mode, active, baseload, baseload_ev):
    """Step 6 bookkeeping: NoCurrent, timers, Solar's stop and phase rules; ALLOC_* bits."""
    min_total = active * v["current_min"] * 10
    if reg.iset_balanced_da < min_total:
        reg.available_da = reg.iset_balanced_da if reg.iset_balanced_da > 0 else 0
        reg.iset_balanced_da = min_total
        iset = min_total
        result = ALLOC_SWITCH if mode == MODE_SOLAR and solar.shortage(reg, v, active) else 0
        hard = False
        if v["mains_meter_type"] != METER_DISABLED and mode != MODE_NORMAL and iset > v["current_main"] * 10 - baseload:
            hard = True
        if _circuit_applies(v, mode) and iset > v["current_max_circuit"] * 10 - baseload_ev:
            hard = True
        if v["max_sum_mains_time"] == 0 and reg.limited_by_max_sum_mains:
            hard = True
        if v["max_circuit_mains"] and v["circuit_meter_type"] \
                and reg.circuit_da > v["max_circuit_mains"] * 10:
            hard = True                # the sub-panel is over its limit: in every mode (4.8)
        if v["loadbl"] == LOADBL_MASTER and active > 1:
            result |= _SCHEDULE        # allocate runs priority.schedule (a frame less deep)
        elif hard and reg.phase_request != 1:
            if reg.no_current < 255:
                reg.no_current += 1
        elif reg.limited_by_max_sum_mains and v["max_sum_mains_time"] and reg.max_sum_mains_timer_s == 0:
            reg.max_sum_mains_timer_s = v["max_sum_mains_time"] * 60
        # 3.2: only outside Normal (the fork head also counts a Normal-mode CIRCUIT shortage).
        if reg.no_current >= _NO_CURRENT_THRESHOLD and mode != MODE_NORMAL:
            if mode != MODE_SOLAR or reg.node_int_timer_s[0] >= _SOLAR_MIN_RUN_S:
                result |= ALLOC_LESS_6A
        return result
    if v["loadbl"] == LOADBL_MASTER:
        priority.all_active(reg)
    result = 0
    if mode == MODE_SOLAR and solar.wants_three(reg, v, reg.iset_balanced_da):
        # 4.7 c. Decision: the stop timers clear here too (the fork keeps them running).
        result = ALLOC_SWITCH if solar.spare_export(reg, v) else 0
    else:
        reg.phase_switch_timer_s = 0
    reg.solar_stop_timer_s = 0
    reg.max_sum_mains_timer_s = 0
    if reg.no_current > 0:
        reg.no_current -= 1
    return result
