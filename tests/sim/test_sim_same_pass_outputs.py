"""Outputs of a transition made outside the 10 ms service reach the board in the same
loop pass (issue 6 item 9; charging.md 0.1, 2.3, 2.5; docs/architecture.md "The cooperative
loop"): the contactors and the pilot never lag the state machine by a pass."""

from sim import Simulation
from tests.sim.test_sim_protections import charging as _charging


def _pass(s):
    """One 10 ms loop pass on the simulation clock, as Simulation.advance runs it."""
    s._clock.now_ms += 10
    s.plant.step(10, s.board)
    s.app.loop.run_once()


def _board_follows_core(s):
    board, evse = s.board, s.app.evse
    return (board.contactor1.value == evse.contactor1 and board.contactor2.value == evse.contactor2
            and board.pilot.duty_1024 == evse.duty_1024
            and board.pilot.connected == evse.pilot_connected)


def _passes_until_state(s, state_name, max_passes):
    """Run passes until the core is in `state_name`; True if the board matched the core
    at the end of every pass on the way (checked before the state test)."""
    for _ in range(max_passes):
        _pass(s)
        assert _board_follows_core(s), "board lags the core after a pass"
        if s.observe()["state"] == state_name:
            return True
    return False


def test_temp_high_stops_the_pwm_in_the_pass_of_the_1s_service():
    """Given C at 25 C, when the board reaches 66 C, then in the very pass the 1 s service
    raises TEMP_HIGH (C -> C1) the pilot on the board is at +12 V (duty 1024) (3.3, 2.3 C1)."""
    s = _charging()
    s.plant.temperature(66)
    assert _passes_until_state(s, "Stop Charging", 150)
    assert s.board.pilot.duty_1024 == 1024
    assert "TEMP_HIGH" in s.observe()["errors"]


def test_c1_timer_opens_the_contactors_in_the_pass_of_the_1s_service():
    """Given C1 after TEMP_HIGH with the EV still at 6 V, when the 6 s C1 timer runs out in
    the 1 s service, then the board's contactors are open in that same pass (2.5-2, 2.3 B1)."""
    s = _charging()
    s.plant.temperature(66)
    assert _passes_until_state(s, "Stop Charging", 150)
    assert s.board.contactor1.value is True          # C1 keeps them closed: the EV stops first
    assert _passes_until_state(s, "Charging Stopped", 800)
    assert s.board.contactor1.value is False and s.board.contactor2.value is False


def test_delayed_stop_stops_the_pwm_in_the_pass_of_the_1s_service():
    """Given C inside a delayed-charging window 08:01-08:02, when 08:02 passes, then access
    OFF (C -> C1) reaches the pilot (+12 V) in the same pass (9.1, 2.6)."""
    s = Simulation(start="2026-01-01T08:00:00")
    status, body = s.rest("POST", "/settings", {"starttime": "2026-01-01T08:01",
                                                "stoptime": "2026-01-01T08:02"})
    assert status == 200 and body["stoptime"] - body["starttime"] == 60
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(90)
    assert s.observe()["state"] == "Charging"
    assert _passes_until_state(s, "Stop Charging", 4000)
    assert s.observe()["access"] == "off" and s.board.pilot.duty_1024 == 1024


def test_rest_pause_stops_the_pwm_before_the_next_pass():
    """Given C, when REST sets mode=4 (access PAUSE), then the pilot on the board is at
    +12 V when the request returns, with no loop pass in between (2.6 C -> C1, interfaces.md 1.5)."""
    s = _charging()
    assert s.board.pilot.duty_1024 < 1024
    status, body = s.rest("POST", "/settings", {"mode": "4"})
    assert status == 200
    assert s.observe()["state"] == "Stop Charging"
    assert s.board.pilot.duty_1024 == 1024 and _board_follows_core(s)


def test_configured_access_off_stops_the_pwm_before_the_next_pass():
    """Given C, when the menu path sets access OFF, then the pilot on the board is at +12 V
    when configure returns (settings-and-menu.md 1.3, charging.md 2.6)."""
    s = _charging()
    s.configure({"access": "OFF"})
    assert s.observe()["state"] == "Stop Charging"
    assert s.board.pilot.duty_1024 == 1024 and _board_follows_core(s)
