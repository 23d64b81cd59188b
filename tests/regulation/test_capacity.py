"""The capacity tariff's 15-minute window (charging.md 4.8, 12 D7): the headroom that keeps
the window's average power at the CAP PEAK limit, the month's peak, and how the allocation
takes the headroom per phase (4.6 3d, 3h, 4)."""

import pytest

from smartevse.core.states import MODE_NORMAL, MODE_SMART, STATE_C
from smartevse.regulation import balance
from smartevse.regulation.balance import NO_CAPACITY_DA, Regulation
from smartevse.regulation.capacity import WINDOW_S, Capacity, month_of
from smartevse.settings.live import Settings

JAN_2026 = 1767225600            # 2026-01-01 00:00 local epoch s
NO_CURRENTS = [0, 0, 0]


def _capacity(limit_w):
    c = Capacity()
    c.set_limit(limit_w)
    return c


def test_the_full_limit_at_the_window_start_then_what_is_left_over_the_rest():
    """Given CAP PEAK 9200 W, when the window starts, then the headroom is the whole 9200 W
    (40 A summed); when 450 s at 11500 W have passed, then the rest of the window may draw
    (9200 x 900 - 11500 x 450) / 450 = 6900 W, 300 dA summed at 230 V (4.8, D7)."""
    c = _capacity(9200)
    assert c.headroom_w == 9200 and c.headroom_da() == 400
    for _ in range(450):
        c.tick_1s(11500, NO_CURRENTS, JAN_2026)
    assert c.headroom_w == 6900 and c.headroom_da() == 300


def test_without_a_power_reading_the_phase_currents_give_23_w_per_da():
    """Given a mains meter without power (a Sensorbox), when it reads 10 A on each phase,
    then a second counts 300 dA x 23 W = 6900 W (4.8: sum of Irms x 23)."""
    c = _capacity(5000)
    c.tick_1s(0, [100, 100, 100], JAN_2026)
    assert c.accumulated_ws == 6900


def test_a_completed_window_sets_its_average_and_the_months_peak_which_a_new_month_resets():
    """Given CAP PEAK 5 kW, when a window of 900 s averaged 4000 W, then window_avg_w and the
    month's peak are 4000 W; a lower window keeps the peak; the first second of a new
    month resets it (4.8; settings-and-menu.md 6.2: the peak and its month are stored)."""
    c = _capacity(5000)
    changed = [c.tick_1s(4000, NO_CURRENTS, JAN_2026 + i) for i in range(WINDOW_S)]
    assert c.window_avg_w == 4000 and c.monthly_peak_w == 4000 and c.peak_month == 202601
    assert changed[0] and changed[-1] and not any(changed[1:-1])
    for i in range(WINDOW_S):
        c.tick_1s(1000, NO_CURRENTS, JAN_2026 + WINDOW_S + i)
    assert c.window_avg_w == 1000 and c.monthly_peak_w == 4000
    assert c.tick_1s(1000, NO_CURRENTS, JAN_2026 + 31 * 86400)
    assert c.monthly_peak_w == 0 and c.peak_month == 202602


def test_month_of_local_time_across_month_ends_and_a_leap_day():
    """Given local epoch seconds, then the month is YYYYMM of the civil date."""
    assert month_of(JAN_2026 - 1) == 202512
    assert month_of(JAN_2026) == 202601
    assert month_of(1709164800) == 202402          # 2024-02-29 00:00
    assert month_of(1709251200) == 202403          # 2024-03-01 00:00


def test_a_limit_out_of_range_is_refused_and_changes_nothing():
    """Given CAP PEAK 5000 W, when a limit of -1 W or 25001 W is given, then ValueError and
    the limit stays 5000 W (settings-and-menu.md 1.1: 0..25000 W)."""
    c = _capacity(5000)
    for bad in (-1, 25001):
        with pytest.raises(ValueError):
            c.set_limit(bad)
    assert c.limit_w == 5000


def _smart_charging():
    settings = Settings()
    v = settings.values
    v.update(mode=MODE_SMART, mains_meter_type=1, current_max=32, current_main=25)
    reg = Regulation()
    reg.own_state(STATE_C)
    reg.node_balanced_da[0] = 160
    reg.node_prev_da[0] = 160
    reg.ramp_prev_da = 160
    reg.iset_balanced_da = 160
    reg.mains_irms_da[:] = [160, 160, 160]
    return reg, v


def test_the_headroom_caps_the_setpoint_per_phase_outside_normal_only():
    """Given Smart with 9 A of MAINS headroom per phase, when the capacity tariff leaves
    240 dA summed on three phases, then the setpoint is capped at 80 dA per phase (4.6 4,
    D7: divided by the phases once); single phase forced (CONTACT 2 Always Off) it is
    240 dA; in Normal the tariff does not limit; off (None) it is no limit."""
    reg, v = _smart_charging()
    reg.set_capacity_headroom(v, 240)
    assert reg.capacity_da == 80
    balance.allocate(reg, v, 0, 32)
    assert reg.iset_balanced_da == 80
    v["enable_C2"] = 1
    reg.set_capacity_headroom(v, 240)
    assert reg.capacity_da == 240
    v["mode"] = MODE_NORMAL
    reg.mains_fresh = True
    balance.allocate(reg, v, 0, 32)
    assert reg.iset_balanced_da == 320
    reg.set_capacity_headroom(v, None)
    assert reg.capacity_da == NO_CAPACITY_DA
