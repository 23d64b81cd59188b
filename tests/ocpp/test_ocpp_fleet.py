"""A fleet of controllers against one central system (issue 13 item 7; docs/user-guide.md
`--fleet`)."""

import io

from sim.cli.main import main
from sim.fleet import Fleet


def test_a_fleet_of_20_boots_and_every_ev_starts_a_transaction(csms):
    """Given 20 controllers with FreeVend against the `ocpp` central system and EVs arriving
    within 10 s, when 25 s pass, then 20 distinct charge points SmartEVSE-001..020 booted,
    each EV charges and each sent one StartTransaction (issue 13 item 7)."""
    fleet = Fleet(20, csms.url(), arrive_s=(0, 10), stay_s=(600, 900))
    try:
        fleet.advance(25, slice_s=0.5)
        summary = fleet.summary()
    finally:
        fleet.close()
    ids = {m[0] for m in csms.received if m[1] == "BootNotification"}
    assert ids == {"SmartEVSE-%03d" % n for n in range(1, 21)}
    starts = {m[0] for m in csms.received if m[1] == "StartTransaction"}
    assert starts == ids
    assert summary["connected"] == 20 and summary["charging"] == 20
    assert summary["tx_starts"] == 20 and summary["queued"] == 0


def test_python_m_sim_fleet_prints_its_summary_and_refuses_a_fleet_without_ocpp(csms):
    """Given `python -m sim --fleet 3 --ocpp URL --speed max --duration 10`, then it prints
    the fleet line and a summary every 10 simulated s with 3 links up, and exits 0;
    `--fleet 3` alone stops with a line naming --ocpp (docs/user-guide.md)."""
    out = io.StringIO()
    assert main(["--fleet", "3", "--ocpp", csms.url(), "--speed", "max", "--duration", "10"],
                stdout=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("fleet: 3 controllers against ws://127.0.0.1:")
    assert "controllers=3 connected=3" in lines[-1] and lines[-1].startswith("t=    10 s")
    try:
        main(["--fleet", "3"], stdout=io.StringIO())
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("--fleet without --ocpp was taken")
