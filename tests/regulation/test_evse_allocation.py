"""The Evse with its regulation: Normal-mode allocation through the state machine, phases
and the node handshake (charging.md 2.10, 4.3-4.6, 5.2, 6, 12 D5/D13). The record's own
rules (ceiling, availability, timers) are in test_balance.py."""

from smartevse.core.states import (STATE_A, STATE_B, STATE_C, STATE_C1, STATE_COMM_B, STATE_COMM_B_OK,
                            STATE_COMM_C, STATE_COMM_C_OK, LESS_6A, CT_NOCOMM, MODE_SMART)
from tests.evse_helpers import Ev, make_evse, plug_in_and_charge, run, run_seconds

PP_32A_MV = 600


def _charging(**settings):
    evse = make_evse(**settings)
    ev = Ev(pp_mv=PP_32A_MV)
    plug_in_and_charge(evse, ev)
    assert evse.state == STATE_C
    return evse, ev


def test_regulation_writes_the_duty_in_c_and_ramps_a_lower_ceiling():
    """Given C at 16 A, when the override drops to 10 A, then -3 A per cycle down to 10 A (4.3 5, 4.6 6)."""
    evse, ev = _charging(current_max=16)
    assert evse.balanced_da == 160
    evse.set_override_current(100)
    evse.regulate()
    assert evse.balanced_da == 130
    evse.regulate()
    assert evse.balanced_da == 100
    assert evse.duty_1024 == 169


def test_allocation_of_zero_while_charging_stops_via_c1():
    """Given C, when an OCPP limit below MIN makes the allocation 0, then LESS_6A and C1, never a 0 A offer (D5)."""
    evse, ev = _charging(ocpp_mode=1)
    evse.set_ocpp_limit(30)
    evse.regulate()
    assert evse.state == STATE_C1
    assert evse.error_flags & LESS_6A
    assert evse.duty_1024 == 1024


def test_master_in_normal_shares_circuit_equally():
    """Given a master with CIRCUIT 16 and one node charging, when it charges too, then 8 A each (4.6 3, 6)."""
    evse = make_evse(loadbl=1, current_max=16, current_max_circuit=16)
    evse.node_status(1, STATE_C, 160)
    ev = Ev(pp_mv=PP_32A_MV)
    plug_in_and_charge(evse, ev)
    assert evse.state == STATE_C
    assert evse.node_balanced_da[0] == 80
    assert evse.node_balanced_da[1] == 80
    assert evse.duty_1024 == 136


def test_master_caps_a_node_at_its_max_and_gives_the_rest():
    """Given CIRCUIT 32, a node capped at 10 A and the master at 32 A, then 10 A + 22 A (4.6 6 pass 1)."""
    evse = make_evse(loadbl=1, current_max=32, current_max_circuit=32)
    evse.node_status(1, STATE_C, 100)
    ev = Ev(pp_mv=PP_32A_MV)
    plug_in_and_charge(evse, ev)
    assert evse.node_balanced_da[1] == 100
    assert evse.node_balanced_da[0] == 220


def test_single_phase_forced_keeps_contactor_2_open():
    """Given CONTACT 2 Always Off, when charging starts, then C1 closed, C2 open, 1 phase (6.1, 2.3 C)."""
    evse, ev = _charging(enable_C2=1)
    assert evse.contactor1 and not evse.contactor2
    assert evse.phases == 1


def test_node_asks_the_master_for_b_and_c():
    """Given a node, when plugged in and asking 6 V, then COMM_B/COMM_C until the master grants (2.10)."""
    evse = make_evse(loadbl=2)
    ev = Ev(9)
    run(evse, ev, 3)
    assert evse.state == STATE_COMM_B
    assert evse.duty_1024 == 1024
    evse.node_current(60)
    evse.grant(STATE_COMM_B_OK)
    assert evse.state == STATE_COMM_B_OK
    run(evse, ev, 2)
    assert evse.state == STATE_B
    assert evse.duty_1024 == 102
    ev.level_v = 6
    run(evse, ev, 51)
    assert evse.state == STATE_COMM_C
    assert not evse.contactor1
    evse.grant(STATE_COMM_C_OK)
    run(evse, ev, 1)
    assert evse.state == STATE_C
    assert evse.contactor1
    evse.node_current(0)
    assert evse.state == STATE_C1


def test_grant_outside_the_request_is_ignored():
    """Given a node in A, when a stale COMM_C_OK arrives, then nothing happens (safety)."""
    evse = make_evse(loadbl=2)
    evse.grant(STATE_COMM_C_OK)
    assert evse.state == STATE_A


def test_node_without_master_broadcasts_raises_ct_nocomm():
    """Given a node in Normal, when no broadcast for 11 s, then CT_NOCOMM (3.5 master-link timeout)."""
    evse = make_evse(loadbl=2)
    ev = Ev(12)
    run_seconds(evse, ev, 12)
    assert evse.error_flags & CT_NOCOMM
    evse.node_current(0)
    run_seconds(evse, ev, 1)
    assert not evse.error_flags & CT_NOCOMM


def test_smart_hard_overload_sets_less_6a():
    """Given Smart and MAINS 25, when a phase reads above 50 A, then LESS_6A at the cycle (3.2)."""
    evse = make_evse()
    evse.set_mode(MODE_SMART)
    evse.mains_reading(510, 0, 0)
    evse.regulate()
    assert evse.error_flags & LESS_6A


def test_regulation_keeps_the_b_offer():
    """Given B offering MIN, when regulation cycles run, then the B duty stays (4.3 5, row 3)."""
    evse = make_evse(current_max=32)
    ev = Ev(9, pp_mv=PP_32A_MV)
    run(evse, ev, 1)
    run_seconds(evse, ev, 6)
    assert evse.state == STATE_B
    assert evse.duty_1024 == 102
