"""Charge-session records: GET /session/last and /sessions, kept in their own NVM region
(interfaces.md 1.14; settings/nvm.py SESSIONS_*; issue 11 item 9)."""

from sim import Simulation
from smartevse.settings import nvm

START = "2026-01-01T08:00:00"


def ev_energy(s, wh):
    s.rest("POST", "/ev_meter", {"import_active_energy": str(wh), "export_active_energy": "0",
                                 "import_active_power": "0"})


def one_session(s, seconds, start_wh=142300, end_wh=154645):
    """Plug in, charge for `seconds`, stop and unplug."""
    ev_energy(s, start_wh)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("B")
    s.advance(2.0)
    s.plant.ev.pilot("C")
    s.advance(seconds)
    ev_energy(s, end_wh)
    s.plant.ev.pilot("B")
    s.advance(2.0)
    s.plant.ev.pilot("A")
    s.advance(2.0)


def test_no_session_since_boot_is_204():
    """Given a fresh controller, when GET /session/last, then 204 and /sessions is []."""
    s = Simulation()
    assert s.rest("GET", "/session/last") == (204, None)
    assert s.rest("GET", "/sessions") == (200, [])


def test_a_charge_of_two_minutes_is_recorded_with_the_fork_fields():
    """Given an API EV meter at 142300 Wh and MAX 16 A on 3 phases in Normal, when the EV
    charges 2 minutes, reaches 154645 Wh and is unplugged, then /session/last is the record
    of 1.14: id 1, UTC start and end, 12.345 kWh, 16.0 A, 3 phases, "normal", no OCPP id."""
    s = Simulation(settings={"ev_meter_type": "API", "MAX": 16}, start=START)
    one_session(s, 120.0)
    status, record = s.rest("GET", "/session/last")
    assert status == 200
    assert record == {"session_id": 1, "start": "2026-01-01T08:00:03Z",
                      "end": "2026-01-01T08:02:05Z", "kwh": 12.345,
                      "start_energy_wh": 142300, "end_energy_wh": 154645,
                      "max_current_a": 16.0, "phases": 3, "mode": "normal",
                      "ocpp_tx_id": None}
    assert s.rest("GET", "/sessions") == (200, [record])


def test_a_session_shorter_than_60_s_is_not_recorded():
    """Given a controller, when the EV charges 30 s and is unplugged, then no record (1.14)."""
    s = Simulation()
    one_session(s, 30.0)
    assert s.rest("GET", "/session/last") == (204, None)
    assert s.rest("GET", "/sessions") == (200, [])


def test_records_survive_a_power_cut_and_last_means_since_boot():
    """Given a recorded session, when the power is cut and back, then /sessions still lists
    it while /session/last is 204: none ended since this boot (1.14)."""
    s = Simulation()
    one_session(s, 70.0)
    s.power_cut()
    s.power_on()
    assert s.rest("GET", "/session/last") == (204, None)
    status, records = s.rest("GET", "/sessions")
    assert status == 200 and [r["session_id"] for r in records] == [1]


def test_the_last_20_are_kept_newest_first_within_their_nvm_region():
    """Given 20 stored records, when one more session ends, then /sessions lists 20, newest
    (id 21) first and id 1 dropped, and every NVM byte outside the session region and the
    settings slots is untouched (settings/nvm.py layout, 1.14)."""
    s = Simulation(settings={"mode": "Normal"})
    log = s.app.sessions
    log.save([(n, 0, 0, 0, 0, 60, 1, 0, 0xFFFFFFFF) for n in range(20, 0, -1)])
    before = bytes(s.nvm)
    one_session(s, 65.0)
    ids = [r["session_id"] for r in s.rest("GET", "/sessions")[1]]
    assert ids == list(range(21, 1, -1))
    after = bytes(s.nvm)
    region = slice(nvm.SESSIONS_OFFSET, nvm.SESSIONS_OFFSET + 2 * nvm.SESSIONS_SLOT_SIZE)
    assert after[nvm.RFID_OFFSET:region.start] == before[nvm.RFID_OFFSET:region.start]
    assert after[region.stop:] == before[region.stop:]
