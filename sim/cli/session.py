"""The command loop of `python -m sim`: reads lines, runs them in the order read, and lets
simulated time pass.

Live (the default): time runs at the requested speed between commands; `wait N` holds
the next command back until N simulated seconds have passed at that speed; the end of
the input leaves the simulation running until `--duration` or a signal. Batch
(`--script`, `--batch`): time passes only inside `wait`, as fast as the host allows,
and the run ends with the input.

Wall time is read from the injected clock and passes only in `reader.poll(timeout_s)`,
so tests drive the loop with a fake clock and scripted input, without sleeping.
"""

from collections import deque

from sim.cli import commands, screen
from sim.cli.clock import MAX, SpeedClock, speed_text
from sim.cli.watch import Watcher

_POLL_S = 0.02          # live: how long to wait for input between slices of time
_MAX_SLICE_S = 1.0      # simulated seconds run between two looks at input and signals
_DRAW_EVERY_S = 0.25    # wall seconds between redraws of the live view
_TICK_S = 0.01


def _ticks(seconds):
    """`seconds` rounded to whole 10 ms loop passes."""
    return round(seconds / _TICK_S) * _TICK_S


class Session:
    """One run of the command line over one Simulation; `run()` -> exit status."""

    def __init__(self, sim, reader, out, wall_s, speed=1.0, batch=False, duration_s=None,
                 live_view=None, quiet=False):
        self.sim = sim
        self.reader = reader
        self.out = out
        self.batch = batch
        # whole 10 ms ticks, so a wait or a duration always ends on a tick
        self.duration_s = None if duration_s is None else max(_TICK_S, _ticks(duration_s))
        self.view = live_view            # a screen.LiveScreen on a terminal, else None
        self.quiet = quiet
        self.clock = SpeedClock(wall_s, speed)
        self.console = commands.Console(sim)
        self.watcher = Watcher(sim, self.console.events, self._changed, self._logged)
        self.failed_waits = 0
        self.stopping = False            # set by a signal handler, or a closed output
        self.out_closed = False
        self.message = "type 'help' for commands"
        self._queue = deque()
        self._wait = None                # (end_s, state id or None, text) while waiting
        self._wall_s = wall_s
        self._drawn_s = None
        self._started_wall_s = wall_s()
        self._started_s = sim.time_s

    # --- output --------------------------------------------------------------------
    def emit(self, text):
        """Print a line in line mode; a closed pipe stops the run quietly."""
        if self.view is not None or self.out_closed:
            return
        try:
            self.out.write(text + "\n")
            self.out.flush()
        except BrokenPipeError:
            self.stopping = True
            self.out_closed = True

    def _changed(self, time_s):
        if not self.quiet:
            self.emit(screen.change_line(self.sim, time_s))

    def _logged(self, time_s, line):
        if not self.quiet and not line.startswith("INFO"):
            self.emit(f"{screen.stamp(time_s)}  {line}")     # warnings, errors, faults

    def _reply(self, line, reply):
        if self.view is not None:
            self.message = reply.text or "ok"
            self.view.prompt(self._block())
            return
        if not self.quiet and line.strip():
            self.emit(f"{screen.stamp(self.sim.time_s)}  > {line.strip()}")
        if reply.text and (reply.text != "ok" or self.quiet):
            self.emit(reply.text)

    def _block(self):
        return screen.status_block(self.sim, self.sim.time_s, self.clock.speed,
                                   self.clock.achieved(), self.message)

    # --- the loop ------------------------------------------------------------------
    def run(self):
        """Run until quit, the end of a batch, --duration or a signal -> exit status."""
        if self.view is not None:
            self.view.prompt(self._block())
        self._changed(self.sim.time_s)          # the state at the start
        self.watcher.check()
        while not self.stopping and not self._duration_over():
            if self.batch:
                if not self._batch_step():
                    break
            else:
                self._live_step()
        self.finish()
        return 1 if self.failed_waits else 0

    def finish(self):
        """A clean stop: pending settings written, the final state shown, and at
        `speed max` how fast that was."""
        if self.sim.app is not None:
            self.sim.app.save_now()
        self.watcher.check()
        if self.clock.speed is MAX and not self.batch:
            ran_s = self.sim.time_s - self._started_s
            wall_s = self._wall_s() - self._started_wall_s
            rate = f"{ran_s / wall_s:.0f}x" if wall_s > 0 else "too fast to measure"
            self._say(f"speed max: {ran_s:.0f} simulated s in {wall_s:.1f} wall s, {rate}")

    def _duration_over(self):
        return self.duration_s is not None and self.sim.time_s >= self.duration_s - 1e-9

    def _batch_step(self):
        """Run the next line (its wait at full speed); False at the end of the input."""
        if not self._queue:
            self._queue.extend(self.reader.poll(0.1))
            if not self._queue:
                return self.reader.open
        self._run_line(self._queue.popleft())
        while self._wait is not None and not self.stopping and not self._duration_over():
            self._advance(_MAX_SLICE_S)
        return True

    def _live_step(self):
        """One slice: the time owed at the speed, then input (held back while waiting)."""
        due = self.clock.due(self.sim.time_s)
        if due > 0:
            self._advance(min(due, _MAX_SLICE_S))
            self.clock.record(self.sim.time_s)
        if self._wait is None and self._queue:
            self._run_line(self._queue.popleft())
            return
        timeout = 0 if self.clock.speed is MAX else _POLL_S
        self._queue.extend(self.reader.poll(timeout))
        self._redraw()

    def _advance(self, seconds):
        """Run up to `seconds`, stopping at the end of a wait or of --duration."""
        now = self.sim.time_s
        if self.duration_s is not None:
            seconds = min(seconds, self.duration_s - now)
        wait = self._wait
        if wait is not None:
            seconds = min(seconds, wait[0] - now)
        reached = self.watcher.run(max(seconds, 0.0), None if wait is None else wait[1])
        if wait is not None and wait[1] is not None and reached:
            self._end_wait(f"{wait[2]}: reached")
        elif wait is not None and self.sim.time_s >= wait[0] - 1e-9:
            if wait[1] is None:
                self._end_wait()
            else:
                self._end_wait(f"{wait[2]}: FAILED, not reached in time", failed=True)

    def _end_wait(self, text=None, failed=False):
        """The wait is over; a `wait until` says how it ended."""
        self._wait = None
        self.failed_waits += failed
        if text is None:
            return
        if self.view is not None:
            self.message = text
        else:
            self.emit(f"{screen.stamp(self.sim.time_s)}  {text}")

    def _run_line(self, line):
        reply = commands.run(self.console, line)
        self._reply(line, reply)
        action = reply.action
        if action is not None:
            self._act(action, line)
        self.watcher.check()

    def _act(self, action, line):
        if action.kind == "quit":
            self.stopping = True
        elif action.kind == "speed":
            self.clock.set_speed(action.speed, self.sim.time_s)
            self._say(f"speed {speed_text(action.speed)}")
        elif action.kind == "wait":
            self._wait = (self.sim.time_s + _ticks(action.seconds), action.state, line.strip())
            if action.state is not None and self.watcher.state_is(action.state):
                self._end_wait(f"{line.strip()}: reached")

    def _say(self, text):
        if self.view is not None:
            self.message = text
        elif not self.quiet:
            self.emit(f"{screen.stamp(self.sim.time_s)}  {text}")

    def _redraw(self):
        if self.view is None:
            return
        now = self._wall_s()
        if self._drawn_s is None or now - self._drawn_s >= _DRAW_EVERY_S:
            self._drawn_s = now
            self.view.draw(self._block())
