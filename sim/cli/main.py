"""`python -m sim` / `smartevse-sim`: options in, a Session run, a clean stop out.

SIGTERM and SIGINT end the run at the next slice of time, the settings written to the
NVM (and so to the `--nvm` file); a closed output pipe ends it quietly. The exit status
is 1 when a `wait until` failed, 2 for unusable options or files, else 0.
"""

import errno
import os
import signal
import sys
import time

from sim import replay, replay_plot
from sim.cli import config, options, screen
from sim.cli.lines import ScriptLines, StreamLines
from sim.cli.session import Session
from sim.nvm_file import FileNVM, NvmFileError
from sim.simulation import Simulation

DEFAULT_PORT = 8080
BANNER = ("SmartEVSE simulator: one controller, simulated plant. "
          "Type 'help' and Enter for commands; Ctrl-C or 'quit' stops.")


def build(args):
    """The Simulation the options describe -> (sim, notes to print); ValueError."""
    notes = []
    nvm = None
    if args.nvm:
        nvm = FileNVM(args.nvm)
        if nvm.problem:
            notes.append("--nvm: " + nvm.problem)
    serve = args.port is not None or not (args.script or args.batch)
    port = DEFAULT_PORT if args.port is None else args.port
    try:
        try:
            sim = Simulation(nvm=nvm, nodes=args.nodes, rs485=args.rs485, mqtt=args.mqtt,
                             ocpp=args.ocpp, http=serve,
                             http_port=port)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or args.port is not None:
                raise
            notes.append(f"port {DEFAULT_PORT} is taken: serving on a free port")
            sim = Simulation(nvm=nvm, nodes=args.nodes, rs485=args.rs485, mqtt=args.mqtt,
                             ocpp=args.ocpp, http=True)
    except OSError as exc:                   # pyserial's SerialException is an OSError
        if exc.errno == errno.EADDRINUSE:
            raise ValueError(f"--port {args.port}: {exc.strerror}") from None
        raise ValueError(f"--rs485 {args.rs485}: {exc}") from None
    if args.mqtt:
        notes.append("MQTT: broker %s, topics under %s/" % (args.mqtt, sim.app.mqtt.prefix()))
    if args.nvm and sim.app.boot_message:
        notes.append("boot: " + sim.app.boot_message)
    if args.config:
        settings, plant = config.load(args.config)
        try:
            for n in range(1, args.nodes + 1):  # settings apply to every controller
                sim.node(n).configure(settings)
        except ValueError as exc:
            raise ValueError(f"{args.config}: {exc}") from None
        sim.app.persist.save_now()
        config.apply_plant(sim, plant, args.config)
    return sim, notes


def main(argv=None, stdin=None, stdout=None):
    args = options.parse(sys.argv[1:] if argv is None else argv)
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    if args.replay:
        return replay_day(args, stdout)
    if args.fleet:
        return run_fleet(args, stdout)
    try:
        sim, notes = build(args)
        reader = ScriptLines.from_file(args.script) if args.script else StreamLines(stdin)
    except (ValueError, NvmFileError) as exc:
        print(f"{options.PROG}: {exc}", file=sys.stderr)
        return 2
    batch = bool(args.script or args.batch)
    live = stdout.isatty() and not batch and not args.quiet
    session = Session(sim, reader, stdout, time.monotonic, speed=args.speed, batch=batch,
                      duration_s=args.duration, quiet=args.quiet,
                      live_view=screen.LiveScreen(stdout) if live else None)
    for note in notes:
        print(f"{options.PROG}: {note}", file=sys.stderr)
    if not batch and not args.quiet and not live:
        session.emit(BANNER)
    for line in addresses(sim):
        if live:
            session.message = line
        else:
            session.emit(line)

    def stop(signum, frame):
        session.stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        status = session.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if session.out_closed:
        # Python flushes stdout at exit: point it at /dev/null so that flush is quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
    elif live:
        stdout.write("\nsimulator stopped\n")
    return status


def run_fleet(args, stdout):
    """--fleet: N controllers against the --ocpp central system until Ctrl-C or --duration."""
    from sim import fleet

    stopping = []
    previous = {sig: signal.signal(sig, lambda signum, frame: stopping.append(signum))
                for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        fleet.run(args.fleet, args.ocpp, stdout, speed=args.speed, duration_s=args.duration,
                  stopping=lambda: bool(stopping))
    except ValueError as exc:
        print(f"{options.PROG}: {exc}", file=sys.stderr)
        return 2
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def addresses(sim):
    """Where each controller's pages answer, one line each (simulator.md)."""
    lines = []
    for n in range(1, len(sim._controllers) + 1):
        url = sim.node(n).http_url
        if url is not None:
            who = "" if n == 1 else f"node {n - 1}: "
            lines.append(f"{who}status page and REST on {url}/ , plant page {url}/sim")
    return lines


def replay_day(args, stdout):
    """--replay: the day's summary on stdout; status 2 for an unusable file or config."""
    try:
        settings = config.load(args.config)[0] if args.config else {}
        summary = replay.replay(replay.read_day(args.replay), settings)
    except ValueError as exc:
        print(f"{options.PROG}: {exc}", file=sys.stderr)
        return 2
    for line in summary.lines(os.path.basename(args.replay)):
        print(line, file=stdout)
    if args.plot:
        try:
            replay_plot.plot(summary, os.path.basename(args.replay), args.plot)
        except (ValueError, OSError) as exc:
            print(f"{options.PROG}: --plot: {exc}", file=sys.stderr)
            return 2
        print(f"plot written to {args.plot}", file=stdout)
    return 0


def run():
    """The `smartevse-sim` console script."""
    sys.exit(main())
