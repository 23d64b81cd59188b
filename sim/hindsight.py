"""Decides the best any controller could have done on a replayed day, knowing the whole day in
advance (issue 9, Solar benchmark): the hindsight bound printed beside the replay summary.

A plan picks, per minute, off, 1 phase or 3 phases. On the chosen phases the EV draws its
surplus clamped to MIN..MAX per phase, as the bench's ideal is defined (sim/replay.py), so
1 phase draws clamp(surplus, MIN x 230, MAX x 230) W and 3 phases clamp(surplus, 3 x MIN x 230,
3 x MAX x 230) W; the import the EV causes is what it draws beyond the surplus (all of it when
the house already imports). Relay events count as the bench counts contactor 1: a start 1, a
stop 1, a phase switch 2 (charging.md 6.4: C1 opens for the switch and closes again).

`best_plan` maximizes EV energy subject to events <= 2 per hour of the day and EV-caused import
<= 5 % of EV energy, exactly:
1. a Lagrangian sweep on the import constraint over a DP whose state is (minute, phases, events
   left) gives an upper bound and feasible plans (every plan it finds that meets the import
   target is a lower bound);
2. a forward search over (energy, import excess) Pareto labels per (phases, events used) then
   closes the gap: a label is dropped only when it is dominated, cannot become import-feasible
   (the least excess the rest of the day can add is still too much), or the Lagrangian bound
   of its best completion is below the best feasible plan known.
Plans whose current exceeds the clamp (importing on purpose to spend the 5 % allowance) are
outside this model; no Solar controller does that.

With a `Start`, the plan also pays the controller's own start sequence: a run (and the restart
after a phase switch, 6.4) begins only in a minute whose surplus is above START, and in that
minute the EV draws nothing for `delay_s` (the Solar ChargeDelay, charging.md 3.2, and the EV's
answer) and MIN for `min_s` (4.7 a) before it follows the surplus. Knowing the day still, that
bound says what no start/stop rule of this controller can beat.
"""

from dataclasses import dataclass

VOLTS = 230
OFF, ONE, THREE = 0, 1, 3
STATES = (OFF, ONE, THREE)
EVENTS_PER_HOUR = 2
IMPORT_SHARE = 0.05
# contactor 1 changes for a move between two states: start/stop 1, a phase switch 2
_EVENTS = {(a, b): (0 if a == b else 1 if OFF in (a, b) else 2) for a in STATES for b in STATES}
_EPS = 1e-6                        # W x min: float noise, far below any reading
_NO_CHOICE = 1e12                  # W x min: the energy a state no plan may take loses


@dataclass(frozen=True)
class Plan:
    """A day's plan: EV energy and the import it causes (Wh), relay events, phases per minute."""
    ev_wh: float
    import_wh: float
    relay_events: int
    phases: tuple


def minute_draw_w(surplus_w, phases, min_a, max_a):
    """(EV W, EV-caused import W) for one minute on `phases` (0, 1 or 3) at a surplus in W."""
    if phases == OFF:
        return 0.0, 0.0
    low_w, high_w = phases * min_a * VOLTS, phases * max_a * VOLTS
    ev_w = min(max(surplus_w, low_w), high_w)
    return ev_w, ev_w - min(max(surplus_w, 0.0), ev_w)


@dataclass(frozen=True)
class Start:
    """A controller's start: above `start_w` of surplus, then `delay_s` drawing nothing and
    `min_s` at MIN within the run's first minute."""
    start_w: float
    delay_s: int
    min_s: int


def first_minute_draw_w(surplus_w, phases, min_a, max_a, start):
    """(EV W, EV-caused import W) for the first minute of a run on `phases` (1 or 3)."""
    ev_w, import_w = minute_draw_w(surplus_w, phases, min_a, max_a)
    low_w = phases * min_a * VOLTS
    rest_s = max(0, 60 - start.delay_s - start.min_s)
    return ((start.min_s * low_w + rest_s * ev_w) / 60,
            (start.min_s * max(0.0, low_w - max(surplus_w, 0.0)) + rest_s * import_w) / 60)


def _plain_table():
    """(phases per state, events[a][b]) of the plan's states off, 1P, 3P."""
    return STATES, [[_EVENTS[a, b] for b in STATES] for a in STATES]


def _start_table():
    """The same with a first-minute state per phase count (indexes 3, 4): a run is entered
    through it, a switch re-enters through it (2 events), it lasts one minute; None: no move."""
    phases = STATES + (ONE, THREE)
    first = (False, False, False, True, True)
    events = [[None] * 5 for _ in phases]
    for a in range(5):
        for b in range(5):
            if phases[b] == OFF:
                events[a][b] = 0 if phases[a] == OFF else 1
            elif first[b] and not first[a]:
                events[a][b] = 1 if phases[a] == OFF else (2 if phases[a] != phases[b] else None)
            elif first[b]:
                events[a][b] = 2 if phases[a] != phases[b] else None
            elif phases[a] == phases[b]:
                events[a][b] = 0                      # a first minute goes on, or a run
    return phases, events


def relay_events(before, after):
    """Contactor 1 changes for a move between two minutes' states (0, 1 or 3 phases)."""
    return _EVENTS[before, after]


def max_events(minutes):
    """The event budget of a day of `minutes`: 2 per hour, the bench's denominator."""
    return int(EVENTS_PER_HOUR * minutes / 60)


def best_plan(surplus_w, min_a, max_a, events=None, share=IMPORT_SHARE, start=None):
    """The plan with the most EV energy meeting both targets (events <= `events`, default
    2 per hour; import <= `share` of EV energy); surplus_w one value per minute (W); with a
    `Start`, each run pays the controller's start sequence."""
    budget, phases, costs, draws, gain = _model(surplus_w, min_a, max_a, events, share, start)
    lam, best = _sweep(gain, budget, costs)
    bound = _backward([[e - lam * g for e, g in row] for row in gain], budget, costs)
    least = _backward([[-g for e, g in row] for row in gain], budget, costs)   # -(least excess left)
    path = _search(gain, budget, costs, lam, bound, least, best)
    return Plan(ev_wh=sum(draws[m][s][0] for m, s in enumerate(path)) / 60,
                import_wh=sum(draws[m][s][1] for m, s in enumerate(path)) / 60,
                relay_events=sum(costs[a][b] for a, b in zip([0] + path, path)),
                phases=tuple(phases[s] for s in path))


def upper_bound_wh(surplus_w, min_a, max_a, events=None, share=IMPORT_SHARE, start=None):
    """No plan meeting both targets takes more EV energy than this (Wh): the Lagrangian bound
    of best_plan, a few passes where the exact search can take a minute on a long day."""
    budget, _, costs, _, gain = _model(surplus_w, min_a, max_a, events, share, start)
    lam, _ = _sweep(gain, budget, costs)
    return _backward([[e - lam * g for e, g in row] for row in gain], budget, costs)[0][0][budget] / 60


def _model(surplus_w, min_a, max_a, events, share, start):
    """(event budget, phases per state, event costs, draws and gains per minute and state)."""
    budget = max_events(len(surplus_w)) if events is None else events
    phases, costs = _start_table() if start else _plain_table()
    draws = [[minute_draw_w(s, p, min_a, max_a) for p in STATES] for s in surplus_w]
    if start:
        draws = [row + [first_minute_draw_w(s, p, min_a, max_a, start) if s > start.start_w
                        else None for p in (ONE, THREE)] for s, row in zip(surplus_w, draws)]
    # per minute and state: (energy in W x min, import excess g = import - share x energy);
    # a plan meets the import target when its Σ g <= 0; a start below START is no choice
    gain = [[(-_NO_CHOICE, 0.0) if d is None else (d[0], d[1] - share * d[0]) for d in row]
            for row in draws]
    return budget, phases, costs, draws, gain


def _moves_table(budget, costs):
    """moves[prev][left]: the (next state index, event cost) allowed with `left` events;
    costs[prev][now] the events of a move, None for no move."""
    return [[[(now, cost) for now, cost in enumerate(row) if cost is not None and cost <= left]
             for left in range(budget + 1)] for row in costs]


def _backward(values, budget, costs):
    """table[m][prev][left]: the most Σ values[m'][state] over minutes m.. of a plan whose
    state before minute m is `prev` (an index in STATES) with `left` events still allowed."""
    moves = _moves_table(budget, costs)
    after = [[0.0] * (budget + 1) for _ in costs]
    table = [after]
    for row in reversed(values):
        after = [[max(row[now] + after[now][left - cost] for now, cost in moves[prev][left])
                  for left in range(budget + 1)] for prev in range(len(costs))]
        table.append(after)
    table.reverse()
    return table


def _lagrange(gain, budget, costs, lam):
    """(the plan maximizing Σ e - lam x g within the budget as state indexes, that maximum)."""
    values = [[e - lam * g for e, g in row] for row in gain]
    table = _backward(values, budget, costs)
    moves = _moves_table(budget, costs)
    prev, left, path = 0, budget, []
    for m, row in enumerate(values):
        after = table[m + 1]
        prev, cost = max(moves[prev][left], key=lambda mv: row[mv[0]] + after[mv[0]][left - mv[1]])
        left -= cost
        path.append(prev)
    return path, table[0][0][budget]


def _sweep(gain, budget, costs, steps=30):
    """Bisect the multiplier of the import constraint on the sign of the chosen plan's excess:
    (the multiplier of the lowest upper bound seen, the best import-feasible plan found as
    (energy, path)); the all-off plan meets both targets, so one always exists."""
    best = (0.0, [0] * len(gain))
    seen = {"lam": 0.0, "bound": float("inf")}

    def feasible(lam):
        path, upper = _lagrange(gain, budget, costs, lam)
        if upper < seen["bound"]:
            seen.update(lam=lam, bound=upper)
        energy = sum(gain[m][s][0] for m, s in enumerate(path))
        if sum(gain[m][s][1] for m, s in enumerate(path)) > _EPS:
            return False
        nonlocal best
        best = max(best, (energy, path), key=lambda b: b[0])
        return True

    low, high = 0.0, 1.0
    if not feasible(low):
        while not feasible(high):                   # a high enough multiplier wants least excess
            low, high = high, high * 4
        for _ in range(steps):
            if seen["bound"] - best[0] <= _EPS:
                break
            mid = (low + high) / 2
            if feasible(mid):
                high = mid
            else:
                low = mid
    return seen["lam"], best


def _search(gain, budget, costs, lam, bound, least, best):
    """The exact optimum: Pareto labels (energy, excess, path) per (state, events used), pruned
    by dominance, by import feasibility and by the Lagrangian bound against `best`."""
    best_energy, best_path = best
    labels = {(0, 0): [(0.0, 0.0, None)]}
    moves = _moves_table(budget, costs)
    for m, row in enumerate(gain):
        grown = {}
        for (prev, used), found in labels.items():
            for now, cost in moves[prev][budget - used]:
                left = budget - used - cost
                e_m, g_m = row[now]
                for energy, excess, path in found:
                    energy2, excess2 = energy + e_m, excess + g_m
                    if excess2 - least[m + 1][now][left] > _EPS:
                        continue                    # even the least excess left is too much
                    if energy2 - lam * excess2 + bound[m + 1][now][left] < best_energy - _EPS:
                        continue                    # cannot beat the best plan known
                    grown.setdefault((now, used + cost), []).append((energy2, excess2, (now, path)))
        labels = {key: _pareto(found) for key, found in grown.items()}
    for found in labels.values():
        for energy, excess, path in found:
            if excess <= _EPS and energy > best_energy:
                best_energy, best_path = energy, _unlink(path)
    return best_path


def _pareto(labels):
    """The labels no other beats on both energy (more) and excess (less)."""
    kept, lowest = [], float("inf")
    for label in sorted(labels, key=lambda lb: (-lb[0], lb[1])):
        if label[1] < lowest:
            kept.append(label)
            lowest = label[1]
    return kept


def _unlink(path):
    states = []
    while path is not None:
        states.append(path[0])
        path = path[1]
    return states[::-1]
