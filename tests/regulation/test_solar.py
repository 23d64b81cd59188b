"""Solar's stop timer, its automatic 1P/3P switches and the home battery on the regulation
record alone (charging.md 4.7 b, c; 6.3; 4.2), with the spec's numbers."""

import pytest

from smartevse.core.states import MODE_SOLAR, STATE_C
from smartevse.regulation import balance, meters, solar
from smartevse.regulation.balance import ALLOC_SWITCH, Regulation
from tests.helpers import make_settings

AUTO = 4


def _values(**overrides):
    base = dict(mode=MODE_SOLAR, mains_meter_type=1, current_max=16, current_min=6,
                solar_start_current=4, solar_stop_time=10, solar_max_import=0)
    base.update(overrides)
    return make_settings(**base).values


def _charging_at_min(phases=3):
    reg = Regulation()
    reg.own_state(STATE_C)
    reg.phases = phases
    for table in (reg.node_balanced_da, reg.node_prev_da, reg.node_max_da):
        table[0] = 60
    reg.node_max_da[0] = 160
    reg.iset_balanced_da = 60
    reg.node_int_timer_s[0] = 100
    reg.ramp_prev_da = 60
    return reg


def _cycles(reg, v, isum_per_phase, seconds):
    """Fresh cycles every 2 s with the 1 s timers between; returns the ALLOC bits seen."""
    seen = 0
    for _ in range(seconds // 2):
        meters.mains_reading(reg, isum_per_phase, isum_per_phase, isum_per_phase)
        seen |= balance.allocate(reg, v, 0, 32)
        if seen & ALLOC_SWITCH:
            return seen
        reg.solar_timers_1s()
        reg.solar_timers_1s()
    return seen


def test_import_at_min_arms_the_stop_timer_for_stop_minutes():
    """Given Solar at MIN 6 on 3 phases, START 4, CONTACT 2 Always On, STOP 10, when the mains
    read 5 A per phase (Isum 15 A > (3 x 6 - 4) A: the surplus without the EV is below
    START), then SolarStopTimer is armed at 600 s and runs; at 4 A per phase it is not (4.7 b)."""
    v = _values(enable_C2=3)
    reg = _charging_at_min()
    _cycles(reg, v, 40, 2)
    assert reg.solar_stop_timer_s == 0
    _cycles(reg, v, 50, 2)
    assert reg.solar_stop_timer_s == 598 and reg.phase_switch_timer_s == 0


def test_stop_0_never_arms_the_stop_timer():
    """Given STOP 0 (off), when importing at MIN, then charging continues: no timer (4.7 b)."""
    reg = _charging_at_min()
    _cycles(reg, _values(enable_C2=3, solar_stop_time=0), 50, 10)
    assert reg.solar_stop_timer_s == 0


def test_a_severe_deficit_switches_3p_to_1p_after_30_s_then_holds_down_300_s():
    """Given Solar at MIN on 3P, CONTACT 2 Auto, MIN 6, when the import is 6.0 A or more
    (IsumImport >= 10 x MIN), then 3P -> 1P is asked after about 30 s (timer <= 2 at a
    cycle) with a hold-down of 300 s (4.7 b, 6.3)."""
    v = _values(enable_C2=AUTO)
    reg = _charging_at_min()
    assert not _cycles(reg, v, 30, 26) & ALLOC_SWITCH
    seen = _cycles(reg, v, 30, 6)
    assert seen & ALLOC_SWITCH and reg.phase_request == 1 and reg.phase_hold_down_s == 300


def test_a_mild_deficit_waits_stop_minutes_before_1p():
    """Given the import 1.2 A summed (below MIN), STOP 10, then the 3P -> 1P timer is 600 s (4.7 b)."""
    reg = _charging_at_min()
    _cycles(reg, _values(enable_C2=AUTO), 4, 2)
    assert reg.phase_switch_timer_s == 598


def test_spare_export_at_1p_max_switches_to_3p_after_63_s_not_within_the_hold_down():
    """Given Solar on 1P at MAX 16, MIN 6 (spare 3 x 7 - 16 = 5 A), CONTACT 2 Auto, when the
    export is 6 A: with a hold-down running nothing happens; without it 3P is asked after
    about 63 s (4.7 c, 6.3)."""
    v = _values(enable_C2=AUTO)
    reg = _charging_at_min(phases=1)
    reg.node_balanced_da[0] = reg.node_prev_da[0] = reg.iset_balanced_da = 160
    reg.phase_hold_down_s = 300
    assert not _cycles(reg, v, -20, 60) & ALLOC_SWITCH
    reg.phase_hold_down_s = 0
    assert not _cycles(reg, v, -20, 58) & ALLOC_SWITCH
    assert _cycles(reg, v, -20, 6) & ALLOC_SWITCH and reg.phase_request == 3


def test_an_outside_phase_request_holds_against_solar_switching():
    """Given an outside 1P request for the session (6.2a), when Solar would switch to 3P,
    then nothing is asked."""
    v = _values(enable_C2=AUTO)
    reg = _charging_at_min(phases=1)
    reg.request_phases(1)
    reg.node_balanced_da[0] = reg.node_prev_da[0] = reg.iset_balanced_da = 160
    assert not _cycles(reg, v, -30, 80) & ALLOC_SWITCH


def test_home_battery_charging_counts_as_surplus_in_solar_only():
    """Given a home battery charging at 9.0 A, when the mains read 1 A per phase, then in
    Solar each phase reads 1 - 3 = -2 A; in Smart nothing changes; after 60 s without an
    update it is dropped (4.2)."""
    reg = Regulation()
    solar.battery_update(reg, 90)
    meters.mains_reading(reg, 10, 10, 10)
    solar.battery_correct(reg, _values())
    assert reg.mains_irms_da == [-20, -20, -20]
    meters.mains_reading(reg, 10, 10, 10)
    solar.battery_correct(reg, _values(mode=1))
    assert reg.mains_irms_da == [10, 10, 10]
    meters.mains_reading(reg, 10, 10, 10)
    solar.battery_correct(reg, _values(enable_C2=1))         # Always Off: all on L1
    assert reg.mains_irms_da == [-80, 10, 10]
    for _ in range(61):
        reg.solar_timers_1s()
    meters.mains_reading(reg, 10, 10, 10)
    solar.battery_correct(reg, _values())
    assert reg.mains_irms_da == [10, 10, 10] and reg.battery_da == 0


def test_an_absurd_battery_value_is_refused_and_changes_nothing():
    """Given a battery at 5 A, when 2000 A arrives, then ValueError and still 5 A (bad input)."""
    reg = Regulation()
    solar.battery_update(reg, 50)
    with pytest.raises(ValueError):
        solar.battery_update(reg, 20000)
    assert reg.battery_da == 50
