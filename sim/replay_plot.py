"""The `--replay --plot day.png` figure (host only, matplotlib): PV, house load and grid
import over the day, the EV current and its phases, relay events marked."""


def plot(summary, title, path):
    """Write the day's figure to `path` (PNG); ValueError if matplotlib is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ValueError("--plot needs matplotlib: pip install -r requirements.txt") from None
    trace = summary.trace
    hours = [row[0] / 60 for row in trace]
    fig, (power, ev) = plt.subplots(2, 1, sharex=True, figsize=(11, 6))
    power.plot(hours, [row[1] / 1000 for row in trace], label="PV kW", color="orange")
    power.plot(hours, [row[2] / 1000 for row in trace], label="house kW", color="grey")
    power.plot(hours, [max(0, row[5]) / 1000 for row in trace], label="grid import kW", color="red")
    power.set_ylabel("kW")
    power.legend(loc="upper right")
    power.set_title(title)
    ev.step(hours, [row[3] / 10 for row in trace], where="post", label="EV A per phase")
    ev.step(hours, [row[4] for row in trace], where="post", label="phases", color="green")
    for minute in summary.relay_minutes:
        ev.axvline(minute / 60, color="black", linewidth=0.5, alpha=0.5)
    ev.set_xlabel("hours from the first reading")
    ev.set_ylabel("A / phases")
    ev.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
