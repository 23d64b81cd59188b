"""Errors and protections of the core (charging.md 2.5, 2.7, 3.1-3.5)."""

from smartevse.core.evse import temp_c_from_mv
from smartevse.core.states import (STATE_A, STATE_B, STATE_B1, STATE_C, STATE_C1, LESS_6A, CT_NOCOMM,
                              EV_NOCOMM, TEMP_HIGH, RCM_TRIPPED, EVENT_ERROR, MODE_SMART)
from tests.evse_helpers import Ev, make_evse, plug_in_and_charge, run, run_seconds


def _charging(**settings):
    evse = make_evse(**settings)
    ev = Ev()
    plug_in_and_charge(evse, ev)
    assert evse.state == STATE_C
    return evse, ev


def test_temperature_above_max_stops_charging():
    """Given C and MAX TEMP 65, when 66 C is read, then TEMP_HIGH and C -> C1 (2.5-13, 3.3)."""
    evse, ev = _charging()
    run_seconds(evse, ev, 1, temp_c=65)
    assert not evse.error_flags & TEMP_HIGH
    events = run_seconds(evse, ev, 1, temp_c=66)
    assert evse.error_flags & TEMP_HIGH
    assert events & EVENT_ERROR
    assert evse.state == STATE_C1


def test_temperature_error_clears_only_below_max_minus_10():
    """Given TEMP_HIGH, when 55 C then 54 C, then it clears only at 54 C (hysteresis 10, 3.3)."""
    evse, ev = _charging()
    run_seconds(evse, ev, 1, temp_c=70)
    run_seconds(evse, ev, 3, temp_c=55)
    assert evse.error_flags & TEMP_HIGH
    run_seconds(evse, ev, 1, temp_c=54)
    assert not evse.error_flags & TEMP_HIGH


def test_rcm_trip_opens_contactors_at_once_and_latches():
    """Given C with RCMON, when the RCM input is high, then B1 in that tick; the flag stays (3.4)."""
    evse, ev = _charging(rcmon=1)
    run(evse, ev, 1, rcm_high=True)
    assert evse.state == STATE_B1
    assert not evse.contactor1 and not evse.contactor2
    assert evse.error_flags & RCM_TRIPPED
    run_seconds(evse, ev, 120)
    assert evse.error_flags & RCM_TRIPPED
    assert evse.state == STATE_B1


def test_rcm_clears_only_by_a_user_action_with_the_input_low():
    """Given RCM_TRIPPED, when the user acts while the input is high, then it stays; low: clears (3.4)."""
    evse, ev = _charging(rcmon=1)
    run(evse, ev, 1, rcm_high=True)
    evse.clear_rcm(True)
    assert evse.error_flags & RCM_TRIPPED
    evse.clear_rcm(False)
    assert not evse.error_flags & RCM_TRIPPED


def test_rcm_ignored_when_rcmon_disabled():
    """Given RCMON 0, when the RCM input is high, then charging goes on (3.4)."""
    evse, ev = _charging(rcmon=0)
    run(evse, ev, 10, rcm_high=True)
    assert evse.state == STATE_C


def test_charge_delay_of_15_s_after_c1():
    """Given C stopped through C1, when access is back ON, then B only after 15 s from C1 (2.3, 3.2)."""
    evse, ev = _charging()
    evse.stop_charging(15)
    assert evse.state == STATE_C1
    ev.level_v = 9
    run(evse, ev, 1)
    assert evse.state == STATE_B1
    run_seconds(evse, ev, 14)
    assert evse.state == STATE_B1
    run_seconds(evse, ev, 1)
    assert evse.charge_delay_s == 0
    run(evse, ev, 1)
    assert evse.state == STATE_B


def test_charge_delay_of_60_s_after_less_6a_clears():
    """Given an OCPP limit below MIN, when it is lifted, then 60 s ChargeDelay before B (2.5-14)."""
    evse = make_evse(ocpp_mode=1)
    evse.set_ocpp_limit(0)
    ev = Ev(9)
    run(evse, ev, 2)
    assert evse.error_flags & LESS_6A
    assert evse.state == STATE_B1
    run_seconds(evse, ev, 5)
    assert evse.charge_delay_s == 60
    evse.set_ocpp_limit(-1)
    run_seconds(evse, ev, 1)
    assert not evse.error_flags & LESS_6A
    run_seconds(evse, ev, 58)
    assert evse.state == STATE_B1
    run_seconds(evse, ev, 2)
    assert evse.state == STATE_B


def test_meter_timeouts_never_raise_in_normal_mode():
    """Given Normal with a mains and an EV meter configured and no readings, then no error (3.5)."""
    evse, ev = _charging(mains_meter_type=1, ev_meter_type=4)
    run_seconds(evse, ev, 100)
    assert evse.error_flags == 0
    assert evse.state == STATE_C


def test_mains_timeout_raises_ct_nocomm_in_smart_and_recovers():
    """Given Smart with a mains meter, when no reading for 11 s, then CT_NOCOMM; a reading clears it (3.5)."""
    evse = make_evse(mains_meter_type=1)
    assert evse.set_mode(MODE_SMART) is None
    ev = Ev(12)
    for _ in range(11):
        run_seconds(evse, ev, 1)
        assert not evse.error_flags & CT_NOCOMM
    run_seconds(evse, ev, 1)
    assert evse.error_flags & CT_NOCOMM
    evse.mains_reading(100, 100, 100)
    run_seconds(evse, ev, 1)
    assert not evse.error_flags & CT_NOCOMM


def test_ev_meter_timeout_raises_ev_nocomm_in_smart():
    """Given Smart with an EV meter, when no EV reading for 64 s, then EV_NOCOMM (3.5)."""
    evse = make_evse(mains_meter_type=1, ev_meter_type=4)
    evse.set_mode(MODE_SMART)
    ev = Ev(12)
    for _ in range(66):
        evse.mains_reading(100, 100, 100)
        run_seconds(evse, ev, 1)
    assert evse.error_flags & EV_NOCOMM
    evse.ev_meter_reading(60, 60, 60)
    run_seconds(evse, ev, 1)
    assert not evse.error_flags & EV_NOCOMM


def test_power_unavailable_goes_to_c1_then_b1():
    """Given C, when power becomes unavailable, then C1; in B then B1; in A nothing (2.7)."""
    evse, ev = _charging()
    evse.set_power_unavailable()
    assert evse.state == STATE_C1
    assert evse.contactor1                  # C1 keeps them closed while the EV stops
    run_seconds(evse, ev, 7)
    assert evse.state == STATE_B1
    assert not evse.contactor1
    idle = make_evse()
    idle.set_power_unavailable()
    assert idle.state == STATE_A


def test_force_safe_opens_everything():
    """Given C, when the loop's fail-safe runs, then B1, contactors open, PWM off
    (docs/architecture.md)."""
    evse, ev = _charging()
    evse.force_safe()
    assert evse.state == STATE_B1
    assert not evse.contactor1 and not evse.contactor2
    assert evse.duty_1024 == 1024


def test_temperature_conversion():
    """Given MCP9700A millivolts, then (mV - 500) / 10 truncated toward zero (3.3)."""
    assert temp_c_from_mv(750) == 25
    assert temp_c_from_mv(1159) == 65
    assert temp_c_from_mv(495) == 0
    assert temp_c_from_mv(380) == -12


def test_c1_falls_back_to_b1_after_6_s():
    """Given C1 with the EV still at 6 V, when 6-7 s pass, then B1 with contactors open (2.5-2)."""
    evse, ev = _charging()
    evse.stop_charging(15)
    run_seconds(evse, ev, 6)
    assert evse.state == STATE_C1
    run_seconds(evse, ev, 1)
    assert evse.state == STATE_B1
    assert not evse.contactor1


def test_b_without_errors_is_not_touched_by_the_1s_step():
    """Given B, when seconds pass with nothing wrong, then still B (2.5)."""
    evse = make_evse()
    ev = Ev(9)
    run(evse, ev, 1)
    run_seconds(evse, ev, 10)
    assert evse.state == STATE_B
