"""Control pilot duty, pilot classification and proximity rating (charging.md 1.1, 1.3, 7)."""

import pytest

from smartevse.core.pilot import (PILOT_12V, PILOT_9V, PILOT_6V, PILOT_3V, PILOT_SHORT, PILOT_DIODE,
                             PILOT_NOK, classify, cable_rating_a, duty_from_current)
from tests.evse_helpers import MV, SPREAD_MV

# charging.md 1.1 reference values: (current dA, duty per-mille, duty 1/1024).
REFERENCE = [
    (60, 100, 102), (100, 166, 169), (130, 216, 221), (160, 266, 272), (200, 333, 340),
    (250, 416, 425), (320, 533, 545), (400, 666, 681), (510, 850, 870), (511, 844, 864),
    (630, 892, 913), (800, 960, 983),
]


@pytest.mark.parametrize("current_da, permille, duty", REFERENCE)
def test_duty_reference_values(current_da, permille, duty):
    """Given a current of 1.1's table, when converted, then the duty is the reference (1.1)."""
    assert permille * 1024 // 1000 == duty
    assert duty_from_current(current_da) == duty


@pytest.mark.parametrize("current_da", [0, 1, 59, 801, 1000, -10])
def test_out_of_range_current_gives_the_6a_duty(current_da):
    """Given 0, < 6 A or > 80 A, when converted, then the 6 A duty 102, never "off" (1.1)."""
    assert duty_from_current(current_da) == 102


def test_integer_duty_is_bit_exact_with_the_firmware_floats():
    """Given every current in range, when converted, then equal to the fork's float formula (1.1)."""
    for current_da in range(60, 801):
        permille = int(current_da / 0.6) if current_da <= 510 else int(current_da / 2.5) + 640
        assert duty_from_current(current_da) == permille * 1024 // 1000


@pytest.mark.parametrize("level_v, expected", [
    (12, PILOT_12V), (9, PILOT_9V), (6, PILOT_6V), (3, PILOT_3V), (0, PILOT_SHORT), (-12, PILOT_DIODE),
])
def test_nominal_levels_classify_to_their_band(level_v, expected):
    """Given a window around a nominal level, when classified, then its band (1.3)."""
    mv = MV[level_v]
    assert classify(mv - SPREAD_MV, mv + SPREAD_MV) == expected


@pytest.mark.parametrize("min_mv, max_mv, expected", [
    (3055, 3300, PILOT_12V), (3054, 3054, PILOT_9V), (2735, 3054, PILOT_9V),
    (2734, 2734, PILOT_6V), (2400, 2734, PILOT_6V), (2399, 2399, PILOT_3V),
    (2000, 2399, PILOT_3V), (1999, 1999, PILOT_SHORT), (1600, 1999, PILOT_SHORT),
    (101, 299, PILOT_DIODE), (100, 200, PILOT_NOK), (200, 300, PILOT_NOK), (1599, 1599, PILOT_NOK),
])
def test_thresholds_first_match_wins(min_mv, max_mv, expected):
    """Given windows at the band borders, when classified, then the 1.3 table's result."""
    assert classify(min_mv, max_mv) == expected


@pytest.mark.parametrize("min_mv, max_mv", [
    (MV[6], MV[9]), (MV[9], MV[12] - 100), (MV[3], MV[6]), (MV[-12], MV[12]), (MV[0], MV[3]),
])
def test_window_straddling_two_bands_is_nok(min_mv, max_mv):
    """Given a window spanning two bands (a level change, noise), then PILOT_NOK (1.3)."""
    assert classify(min_mv, max_mv) == PILOT_NOK


@pytest.mark.parametrize("pp_mv, amps", [
    (1300, 20), (1201, 20), (1399, 20), (600, 32), (501, 32), (699, 32), (300, 63), (201, 63),
    (399, 63), (1200, 13), (1400, 13), (2000, 13), (0, 13), (450, 13), (800, 13), (3300, 13),
])
def test_cable_rating_from_proximity(pp_mv, amps):
    """Given a PP voltage, then 680 ohm = 20 A (D3), 220 ohm = 32 A, 100 ohm = 63 A, else 13 A (7)."""
    assert cable_rating_a(pp_mv) == amps
