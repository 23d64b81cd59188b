"""What one typed line does: find its command, check the controller can take it, run it,
and answer in one clear reply (never a Python traceback).

Errors a command raises on purpose are `UsageError` (answered with the usage line) and
the simulator's own `ValueError` / `NotImplementedError` (their messages name the
setting or the part not built yet).
"""

# Importing registers the commands; `help` lists them in this order.
from sim.cli import plant_commands  # noqa: F401
from sim.cli import controller_commands  # noqa: F401
from sim.cli import flow_commands  # noqa: F401
from sim.cli.registry import Action, UsageError, find
from sim.cli.watch import EventLog


class Console:
    """The commands' view of the session: the simulation and its event log."""

    def __init__(self, sim, events=None):
        self.sim = sim
        self.events = EventLog() if events is None else events


class Reply:
    """The answer to a line: its text (may be empty), whether it failed, an Action."""

    def __init__(self, text="", failed=False, action=None):
        self.text = text
        self.failed = failed
        self.action = action


def run(console, line):
    """Run one line of text -> Reply."""
    words = line.split()
    if not words or words[0].startswith("#"):
        return Reply()
    found = find(words[0])
    if found is None:
        return Reply(f"unknown command {words[0]!r}; type 'help' for the list", failed=True)
    if found.powered and console.sim.app is None:
        return Reply(f"{found.name}: the controller is off (power cut); 'on' powers it up",
                     failed=True)
    try:
        result = found.handler(console, words[1:])
    except UsageError as exc:
        return Reply(f"{found.name}: {exc}\nusage: {found.usage}", failed=True)
    except (ValueError, NotImplementedError, RuntimeError) as exc:
        return Reply(f"{found.name}: {exc}", failed=True)
    if isinstance(result, Action):
        return Reply(result.reply or "", action=result)
    return Reply(result or "ok")
