"""The circuit (sub-panel) meter end to end: polled in steps 10-11 of the cycle, decoded by
its role, and its limit MaxCircuitMains held by the regulation in a closed loop with the
simulated sub-panel (modbus.md 3, 9; charging.md 4.2, 4.6 3d and 4, 4.8)."""

from sim import Simulation

SUBPANEL = {"MODE": "Smart", "MAINS": 40, "MAX": 16, "mains_meter_type": "Eastron3P",
            "mains_meter_address": 11, "circuit_meter_type": "Eastron3P",
            "circuit_meter_address": 14, "max_circuit_mains": 20}


def _charging_on_the_subpanel(other_da=100, settings=SUBPANEL):
    s = Simulation(settings=settings)
    s.plant.cable(rating_a=32)
    s.plant.circuit.load_da(other_da, other_da, other_da)   # a heat pump on the sub-panel
    s.plant.ev.pilot("C")
    return s


def test_the_ev_is_held_to_the_subpanel_limit_not_to_min():
    """Given Smart mode, MAX 16 A, a 20 A sub-panel limit with 10 A of other load on it and
    MAINS 40 A (not limiting), when 2 minutes pass, then the EV charges at about 10 A: the
    sub-panel stays at or under 20.0 A per phase and the EV gets more than MIN 6 A
    (charging.md 4.6 3d and 4, 4.8)."""
    s = _charging_on_the_subpanel()
    s.advance(120.0)
    o = s.observe()
    assert o["state"] == "Charging" and o["errors"] == []
    draw_da = s.plant.ev.draw_da[0]
    assert 90 <= draw_da <= 100
    assert max(s.plant.circuit.current_da()) <= 200
    assert o["modbus"]["circuit_meter"]["current_da"] == s.plant.circuit.current_da()


def test_a_subpanel_over_its_limit_stops_charging_and_it_resumes_when_the_load_falls():
    """Given the EV charging at the sub-panel's limit, when the other load rises to 18 A
    (the sub-panel over 20 A even with the EV at MIN), then within 30 s LESS_6A is raised
    and the contactors open (a hard shortage, charging.md 4.8 and 3.2); when the load falls
    back to 10 A, then charging resumes after the 60 s charge delay (2.5-14)."""
    s = _charging_on_the_subpanel()
    s.advance(120.0)
    s.plant.circuit.load_da(180, 180, 180)
    s.advance(30.0)
    o = s.observe()
    assert "LESS_6A" in o["errors"] and o["contactor1"] is False
    s.advance(30.0)
    assert s.observe()["contactor1"] is False            # still over: it stays stopped
    s.plant.circuit.load_da(100, 100, 100)
    s.advance(75.0)
    o = s.observe()
    assert o["errors"] == [] and o["state"] == "Charging" and o["contactor1"] is True


def test_the_circuit_meter_is_decoded_by_its_role_and_its_energy_read_with_the_cycle():
    """Given a circuit meter at 14 next to an EV meter at 12 of the same type, when the first
    cycle runs, then the circuit meter's currents and import energy are its own (not the EV
    meter's), though the reference decodes by address only for mains and EV (modbus.md 3
    steps 10-11, 9)."""
    settings = dict(SUBPANEL, ev_meter_type="Eastron3P", ev_meter_address=12)
    s = _charging_on_the_subpanel(other_da=40, settings=settings)
    s.plant.circuit.imported_mwh = 1234500000            # 1234.5 kWh on the sub-panel meter
    s.advance(4.0)
    o = s.observe()["modbus"]
    assert o["circuit_meter"]["import_wh"] == 1234500
    assert o["circuit_meter"]["current_da"] == s.plant.circuit.current_da()
    assert o["ev_meter"]["current_da"] == s.plant.ev_meter.current_da()
    assert o["circuit_meter"]["current_da"] != o["ev_meter"]["current_da"]


def test_without_a_limit_the_circuit_meter_is_read_but_does_not_limit():
    """Given a circuit meter with MaxCircuitMains 0 (off, charging.md 8) and 18 A of other
    load on the sub-panel, when 2 minutes pass, then the EV charges at MAX 16 A and the
    circuit meter is still read (4.8)."""
    settings = dict(SUBPANEL, max_circuit_mains=0)
    s = _charging_on_the_subpanel(other_da=180, settings=settings)
    s.advance(120.0)
    o = s.observe()
    assert o["state"] == "Charging" and s.plant.ev.draw_da[0] >= 155     # MAX, not 20 - 18 A
    assert o["modbus"]["circuit_meter"]["readings"] > 50


def test_a_master_shares_the_subpanel_limit_between_its_node_and_itself():
    """Given a master and one node charging on one sub-panel (limit 25 A, 5 A of other
    load; MAINS 40 A and CIRCUIT 32 A not limiting), when 60 s pass, then the two EVs share
    what the sub-panel allows, about 10 A each, and the sub-panel stays at or under 25.0 A
    (charging.md 4.6 3d and 4 over all EVSEs in C, 4.8; modbus.md 3 steps 10-11)."""
    settings = dict(SUBPANEL, max_circuit_mains=25, current_max_circuit=32)
    s = Simulation(settings=settings, nodes=2)
    s.plant.circuit.load_da(50, 50, 50)
    for n in (1, 2):
        s.node(n).plant.cable(rating_a=32)
        s.node(n).plant.ev.pilot("C")
    s.advance(60.0)
    draws = [s.node(n).plant.ev.draw_da[0] for n in (1, 2)]
    assert all(s.node(n).observe()["state"] == "Charging" for n in (1, 2))
    assert all(90 <= draw <= 105 for draw in draws)
    assert max(s.plant.circuit.current_da()) <= 250


def _seconds_until(s, happened, limit_s):
    """Advance in 0.1 s steps until `happened(observe())`; the seconds it took, or None."""
    for tenths in range(1, 10 * limit_s + 1):
        s.advance(0.1)
        if happened(s.observe()):
            return tenths / 10
    return None


def test_a_silent_circuit_meter_raises_ct_nocomm_after_11_s_and_clears_when_it_answers():
    """Given the EV charging under a 20 A sub-panel limit in Smart mode, when the circuit
    meter goes silent, then CT_NOCOMM 11 s after its last reading (the mains meter's
    timeout: 3.5 has none for it, so it is treated as the mains meter) and the contactors
    open; when it answers again, the error clears at its next reading and charging resumes
    (charging.md 3.5, 4.8; modbus.md 3 steps 10-11)."""
    s = _charging_on_the_subpanel()
    s.advance(30.0)
    assert s.observe()["state"] == "Charging"
    s.plant.circuit.online(False)
    # the last reading came up to one 2 s cycle before the meter went silent
    raised_s = _seconds_until(s, lambda o: "CT_NOCOMM" in o["errors"], 15)
    assert raised_s is not None and 9.0 <= raised_s <= 13.0
    s.advance(1.0)                  # power unavailable: the contactors open next
    assert s.observe()["contactor1"] is False
    s.plant.circuit.online(True)
    assert _seconds_until(s, lambda o: "CT_NOCOMM" not in o["errors"], 4) is not None
    s.advance(20.0)
    o = s.observe()
    assert o["state"] == "Charging" and o["errors"] == []


def test_in_normal_mode_a_silent_circuit_meter_stops_charging_as_its_limit_holds_there_too():
    """Given Normal mode with the sub-panel limit on (it holds in every mode, 4.8), when the
    circuit meter stays silent for 15 s, then CT_NOCOMM and the contactors open: a stale
    reading no longer guards the sub-panel (charging.md 3.5, 4.8)."""
    s = _charging_on_the_subpanel(settings=dict(SUBPANEL, MODE="Normal"))
    s.advance(30.0)
    assert s.observe()["state"] == "Charging"
    s.plant.circuit.online(False)
    s.advance(15.0)
    o = s.observe()
    assert "CT_NOCOMM" in o["errors"] and o["contactor1"] is False


def test_without_a_limit_a_silent_circuit_meter_raises_no_error():
    """Given a circuit meter with MaxCircuitMains 0 (off: it only counts the sub-panel's
    energy, 4.8), when it stays silent for 30 s, then no CT_NOCOMM and the EV charges on
    (charging.md 3.5, 8)."""
    s = _charging_on_the_subpanel(settings=dict(SUBPANEL, max_circuit_mains=0))
    s.advance(30.0)
    s.plant.circuit.online(False)
    s.advance(30.0)
    o = s.observe()
    assert o["errors"] == [] and o["state"] == "Charging" and o["contactor1"] is True
    assert o["modbus"]["timeouts"] >= 10
