"""The simulator's board asks the device's functions (issue 6 item 8): its pilot windows
come from a sample burst split by `PilotWindows`, its RCM input from the double read
(charging.md 1.2, 3.4)."""

from sim.plant import cp_to_adc_mv
from tests.sim.test_sim_protections import charging as _charging


def test_charging_pwm_windows_read_6_v_high_and_minus_12_v_low():
    """Given C with a 32 A PWM and CP ripple of +/-500 mV, then the board's high window is
    the 6 V level (2434 mV +/- 62) and the low window the diode's -12 V (202 mV +/- 62 on
    the simulator's linear map), as the split of the burst gives them (1.2, 1.3 map)."""
    s = _charging()
    s.plant.ev.noise_mv(500)
    s.advance(0.02)
    pilot = s.board.pilot
    high, low = cp_to_adc_mv(6000), cp_to_adc_mv(-12000)
    assert (high, low) == (2434, 202)
    assert (pilot.high_min_mv, pilot.high_max_mv) == (high - 62, high + 62)
    assert (pilot.low_min_mv, pilot.low_max_mv) == (low - 62, low + 62)


def test_isolated_pilot_reads_0_v_in_both_windows():
    """Given C stopped by TEMP_HIGH (C1, then B1 on 9 V with access ON: the pilot isolated
    for 5 s, 2.3), then both windows read 0 V (1690 mV): no swing, so no split (1.2)."""
    s = _charging()
    s.plant.temperature(66)
    s.advance(1.5)
    assert s.observe()["pilot_connected"] is False
    pilot = s.board.pilot
    assert pilot.high_min_mv == pilot.low_min_mv == pilot.high_max_mv == pilot.low_max_mv == 1690


def test_an_rcm_spike_does_not_trip():
    """Given RCMON enabled and C, when the RCM line spikes high for one read only, then no
    RCM_TRIPPED and charging goes on (3.4: high twice, 1 ms apart)."""
    s = _charging({"RCMON": "Enabled"})
    s.plant.rcm_glitch()
    s.advance(0.05)
    o = s.observe()
    assert o["errors"] == [] and o["state"] == "Charging" and o["contactor1"] is True
