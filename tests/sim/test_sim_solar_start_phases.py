"""Solar's choice of the starting phases when an EV that waited in B1 starts (charging.md
4.6 step 3a, 6.3, 6.4; decision S1 in docs/architecture.md): the EV passes B in 0.5 s, less
than one regulation cycle, so the choice is made on the latest mains reading as the B -> C
request is granted. One controller, CONTACT 2 Auto, MIN 6 A; the Sensorbox is the mains meter."""

import pytest

from sim import Simulation

SENSORBOX = 1
MIN_A = 6
THREE_PHASE_START_DA = 30 * MIN_A + 30      # 4.6 3a: 3P when -Isum >= 30 x MIN + 30 dA


def _solar_auto_waiting(morning_s):
    """Solar, CONTACT 2 Auto, START 4 A, STOP 1 min: an EV plugged in at boot and waiting in
    B1 for `morning_s` seconds without surplus."""
    s = Simulation(settings={"mains_meter_type": SENSORBOX, "MAX": 16, "MIN": MIN_A, "START": 4,
                             "STOP": 1, "IMPORT": 0, "mode": "Solar", "CONTACT 2": "Auto"})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(morning_s)
    assert s.observe()["contactor1"] is False
    return s


def _export_da(s, summed_da):
    """PV export of `summed_da` summed over the three phases (house load 0)."""
    per_phase = summed_da // 3
    s.plant.mains.pv_da(per_phase, per_phase, per_phase)


def _until_charging(s, seconds):
    """Advance in 0.1 s steps until contactor 1 closes; what observe() shows then, or None."""
    for _ in range(int(seconds * 10)):
        s.advance(0.1)
        o = s.observe()
        if o["contactor1"]:
            return o
    return None


def _watch(s, seconds):
    """Advance `seconds` in 0.5 s steps: (contactor 2 ever closed, contactor 1 ever opened)."""
    closed2 = opened1 = False
    for _ in range(int(seconds * 2)):
        s.advance(0.5)
        o = s.observe()
        closed2 = closed2 or o["contactor2"]
        opened1 = opened1 or not o["contactor1"]
    return closed2, opened1


def test_a_first_start_on_an_export_below_3p_min_starts_on_one_phase_without_a_switch():
    """Given Solar, CONTACT 2 Auto, MIN 6 A, the controller on 3 phases since boot and an EV
    waiting in B1 for 30 min without surplus, when the export reaches 12 A summed (covers
    MIN on 1 phase, not 30 x MIN + 30 dA on 3), then the EV starts on 1 phase: contactor 2
    never closes and no phase switch stops it in the next 90 s (4.6 3a, 4.7 b; 6.4)."""
    s = _solar_auto_waiting(1800)
    assert s.observe()["phases"] == 3
    _export_da(s, 120)
    o = _until_charging(s, 60)
    assert o is not None and o["contactor2"] is False and o["phases"] == 1
    assert _watch(s, 90) == (False, False)
    o = s.observe()
    assert o["phases"] == 1 and o["phase_request"] == 0


@pytest.mark.parametrize("export_da, phases", [(THREE_PHASE_START_DA, 3),
                                                (THREE_PHASE_START_DA - 3, 1)])
def test_a_restart_after_a_one_phase_session_chooses_phases_on_the_export(export_da, phases):
    """Given Solar, CONTACT 2 Auto, MIN 6 A, an EV that charged on 1 phase, stopped after
    STOP 1 min without sun and waits in B1, when the export is 21.0 A summed (30 x 6 + 30 dA),
    then it restarts on 3 phases with contactor 2 closed from the start; at 20.7 A it
    restarts on 1 phase (4.6 3a, 4.7 b; 6.4)."""
    s = _solar_auto_waiting(60)
    _export_da(s, 120)
    s.advance(150)
    o = s.observe()
    assert o["contactor1"] and o["phases"] == 1
    _export_da(s, 0)                 # the sun goes: 6 A imported, the stop after STOP 1 min
    s.advance(120)
    o = s.observe()
    assert o["contactor1"] is False and o["phases"] == 1
    s.advance(600)
    _export_da(s, export_da)
    o = _until_charging(s, 60)
    assert o is not None and o["phases"] == phases and o["contactor2"] is (phases == 3)
    assert _watch(s, 30) == (phases == 3, False)
