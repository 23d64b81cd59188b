"""The table of commands a typed line can run, and how their arguments are read.

Each command is registered once with its usage line and a one-line summary; `help`,
`help <command>` and every refusal ("usage: ...") come from that entry, so the help
cannot drift from what the command takes. A handler returns the reply text (None for
"ok") or an `Action` for the session (wait, speed, quit).
"""

COMMANDS = {}
ALIASES = {}


class UsageError(ValueError):
    """The line does not fit the command: answered with its usage line."""


class Command:
    def __init__(self, name, usage, summary, handler, powered):
        self.name = name
        self.usage = usage
        self.summary = summary
        self.handler = handler
        self.powered = powered       # needs the controller powered on


def command(name, usage, summary, aliases=(), powered=False):
    """Register the decorated `handler(console, args)` as command `name`."""
    def register(handler):
        COMMANDS[name] = Command(name, usage, summary, handler, powered)
        for alias in aliases:
            ALIASES[alias] = name
        return handler
    return register


def find(name):
    """The command called `name` (or an alias of it), or None."""
    name = name.lower()
    return COMMANDS.get(ALIASES.get(name, name))


# --- arguments ------------------------------------------------------------------------

def count(args, low, high=None):
    """Refuse fewer than `low` or more than `high` arguments."""
    high = low if high is None else high
    if not low <= len(args) <= high:
        raise UsageError("wrong number of arguments")


def number(text, what, low, high, whole=True):
    """A number from text within low..high; UsageError naming `what` otherwise."""
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise UsageError(f"{what} must be {kind}, got {text!r}") from None
    if not low <= value <= high:          # also refuses nan
        raise UsageError(f"{what} must be {low}..{high}, got {text!r}")
    return value


def choice(text, options, what):
    """One of `options` (any case) -> as written in `options`."""
    for option in options:
        if text.lower() == option.lower():
            return option
    listed = ", ".join(options[:-1]) + " or " + options[-1]
    raise UsageError(f"{what} must be {listed}, got {text!r}")


def on_off(args, what="the argument"):
    count(args, 1)
    return choice(args[0], ("on", "off"), what) == "on"


# --- what a handler asks of the session --------------------------------------------

class Action:
    """Something only the session can do: let time pass, change speed, stop."""

    def __init__(self, kind, seconds=0.0, state=None, speed=None, reply=None):
        self.kind = kind            # "wait", "speed", "quit"
        self.seconds = seconds
        self.state = state          # wait until: the state id
        self.state_name = None
        self.speed = speed
        self.reply = reply
