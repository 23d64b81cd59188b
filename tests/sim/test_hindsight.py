"""The hindsight bound of a replayed solar day (sim/hindsight.py, issue 9 Solar benchmark):
the most EV energy any plan of off / 1 phase / 3 phases per minute can take under the targets
(relay events <= 2 per hour, EV-caused import <= 5 %), checked against brute force."""

import itertools
import random

from sim import hindsight

MIN_A, MAX_A = 6, 16


def _brute_force_wh(surplus_w, events, share):
    """The best EV energy over every plan of the day, enumerated (3^minutes plans)."""
    best_wm = 0.0
    for plan in itertools.product(hindsight.STATES, repeat=len(surplus_w)):
        moves = zip((hindsight.OFF,) + plan, plan)
        if sum(hindsight.relay_events(a, b) for a, b in moves) > events:
            continue
        draws = [hindsight.minute_draw_w(s, p, MIN_A, MAX_A) for s, p in zip(surplus_w, plan)]
        energy_wm = sum(e for e, _ in draws)
        if sum(i for _, i in draws) <= share * energy_wm + 1e-9:
            best_wm = max(best_wm, energy_wm)
    return best_wm / 60


def test_the_bound_equals_brute_force_on_random_small_days():
    """Given 300 random days of 1..7 minutes (surplus -0.5..12 kW, 0..4 events, import share 0,
    5 % or 20 %), when the bound is computed, then it equals the best plan found by enumerating
    all 3^minutes plans, and the plan it returns meets both targets with that energy."""
    rng = random.Random(1)
    for _ in range(300):
        surplus_w = [rng.choice((rng.randint(-500, 2000), rng.randint(1000, 12000)))
                     for _ in range(rng.randint(1, 7))]
        events, share = rng.randint(0, 4), rng.choice((0.0, 0.05, 0.2))
        plan = hindsight.best_plan(surplus_w, MIN_A, MAX_A, events, share)
        assert abs(plan.ev_wh - _brute_force_wh(surplus_w, events, share)) < 1e-6, (surplus_w, events, share)
        assert plan.relay_events <= events and plan.import_wh <= share * plan.ev_wh + 1e-9


def test_a_day_where_the_lagrangian_alone_falls_short_is_solved_exactly():
    """Given 8 kW, 8 kW, 3.68 kW, 2 kW of surplus and 3 events, when the bound is computed,
    then it is 22.14 kW x min (3 phases for three minutes, the third at 3 x MIN importing 460 W,
    then 1 phase at 2 kW after a switch): the multiplier sweep alone finds only 21.68, the
    forward search closes the gap."""
    plan = hindsight.best_plan([8000, 8000, 3680, 2000], MIN_A, MAX_A, events=3)
    assert plan.ev_wh * 60 == 22140
    assert plan.phases == (3, 3, 3, 1) and plan.relay_events == 3 and plan.import_wh * 60 == 460


def test_a_phase_switch_costs_two_relay_events_and_a_start_or_stop_one():
    """Given the bench's count of contactor 1 (charging.md 6.4: C1 opens for a phase switch and
    closes again), then off<->on is 1 event, 1 phase <-> 3 phases is 2, staying is 0."""
    assert hindsight.relay_events(hindsight.OFF, hindsight.ONE) == 1
    assert hindsight.relay_events(hindsight.THREE, hindsight.OFF) == 1
    assert hindsight.relay_events(hindsight.ONE, hindsight.THREE) == 2
    assert hindsight.relay_events(hindsight.THREE, hindsight.THREE) == 0


def test_the_event_budget_is_two_per_hour_of_the_whole_day():
    """Given days of 8, 30 and 660 minutes, then 0, 1 and 22 relay events are allowed (the
    bench divides the events by the day's hours)."""
    assert [hindsight.max_events(m) for m in (8, 30, 660)] == [0, 1, 22]


# The controller's Solar start as the replay passes it (charging.md 3.2, 4.7 a): START 7 A summed,
# no draw for 15 s plus the EV's 2 s answer, then MIN for 40 s.
START = hindsight.Start(start_w=7 * 230, delay_s=17, min_s=40)


def _brute_force_start_wh(surplus_w, events, share, start):
    """The best EV energy over every plan when each run, and the restart after a phase switch,
    begins with the start's first minute, only in a minute above START (3^minutes plans)."""
    best_wm = 0.0
    for plan in itertools.product(hindsight.STATES, repeat=len(surplus_w)):
        before = (hindsight.OFF,) + plan
        if sum(hindsight.relay_events(a, b) for a, b in zip(before, plan)) > events:
            continue
        draws = []
        for s, prev, p in zip(surplus_w, before, plan):
            if p != hindsight.OFF and p != prev:
                if s <= start.start_w:
                    break
                draws.append(hindsight.first_minute_draw_w(s, p, MIN_A, MAX_A, start))
            else:
                draws.append(hindsight.minute_draw_w(s, p, MIN_A, MAX_A))
        else:
            energy_wm = sum(e for e, _ in draws)
            if sum(i for _, i in draws) <= share * energy_wm + 1e-9:
                best_wm = max(best_wm, energy_wm)
    return best_wm / 60


def test_a_start_draws_nothing_then_min_for_most_of_its_first_minute():
    """Given two minutes of 2.3 kW surplus, one relay event and the Solar start (no draw for
    17 s, then MIN 6 A for 40 s: charging.md 3.2, 4.7 a), when the bound counts the start, then
    the first minute takes (40 x 1380 + 3 x 2300) / 60 = 1035 W on average and the second all
    2300 W: 3335 W x min, against 4600 without the start; the Lagrangian upper bound is not
    below it."""
    plan = hindsight.best_plan([2300, 2300], MIN_A, MAX_A, events=1, start=START)
    assert plan.ev_wh * 60 == 3335 and plan.phases == (1, 1) and plan.relay_events == 1
    assert hindsight.best_plan([2300, 2300], MIN_A, MAX_A, events=1).ev_wh * 60 == 4600
    assert hindsight.upper_bound_wh([2300, 2300], MIN_A, MAX_A, events=1, start=START) * 60 >= 3335


def test_the_bound_with_the_start_equals_brute_force_on_random_small_days():
    """Given 150 random days of 1..6 minutes (surplus -0.5..12 kW, 0..4 events, import share 0,
    5 % or 20 %), when the bound is computed with the Solar start, then it equals the best plan
    found by enumerating every plan (a run or a switch begins with a first minute, above START
    only), the plan meets both targets, and the Lagrangian upper bound is never below it."""
    rng = random.Random(2)
    for _ in range(150):
        surplus_w = [rng.choice((rng.randint(-500, 2000), rng.randint(1000, 12000)))
                     for _ in range(rng.randint(1, 6))]
        events, share = rng.randint(0, 4), rng.choice((0.0, 0.05, 0.2))
        plan = hindsight.best_plan(surplus_w, MIN_A, MAX_A, events, share, start=START)
        best_wh = _brute_force_start_wh(surplus_w, events, share, START)
        assert abs(plan.ev_wh - best_wh) < 1e-6, (surplus_w, events, share)
        assert plan.relay_events <= events and plan.import_wh <= share * plan.ev_wh + 1e-9
        assert hindsight.upper_bound_wh(surplus_w, MIN_A, MAX_A, events, share, START) >= best_wh - 1e-6
