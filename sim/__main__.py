"""`python -m sim`: one controller in real time, its state live in the terminal.

Type a command and Enter (or pipe commands in); `help` lists them. See README.
"""

import argparse
import json
import os
import select
import sys
import time
import tomllib

from sim.nvm_file import FileNVM
from sim.simulation import Simulation
from smartevse import log

HELP = """commands (Enter to send):
  plug [13|20|32|63]   plug the EV in (B) with a cable of that rating (default 32 A)
  unplug               EV out (A)
  charge / idle        EV requests charge (C) / stops requesting (B)
  ev A|B|C|D           set the EV's pilot state directly
  diode on|off         EV diode present or missing
  phases 1|3           phases the EV draws on
  load L1 L2 L3        house load per phase, dA      pv L1 L2 L3   PV per phase, dA
  temp C               board temperature, degC
  rcm on|off           trip / release the residual current monitor
  switch on|off        external switch input closed / open
  jam / unjam          jam the cable-lock actuator
  set KEY VALUE        change a setting (key or LCD label) and save it, e.g. set MAX 16
  get                  GET /settings (JSON)
  post K=V [K=V ...]   POST /settings?K=V...
  cut / on             power cut / power on (settings survive in NVM)
  speed N              simulated seconds per wall second
  quit                 stop"""


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m sim", description="Simulated SmartEVSE controller")
    p.add_argument("--speed", type=float, default=1.0, help="simulated time per wall time")
    p.add_argument("--config", help="TOML file: settings, and a [plant] table")
    p.add_argument("--nvm", help="NVM file (8 KB), kept across runs; default: fresh each run")
    p.add_argument("--duration", type=float, help="stop after this many simulated seconds")
    p.add_argument("--nodes", type=int, default=1)
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--mqtt")
    p.add_argument("--ocpp")
    p.add_argument("--rs485")
    p.add_argument("--quiet", action="store_true", help="no live status, only events")
    return p.parse_args(argv)


def refuse_later_features(args):
    later = []
    if args.nodes != 1:
        later.append("--nodes (power sharing arrives with the RS485 bus issue)")
    if args.mqtt:
        later.append("--mqtt (arrives with the web page and MQTT issue)")
    if args.ocpp:
        later.append("--ocpp (arrives with the OCPP issue)")
    if args.rs485:
        later.append("--rs485 (arrives with the RS485 bus issue)")
    if later:
        sys.exit("python -m sim: not built yet: " + "; ".join(later))


def load_config(path):
    """(settings, plant) from a TOML file; a clear error for a file that cannot be used."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from None
    plant = data.pop("plant", {})
    unknown = set(plant) - set(PLANT_KEYS)
    if unknown:
        raise ValueError(f"{path}: unknown [plant] keys {sorted(unknown)}; known: {', '.join(PLANT_KEYS)}")
    return data, plant


# [plant] keys of a config file -> how they are applied.
PLANT_KEYS = {
    "cable": lambda p, v: p.cable(rating_a=v),
    "ev": lambda p, v: p.ev.pilot(v),
    "load_da": lambda p, v: p.mains.load_da(*v),
    "pv_da": lambda p, v: p.mains.pv_da(*v),
    "temperature": lambda p, v: p.temperature(v),
}


def apply_plant(sim, plant):
    for key, value in plant.items():
        PLANT_KEYS[key](sim.plant, value)


class Console:
    """Runs commands typed by the user against one Simulation."""

    def __init__(self, sim, speed):
        self.sim = sim
        self.speed = speed
        self.running = True
        self.message = "type 'help' for commands"

    def run(self, line):
        words = line.split()
        if not words:
            return
        cmd, args = words[0].lower(), words[1:]
        try:
            self.message = self._dispatch(cmd, args) or "ok"
        except (ValueError, TypeError, IndexError, RuntimeError, NotImplementedError) as exc:
            self.message = f"error: {exc}"

    def _dispatch(self, cmd, args):
        sim, plant = self.sim, self.sim.plant
        on = len(args) > 0 and args[0].lower() in ("on", "1", "true", "yes")
        if cmd == "help":
            return HELP
        if cmd == "quit" or cmd == "exit":
            self.running = False
        elif cmd == "plug":
            plant.cable(rating_a=int(args[0]) if args else 32)
            plant.ev.pilot("B")
        elif cmd == "unplug":
            plant.ev.pilot("A")
        elif cmd == "charge":
            plant.ev.pilot("C")
        elif cmd == "idle":
            plant.ev.pilot("B")
        elif cmd == "ev":
            plant.ev.pilot(args[0])
        elif cmd == "diode":
            plant.ev.diode(on)
        elif cmd == "phases":
            plant.ev.phases(int(args[0]))
        elif cmd == "load":
            plant.mains.load_da(*[int(a) for a in args[:3]])
        elif cmd == "pv":
            plant.mains.pv_da(*[int(a) for a in args[:3]])
        elif cmd == "temp":
            plant.temperature(int(args[0]))
        elif cmd == "rcm":
            plant.rcm(on)
        elif cmd == "switch":
            plant.switch(on)
        elif cmd == "jam":
            plant.lock.jam(True)
        elif cmd == "unjam":
            plant.lock.jam(False)
        elif cmd == "set":
            sim.configure({args[0]: " ".join(args[1:])})
            sim.app.persist.save_now()          # like leaving the menu: written at once
        elif cmd == "get":
            status, body = sim.rest("GET", "/settings")
            return f"{status} {json.dumps(body)}"
        elif cmd == "post":
            params = dict(a.split("=", 1) for a in args)
            status, body = sim.rest("POST", "/settings", params)
            return f"{status} {json.dumps(body)}"
        elif cmd == "cut":
            sim.power_cut()
        elif cmd == "on":
            sim.power_on()
        elif cmd == "speed":
            self.speed = float(args[0])
        else:
            return f"unknown command {cmd!r}; type 'help'"
        return None


def status_block(sim, seconds, console):
    if sim.app is None:
        return [f"t={seconds:8.1f}s  POWER OFF (type 'on')", console.message]
    o = sim.observe()
    errors = ",".join(o["errors"]) or "none"
    lines = [
        f"t={seconds:8.1f}s  state {o['state_id']} {o['state']!r}  access {o['access']}  mode {o['mode']}",
        f"pilot duty {o['pwm_duty']:4d}/1024  offered {o['advertised_da'] / 10:4.1f} A  "
        f"pilot {'connected' if o['pilot_connected'] else 'ISOLATED'}",
        f"contactors C1 {'CLOSED' if o['contactor1'] else 'open'}  C2 {'CLOSED' if o['contactor2'] else 'open'}"
        f"  phases {o['phases']}  EV draws {sim.plant.ev.draw_da} dA",
        f"errors {errors}  charge delay {o['charge_delay_s']} s  temp {o['temperature_c']} C"
        f"  lock {o['lock']}  LED {o['led']}",
    ]
    if o["display_text"]:
        lines.append("OLED | " + " | ".join(t for t in o["display_text"] if t))
    if o["fault"]:
        lines.append(f"FAULT {o['fault']}")
    lines.append(console.message)
    return lines


class LineReader:
    """Complete lines from stdin without blocking: reads the file descriptor itself, so
    lines piped in together are all seen (a TextIO buffer would hide them from select)."""

    def __init__(self, stream):
        self._fd = stream.fileno()
        self._pending = b""
        self.open = True

    def poll(self, timeout_s):
        """The complete lines that arrived within `timeout_s` (may be empty)."""
        if self.open and b"\n" not in self._pending:
            ready, _, _ = select.select([self._fd], [], [], timeout_s)
            if ready:
                chunk = os.read(self._fd, 4096)
                if chunk:
                    self._pending += chunk
                else:
                    self.open = False
                    self._pending += b"\n"
        *lines, self._pending = self._pending.split(b"\n")
        return [line.decode("utf-8", "replace") for line in lines]


class LiveScreen:
    """Redraws the status block at the top of the terminal without disturbing what the
    user is typing on the prompt line below it."""

    def __init__(self):
        self.height = 0

    def draw(self, block):
        out = "\x1b7\x1b[H" + "".join(line + "\x1b[K\n" for line in block) + "\x1b8"
        sys.stdout.write(out)
        sys.stdout.flush()

    def prompt(self, block):
        self.height = len(block)
        sys.stdout.write("\x1b[H\x1b[J" + "\n".join(block) + "\n> ")
        sys.stdout.flush()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    refuse_later_features(args)
    nvm = FileNVM(args.nvm) if args.nvm else None
    sim = Simulation(nvm=nvm)
    if args.config:
        try:
            settings, plant = load_config(args.config)
            sim.configure(settings)
            sim.app.persist.save_now()
            apply_plant(sim, plant)
        except (ValueError, TypeError) as exc:
            sys.exit(f"python -m sim: --config: {exc}")
    log.echo = args.quiet
    tty = sys.stdout.isatty() and not args.quiet
    console = Console(sim, args.speed)
    print("SmartEVSE simulator: one controller, simulated plant. The status page and REST over HTTP"
          f" arrive with the network issue (port {args.port} is reserved for it).")
    print("Type 'help' and Enter for commands; Ctrl-C or 'quit' stops.")
    screen = LiveScreen()
    if tty:
        screen.prompt(status_block(sim, 0.0, console))
    simulated = 0.0
    wall0 = time.monotonic()
    last_draw = 0.0
    reader = LineReader(sys.stdin)
    try:
        while console.running:
            if args.duration is not None and simulated >= args.duration:
                break
            target = (time.monotonic() - wall0) * console.speed
            if target > simulated:
                step = min(target - simulated, 1.0)
                sim.advance(step)
                simulated += step
            else:
                wall0 = time.monotonic() - simulated / max(console.speed, 1e-6)
            lines = reader.poll(0.02) if reader.open else []
            if not reader.open and not lines:
                time.sleep(0.02)
            for line in lines:
                console.run(line)
                if tty:
                    last_draw = 0.0
                    screen.prompt(status_block(sim, simulated, console))
                elif line.strip():
                    print(console.message)
            now = time.monotonic()
            if tty and now - last_draw > 0.25:
                last_draw = now
                screen.draw(status_block(sim, simulated, console))
    except KeyboardInterrupt:
        pass
    if sim.app is not None:
        sim.app.save_now()                  # a clean stop writes pending settings first
    if not tty:
        print("\n".join(status_block(sim, simulated, console)))
    print("\nsimulator stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
