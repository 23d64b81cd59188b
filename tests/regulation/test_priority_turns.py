"""Who waits and whose turn it is, on the regulation record alone (charging.md 5.3, 2.10;
the decisions in regulation/priority.py): a paused EVSE keeps waiting after it left C, a
refused one waits too, a hand-over clears the flag of the one given the turn, and a
second pause waits until the EVs could follow the first."""

from smartevse.core.states import (LESS_6A, MODE_SMART, STATE_A, STATE_B1, STATE_C, STATE_C1,
                                   STATE_COMM_C)
from smartevse.regulation import nodes, priority
from tests.regulation.test_sharing import _cycle, _three_charging, _values


def test_a_paused_evse_keeps_waiting_after_it_left_c_until_its_ev_is_unplugged():
    """Given node 2 paused in a shortage (5.3), when it leaves C (C1, then B1, 5.2) the
    master's tick keeps it PAUSED, so it can get its turn; when its EV is unplugged (A) it
    becomes INACTIVE."""
    v = _values()
    reg = _three_charging(v)
    _cycle(reg, v, 120 + 180)
    assert reg.node_sched[2] == priority.PAUSED
    for state in (STATE_C1, STATE_B1):
        reg.node_status(2, state, 160)
        reg.schedule_1s(v)
        assert reg.node_sched[2] == priority.PAUSED
    reg.node_status(2, STATE_A, 160)
    reg.schedule_1s(v)
    assert reg.node_sched[2] == priority.INACTIVE


def test_a_node_refused_for_lack_of_current_waits_its_turn_paused():
    """Given the master and node 1 charging at MIN with 12 A of house load (MAINS 25 A),
    when node 2 asks for C (COMM_C, 2.10) and current is not available (4.5), then it gets
    LESS_6A and waits PAUSED, like an EVSE paused by the allocation (5.3)."""
    v = _values()
    reg = _three_charging(v, nodes=(1,))
    _cycle(reg, v, 120 + 120)
    answer = nodes.node_report(reg, v, 2, STATE_COMM_C, 0, 160, 0, 32)
    assert answer == STATE_COMM_C and reg.node_error[2] & LESS_6A
    assert reg.node_sched[2] == priority.PAUSED


def test_the_turn_goes_to_a_waiting_evse_out_of_c_and_clears_its_flag():
    """Given node 1 ACTIVE and node 2 waiting PAUSED in B1 with LESS_6A, RotationInterval
    30 min running out, then node 1 is PAUSED with LESS_6A and counted out of C at once,
    node 2 ACTIVE with LESS_6A cleared; its next report (B1, LESS_6A) gets a write
    clearing the flag, so it asks again (5.3, 2.10)."""
    v = _values(rotation_interval=30)
    reg = _three_charging(v, nodes=(1,))
    reg.node_sched[0] = reg.node_sched[1] = priority.ACTIVE
    reg.node_status(2, STATE_B1, 160)
    reg.node_sched[2] = priority.PAUSED
    reg.node_error[2] = LESS_6A
    reg.node_idle_s[1] = 100                 # node 1 has been ACTIVE longest
    reg.rotation_timer_s = 1
    reg.schedule_1s(v)
    assert list(reg.node_sched[:3]) == [priority.ACTIVE, priority.PAUSED, priority.ACTIVE]
    assert reg.node_error[1] & LESS_6A and reg.node_state[1] == STATE_C1
    assert reg.node_balanced_da[1] == 0 and not reg.node_error[2] & LESS_6A
    assert nodes.node_report(reg, v, 2, STATE_B1, LESS_6A, 160, 0, 32) == STATE_B1
    assert reg.node_error[2] == 0


def test_a_second_pause_waits_until_the_evs_could_follow_the_first():
    """Given node 2 just paused in a shortage, when the next cycles' readings still show its
    draw (the EVs have 5 s to follow, IEC 61851-1), then the ACTIVE EVSEs keep MIN and
    nobody else is paused; once 5 s have passed, a shortage read then pauses the next one
    (5.3; decision in regulation/priority.py)."""
    v = _values()
    reg = _three_charging(v)
    _cycle(reg, v, 120 + 180)
    assert list(reg.node_sched[:3]) == [priority.ACTIVE, priority.ACTIVE, priority.PAUSED]
    for _ in range(4):
        reg.schedule_1s(v)
        priority.schedule(reg, v, MODE_SMART, 70)
        assert reg.node_balanced_da[:2] == [60, 60]
    reg.schedule_1s(v)
    priority.schedule(reg, v, MODE_SMART, 70)
    assert list(reg.node_sched[:3]) == [priority.ACTIVE, priority.PAUSED, priority.PAUSED]
    assert reg.node_state[0] == STATE_C
