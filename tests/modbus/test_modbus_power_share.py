"""Power sharing between controllers on one simulated bus (modbus.md 3, 4; charging.md
2.10, 3.5, 5): the master's status poll and handshake, broadcasts, lost nodes and master."""

import pytest

from sim import Simulation

SMART = {"mode": "Smart", "mains_meter_type": "Eastron3P", "mains_meter_address": 10,
         "current_main": 25, "current_max": 16}


def _charge(sim):
    sim.plant.cable(rating_a=32)
    sim.plant.ev.pilot("C")


def test_nodes_ask_the_master_and_charge_with_the_broadcast_share():
    """Given a master and two nodes in Smart mode, when both nodes' EVs ask to charge,
    then each node passes COMM_B and COMM_C with the master's answers and charges with
    the current the master broadcasts for it (modbus.md 4.2, 4.4; charging.md 2.10, 5.2)."""
    s = Simulation(SMART, nodes=3)
    s.advance(5)
    assert list(s.app.modbus.share.online[1:3]) == [5, 5]     # both answered the status poll
    _charge(s.node(2))
    _charge(s.node(3))
    s.advance(15)
    table = s.app.evse.node_state
    for n in (2, 3):
        o = s.node(n).observe()
        assert o["state"] == "Charging" and o["errors"] == []
        assert table[n - 1] == 2                               # the master counts it charging
        assert o["advertised_da"] == s.app.evse.node_balanced_da[n - 1] >= 60
    assert s.node(2).observe()["mains_da"] == s.observe()["mains_da"]  # copied from the broadcast


def test_a_node_waits_in_comm_b_until_the_master_answers():
    """Given a node whose master is powered off, when its EV is connected, then it stays in
    COMM_B ("Request State B") and offers no PWM; when the master comes back it moves on
    to B (modbus.md 4.2; charging.md 2.10)."""
    s = Simulation(SMART, nodes=2)
    s.power_cut()
    node = s.node(2)
    node.plant.cable(rating_a=32)
    node.plant.ev.pilot("B")
    s.advance(5)
    assert node.observe()["state"] == "Request State B"
    assert node.observe()["advertised_da"] == 0
    s.power_on()
    s.advance(6)
    assert node.observe()["state"] == "Connected to EV"
    assert node.observe()["advertised_da"] == 60                 # MIN x 10 from the master


def test_a_node_stops_11_s_after_the_master_goes_silent_and_resumes():
    """Given a node charging, when the master loses power, then within 11 s plus a second
    the node raises CT_NOCOMM and stops; when the master is back it charges again
    (modbus.md 4.6; charging.md 3.5, 5.2)."""
    s = Simulation(SMART, nodes=2)
    _charge(s.node(2))
    s.advance(15)
    assert s.node(2).observe()["state"] == "Charging"
    s.power_cut()
    s.advance(10)
    assert "CT_NOCOMM" not in s.node(2).observe()["errors"]
    s.advance(4)
    o = s.node(2).observe()
    assert "CT_NOCOMM" in o["errors"] and not o["contactor1"]
    s.power_on()
    s.advance(90)
    o = s.node(2).observe()
    assert o["errors"] == [] and o["state"] == "Charging"


def test_the_master_releases_a_lost_nodes_share_after_5_polls():
    """Given a node charging, when it loses power, then after 5 unanswered status polls
    (~10 s) the master counts it as state A with no current (modbus.md 4.2; charging.md 5.4)."""
    s = Simulation(SMART, nodes=2)
    _charge(s.node(2))
    s.advance(15)
    assert s.app.evse.node_state[1] == 2 and s.app.evse.node_balanced_da[1] > 0
    s.node(2).power_cut()
    s.advance(6)
    assert s.app.evse.node_state[1] == 2                       # still counted: 3 polls missed
    s.advance(8)
    assert s.app.evse.node_state[1] == 0 and s.app.evse.node_balanced_da[1] == 0
    assert s.app.modbus.share.online[1] == 0


def test_a_setting_changed_on_the_master_reaches_every_node():
    """Given a master and two nodes, when MAINS is set to 32 A on the master, then the
    settings broadcast sets it on both nodes (modbus.md 4.4, 6)."""
    s = Simulation(SMART, nodes=3)
    s.advance(3)
    s.configure({"MAINS": 32})
    s.advance(3)
    assert [s.node(n).app.settings.values["current_main"] for n in (2, 3)] == [32, 32]


def test_each_node_reads_its_own_ev_meter_from_the_masters_requests():
    """Given two nodes with Eastron EV meters at addresses 12 and 13, when both charge,
    then each node's EV-meter currents are its own EV's draw, decoded from the master's
    requests and the meter's replies on the bus (modbus.md 3 steps 3-7, 4.3, 4.5)."""
    s = Simulation(SMART, nodes=3)
    s.node(2).configure({"ev_meter_type": "Eastron3P", "ev_meter_address": 12})
    s.node(3).configure({"ev_meter_type": "Eastron3P", "ev_meter_address": 13})
    _charge(s.node(2))
    s.node(3).plant.cable(rating_a=32)
    s.node(3).plant.ev.phases(1)
    s.node(3).plant.ev.pilot("C")
    s.advance(30)
    assert list(s.app.modbus.share.ev_address[1:3]) == [12, 13]     # config read (4.3)
    for n in (2, 3):
        o = s.node(n).observe()
        assert o["state"] == "Charging"
        assert o["ev_da"] == s.node(n).plant.ev.draw_da and o["ev_da"][0] > 0
    assert s.node(3).observe()["ev_da"][1:] == [0, 0]


def test_a_silent_node_ev_meter_raises_ev_nocomm_on_that_node():
    """Given a node charging in Smart mode with an EV meter, when that meter goes silent,
    then after 64 s the node raises EV_NOCOMM and stops (modbus.md 4.6; charging.md 3.5)."""
    s = Simulation(SMART, nodes=2)
    s.node(2).configure({"ev_meter_type": "Eastron3P", "ev_meter_address": 12})
    _charge(s.node(2))
    s.advance(20)
    assert s.node(2).observe()["state"] == "Charging"
    s.node(2).plant.ev_meter.online(False)
    s.advance(70)
    o = s.node(2).observe()
    assert "EV_NOCOMM" in o["errors"] and not o["contactor1"]
    assert s.observe()["errors"] == []


def test_a_master_without_mains_readings_stops_every_node():
    """Given two nodes charging, when the mains meter goes silent, then the master raises
    CT_NOCOMM after 11 s, stops broadcasting and the nodes stop too; when the meter is back
    all charge again (modbus.md 4.6; charging.md 5.4)."""
    s = Simulation(SMART, nodes=3)
    _charge(s.node(2))
    _charge(s.node(3))
    s.advance(15)
    s.plant.mains.online(False)
    s.advance(26)
    assert "CT_NOCOMM" in s.observe()["errors"]
    for n in (2, 3):
        o = s.node(n).observe()
        assert "CT_NOCOMM" in o["errors"] and not o["contactor1"]
    s.plant.mains.online(True)
    s.advance(120)
    for n in (2, 3):
        o = s.node(n).observe()
        assert o["errors"] == [] and o["state"] == "Charging"


def test_a_mode_changed_on_a_nodes_lcd_is_taken_by_the_master_and_every_node():
    """Given a master and two nodes in Smart mode, when Node 1's mode is set to Normal on
    its own menu, then the master adopts Normal at its next status poll and writes it to
    Node 2 (modbus.md 4.2 mode sync; charging.md 2.10 step 4)."""
    s = Simulation(SMART, nodes=3)
    s.advance(5)
    s.node(2).configure({"mode": "Normal"})
    s.advance(5)
    assert [s.node(n).observe()["mode"] for n in (1, 2, 3)] == ["Normal"] * 3


def test_a_hard_overload_on_the_mains_stops_every_node_at_once():
    """Given two nodes charging in Smart mode with MAINS 25 A, when a mains phase reads
    above 50 A, then the master sends its error flags (LESS_6A) to 0x09 and both nodes
    stop charging (modbus.md 3 "Hard overload", 4.4, 4.6)."""
    s = Simulation(SMART, nodes=3)
    _charge(s.node(2))
    _charge(s.node(3))
    s.advance(15)
    s.plant.mains.load_da(520, 0, 0)
    s.advance(5)
    for n in (2, 3):
        o = s.node(n).observe()
        assert "LESS_6A" in o["errors"] and not o["contactor1"]


def test_eight_controllers_on_one_bus_all_charge_within_the_mains_limit():
    """Given a master and seven nodes (the most a bus holds, 1.1) in Smart mode on one
    mains meter with MAINS and CIRCUIT 60 A, when all eight EVs ask to charge, then each
    passes the handshake and charges with at least MIN 6 A, the master counts eight
    charging, and the mains meter stays within 60.0 A per phase (modbus.md 3, 4.2-4.4;
    charging.md 4.6, 5)."""
    s = Simulation(dict(SMART, current_main=60, current_max_circuit=60), nodes=8)
    for n in range(1, 9):
        _charge(s.node(n))
    s.advance(40)
    assert list(s.app.evse.node_state) == [2] * 8
    for n in range(1, 9):
        o = s.node(n).observe()
        assert o["state"] == "Charging" and o["errors"] == [] and o["advertised_da"] >= 60
    assert max(s.plant.mains.current_da()) <= 600


def test_more_than_eight_controllers_or_none_are_refused_with_the_reason():
    """Given Simulation(nodes=9) or nodes=0, then a ValueError names the 1..8 controllers a
    bus holds (modbus.md 1.1: master and nodes 2..8), and no simulation is made."""
    for nodes in (0, 9, "8"):
        with pytest.raises(ValueError, match="1..8 controllers"):
            Simulation(SMART, nodes=nodes)
