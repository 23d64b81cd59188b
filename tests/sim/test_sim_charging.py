"""A charging session seen through the simulator (charging.md 1, 2, 7, 12)."""

import pytest

from sim import Simulation

TICK = 0.01


def connected(settings=None, cable_a=32):
    s = Simulation(settings=settings)
    s.plant.cable(rating_a=cable_a)
    s.plant.ev.pilot("B")
    s.advance(0.5)
    return s


def charging(settings=None, cable_a=32):
    s = connected(settings, cable_a)
    s.plant.ev.pilot("C")
    s.advance(1.0)
    assert s.observe()["state"] == "Charging"
    return s


def test_power_on_idles_in_a_with_12v_and_contactors_open():
    """Given a fresh power-on, when nothing is plugged, then state A, +12 V (duty 1024),
    both contactors open and no error (charging.md 2.1, 1.1)."""
    with Simulation() as s:
        s.advance(2.0)
        o = s.observe()
        assert (o["state"], o["state_id"], o["pwm_duty"]) == ("Ready to Charge", 0, 1024)
        assert o["contactor1"] is False and o["contactor2"] is False
        assert o["errors"] == [] and o["access"] == "on" and o["mode"] == "Normal"


def test_a_to_b_on_9v_within_one_tick():
    """Given state A, when the EV shows 9 V, then B after one 10 ms tick (2.4 row 3)."""
    with Simulation() as s:
        s.plant.cable(rating_a=32)
        s.advance(1.0)
        s.plant.ev.pilot("B")
        s.advance(TICK)
        assert s.observe()["state_id"] == 1


def test_offer_is_min_while_only_connected():
    """Given MAX 13 and a 32 A cable, when the EV connects, then the pilot offers MIN
    6 A: duty 102 (1.1, 2.4 row 3, D2)."""
    s = connected()
    o = s.observe()
    assert (o["state"], o["pwm_duty"], o["advertised_da"]) == ("Connected to EV", 102, 60)


def test_cable_rating_caps_the_offer_when_connected():
    """Given MAX 32 and a 13 A cable, when the EV connects, then the offer is the cable's
    13 A: duty 221 (2.4 row 3, 7)."""
    s = connected({"MAX": 32}, cable_a=13)
    o = s.observe()
    assert (o["pwm_duty"], o["advertised_da"]) == (221, 130)


@pytest.mark.parametrize("cable_a,expected_da,duty", [(20, 200, 340), (32, 320, 545), (63, 320, 545)])
def test_cable_rating_caps_the_charge_current(cable_a, expected_da, duty):
    """Given MAX 32 and a cable of 20/32/63 A, when charging, then the offer is
    min(MAX, cable) with the 1.1 duty (4.4, 7, D3: 680 ohm = 20 A)."""
    s = charging({"MAX": 32}, cable_a=cable_a)
    s.advance(3.0)
    o = s.observe()
    assert (o["advertised_da"], o["pwm_duty"]) == (expected_da, duty)
    assert s.plant.ev.draw_da[0] == pytest.approx(expected_da, abs=2)


def test_fixed_cable_offers_max():
    """Given CONFIG Fixed and MAX 16, when charging, then 16 A (duty 272) whatever the
    PP input reads (7)."""
    s = charging({"CONFIG": "Fixed", "MAX": 16}, cable_a=13)
    s.advance(3.0)
    assert s.observe()["pwm_duty"] == 272


def test_no_access_ignores_the_ev():
    """Given access OFF, when the EV connects and asks for current, then the state stays
    A, +12 V, contactors open (2.4 rows 3-4, 2.6)."""
    with Simulation(settings={"access": "off"}) as s:
        s.plant.cable(rating_a=32)
        s.plant.ev.pilot("C")
        s.advance(3.0)
        o = s.observe()
        assert (o["state_id"], o["pwm_duty"], o["contactor1"]) == (0, 1024, False)


def test_missing_diode_refuses_charging():
    """Given an EV without its diode, when it asks for current, then the EVSE stays in B
    with contactors open (1.2, 2.4 rows 7 and 9)."""
    with Simulation() as s:
        s.plant.cable(rating_a=32)
        s.plant.ev.diode(False)
        s.plant.ev.pilot("C")
        s.advance(10.0)
        o = s.observe()
        assert o["state"] == "Connected to EV" and o["contactor1"] is False


def test_c_needs_half_a_second_of_6v():
    """Given B with the diode seen, when the EV shows 6 V, then C only after more than
    50 ticks (> 0.5 s) of 6 V (2.4 row 7)."""
    s = connected()
    s.plant.ev.pilot("C")
    s.advance(0.50)
    assert s.observe()["state_id"] == 1 and s.observe()["contactor1"] is False
    s.advance(0.03)
    o = s.observe()
    assert o["state_id"] == 2 and o["contactor1"] is True


def test_a_9v_glitch_restarts_the_6v_count():
    """Given B counting 6 V, when one tick reads 9 V, then the 0.5 s count restarts
    (2.4 row 8)."""
    s = connected()
    s.plant.ev.pilot("C")
    s.advance(0.30)
    s.plant.ev.pilot_mv(9000)
    s.advance(TICK)
    s.plant.ev.pilot("C")
    s.advance(0.48)
    assert s.observe()["state_id"] == 1
    s.advance(0.05)
    assert s.observe()["state_id"] == 2


def test_a_window_between_levels_is_never_a_charge_request():
    """Given B, when the pilot window straddles the 9 V / 6 V border, then it is NOK:
    no C, contactors open (1.3)."""
    s = connected()
    s.plant.ev.pilot_mv(8430)        # the 9 V / 6 V border of the ADC bands
    s.plant.ev.noise_mv(500)
    s.advance(5.0)
    o = s.observe()
    assert o["state_id"] == 1 and o["contactor1"] is False


def test_charging_closes_both_contactors_on_three_phases():
    """Given CONTACT 2 Always On, when charging starts, then C1 and C2 close and 3
    phases are used (2.3 C entry, 6.1)."""
    s = charging()
    o = s.observe()
    assert o["contactor1"] and o["contactor2"] and o["phases"] == 3


def test_c_to_b_opens_the_contactors_within_20ms():
    """Given C, when the EV stops asking (9 V), then B and contactors open within 20 ms
    (2.4 row 15)."""
    s = charging()
    s.plant.ev.pilot("B")
    s.advance(0.02)
    o = s.observe()
    assert o["state_id"] == 1 and not o["contactor1"] and not o["contactor2"]


def test_unplug_opens_the_contactors_within_20ms():
    """Given C, when the EV is unplugged (12 V), then A and contactors open within 20 ms
    (2.4 row 14)."""
    s = charging()
    s.plant.ev.pilot("A")
    s.advance(0.02)
    o = s.observe()
    assert (o["state_id"], o["contactor1"], o["pwm_duty"]) == (0, False, 1024)


def test_access_off_while_charging_goes_c1_then_b1():
    """Given C, when access goes OFF, then C1 (PWM off, contactors still closed until the
    EV reacts), then B1 with contactors open; the EV sees no PWM (2.6, 2.3)."""
    s = charging()
    s.configure({"access": "off"})
    s.advance(TICK)
    o = s.observe()
    assert o["pwm_duty"] == 1024
    s.advance(0.1)
    o = s.observe()
    assert o["state"] == "Charging Stopped" and o["contactor1"] is False


def test_state_d_opens_the_contactors_in_one_tick():
    """Given C, when the EV asks for ventilation (3 V), then D with contactors open in
    the same tick and no current offered (12 D6)."""
    s = charging()
    s.plant.ev.pilot("D")
    s.advance(TICK)
    o = s.observe()
    assert (o["state_id"], o["contactor1"], o["pwm_duty"]) == (3, False, 1024)


def test_session_end_keeps_access_on_without_an_authorisation_source():
    """Given no RFID/switch authorisation, when a session ends, then access stays ON and
    the next EV charges (12 D1)."""
    s = charging()
    s.plant.ev.pilot("A")
    s.advance(1.0)
    assert s.observe()["access"] == "on"
    s.plant.ev.pilot("C")
    s.advance(2.0)
    assert s.observe()["state"] == "Charging"


def test_session_end_clears_access_with_an_access_switch_push_button():
    """Given SWITCH Access B (an authorisation source), when a session ends, then access
    is OFF (12 D1)."""
    s = Simulation(settings={"SWITCH": "Access B"})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(2.0)
    assert s.observe()["state"] == "Charging"
    s.plant.ev.pilot("A")
    s.advance(1.0)
    assert s.observe()["access"] == "off"


def test_activation_mode_after_30s_in_b():
    """Given B with the EV silent at 9 V, when 30 s pass, then ACTSTART: duty 0 for 3 s,
    then B again (2.9)."""
    s = connected()
    s.advance(30.5)
    o = s.observe()
    assert (o["state_id"], o["pwm_duty"]) == (8, 0)
    s.advance(3.5)
    assert s.observe()["state_id"] == 1
