"""Running the simulation tick by tick while watching it: each change of what a person
would notice (state, errors, contactors, offer, access, phases, the lock, power) is
reported once with its simulated time, the firmware's log lines get their simulated
timestamps, and a `wait until` stops on the tick its state first holds.
"""

from collections import deque

from smartevse import log
from smartevse.core import states

_TICK_S = 0.01
_KEEP_EVENTS = 200

# `wait until` names: the internal state names of interfaces.md 0.2 (the STATE_ constants
# of the firmware, e.g. A, B1, COMM_B) and "charging" (state C).
STATE_IDS = {name[len("STATE_"):]: value for name, value in vars(states).items()
             if name.startswith("STATE_") and isinstance(value, int)}
STATE_IDS["CHARGING"] = states.STATE_C


def state_id(name):
    """The state id of an internal name (any case), or None."""
    return STATE_IDS.get(str(name).upper())


class EventLog:
    """The recent events with their simulated time: the firmware's log lines as they
    appear, and what the command line itself changed (settings, power, plant)."""

    def __init__(self):
        self.lines = deque(maxlen=_KEEP_EVENTS)
        self._seen = log.written()

    def add(self, time_s, text):
        self.lines.append((time_s, text))

    def collect(self, time_s):
        """Take the firmware log lines written since the last call; returns them."""
        written = log.written()
        if written == self._seen:
            return []
        recent = log.recent()
        fresh = recent[-min(written - self._seen, len(recent)):]
        self._seen = written
        for text in fresh:
            self.add(time_s, text)
        return fresh


def signature(sim):
    """What a person would notice, as a cheap tuple compared every tick."""
    app = sim.app
    if app is None:
        return None
    evse, board = app.evse, sim.board
    return (evse.state, evse.error_flags, app.lock.error, board.contactor1.value,
            board.contactor2.value, evse.advertised_da(), evse.access, evse.phases,
            sim.plant.lock.stuck())


class Watcher:
    """Advances `sim` in 10 ms ticks; calls `on_change(time_s)` on each change and
    `on_log(time_s, line)` for each new firmware log line."""

    def __init__(self, sim, events, on_change, on_log):
        self.sim = sim
        self.events = events
        self._on_change = on_change
        self._on_log = on_log
        self._last = signature(sim)

    def run(self, seconds, until_state=None):
        """Run `seconds` of simulated time, or until the state is `until_state` (an id).
        Returns True when `until_state` was reached (always True without one)."""
        sim = self.sim
        ticks = int(round(seconds / _TICK_S))
        for _ in range(ticks):
            if until_state is not None and self.state_is(until_state):
                return True
            sim.advance(_TICK_S)
            self.check()
        return until_state is None or self.state_is(until_state)

    def state_is(self, wanted):
        return self.sim.app is not None and self.sim.app.evse.state == wanted

    def check(self):
        """Report what changed since the last check (after a tick or a command)."""
        now_s = self.sim.time_s
        for line in self.events.collect(now_s):
            self._on_log(now_s, line)
        current = signature(self.sim)
        if current != self._last:
            self._last = current
            self._on_change(now_s)
