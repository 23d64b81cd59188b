"""`python -m sim --fleet N --ocpp ws://HOST:PORT/`: N independent controllers against one
OCPP central system, a load test a back-end operator can run before buying hardware
(issue 13 item 7).

Each controller is a whole `Simulation` (its own firmware, NVM and plant) with OCPP on,
FreeVend on and charge point id `<prefix>-001` ... Its EV arrives and leaves on a schedule
drawn from `random.Random(seed + n)`, so a run can be repeated: it arrives within the
first 10 minutes, stays 20 to 90 minutes, is away 10 to 60 minutes, and again.
"""

import random
import time

_ARRIVE_S = (0, 600)
_STAY_S = (1200, 5400)
_AWAY_S = (600, 3600)


class FleetEv:
    """One controller and its EV's schedule."""

    def __init__(self, sim, rng, arrive_s=_ARRIVE_S, stay_s=_STAY_S):
        self.sim = sim
        self._rng = rng
        self._stay_s = stay_s
        self.plugged = False
        self.next_s = rng.uniform(*arrive_s)
        self.sessions = 0

    def step(self, now_s):
        if now_s < self.next_s:
            return
        plant = self.sim.plant
        if self.plugged:
            plant.ev.pilot("A")
            self.next_s = now_s + self._rng.uniform(*_AWAY_S)
        else:
            plant.cable(rating_a=32)
            plant.ev.pilot("C")
            self.sessions += 1
            self.next_s = now_s + self._rng.uniform(*self._stay_s)
        self.plugged = not self.plugged


class Fleet:
    """N controllers on one simulated clock each, stepped together."""

    def __init__(self, count, url, seed=1, prefix="SmartEVSE", arrive_s=_ARRIVE_S,
                 stay_s=_STAY_S):
        from sim.simulation import Simulation

        if not url.endswith("/"):
            url += "/"
        self.evs = []
        for n in range(1, count + 1):
            sim = Simulation(settings={"ocpp_auto_auth": 1, "ocpp_auto_auth_idtag": "FLEET",
                                       "ev_meter_type": "Eastron3P", "ev_meter_address": 12},
                             ocpp="%s%s-%03d" % (url, prefix, n))
            self.evs.append(FleetEv(sim, random.Random(seed + n), arrive_s, stay_s))
        self.time_s = 0.0

    def advance(self, seconds, slice_s=0.1):
        """Run every controller `seconds` of simulated time, slice by slice."""
        end = self.time_s + seconds
        while self.time_s < end - 1e-9:
            step = min(slice_s, end - self.time_s)
            self.time_s += step
            for ev in self.evs:
                ev.step(self.time_s)
                ev.sim.advance(step)

    def summary(self):
        """What the operator reads: links up, sessions, transactions, messages."""
        links = [ev.sim.app.ocpp for ev in self.evs]
        return {"controllers": len(self.evs),
                "connected": sum(link.connected for link in links),
                "charging": sum(ev.sim.observe()["state"] == "Charging" for ev in self.evs),
                "sessions": sum(ev.sessions for ev in self.evs),
                "tx_starts": sum(link.cp.tx_starts for link in links),
                "tx_stops": sum(link.cp.tx_stops for link in links),
                "queued": sum(len(link.cp.journal.queue) for link in links)}

    def close(self):
        for ev in self.evs:
            ev.sim.close()


def run(count, url, out, speed=1.0, duration_s=None, seed=1, report_s=10.0,
        clock=time.monotonic, sleep=time.sleep, stopping=lambda: False):
    """Run the fleet along the wall clock (`speed` simulated s per wall s, None: as fast
    as the host allows), printing a
    summary line every `report_s` simulated seconds. Returns the last summary."""
    fleet = Fleet(count, url, seed)
    if speed is not None:                # on the wall clock: no controller waits for one answer
        for ev in fleet.evs:
            ev.sim.ocpp_wait_s = 0
    print("fleet: %d controllers against %s (ids SmartEVSE-001 ...)" % (count, url), file=out,
          flush=True)
    start = clock()
    next_report = report_s
    try:
        while not stopping() and (duration_s is None or fleet.time_s < duration_s):
            ahead = -1 if speed is None else fleet.time_s - (clock() - start) * speed
            if ahead > 0:
                sleep(min(ahead / speed, 0.1))
                continue
            fleet.advance(0.1)
            if fleet.time_s >= next_report:
                next_report += report_s
                print("t=%6.0f s  %s" % (fleet.time_s, _line(fleet.summary())), file=out,
                      flush=True)
        summary = fleet.summary()
    finally:
        fleet.close()
    return summary


def _line(summary):
    return " ".join("%s=%d" % item for item in summary.items())
