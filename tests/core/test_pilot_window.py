"""The pilot windows of a sample burst and the ADC calibration acceptance (charging.md 1.2,
1.3; issue 6 item 8). Bursts are built as the device reads them: 128 samples at 80 kHz,
80 to a 1 kHz PWM period; levels are the nominal ADC mV of 1.3."""

from array import array

import pytest

from smartevse.core.pilot import (PILOT_12V, PILOT_9V, PILOT_6V, PILOT_SHORT, PILOT_DIODE,
                                  PILOT_NOK, classify)
from smartevse.core.pilot_window import PilotWindows
from tests.evse_helpers import MV

RIPPLE_MV = 10
N = 128


def burst(high_mv, low_mv, duty_1024, start=0, ripple_mv=RIPPLE_MV):
    """A burst from `start` samples after a rising edge; the ripple alternates."""
    return array("H", [(high_mv if (i + start) % 80 * 1024 < duty_1024 * 80 else low_mv)
                       + (ripple_mv if i & 1 else -ripple_mv) for i in range(N)])


def windows_of(buf, duty_1024, guard=1):
    w = PilotWindows(1, 1)            # raw units are mV: the scale is tested apart
    w.split(buf, len(buf), guard, duty_1024)
    return w


@pytest.mark.parametrize("level_v, expected", [(12, PILOT_12V), (9, PILOT_9V), (6, PILOT_6V)])
@pytest.mark.parametrize("duty_1024", [102, 272, 545, 870])     # 6, 16, 32, 51 A (1.1)
@pytest.mark.parametrize("start", [0, 37])
def test_pwm_burst_splits_into_the_level_and_the_diode(level_v, expected, duty_1024, start):
    """Given a PWM at 6..51 A with the EV at 12/9/6 V and its diode, when a burst taken at
    any phase is split, then the high window reads the level and the low window -12 V
    (1.2 product mapping; 1.3 bands)."""
    w = windows_of(burst(MV[level_v], MV[-12], duty_1024, start), duty_1024)
    assert (w.high_min_mv, w.high_max_mv) == (MV[level_v] - RIPPLE_MV, MV[level_v] + RIPPLE_MV)
    assert (w.low_min_mv, w.low_max_mv) == (MV[-12] - RIPPLE_MV, MV[-12] + RIPPLE_MV)
    assert classify(w.high_min_mv, w.high_max_mv) == expected
    assert classify(w.low_min_mv, w.low_max_mv) == PILOT_DIODE


@pytest.mark.parametrize("duty_1024", [0, 1024])
def test_pwm_off_gives_both_windows_the_constant_level(duty_1024):
    """Given the PWM off (duty 1024 +12 V, or 0 in ACTSTART) and the EV at 9 V, then both
    windows carry the constant level, so the low window reads 9 V, not DIODE (1.2)."""
    w = windows_of(burst(MV[9], MV[9], 1024), duty_1024)
    assert (w.high_min_mv, w.high_max_mv) == (MV[9] - RIPPLE_MV, MV[9] + RIPPLE_MV)
    assert (w.low_min_mv, w.low_max_mv) == (w.high_min_mv, w.high_max_mv)
    assert classify(w.low_min_mv, w.low_max_mv) == PILOT_9V


def test_shorted_cp_without_swing_reads_short_in_both_windows():
    """Given a 16 A PWM on a CP shorted to PE (0 V, no swing), when split, then both
    windows read about 0 V (PILOT_SHORT): the midpoint split is not applied to noise (1.3)."""
    w = windows_of(burst(MV[0], MV[0], 272), 272)
    assert classify(w.high_min_mv, w.high_max_mv) == PILOT_SHORT
    assert classify(w.low_min_mv, w.low_max_mv) == PILOT_SHORT


def test_a_swing_under_400_mv_is_a_constant_level_and_400_mv_a_pwm():
    """Given a PWM duty, when the burst spreads 399 mV, then one constant window; at
    400 mV the burst is split into two levels (the PWM-present threshold)."""
    w = windows_of(burst(2399, 2000, 512, ripple_mv=0), 512)
    assert (w.high_min_mv, w.high_max_mv, w.low_min_mv, w.low_max_mv) == (2000, 2399, 2000, 2399)
    w = windows_of(burst(2400, 2000, 512, ripple_mv=0), 512)
    assert (w.high_min_mv, w.high_max_mv, w.low_min_mv, w.low_max_mv) == (2400, 2400, 2000, 2000)


def test_a_lone_sample_next_to_an_edge_is_dropped():
    """Given a 16 A PWM at 6 V whose last high sample sits half-way down the falling edge
    (the feedback filter), when split with the neighbour guard, then the high window still
    reads 6 V; without the guard the same burst reads NOK (1.2, 1.3)."""
    buf = burst(MV[6], MV[-12], 272)
    last_high = 272 * 80 // 1024              # index of the last sample before the edge
    buf[last_high] = 2000                     # above the midpoint, below the 6 V band
    guarded = windows_of(buf, 272)
    assert classify(guarded.high_min_mv, guarded.high_max_mv) == PILOT_6V
    unguarded = windows_of(buf, 272, guard=0)
    assert classify(unguarded.high_min_mv, unguarded.high_max_mv) == PILOT_NOK


def test_a_window_without_samples_keeps_its_last_values():
    """Given the low window read -12 V, when a burst at duty 1000 (97.7 %) has only one
    low sample per period, next to both edges, then the low window keeps -12 V and the
    high one moves on."""
    w = windows_of(burst(MV[9], MV[-12], 545), 545)
    w.split(burst(MV[6], MV[-12], 1000), N, 1, 1000)
    assert classify(w.high_min_mv, w.high_max_mv) == PILOT_6V
    assert (w.low_min_mv, w.low_max_mv) == (MV[-12] - RIPPLE_MV, MV[-12] + RIPPLE_MV)


def test_an_empty_burst_changes_nothing():
    """Given windows at 12 V, when a burst of 0 samples arrives, then they stay."""
    w = windows_of(burst(MV[12], MV[12], 1024), 1024)
    w.split(array("H", [0] * N), 0, 1, 272)
    assert classify(w.high_min_mv, w.high_max_mv) == PILOT_12V


def test_default_scale_is_the_calibrated_analogin_scale():
    """Given no calibration, then raw 16-bit values map as AnalogIn's: mV = raw * 3300 / 65535."""
    w = PilotWindows()
    raw = 63132                                   # AnalogIn's value for 3179 mV (+12 V)
    w.split(array("H", [raw] * N), N, 1, 1024)
    assert w.high_min_mv == raw * 3300 // 65535 == 3178


@pytest.mark.parametrize("raw", [4001, 30000, 61999])
def test_calibration_inside_the_window_is_accepted(raw):
    """Given a constant-level burst of mean raw 4001..61999 read as 3179 mV by the
    calibrated ADC, then the gain is taken: that raw value reads 3179 mV."""
    w = PilotWindows()
    buf = array("H", [raw] * N)
    assert w.calibrate(buf, N, 3179) is True
    w.split(buf, N, 1, 1024)
    assert w.high_min_mv == 3179


@pytest.mark.parametrize("raw, cal_mv", [(4000, 3179), (62000, 3179), (65535, 3179), (0, 3179),
                                         (30000, 0)])
def test_calibration_out_of_the_window_keeps_the_datasheet_scale(raw, cal_mv):
    """Given a saturated or empty burst (raw <= 4000 or >= 62000) or no calibrated mV,
    then the gain is refused and the datasheet scale applies: mV = raw * 3100 / 65535."""
    w = PilotWindows()
    buf = array("H", [raw] * N)
    assert w.calibrate(buf, N, cal_mv) is False
    w.split(buf, N, 1, 1024)
    assert w.high_min_mv == raw * 3100 // 65535


def test_calibration_of_an_empty_burst_is_refused():
    """Given a DMA read that delivered no sample, then the calibration is refused."""
    assert PilotWindows().calibrate(array("H", [0] * N), 0, 3179) is False


def test_the_swing_threshold_follows_the_calibration():
    """Given a gain of 2 raw per mV, when a PWM burst spreads 790 raw (395 mV), then it is
    a constant level; at 810 raw (405 mV) it is split."""
    w = PilotWindows()
    assert w.calibrate(array("H", [6000] * N), N, 3000)
    w.split(burst(2790, 2000, 512, ripple_mv=0), N, 1, 512)
    assert w.low_max_mv == w.high_max_mv
    w.split(burst(2810, 2000, 512, ripple_mv=0), N, 1, 512)
    assert w.low_max_mv == 1000 and w.high_min_mv == 1405
