"""The master's priority tables in GET /settings over HTTP (interfaces.md 1.4 `schedule`,
`nodes`; charging.md 5.3)."""

from http_client import call
from sim import Simulation

SHORT = {"mode": "Smart", "mains_meter_type": "Eastron3P", "mains_meter_address": 10,
         "MAINS": 25, "MAX": 16, "MIN": 6, "CIRCUIT": 64, "rotation_interval": 30}


def test_get_settings_shows_who_charges_and_who_waits_its_turn():
    """Given a master and two nodes under MAINS 25 A with 10 A of house load (MIN 6 A for
    two of the three EVs), when a client GETs /settings from the master over HTTP, then
    `schedule.state` reads Active, Active, Paused, then Inactive for the empty slots,
    `nodes` shows the two charging with their shares and node 3 waiting with 0, and
    `schedule.rotation_timer` is the running rotation timer in s (RotationInterval 30 min,
    started once the first ACTIVE EVSE has drawn past IdleTimeout 60 s)."""
    with Simulation(http=True, settings=SHORT, nodes=3) as s:
        s.plant.mains.load_da(100, 100, 100)
        for n in (1, 2, 3):
            s.node(n).plant.cable(rating_a=32)
            s.node(n).plant.ev.pilot("C")
            s.advance(3)
        s.advance(90)
        status, body = call(s, "GET", "/settings")
    assert status == 200
    assert body["schedule"]["state"] == ["Active", "Active", "Paused"] + ["Inactive"] * 5
    assert 1700 <= body["schedule"]["rotation_timer"] <= 1800
    nodes = body["nodes"]
    assert [row["sched"] for row in nodes[:3]] == ["Active", "Active", "Paused"]
    assert [row["state"] for row in nodes[:2]] == ["Charging", "Charging"]
    assert all(row["current"] >= 60 for row in nodes[:2]) and nodes[2]["current"] == 0
