"""The master's view of its nodes on the bus (charging.md 2.10, 5.4; modbus.md 4.6)."""
# Imported only by a power-share master or node (core/evse.py imports it on first use), so
# a standalone controller does not hold it. Functions over the Regulation record.

from smartevse.core.states import (CT_NOCOMM, LESS_6A, STATE_A, STATE_B, STATE_C, STATE_C1,
                                   STATE_COMM_B, STATE_COMM_B_OK, STATE_COMM_C, STATE_COMM_C_OK)
from smartevse.regulation.balance import allocate, is_current_available
from smartevse.regulation.priority import ACTIVE, INACTIVE, PAUSED


def node_report(reg, v, n, state, error, max_da, ct_nocomm, cable_a):
    """Node n's status reply (2.10 steps 1-3); the state to write back, or -1."""
    sched = reg.node_sched[n]
    # A paused node is leaving C (its 0 share stops it, 5.2): it no longer counts as
    # charging, and its draw until it stops is Baseload, as for any load (4.6 2).
    reg.node_status(n, STATE_C1 if state == STATE_C and sched == PAUSED else state, max_da)
    avail = is_current_available(reg, v)
    # LESS_6A the master set (a pause by priority scheduling, 5.3) stays until current is
    # available or the node's turn comes (ACTIVE, not in C), so it reaches the node with
    # the next write (the fork overwrote it with the node's report, and a paused node
    # never showed it).
    err = error | (reg.node_error[n] & LESS_6A)
    if avail or (sched == ACTIVE and state != STATE_C):
        err &= ~LESS_6A
    if ct_nocomm:
        err |= CT_NOCOMM
    answer = -1
    if state == STATE_A:
        reg.node_timer_s[n] = 0
        reg.node_int_timer_s[n] = 0
    elif state == STATE_COMM_B or state == STATE_COMM_C:
        reg.node_balanced_da[n] = 0
        if not avail:
            err |= LESS_6A
            if sched == INACTIVE:
                reg.node_sched[n] = PAUSED      # refused for lack of current: it waits its turn (5.3)
        elif state == STATE_COMM_B:
            reg.node_state[n] = STATE_B
            reg.node_balanced_da[n] = v["current_min"] * 10
            answer = STATE_COMM_B_OK
        else:
            reg.node_state[n] = STATE_C
            reg.node_sched[n] = ACTIVE
            allocate(reg, v, 1, cable_a)
            if not reg.node_balanced_da[n]:     # no fresh reading to distribute: MIN, as row 7
                reg.node_balanced_da[n] = v["current_min"] * 10
            answer = STATE_COMM_C_OK
    reg.node_error[n] = err
    return state if answer < 0 and err != error else answer


def node_lost(reg, n):
    """Node n missed 5 status polls: state A, its share released (5.4)."""
    reg.node_state[n] = STATE_A
    reg.node_balanced_da[n] = 0


def master_lost(reg):
    """On a node: the master wrote CT_NOCOMM, the link error is immediate (3.5)."""
    reg.mains_timeout_s = 0
