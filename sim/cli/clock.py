"""How much simulated time a wall-clock interval is worth at the requested speed, and
the speed actually achieved.

The wall clock is injected (`wall_s`, e.g. `time.monotonic`), so the command loop runs
in tests on a fake one. A speed change re-anchors the clock at the current instant, so
the simulated time already run is kept and the new rate holds from now on.
"""

MAX = None            # `--speed max`: as fast as the host allows
_MAX_CHUNK_S = 1.0    # simulated seconds run at once at max speed before input is read
_WINDOW_S = 2.0       # wall seconds over which the achieved speed is measured


def parse_speed(text):
    """A speed from user text -> (speed, None) or (None, message); speed MAX for "max"."""
    text = str(text).strip().lower()
    if text == "max":
        return MAX, None
    try:
        speed = float(text)
    except ValueError:
        return None, f"speed must be a number greater than 0, or max; got {text!r}"
    if not speed > 0 or speed == float("inf"):
        return None, f"speed must be a number greater than 0, or max; got {text!r}"
    return speed, None


def speed_text(speed):
    return "max" if speed is MAX else f"{speed:g}x"


class SpeedClock:
    """Simulated time owed at `speed` since the anchor; the achieved rate over ~2 s."""

    def __init__(self, wall_s, speed=1.0):
        self._wall_s = wall_s
        self.speed = speed
        self._anchor_wall = wall_s()
        self._anchor_sim = 0.0
        self._samples = [(self._anchor_wall, 0.0)]

    def set_speed(self, speed, simulated_s):
        """From now on run at `speed`, counting from `simulated_s`."""
        self.speed = speed
        self.reanchor(simulated_s)
        self._samples = [(self._anchor_wall, simulated_s)]   # achieved: at the new speed only

    def reanchor(self, simulated_s):
        """Forget the time owed so far (after a pause such as a wait at max speed)."""
        self._anchor_wall = self._wall_s()
        self._anchor_sim = simulated_s

    def due(self, simulated_s):
        """Simulated seconds to run now to keep up with the wall clock (>= 0)."""
        if self.speed is MAX:
            return _MAX_CHUNK_S
        target = self._anchor_sim + (self._wall_s() - self._anchor_wall) * self.speed
        return max(0.0, target - simulated_s)

    def record(self, simulated_s):
        """Note the simulated time reached now, for the achieved speed."""
        now = self._wall_s()
        self._samples.append((now, simulated_s))
        while len(self._samples) > 2 and now - self._samples[1][0] >= _WINDOW_S:
            self._samples.pop(0)

    def achieved(self):
        """Simulated seconds per wall second over the last ~2 s, or None before any."""
        (wall0, sim0), (wall1, sim1) = self._samples[0], self._samples[-1]
        if wall1 - wall0 <= 0:
            return None
        return (sim1 - sim0) / (wall1 - wall0)
