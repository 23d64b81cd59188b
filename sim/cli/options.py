"""The options of `python -m sim`: parsed and checked, each refusal one clear line."""

import argparse

from sim.cli.clock import parse_speed

PROG = "python -m sim"

def _speed(text):
    speed, error = parse_speed(text)
    if error:
        raise argparse.ArgumentTypeError(error)
    return speed


def _duration(text):
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of simulated seconds, got {text!r}") from None
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {text!r}")
    return seconds


def _count(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None


def _port(text):
    port = _count(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0..65535 (0: a free port), got {text!r}")
    return port


def _nodes(text):
    count = _count(text)
    if not 1 <= count <= 8:
        raise argparse.ArgumentTypeError(f"must be 1..8 controllers, got {text!r}")
    return count


def parser():
    p = argparse.ArgumentParser(
        prog=PROG, description="A simulated SmartEVSE controller running the real firmware.",
        epilog="Commands are read from the terminal or stdin; type 'help' once running.")
    p.add_argument("--speed", type=_speed, default=1.0, metavar="N|max",
                   help="simulated seconds per wall second (default 1); max: as fast as possible")
    p.add_argument("--config", metavar="FILE", help="TOML file: settings and a [plant] table")
    p.add_argument("--nvm", metavar="FILE", help="keep the 8 KB NVM in FILE across runs")
    p.add_argument("--duration", type=_duration, metavar="S",
                   help="stop after S simulated seconds")
    p.add_argument("--script", metavar="FILE",
                   help="run the commands of FILE; time passes only in `wait`; stop at its end")
    p.add_argument("--batch", action="store_true",
                   help="like --script, with the commands from stdin")
    p.add_argument("--quiet", action="store_true", help="print only command replies and errors")
    p.add_argument("--replay", metavar="FILE.csv",
                   help="replay a day of one-minute PV and house readings in Solar mode (or the "
                        "--config mode) as fast as possible and print its summary")
    p.add_argument("--plot", metavar="FILE.png",
                   help="with --replay: draw PV, house, EV current and phases, grid import and "
                        "relay events over the day (matplotlib)")
    p.add_argument("--nodes", type=_nodes, default=1, metavar="N",
                   help="N controllers sharing one mains connection: 1 master, N-1 nodes (1..8)")
    p.add_argument("--port", type=_port, metavar="N",
                   help="serve the status page, REST and the plant page /sim on this port "
                        "(default 8080, or a free one when 8080 is taken; 0: a free port); "
                        "node N on PORT + N - 1. --script and --batch serve only with --port")
    p.add_argument("--mqtt", metavar="HOST:PORT",
                   help="publish to and take /Set/ commands from this MQTT broker")
    p.add_argument("--ocpp", metavar="URL",
                   help="OCPP 1.6J to a central system: ws://HOST:PORT/ID (with --fleet: "
                        "ws://HOST:PORT/, the ids are SmartEVSE-001 ...)")
    p.add_argument("--fleet", type=_count, metavar="N",
                   help="N independent controllers with their own EVs against the --ocpp "
                        "central system (a load test); summary lines on stdout")
    p.add_argument("--rs485", metavar="PORT",
                   help="put the controller on a real serial device (a USB-RS485 adapter) "
                        "instead of the simulated bus; runs on real time")
    return p


def parse(argv):
    """The options, or SystemExit(2) with the usage and one clear line."""
    p = parser()
    args = p.parse_args(argv)
    if args.fleet is not None:
        if not args.ocpp or args.fleet < 1:
            p.error("--fleet N needs N >= 1 and --ocpp ws://HOST:PORT/ (the central system)")
        if args.nodes != 1 or args.rs485 or args.script or args.batch or args.replay or args.nvm:
            p.error("--fleet runs its own controllers: no --nodes, --rs485, --script, --batch, "
                    "--replay or --nvm")
    if args.plot and not args.replay:
        p.error("--plot draws a --replay day; give --replay FILE.csv")
    if args.replay and (args.script or args.batch or args.nvm):
        p.error("--replay runs a day on its own; --script, --batch and --nvm do not apply")
    if args.script and args.batch:
        p.error("--script and --batch both name where commands come from; give one")
    if args.rs485 and (args.nodes != 1 or args.speed != 1.0 or args.script or args.batch):
        p.error("--rs485: one controller on real time (no --nodes, --speed, --script or "
                "--batch): the bus and its devices keep wall-clock time")
    return args
