"""The Evse's commands for outside changes (issue 6 item 7; charging.md 3.5, 3.6, 4.1,
4.5, 6.2a, 6.4): each changes the core only through the core itself."""

from smartevse.core.states import (LESS_6A, MODE_SMART, STATE_B, STATE_B1, STATE_C, STATE_C1,
                                   EVENT_ERROR)
from tests.evse_helpers import Ev, make_evse, plug_in_and_charge, run, run_seconds

PP_32A_MV = 600


def test_mains_reading_above_the_headroom_refuses_a_start_in_smart():
    """Given Smart with MAINS 25 and MIN 6, when the mains meter reads 20 A on L1, then an EV
    plugged in gets LESS_6A instead of B; at 19 A it starts (4.5 rule 3, 3.1)."""
    evse = make_evse(mains_meter_type=1, current_main=25, current_min=6)
    assert evse.set_mode(MODE_SMART) is None
    evse.mains_reading(200, 0, 0)
    ev = Ev(9, pp_mv=PP_32A_MV)
    run(evse, ev, 1)
    assert evse.error_flags & LESS_6A and evse.state != STATE_B
    evse = make_evse(mains_meter_type=1, current_main=25, current_min=6)
    evse.set_mode(MODE_SMART)
    evse.mains_reading(190, 0, 0)
    run(evse, ev, 1)
    assert evse.state == STATE_B and evse.mains_irms_da == [190, 0, 0]


def test_clear_shortage_clears_less_6a_the_delay_and_the_stop_timers():
    """Given LESS_6A with a 60 s charge delay and running stop timers, when the Sma-Sol tap
    clears the shortage, then all are 0 and the error change is an event (3.6)."""
    evse = make_evse(ocpp_mode=1)
    evse.set_ocpp_limit(0)
    run_seconds(evse, Ev(9), 1)
    assert evse.error_flags & LESS_6A and evse.charge_delay_s == 60
    evse.reg.solar_stop_timer_s = 30           # Given: the record's timers running
    evse.reg.max_sum_mains_timer_s = 40
    assert evse.clear_shortage() & EVENT_ERROR
    assert not evse.error_flags & LESS_6A and evse.charge_delay_s == 0
    assert (evse.solar_stop_timer_s, evse.max_sum_mains_timer_s) == (0, 0)


def test_requested_phases_apply_at_the_next_c_entry():
    """Given CONTACT 2 Auto charging on 3 phases, when 1 phase is requested, then the offer
    stops at once (C1) with contactor 2 still closed, both open in B1, and the EV enters C
    again on 1 phase after ChargeDelay 15 s (6.2a, 6.4)."""
    evse = make_evse(enable_C2=4)
    ev = Ev(pp_mv=PP_32A_MV)
    plug_in_and_charge(evse, ev)
    evse.request_phases(1)
    assert evse.phases == 3 and evse.phase_request == 1
    assert evse.state == STATE_C1 and evse.contactor2 and evse.duty_1024 == 1024
    ev.level_v = 9
    run(evse, ev, 1)
    assert evse.state == STATE_B1 and not evse.contactor1 and not evse.contactor2
    run_seconds(evse, ev, 13)
    assert evse.state == STATE_B1              # ChargeDelay 15 s from C1 (6.4 2)
    run_seconds(evse, ev, 3)
    assert evse.state == STATE_B
    ev.level_v = 6
    run(evse, ev, 51)
    assert evse.state == STATE_C and evse.contactor1 and not evse.contactor2
    assert evse.phases == 1


def test_override_command_caps_the_offer_in_c():
    """Given MAX 32 and a 32 A cable with an override of 10 A, when the EV charges, then C
    is offered 10 A (duty 169), not the cable's 32 A (4.4, D13)."""
    evse = make_evse(current_max=32)
    evse.set_override_current(100)
    ev = Ev(pp_mv=PP_32A_MV)
    plug_in_and_charge(evse, ev)
    assert evse.state == STATE_C and evse.balanced_da == 100 and evse.duty_1024 == 169


def test_flags_and_sensor_values_are_commands():
    """Given a new core, when the custom button, grid relay and boot temperature are set by
    command, then the views show them (3.6, 3.3)."""
    evse = make_evse()
    evse.set_custom_button(1)
    evse.set_grid_relay(True)
    evse.set_temperature(41)
    assert evse.custom_button is True and evse.grid_relay_open is True
    assert evse.temperature_c == 41


def test_an_outside_1p_request_holds_for_the_session_with_contact_2_always_on():
    """Given CONTACT 2 Always On charging on 3 phases, when 1 phase is requested from outside,
    then the EV charges again on contactor 1 alone, and the next session is 3P again (6.2a)."""
    evse = make_evse(enable_C2=3)
    ev = Ev(pp_mv=PP_32A_MV)
    plug_in_and_charge(evse, ev)
    evse.request_phases(1)
    ev.level_v = 9
    run(evse, ev, 1)
    run_seconds(evse, ev, 16)
    ev.level_v = 6
    run(evse, ev, 51)
    assert evse.state == STATE_C and evse.contactor1 and not evse.contactor2 and evse.phases == 1
    ev.level_v = 12
    run(evse, ev, 1)
    plug_in_and_charge(evse, ev)
    assert evse.state == STATE_C and evse.contactor2 and evse.phases == 3
