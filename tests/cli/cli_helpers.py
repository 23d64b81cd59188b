"""Drive the command loop of `python -m sim` in-process: a fake wall clock that moves
only while the loop waits for input, scripted input, captured output."""

import io

from sim.cli.session import Session
from sim.simulation import Simulation


class FakeWall:
    def __init__(self):
        self.now_s = 1000.0

    def __call__(self):
        return self.now_s


class ScriptedInput:
    """Hands out one line per poll; afterwards (or while empty) the wall clock moves by
    the poll's timeout, as a real wait for input would."""

    def __init__(self, wall, lines, end=True):
        self.wall = wall
        self.lines = list(lines)
        self.end = end
        self.open = True

    def poll(self, timeout_s):
        if self.lines:
            return [self.lines.pop(0)]
        if self.end:
            self.open = False
        self.wall.now_s += timeout_s
        return []


def run_session(lines, sim=None, **options):
    """Run `lines` through a Session -> (exit status, output text, session)."""
    wall = FakeWall()
    out = io.StringIO()
    sim = Simulation() if sim is None else sim
    session = Session(sim, ScriptedInput(wall, lines), out, wall, **options)
    status = session.run()
    return status, out.getvalue(), session
