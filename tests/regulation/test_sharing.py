"""The master's allocation among up to eight EVSEs on the regulation record alone (charging.md
4.6 step 6, 5.3, 5.4, 12 D5): equal shares under MAINS and CIRCUIT, MIN in priority order when
there is not enough, the surplus shared, rotation. No bus: node states are set with
`node_status` as the power-share protocol will."""

from smartevse.core.states import (LESS_6A, MODE_NORMAL, MODE_SMART, MODE_SOLAR, STATE_A, STATE_C,
                                   STATE_C1)
from smartevse.regulation import balance, meters, nodes, priority
from smartevse.regulation.balance import Regulation
from tests.helpers import make_settings

MASTER = 1


def _values(**overrides):
    base = dict(loadbl=MASTER, mode=MODE_SMART, mains_meter_type=1, current_main=25,
                current_min=6, current_max=16, current_max_circuit=40)
    base.update(overrides)
    return make_settings(**base).values


def _three_charging(v, each_da=60, nodes=(1, 2)):
    """The master (index 0) and `nodes` charging at `each_da`, each with a 16 A ceiling."""
    reg = Regulation()
    reg.own_state(STATE_C)
    for n in (0,) + tuple(nodes):
        if n:
            reg.node_status(n, STATE_C, 160)
        reg.node_balanced_da[n] = reg.node_prev_da[n] = each_da
    reg.iset_balanced_da = each_da * (1 + len(nodes))
    return reg


def _cycle(reg, v, l1, mod=0):
    meters.mains_reading(reg, l1, l1, l1)
    return balance.allocate(reg, v, mod, 32)


def test_normal_master_shares_circuit_equally():
    """Given a master in Normal, CIRCUIT 30 A, three EVSEs charging and nothing else on the
    circuit, when an allocation runs (mod 1, no smoothing), then each gets 10 A (4.6 3, 6)."""
    v = _values(mode=MODE_NORMAL, current_max_circuit=30)
    reg = _three_charging(v)
    _cycle(reg, v, 180, mod=1)
    assert reg.node_balanced_da[:3] == [100, 100, 100]


def test_shares_are_capped_by_each_ceiling_and_the_rest_goes_to_the_others():
    """Given a master in Normal, CIRCUIT 40 A, node 1 capped at 10 A, then it gets 10 A and the
    master and node 2 share the other 30 A: 15 A each (4.6 6 pass 1 and 2)."""
    v = _values(mode=MODE_NORMAL, current_max_circuit=40)
    reg = _three_charging(v)
    reg.node_status(1, STATE_C, 100)
    _cycle(reg, v, 180, mod=1)
    assert reg.node_balanced_da[:3] == [150, 100, 150]


def test_smart_master_never_gives_more_than_the_mains_headroom_in_sum():
    """Given Smart, MAINS 25 A, a house load of 4 A on top of three EVSEs at 6 A, when a join
    allocation runs, then the three shares sum to 25 - 4 = 21 A at most (4.6 3h, 4)."""
    v = _values()
    reg = _three_charging(v)
    _cycle(reg, v, 40 + 180, mod=1)
    assert sum(reg.node_balanced_da[:3]) <= 210
    assert reg.node_balanced_da[:3] == [70, 70, 70]


def test_not_enough_for_all_gives_min_in_address_order_and_pauses_the_last():
    """Given Smart, MAINS 25 A and a house load of 12 A, three EVSEs at 6 A (18 A: the mains at
    30 A), when the cycle finds only 13 A, then the master and node 1 get 6 A plus the 1 A
    surplus shared, node 2 gets 0, PAUSED with LESS_6A in its error word (5.3, strategy 0)."""
    v = _values()
    reg = _three_charging(v)
    _cycle(reg, v, 120 + 180)
    assert reg.node_balanced_da[2] == 0 and reg.node_sched[2] == priority.PAUSED
    assert reg.node_error[2] & LESS_6A
    assert reg.node_balanced_da[0] >= 60 and reg.node_balanced_da[1] >= 60
    assert sum(reg.node_balanced_da[:3]) == 130


def test_first_connected_goes_first_and_solar_pauses_with_no_sun():
    """Given PrioStrategy First Conn, node 2 connected before node 1 and the master, when only
    one MIN is available in Solar, then node 2 charges and the others are paused with NO_SUN (5.3)."""
    v = _values(mode=MODE_SOLAR, prio_strategy=1)
    reg = _three_charging(v)
    reg.node_connected_s[:3] = [30, 20, 10]
    reg.available_da = 70
    assert priority.schedule(reg, v, MODE_SOLAR, 70) == 1
    assert reg.node_balanced_da[:3] == [0, 0, 70]
    assert reg.node_error[0] & priority.NO_SUN and reg.node_error[1] & priority.NO_SUN


def test_last_connected_goes_first():
    """Given PrioStrategy Last Conn, node 1 connected last, then it gets the only MIN (5.3)."""
    v = _values(prio_strategy=2)
    reg = _three_charging(v)
    reg.node_connected_s[:3] = [10, 30, 20]
    priority.schedule(reg, v, MODE_SMART, 60)
    assert reg.node_balanced_da[:3] == [0, 60, 0]


def test_an_idle_active_evse_hands_over_after_idle_timeout():
    """Given one MIN for two EVSEs (master ACTIVE, node 1 PAUSED), IdleTimeout 60 s and no
    current on the master's EV meter, when 60 s pass, then the master is paused and node 1
    ACTIVE; the next shortage cycle keeps that hand-over (5.3 rotation; decision in
    priority.py)."""
    v = _values(idle_timeout=60, ev_meter_type=4)
    reg = _three_charging(v, nodes=(1,))
    priority.schedule(reg, v, MODE_SMART, 60)
    assert list(reg.node_sched[:2]) == [priority.ACTIVE, priority.PAUSED]
    for _ in range(60):
        reg.schedule_1s(v)
    assert list(reg.node_sched[:2]) == [priority.PAUSED, priority.ACTIVE]
    priority.schedule(reg, v, MODE_SMART, 60)
    assert reg.node_balanced_da[:2] == [0, 60]


def test_a_drawing_evse_keeps_going_until_the_rotation_interval():
    """Given the active EVSE drawing 6 A on the EV meter, RotationInterval 30 min, then it keeps
    its turn past IdleTimeout and hands over when 30 min have run (5.3)."""
    v = _values(idle_timeout=60, rotation_interval=30)
    reg = _three_charging(v, nodes=(1,))
    priority.schedule(reg, v, MODE_SMART, 60)
    meters.ev_reading(reg, 60, 60, 60)
    for _ in range(59 + 30 * 60 - 1):         # the timer starts, and counts, in the 60th second
        reg.schedule_1s(v)
    assert reg.node_sched[0] == priority.ACTIVE
    reg.schedule_1s(v)
    assert list(reg.node_sched[:2]) == [priority.PAUSED, priority.ACTIVE]


def test_a_lost_node_s_share_is_released_at_the_next_cycle():
    """Given Normal, CIRCUIT 30 A shared by three, when node 2 is lost (state A, 5.4), then the
    next allocation gives its share to the others: 15 A each, node 2 nothing."""
    v = _values(mode=MODE_NORMAL, current_max_circuit=30)
    reg = _three_charging(v)
    _cycle(reg, v, 180, mod=1)
    reg.node_status(2, STATE_A, 160)
    reg.node_balanced_da[2] = 0
    _cycle(reg, v, 120, mod=1)
    assert reg.node_balanced_da[:3] == [150, 150, 0]


def test_enough_current_again_makes_everyone_active_and_clears_less_6a():
    """Given node 2 paused with LESS_6A, when a cycle has room for all, then all are ACTIVE and
    LESS_6A is cleared in node 2's error word (4.6 6 no shortage)."""
    v = _values(mode=MODE_NORMAL)
    reg = _three_charging(v)
    reg.node_sched[2] = priority.PAUSED
    reg.node_error[2] = LESS_6A
    _cycle(reg, v, 180)
    assert list(reg.node_sched[:3]) == [priority.ACTIVE] * 3 and reg.node_error[2] == 0


def test_a_paused_nodes_less_6a_is_written_at_its_next_report_until_current_is_back():
    """Given node 2 paused by priority scheduling (LESS_6A in its error word, 5.3), when it
    reports C1 without the flag, then the master keeps LESS_6A and answers with a state
    write carrying it (2.10 step 1: cleared only when current is available); when the
    house load is gone, the next report clears it."""
    v = _values()
    reg = _three_charging(v)
    _cycle(reg, v, 120 + 180)
    assert reg.node_error[2] & LESS_6A
    answer = nodes.node_report(reg, v, 2, STATE_C1, 0, 160, 0, 32)
    assert answer == STATE_C1 and reg.node_error[2] & LESS_6A
    _cycle(reg, v, 20 + 130)
    nodes.node_report(reg, v, 2, STATE_C1, LESS_6A, 160, 0, 32)
    assert not reg.node_error[2] & LESS_6A
