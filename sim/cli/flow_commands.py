"""Commands about the session itself: help, wait, speed, quit."""

from sim.cli import clock, watch
from sim.cli.registry import COMMANDS, Action, UsageError, command, count, find, number

DEFAULT_UNTIL_TIMEOUT_S = 60.0
_USAGE_WIDTH = 24


@command("help", "help [COMMAND]", "list the commands, or explain one")
def help_(console, args):
    count(args, 0, 1)
    if args:
        found = find(args[0])
        if found is None:
            raise UsageError(f"no command {args[0]!r}; type 'help' for the list")
        return f"usage: {found.usage}\n  {found.summary}"
    lines = ["commands (Enter to send; 'help COMMAND' for one):"]
    for c in COMMANDS.values():
        if len(c.usage) > _USAGE_WIDTH:           # a long usage gets a line of its own
            lines += [f"  {c.usage}", f"  {'':<{_USAGE_WIDTH}}  {c.summary}"]
        else:
            lines.append(f"  {c.usage:<{_USAGE_WIDTH}}  {c.summary}")
    return "\n".join(lines)


@command("wait", "wait SECONDS | wait until STATE [TIMEOUT_S]",
         "let simulated time pass; `until` stops when the state holds (A, B, C, B1, C1, "
         "charging, ...; a timeout, default 60 s, fails the run)")
def wait(console, args):
    if not args:
        raise UsageError("wrong number of arguments")
    if args[0].lower() != "until":
        count(args, 1)
        return Action("wait", seconds=number(args[0], "SECONDS", 0, 10 ** 7, whole=False))
    count(args, 2, 3)
    state = watch.state_id(args[1])
    if state is None:
        names = ", ".join(sorted(watch.STATE_IDS, key=lambda n: (watch.STATE_IDS[n], n)))
        raise UsageError(f"unknown state {args[1]!r}; one of {names}")
    timeout = DEFAULT_UNTIL_TIMEOUT_S
    if len(args) == 3:
        timeout = number(args[2], "TIMEOUT_S", 0, 10 ** 7, whole=False)
    action = Action("wait", seconds=timeout, state=state)
    action.state_name = args[1]
    return action


@command("speed", "speed N|max", "simulated seconds per wall second (max: as fast as possible)")
def speed(console, args):
    count(args, 1)
    value, error = clock.parse_speed(args[0])
    if error:
        raise UsageError(error)
    return Action("speed", speed=value)


@command("quit", "quit", "stop (settings are saved)", aliases=("exit",))
def quit_(console, args):
    count(args, 0)
    return Action("quit")
