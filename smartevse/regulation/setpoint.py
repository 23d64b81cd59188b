# Moves the Smart/Solar setpoint one regulation cycle (charging.md 4.6 steps 3a-3h, 5, 7):
# `smart_solar` is step 3 outside Normal (headroom, CAPACITY, filter and dead band, Solar's
# fine steps, the join case), `ema` step 5 and `ramp` step 7. Integers only; C division.
"""Smart/Solar setpoint (charging.md 4.6 3a-3h, 5, 7)."""

from micropython import const

from smartevse.regulation.share import cdiv

_ISET_MAX_DA = const(800)       # 4.6 3f
# core/states.py, private here: folded on the device, no global and no interned name
_LOADBL_MASTER = const(1)
_METER_DISABLED = const(0)
_MODE_SMART = const(1)
_MODE_SOLAR = const(2)
_STATE_B = const(1)
_C2_AUTO = const(4)
SETTLING_S = const(5)           # SettlingWindow (4.9)


def _headroom(reg, v):
    # 3b: MAINS headroom on the highest phase; with an EV meter (standalone/master) CIRCUIT
    # too. Leaf function, maxima inline: this chain is the deepest on the device's pystack.
    irms = reg.mains_irms_da
    idiff = v["current_main"] * 10 - max(irms[0], irms[1], irms[2])
    if v["ev_meter_type"] != _METER_DISABLED and v["loadbl"] <= _LOADBL_MASTER:
        irms = reg.ev_irms_da
        circuit = v["current_max_circuit"] * 10 - max(irms[0], irms[1], irms[2])
        if circuit < idiff:
            idiff = circuit
    # 3c: CAPACITY, summed over the phases: a third of the excess per phase.
    capacity = v["current_max_sum_mains"]
    reg.limited_by_max_sum_mains = False
    if capacity > 0:
        irms = reg.mains_irms_da        # Isum: the phases summed, negative = export (4.2)
        excess = capacity * 10 - (irms[0] + irms[1] + irms[2])
        third = cdiv(excess, 3)
        if third < idiff:
            idiff = third
        if excess < 0:
            reg.limited_by_max_sum_mains = True
        else:
            reg.max_sum_mains_timer_s = 0
    # 3d: the circuit meter's headroom (4.8).
    if v["max_circuit_mains"] and v["circuit_meter_type"]:
        circuit = v["max_circuit_mains"] * 10 - reg.circuit_da
        if circuit < idiff:
            idiff = circuit
    # 3d: the capacity tariff's headroom per phase (NO_CAPACITY_DA when off).
    if reg.capacity_da < idiff:
        idiff = reg.capacity_da
    return idiff


def _filter(reg, v, mode, idiff, iset):
    # 3e: oscillation count, EMA of Idifference, then Smart's dead band / Solar's full step down.
    prev = reg.idiff_prev_da
    if prev != 0 and idiff != 0:
        if (prev < 0) != (idiff < 0):
            if reg.oscillation_count < v["oscillation_boost_max"]:
                reg.oscillation_count += 1
        else:
            reg.oscillation_count -= 2 if v["loadbl"] == 0 else 1
            if reg.oscillation_count < 0:
                reg.oscillation_count = 0
    reg.idiff_prev_da = idiff
    divisor = v["ramp_rate_divisor"] + reg.oscillation_count
    w = v["idiff_ema_weight"]
    filtered = cdiv(reg.idiff_filtered_da * (4 - w) + idiff * w, 4)
    reg.idiff_filtered_da = filtered
    if mode == _MODE_SMART:
        if abs(filtered) >= v["smart_deadband"]:
            iset += cdiv(filtered, divisor)
    elif filtered <= 0:
        iset += idiff
    return iset


def _solar_fine(reg, v, active, idiff, iset):
    # 3g: fine steps around IMPORT (dead band 5 dA). Decision R2 (docs/architecture.md):
    # above MIN the band lies on the export side (0..5 dA export), so tracking the sun
    # imports nothing; at MIN it stays 0..5 dA import, so a faint import arms no stop.
    irms = reg.mains_irms_da
    imp = irms[0] + irms[1] + irms[2] - v["solar_max_import"] * 10
    reg.isum_import_da = imp
    if not (active > 0 and idiff > 0 and reg.mains_fresh):
        return iset
    band = 0 if iset > active * v["current_min"] * 10 else 5
    if imp < band - 5:
        return iset + (5 if imp < -10 and idiff > 10 else 1)
    if imp > 20:
        return iset - cdiv(imp, 2)
    if imp > 10:
        return iset - 5
    if imp > band:
        return iset - 1
    return iset


def _join(reg, v, baseload, baseload_ev):
    # 3h: an EVSE joins (mod 1): the whole headroom at once.
    iset = v["current_main"] * 10 - baseload
    circuit = v["current_max_circuit"] * 10 - baseload_ev
    if circuit < iset:
        iset = circuit
    capacity = v["current_max_sum_mains"]
    if capacity > 0:
        irms = reg.mains_irms_da
        third = cdiv(capacity * 10 - irms[0] - irms[1] - irms[2], 3)
        if third < iset:
            iset = third
    if reg.capacity_da < iset:
        iset = reg.capacity_da
    return iset


def choose_phases(reg, v):
    """4.6 3a: Solar in B with CONTACT 2 Auto: 3P when the export covers MIN on 3 phases."""
    # Also run at B -> C (Regulation.join_c): a B shorter than a cycle would skip it.
    if (v["mode"] != _MODE_SOLAR or reg.node_state[0] != _STATE_B or v["enable_C2"] != _C2_AUTO
            or reg.phases_held):
        return
    irms = reg.mains_irms_da
    want = 3 if -(irms[0] + irms[1] + irms[2]) >= 30 * v["current_min"] + 30 else 1
    reg.phase_request = want if want != reg.phases else 0


def smart_solar(reg, v, mod, mode, active, baseload, baseload_ev):
    """IsetBalanced for Smart and Solar (4.6 3a-3h)."""
    iset = reg.iset_balanced_da
    settled = reg.settling_timer_s == 0
    choose_phases(reg, v)
    idiff = _headroom(reg, v)
    if mod == 0 and settled and reg.mains_fresh:
        iset = _filter(reg, v, mode, idiff, iset)
    if mod == 0 and settled:
        if iset < 0:
            iset = 0
        elif iset > _ISET_MAX_DA:
            iset = _ISET_MAX_DA
    reg.isum_import_da = 0
    if mode == _MODE_SOLAR and settled:
        iset = _solar_fine(reg, v, active, idiff, iset)
    elif mod == 1 and active > 0:
        iset = _join(reg, v, baseload, baseload_ev)
    return iset


def ema(reg, v, iset):
    """Step 5: EmaAlpha smoothing of the setpoint on fresh readings (100 = none)."""
    alpha = v["ema_alpha"]
    reg.ema_da = cdiv(alpha * iset + (100 - alpha) * reg.ema_da, 100)
    return reg.ema_da


def ramp(reg, v):
    """Step 7: MaxRampRate on Balanced[0], SettlingWindow after a change (R1: not a needed cut)."""
    balanced = reg.node_balanced_da
    prev = reg.ramp_prev_da
    rate = v["max_ramp_rate"]
    # A target of 0 (ceiling 0, paused) is not ramped: it stops the EVSE (12 D5).
    if rate > 0 and prev > 0 and balanced[0] != 0:
        if balanced[0] > prev + rate:
            balanced[0] = prev + rate
        elif balanced[0] < prev - rate:
            down = prev - rate if prev > rate else 0
            # R1: a cut the guard rails need (limit_da) is never held back.
            if down > reg.limit_da:
                down = reg.limit_da if reg.limit_da > balanced[0] else balanced[0]
            balanced[0] = down
    if balanced[0] != prev:
        reg.settling_timer_s = SETTLING_S
    reg.ramp_prev_da = balanced[0]
