"""Review of the charging core and its wiring: defects found against charging.md,
docs/architecture.md (fail-safe) and simulator.md, each pinned by a test."""

from sim import Simulation
from smartevse import log
from smartevse.core.states import STATE_C, STATE_COMM_B_OK, STATE_COMM_C, STATE_COMM_C_OK
from tests.evse_helpers import Ev, make_evse, run


def test_a_fault_during_a_lock_pulse_de_energises_the_lock_actuator():
    """Given a solenoid lock being driven (600 ms pulse after the EV connects), when the
    cable-lock service raises, then the fail-safe leaves no output energised: the lock
    drive is off within one tick, like the contactors (docs/architecture.md fail-safe;
    charging.md 8: pulses end after 600 ms)."""
    s = Simulation(settings={"LOCK": "Solenoid"})
    s.plant.cable(rating_a=32)
    s.advance(1.0)
    s.plant.ev.pilot("B")
    s.advance(0.25)
    assert s.board.lock.direction == 1          # the lock pulse is running

    def broken(*args):
        raise RuntimeError("lock driver crashed")

    s.app.lock.step_100ms = broken
    s.advance(0.11)
    assert s.observe()["fault"] is not None
    s.advance(2.0)
    assert s.board.lock.direction == 0


def test_node_grant_does_not_close_the_contactor_without_lock_confirmation():
    """Given a node with a solenoid lock that asked the master for C (COMM_C) while
    locked, when the lock feedback is lost before the master's COMM_C_OK arrives, then
    contactor 1 stays open and the node keeps waiting for the lock (charging.md 12 D4:
    contactor 1 closes only when the lock feedback says locked; 2.4 row 13)."""
    evse = make_evse(loadbl=2, lock=1, config=0)
    ev = Ev(9)
    run(evse, ev, 3)
    evse.node_current(60)
    evse.grant(STATE_COMM_B_OK)
    run(evse, ev, 2)
    ev.level_v = 6
    run(evse, ev, 51)
    assert evse.state == STATE_COMM_C
    evse.grant(STATE_COMM_C_OK)
    run(evse, ev, 1, lock_locked=False)
    assert evse.state != STATE_C
    assert not evse.contactor1 and not evse.contactor2
    # Once the lock confirms, the next grant starts the charge.
    evse.grant(STATE_COMM_C_OK)
    run(evse, ev, 1, lock_locked=True)
    assert evse.state == STATE_C and evse.contactor1


def test_access_off_through_the_api_reaches_the_event_handling(monkeypatch):
    """Given C, when the REST API sets mode 0 (access OFF), then the access change is
    passed on like every other core event (the log says "access OFF"), not swallowed by
    the app (charging.md 2.6, 9.3; app.py event handling)."""
    s = Simulation()
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(2.0)
    assert s.observe()["state"] == "Charging"
    lines = []
    monkeypatch.setattr(log, "info", lines.append)
    status, _ = s.rest("POST", "/settings", {"mode": "0"})
    assert status == 200
    s.advance(1.1)
    assert s.observe()["access"] == "off"
    assert "access OFF" in lines


def test_override_current_caps_the_b_offer_from_the_cable_rating():
    """Given Normal mode, MAX 32 A, a 13 A cable and an override current of 10 A, when
    the EV connects, then the pilot offers 10 A in B (duty 169), not the cable's 13 A:
    the override is a ceiling on the offer in every state, the lowest wins (charging.md
    12 D13, D15; D2: the B offer is MIN or the cable/MAX cap "as 4.4 gives")."""
    s = Simulation(settings={"MAX": 32})
    s.plant.cable(rating_a=13)
    status, answer = s.rest("POST", "/settings", {"override_current": 100})
    assert status == 200 and answer["override_current"] == 100
    s.plant.ev.pilot("B")
    s.advance(0.5)
    o = s.observe()
    assert o["state"] == "Connected to EV"
    assert (o["advertised_da"], o["pwm_duty"]) == (100, 169)
    s.advance(4.0)                   # regulation cycles keep the B offer
    assert s.observe()["advertised_da"] == 100
