"""The regulation record on its own: ceiling, availability, allocation bookkeeping, the
1 s timers, meter timeouts and phases (charging.md 3.2, 3.5, 4.4-4.6, 2.5, 6.1-6.2, D13).
No Evse: a `Regulation`, the settings values and the functions that operate on them."""

from smartevse.core.states import (CT_NOCOMM, EV_NOCOMM, MODE_NORMAL, MODE_SMART, MODE_SOLAR,
                                   STATE_A, STATE_C)
from smartevse.regulation import balance, meters, phases
from smartevse.regulation.balance import Regulation
from tests.helpers import make_settings

CABLE_13A = 13


def _values(**overrides):
    return make_settings(**overrides).values


def _charging_reg(v, current_da):
    """This EVSE in C with `current_da` allocated (as row 7 and C entry leave it)."""
    reg = Regulation()
    reg.own_state(STATE_C)
    reg.node_balanced_da[0] = current_da
    reg.node_max_da[0] = current_da
    return reg


def test_ceiling_is_max_with_the_cable_cap_only_in_c():
    """Given MAX 32 and a 13 A cable, then the ceiling is 32 A in B and 13 A in C on a socket,
    32 A again on a fixed cable (4.4 1)."""
    v = _values(current_max=32)
    reg = Regulation()
    assert balance.charge_current(reg, v, CABLE_13A) == 320
    reg.own_state(STATE_C)
    assert balance.charge_current(reg, v, CABLE_13A) == 130
    v["config"] = 1
    assert balance.charge_current(reg, v, CABLE_13A) == 320


def test_ocpp_limit_and_override_are_ceilings():
    """Given MAX 16, then an OCPP limit or override below it wins, neither raises it; OCPP < MIN = 0 (4.4, D13)."""
    v = _values(current_max=16, ocpp_mode=1)
    reg = Regulation()
    reg.set_ocpp_limit(100)
    assert balance.charge_current(reg, v, 32) == 100
    reg.set_ocpp_limit(50)
    assert balance.charge_current(reg, v, 32) == 0
    reg.set_ocpp_limit(-1)
    reg.set_override(80)
    assert balance.charge_current(reg, v, 32) == 80
    reg.set_override(200)
    assert balance.charge_current(reg, v, 32) == 160


def test_normal_mode_current_is_available_whatever_the_mains():
    """Given Normal on a standalone, when the mains read 40 A, then current is available (4.5 3)."""
    reg = Regulation()
    meters.mains_reading(reg, 400, 400, 400)
    assert balance.is_current_available(reg, _values())


def test_smart_needs_min_below_mains():
    """Given Smart, MAINS 25, MIN 6, when a phase reads 19 A then room; 20 A, then none (4.5 3)."""
    v = _values(mode=MODE_SMART, current_main=25, current_min=6)
    reg = Regulation()
    meters.mains_reading(reg, 190, 50, 50)
    assert balance.is_current_available(reg, v)
    meters.mains_reading(reg, 200, 50, 50)
    assert not balance.is_current_available(reg, v)


def test_ocpp_limit_below_min_blocks_a_start():
    """Given OCPP on with a 5 A limit, then current is not available (4.5 6)."""
    reg = Regulation()
    reg.set_ocpp_limit(50)
    assert not balance.is_current_available(reg, _values(ocpp_mode=1))


def test_b_offer_is_min_or_the_cable_cap_under_the_ceilings():
    """Given MIN 6, MAX 32: a 13 A cable offers 13 A in B, a 32 A cable MIN; an override of
    10 A caps the 13 A offer, one below MIN is ignored (row 3, 12 D2, D13)."""
    v = _values(current_min=6, current_max=32)
    reg = Regulation()
    assert reg.offer_b(v, CABLE_13A) == 130
    assert reg.offer_b(v, 32) == 60
    reg.set_override(100)
    assert reg.offer_b(v, CABLE_13A) == 100
    reg.set_override(50)
    assert reg.offer_b(v, CABLE_13A) == 130


def test_ten_hard_shortage_cycles_demand_less_6a_in_smart():
    """Given Smart, MAINS 25, this EVSE charging at 6 A and a phase at 30 A (hard shortage),
    then NoCurrent counts one per fresh cycle and the 10th asks for LESS_6A (3.2, 4.6 6)."""
    v = _values(mode=MODE_SMART, current_main=25, current_min=6)
    reg = _charging_reg(v, 60)
    for cycle in range(1, 11):
        meters.mains_reading(reg, 300, 0, 0)
        less_6a = balance.allocate(reg, v, 0, 32)
        assert reg.no_current == cycle
        assert bool(less_6a & balance.ALLOC_LESS_6A) == (cycle == 10)


def test_cycles_without_shortage_count_no_current_down():
    """Given NoCurrent 5 while charging in Normal with room, then each cycle takes 1 off (4.6 6)."""
    v = _values(current_max=16)
    reg = _charging_reg(v, 160)
    reg.no_current = 5
    assert balance.allocate(reg, v, 0, 32) == 0
    assert reg.no_current == 4 and reg.node_balanced_da[0] == 160


def test_no_evse_charging_resets_the_shortage_bookkeeping():
    """Given no EVSE in C, when a cycle runs, then NoCurrent and the stop timers are 0 (4.6 8)."""
    reg = Regulation()
    reg.no_current = 5
    reg.max_sum_mains_timer_s = 30
    reg.solar_stop_timer_s = 20
    assert balance.allocate(reg, _values(), 0, 32) == 0
    assert (reg.no_current, reg.max_sum_mains_timer_s, reg.solar_stop_timer_s) == (0, 0, 0)


def test_open_grid_relay_caps_three_phases_at_6_a():
    """Given Normal at MAX 16 on 3 phases, when the grid relay opens, then 180 / 3 = 60 dA (4.8)."""
    v = _values(current_max=16)
    reg = _charging_reg(v, 160)
    reg.set_grid_relay(True)
    balance.allocate(reg, v, 1, 32)
    assert reg.node_balanced_da[0] == 60


def test_hard_overload_above_twice_mains_outside_normal():
    """Given MAINS 25, then a phase at 50.1 A is an overload in Smart (NoCurrent 0), never in Normal (3.2)."""
    reg = Regulation()
    reg.no_current = 4
    meters.mains_reading(reg, 501, 0, 0)
    assert not reg.hard_overload(_values(current_main=25, mode=MODE_NORMAL))
    assert reg.hard_overload(_values(current_main=25, mode=MODE_SMART))
    assert reg.no_current == 0
    meters.mains_reading(reg, 500, 0, 0)
    assert not reg.hard_overload(_values(current_main=25, mode=MODE_SMART))


def test_solar_stop_timer_expires_once_at_zero():
    """Given a solar stop timer of 2 s, then the 2nd second reports the expiry, the 3rd not (2.5-4)."""
    reg = Regulation()
    reg.solar_stop_timer_s = 2
    assert [reg.solar_timers_1s() for _ in range(3)] == [False, True, False]


def test_node_timers_count_in_c_and_reset_outside_and_max_sum_mains_expires():
    """Given this EVSE in C and a MaxSumMains timer of 1 s, when a second passes, then its
    timers count and MaxSumMains expires; out of C the session timer resets (2.5-6, -7)."""
    reg = Regulation()
    reg.own_state(STATE_C)
    reg.max_sum_mains_timer_s = 1
    assert reg.node_timers_1s() is True
    assert (reg.node_int_timer_s[0], reg.node_timer_s[0]) == (1, 1)
    reg.own_state(STATE_A)
    assert reg.node_timers_1s() is False
    assert (reg.node_int_timer_s[0], reg.node_timer_s[0]) == (0, 1)


def test_mains_meter_silent_11_s_is_lost_outside_normal_only():
    """Given a mains meter and no reading, then after 11 s CT_NOCOMM may be raised in Smart,
    never in Normal; a reading makes it alive again (3.5)."""
    smart = _values(mains_meter_type=1, mode=MODE_SMART)
    reg = Regulation()
    lost = [meters.lost_1s(reg, smart) for _ in range(12)]
    assert lost == [0] * 11 + [CT_NOCOMM]
    assert meters.lost_1s(reg, _values(mains_meter_type=1, mode=MODE_NORMAL)) == 0
    assert not meters.alive(reg) & CT_NOCOMM
    meters.mains_reading(reg, 10, 10, 10)
    assert meters.alive(reg) & CT_NOCOMM


def test_ev_meter_silent_64_s_is_lost_and_without_meter_held_full():
    """Given an EV meter and Smart, then EV_NOCOMM after 64 s; with none configured the
    timeout is held at 64 s (3.5)."""
    v = _values(mains_meter_type=1, ev_meter_type=4, mode=MODE_SMART)
    reg = Regulation()
    for _ in range(64):
        assert not meters.lost_1s(reg, v) & EV_NOCOMM
    assert meters.lost_1s(reg, v) & EV_NOCOMM
    meters.lost_1s(reg, _values(ev_meter_type=0))
    assert reg.ev_timeout_s == 64


def test_c_entry_applies_a_pending_switch_and_forced_single_phase():
    """Given a pending 1P request, when C is entered, then 1 phase and contactor 2 open; with
    CONTACT 2 Always Off a 3P request still gives 1 phase (2.3 C, 6.1)."""
    reg = Regulation()
    reg.request_phases(1)
    assert phases.enter_c(reg, _values(enable_C2=4)) is False
    assert (reg.phases, reg.phase_request) == (1, 0)
    reg = Regulation()
    reg.request_phases(3)
    assert phases.enter_c(reg, _values(enable_C2=1)) is False and reg.phases == 1


def test_check_phases_sets_at_once_in_a_and_requests_otherwise():
    """Given 3 phases and CONTACT 2 Always Off, then in A the count becomes 1 at once,
    outside A a switch to 1P is requested (6.2)."""
    v = _values(enable_C2=1)
    reg = Regulation()
    phases.check_phases(reg, v, True)
    assert (reg.phases, reg.phase_request) == (1, 0)
    reg = Regulation()
    phases.check_phases(reg, v, False)
    assert (reg.phases, reg.phase_request) == (3, 1)


def test_solar_off_re_sequences_when_solar_is_entered_or_left():
    """Given CONTACT 2 Solar Off, then entering or leaving Solar re-sequences, Normal <-> Smart
    does not; Auto re-sequences only leaving Solar on one phase (4.1)."""
    reg = Regulation()
    solar_off = _values(enable_C2=2)
    assert phases.mode_resequences(reg, solar_off, MODE_SMART, MODE_SOLAR)
    assert phases.mode_resequences(reg, solar_off, MODE_SOLAR, MODE_NORMAL)
    assert not phases.mode_resequences(reg, solar_off, MODE_NORMAL, MODE_SMART)
    auto = _values(enable_C2=4)
    assert not phases.mode_resequences(reg, auto, MODE_SOLAR, MODE_SMART)
    reg.phases = 1
    assert phases.mode_resequences(reg, auto, MODE_SOLAR, MODE_SMART)


def test_mode_change_clears_a_stale_override_and_smart_the_stop_timers():
    """Given an override of 10 A and running stop timers, when Smart is set from Normal,
    then no override and no stop timers (4.1, D15)."""
    reg = Regulation()
    reg.set_override(100)
    reg.solar_stop_timer_s = 30
    reg.max_sum_mains_timer_s = 40
    reg.mode_set(MODE_NORMAL, MODE_SMART)
    assert (reg.override_current_da, reg.solar_stop_timer_s, reg.max_sum_mains_timer_s) == (0, 0, 0)
