"""The Smart and Solar setpoint on the regulation record alone (charging.md 4.6 steps 3a-3h,
5, 7; 4.9), with the spec's numbers. No Evse: a `Regulation`, the settings values and
`balance.allocate`."""

from smartevse.core.states import MODE_SMART, MODE_SOLAR, STATE_B, STATE_C
from smartevse.regulation import balance, meters, setpoint
from smartevse.regulation.balance import ALLOC_LESS_6A, Regulation
from tests.helpers import make_settings

CABLE_32A = 32
SENSORBOX = 1     # any mains meter type but Disabled


def _values(**overrides):
    base = dict(mains_meter_type=SENSORBOX, current_max=32, current_main=25, current_min=6)
    base.update(overrides)
    return make_settings(**base).values


def _charging(current_da):
    reg = Regulation()
    reg.own_state(STATE_C)
    reg.node_balanced_da[0] = current_da
    reg.node_prev_da[0] = current_da
    reg.ramp_prev_da = current_da
    reg.iset_balanced_da = current_da
    reg.ema_da = current_da
    reg.node_int_timer_s[0] = 100
    return reg


def _cycle(reg, v, l1, l2, l3, mod=0):
    meters.mains_reading(reg, l1, l2, l3)
    return balance.allocate(reg, v, mod, CABLE_32A)


def test_smart_spec_example_steps_12_da_then_settles_5_s():
    """Given Smart, MAINS 25, one phase at 20.0 A, the EVSE at 10.0 A and the filter settled
    at 50, when a fresh cycle runs, then the setpoint rises 50 / 4 = 12 dA to 11.2 A and the
    next cycle within the 5 s settling window does not move it (4.6 example, 3e, 7)."""
    v = _values(mode=MODE_SMART)
    reg = _charging(100)
    reg.idiff_filtered_da = 50
    _cycle(reg, v, 200, 0, 0)
    assert reg.node_balanced_da[0] == 112 and reg.settling_timer_s == setpoint.SETTLING_S
    _cycle(reg, v, 212, 0, 0)
    assert reg.node_balanced_da[0] == 112


def test_smart_filter_takes_a_quarter_of_each_sample_and_keeps_a_dead_band():
    """Given Smart with an empty filter, when Idifference is 50 dA, then IdiffFiltered is 12
    and the step 12 / 4 = 3 dA; with Idifference 36 (filter 9 < SmartDeadBand 10) nothing
    moves (4.6 3e, 4.9 defaults)."""
    v = _values(mode=MODE_SMART)
    reg = _charging(100)
    _cycle(reg, v, 200, 0, 0)
    assert reg.idiff_filtered_da == 12 and reg.node_balanced_da[0] == 103
    reg = _charging(100)
    _cycle(reg, v, 214, 0, 0)
    assert reg.idiff_filtered_da == 9 and reg.node_balanced_da[0] == 100


def test_smart_steps_down_alike_with_c_division():
    """Given Smart, MAINS 25, a phase at 30.0 A with a settled filter at -50 and the setpoint
    at 16 A, when a fresh cycle runs, then step 3 lowers it 50 / 4 = 12 dA (truncated toward
    zero, 4.6 3e; charging.md 0); the MAINS guard rail then takes it to 11 A (4.6 4)."""
    v = _values(mode=MODE_SMART, current_main=25)
    reg = _charging(160)
    reg.idiff_filtered_da = -50
    meters.mains_reading(reg, 300, 0, 0)
    assert setpoint.smart_solar(reg, v, 0, MODE_SMART, 1, 140, 0) == 148
    balance.allocate(reg, v, 0, CABLE_32A)
    assert reg.iset_balanced_da == 110


def test_a_sign_change_of_idifference_counts_an_oscillation_and_slows_the_steps():
    """Given Smart with a previous Idifference of +50, when it turns to -50, then
    OscillationCount is 1 and the divisor 4 + 1 = 5: 10 dA down, not 12 (4.6 3e)."""
    v = _values(mode=MODE_SMART)
    reg = _charging(160)
    reg.idiff_prev_da = 50
    reg.idiff_filtered_da = -50
    meters.mains_reading(reg, 300, 0, 0)
    assert setpoint.smart_solar(reg, v, 0, MODE_SMART, 1, 140, 0) == 150
    assert reg.oscillation_count == 1


def test_capacity_limits_idifference_to_a_third_of_the_excess():
    """Given Smart, CAPACITY 40 A summed, the phases at 15 + 15 + 15 A, then the excess is
    -50 dA, Idifference -16 per phase and LimitedByMaxSumMains is set (4.6 3c, 4.8)."""
    v = _values(mode=MODE_SMART, current_max_sum_mains=40)
    reg = _charging(100)
    meters.mains_reading(reg, 150, 150, 150)
    setpoint.smart_solar(reg, v, 1, MODE_SMART, 1, 50, 0)
    assert reg.limited_by_max_sum_mains
    assert setpoint._headroom(reg, v) == -16


def test_a_joining_evse_gets_the_whole_headroom_at_once():
    """Given Smart, MAINS 25, CIRCUIT 16, a phase at 10 A with this EVSE charging at 6 A, when
    it joins (mod 1), then the setpoint is min(250 - 40, 160 - 0) = 16 A (4.6 3h)."""
    v = _values(mode=MODE_SMART, current_max_circuit=16)
    reg = _charging(60)
    reg.ramp_prev_da = 0                     # it was not in C before
    _cycle(reg, v, 100, 40, 40, mod=1)
    assert reg.iset_balanced_da == 160 and reg.node_balanced_da[0] == 160


def test_ema_alpha_smooths_the_setpoint():
    """Given EmaAlpha 50 and a previous value of 100, when the step-3 setpoint is 200, then 150 (4.6 5)."""
    reg = Regulation()
    reg.ema_da = 100
    assert setpoint.ema(reg, _values(ema_alpha=50), 200) == 150
    assert setpoint.ema(reg, _values(), 200) == 200     # default 100: no smoothing


def test_standalone_ramp_limits_a_change_to_3_a():
    """Given MaxRampRate 30 dA, when the allocation jumps from 10 A to 16 A, then 13 A (4.6 7)."""
    v = _values(mode=MODE_SMART)
    reg = _charging(100)
    reg.node_balanced_da[0] = 160
    setpoint.ramp(reg, v)
    assert reg.node_balanced_da[0] == 130 and reg.settling_timer_s == 5


def test_solar_fine_steps_around_import():
    """Given Solar, IMPORT 0, charging past its first 40 s at 10 A with headroom, then the
    setpoint moves +5 on 3.0 A export, -20 on 4.0 A import, -5 on 1.5 A, -1 on 0.8 A and
    on 0.3 A, +1 on 0.8 A export and not at all within 0.5 A of export: above MIN the
    dead band lies on the export side (4.6 3g; decision R2)."""
    v = _values(mode=MODE_SOLAR, solar_max_import=0)
    for isum, step in ((-30, 5), (40, -20), (15, -5), (8, -1), (3, -1), (-8, 1), (-3, 0), (0, 0)):
        reg = _charging(100)
        reg.idiff_filtered_da = 50           # headroom: no full step down
        _cycle(reg, v, isum, 0, 0)
        assert reg.node_balanced_da[0] == 100 + step, isum


def test_at_min_a_faint_solar_import_keeps_the_spec_dead_band():
    """Given Solar at MIN 6 A on one phase past its first 40 s, START 6, IMPORT 0, STOP 10,
    when the phases import 0.3 A in sum, then nothing moves and the stop timer stays off; 0.8 A of import is a
    shortage that arms it (10 min); 0.3 A of export adds 1 dA (4.6 3g dead band 0..5 dA
    at MIN, 4.7 b; decision R2)."""
    v = _values(mode=MODE_SOLAR, solar_max_import=0, solar_stop_time=10, solar_start_current=6)
    for isum, iset, stop_s in ((3, 60, 0), (8, 60, 600), (-3, 61, 0)):
        reg = _charging(60)
        reg.phases = 1
        reg.idiff_filtered_da = 50
        _cycle(reg, v, isum, 0, 0)
        assert (reg.iset_balanced_da, reg.solar_stop_timer_s) == (iset, stop_s), isum


def test_solar_steps_the_whole_deficit_down_at_once():
    """Given Solar at 16 A, when a phase reads 30 A against MAINS 25 (filter <= 0), then the
    setpoint falls by the raw Idifference, 5.0 A, and the offer with it in the same cycle: a
    cut MAINS needs is not held to 3 A a cycle (4.6 3e, 6; decision R1)."""
    v = _values(mode=MODE_SOLAR)
    reg = _charging(160)
    _cycle(reg, v, 300, 0, 0)
    assert reg.iset_balanced_da == 110 and reg.node_balanced_da[0] == 110


def test_a_solar_import_cut_below_mains_still_ramps_3_a_a_cycle():
    """Given Solar at 16 A, IMPORT 0, when the phases import 10 + 10 + 10 A while far under
    MAINS 25, then the setpoint falls by half the import (4.6 3g) but the offer only 3 A this
    cycle: no limit needs the cut, so the ramp limits hold (4.6 6, 7; decision R1)."""
    v = _values(mode=MODE_SOLAR, solar_max_import=0)
    reg = _charging(160)
    reg.idiff_filtered_da = 50
    _cycle(reg, v, 100, 100, 100)
    assert reg.node_balanced_da[0] == 130


def test_solar_in_b_chooses_its_starting_phases_on_contact_2_auto():
    """Given Solar, CONTACT 2 Auto, MIN 6, the EV in B: export of 21.0 A (30 x 6 + 30 dA)
    requests 3P from 1P, 20.0 A requests 1P from 3P (4.6 3a)."""
    v = _values(mode=MODE_SOLAR, enable_C2=4)
    reg = Regulation()
    reg.own_state(STATE_B)
    reg.phases = 1
    _cycle(reg, v, -70, -70, -70)
    assert reg.phase_request == 3
    reg.phases = 3
    _cycle(reg, v, -70, -70, -60)
    assert reg.phase_request == 1


def test_absurd_readings_never_offer_above_max_or_the_cable():
    """Given Smart, MAX 16, a 13 A cable, when the mains read -3000 A (absurd export) for many
    cycles, then the offer never exceeds 13 A; at +3000 A it stops with LESS_6A (bad input, 3.2)."""
    v = _values(mode=MODE_SMART, current_max=16)
    reg = _charging(60)
    for _ in range(40):
        meters.mains_reading(reg, -30000, -30000, -30000)
        balance.allocate(reg, v, 0, 13)
        assert reg.node_balanced_da[0] <= 130
    assert reg.node_balanced_da[0] == 130
    result = 0
    for _ in range(10):
        meters.mains_reading(reg, 30000, 30000, 30000)
        result |= balance.allocate(reg, v, 0, 13)
    assert result & ALLOC_LESS_6A and reg.node_balanced_da[0] == 60
