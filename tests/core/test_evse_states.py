"""IEC 61851 states and the 10 ms step (charging.md 2.1-2.4, 2.9, 1.2, 7, 12 D2/D6/D9/D11)."""

from smartevse.core.states import (STATE_A, STATE_B, STATE_C, STATE_D, STATE_ACTSTART, EVENT_STATE,
                            EVENT_PLUGGED, EVENT_UNPLUGGED, EVENT_CHARGING_STARTED,
                            EVENT_CHARGING_STOPPED, EVENT_CONTACTOR)
from tests.evse_helpers import MV, Ev, make_evse, plug_in_and_charge, run, run_seconds

PP_13A_MV = 2000   # 1.5 kohm or open: 13 A
PP_32A_MV = 600    # 220 ohm


def test_power_on_is_idle_a_with_pwm_off_and_contactors_open():
    """Given power-on, when nothing is plugged in, then A, duty 1024, contactors open (2.1, 2.3)."""
    evse = make_evse()
    run(evse, Ev(12), 10)
    assert evse.state == STATE_A
    assert evse.duty_1024 == 1024
    assert not evse.contactor1 and not evse.contactor2
    assert evse.pilot_connected


def test_plug_in_enters_b_within_one_tick_offering_min():
    """Given A, when the EV shows 9 V, then B in the same tick with the 6 A duty 102 (row 3, D2)."""
    evse = make_evse(current_max=16)
    events = run(evse, Ev(9, pp_mv=PP_32A_MV))
    assert evse.state == STATE_B
    assert evse.duty_1024 == 102
    assert events & EVENT_STATE and events & EVENT_PLUGGED
    assert not evse.contactor1


def test_plug_in_offers_the_cable_rating_when_max_exceeds_it():
    """Given MAX 32 A and a 13 A cable, when plugged in, then B offers 13 A: duty 221 (row 3, 7, D9)."""
    evse = make_evse(current_max=32)
    run(evse, Ev(9, pp_mv=PP_13A_MV))
    assert evse.state == STATE_B
    assert evse.max_capacity_a == 13
    assert evse.duty_1024 == 221


def test_fixed_cable_ignores_proximity():
    """Given CONFIG Fixed and MAX 32, when plugged in with any PP, then MaxCapacity = MAX (7)."""
    evse = make_evse(config=1, current_max=32)
    run(evse, Ev(9, pp_mv=PP_13A_MV))
    assert evse.max_capacity_a == 32
    assert evse.duty_1024 == 102


def test_ev_without_diode_stays_in_b():
    """Given B and an EV whose diode is missing, when it shows 6 V for 5 s, then it stays B (1.2)."""
    evse = make_evse()
    ev = Ev(9, diode=False)
    run(evse, ev, 5)
    ev.level_v = 6
    run(evse, ev, 500)
    assert evse.state == STATE_B
    assert not evse.contactor1


def test_c_needs_more_than_50_ticks_of_6v_after_the_diode():
    """Given B with the diode seen, when 6 V is held, then C on the 51st tick, not before (row 7)."""
    evse = make_evse()
    ev = Ev(9)
    run(evse, ev, 2)
    ev.level_v = 6
    run(evse, ev, 50)
    assert evse.state == STATE_B
    events = run(evse, ev, 1)
    assert evse.state == STATE_C
    assert events & EVENT_CHARGING_STARTED and events & EVENT_CONTACTOR
    assert evse.contactor1 and evse.contactor2 and evse.phases == 3


def test_a_single_9v_tick_restarts_the_debounce():
    """Given 50 ticks of 6 V in B, when one 9 V tick comes, then 51 more 6 V ticks are needed (row 8)."""
    evse = make_evse()
    ev = Ev(9)
    run(evse, ev, 2)
    ev.level_v = 6
    run(evse, ev, 50)
    ev.level_v = 9
    run(evse, ev, 1)
    ev.level_v = 6
    run(evse, ev, 50)
    assert evse.state == STATE_B
    run(evse, ev, 1)
    assert evse.state == STATE_C


def test_charging_starts_at_the_allocated_current_at_once():
    """Given MAX 16 A and a 32 A cable, when B -> C, then the duty for 16 A (272) in that tick (decision)."""
    evse = make_evse(current_max=16)
    ev = Ev(9, pp_mv=PP_32A_MV)
    run(evse, ev, 2)
    assert evse.duty_1024 == 102            # B offers MIN (row 3)
    plug_in_and_charge(evse, ev)
    assert evse.state == STATE_C
    assert evse.balanced_da == 160
    assert evse.duty_1024 == 272
    run_seconds(evse, ev, 4)
    assert evse.duty_1024 == 272


def test_cable_caps_the_current_in_c():
    """Given MAX 32 A and a 13 A cable, when charging, then 13 A is offered (4.4 cable cap)."""
    evse = make_evse(current_max=32)
    ev = Ev(9, pp_mv=PP_13A_MV)
    plug_in_and_charge(evse, ev)
    run_seconds(evse, ev, 4)
    assert evse.state == STATE_C
    assert evse.balanced_da == 130
    assert evse.duty_1024 == 221


def test_ev_back_to_9v_opens_the_contactors_in_the_same_tick():
    """Given C, when the EV shows 9 V, then B and both contactors open in that tick (row 15)."""
    evse = make_evse()
    ev = Ev()
    plug_in_and_charge(evse, ev)
    ev.level_v = 9
    events = run(evse, ev, 1)
    assert evse.state == STATE_B
    assert not evse.contactor1 and not evse.contactor2
    assert events & EVENT_CHARGING_STOPPED


def test_unplug_while_charging_opens_the_contactors_in_the_same_tick():
    """Given C, when the CP shows 12 V, then A, contactors open, PWM off in that tick (row 14)."""
    evse = make_evse()
    ev = Ev()
    plug_in_and_charge(evse, ev)
    ev.level_v = 12
    events = run(evse, ev, 1)
    assert evse.state == STATE_A
    assert not evse.contactor1 and not evse.contactor2
    assert evse.duty_1024 == 1024
    assert events & EVENT_UNPLUGGED and events & EVENT_CHARGING_STOPPED


def test_short_in_c_for_more_than_50_ticks_goes_to_b():
    """Given C, when the CP reads about 0 V for 51 ticks, then B with contactors open (row 16)."""
    evse = make_evse()
    ev = Ev()
    plug_in_and_charge(evse, ev)
    ev.level_v = 0
    run(evse, ev, 50)
    assert evse.state == STATE_C
    run(evse, ev, 1)
    assert evse.state == STATE_B
    assert not evse.contactor1


def test_state_d_opens_the_contactors_at_once_and_returns_to_b():
    """Given C, when 3 V (ventilation), then D with contactors open and PWM off; 9 V -> B (D6, D11)."""
    evse = make_evse()
    ev = Ev()
    plug_in_and_charge(evse, ev)
    ev.level_v = 3
    run(evse, ev, 1)
    assert evse.state == STATE_D
    assert not evse.contactor1 and not evse.contactor2
    assert evse.duty_1024 == 1024
    run(evse, ev, 100)
    assert evse.state == STATE_D
    ev.level_v = 9
    run(evse, ev, 1)
    assert evse.state == STATE_B
    assert evse.duty_1024 != 1024


def test_state_d_unplug_goes_to_a():
    """Given D, when the CP shows 12 V, then A (D6b)."""
    evse = make_evse()
    ev = Ev()
    plug_in_and_charge(evse, ev)
    ev.level_v = 3
    run(evse, ev, 1)
    ev.level_v = 12
    run(evse, ev, 1)
    assert evse.state == STATE_A


def test_activation_pulse_after_30_s_in_b_at_9v():
    """Given B at 9 V, when 30 s pass, then ACTSTART with duty 0 for 3 s, then B again once (2.9)."""
    evse = make_evse()
    ev = Ev(9)
    run(evse, ev, 1)
    run_seconds(evse, ev, 30)
    run(evse, ev, 1)
    assert evse.state == STATE_ACTSTART
    assert evse.duty_1024 == 0
    run_seconds(evse, ev, 2)
    assert evse.state == STATE_ACTSTART
    run_seconds(evse, ev, 1)
    run(evse, ev, 1)
    assert evse.state == STATE_B
    assert evse.duty_1024 == 102
    run_seconds(evse, ev, 60)
    assert evse.state == STATE_B             # one attempt per connection


def test_a_window_between_levels_is_never_a_charge_request():
    """Given A or B, when every window straddles two bands, then no plug-in and no C (1.3, 2.4)."""
    evse = make_evse()
    for _ in range(200):
        evse.tick_10ms(MV[9] - 200, MV[9] + 200, MV[9] - 200, MV[9] + 200, 0, False, True)
    assert evse.state == STATE_A
    ev = Ev(9)
    run(evse, ev, 2)
    for _ in range(200):
        evse.tick_10ms(MV[6] - 10, MV[9], MV[6] - 10, MV[9], 0, False, True)
    assert evse.state == STATE_B
    assert not evse.contactor1
