"""What `python -m sim` prints: on a terminal a status block redrawn in place above the
prompt; otherwise (a pipe, a file) one timestamped line per change, so a script's output
can be read, diffed and searched.
"""

import sys

from sim.cli.clock import speed_text
from sim.cli.watch import STATE_IDS



def stamp(time_s):
    return f"{time_s:10.2f} s"


def change_line(sim, time_s):
    """One line: simulated time, state, errors, contactors, offer, access, phases."""
    if sim.app is None:
        return f"{stamp(time_s)}  POWER OFF"
    o = sim.observe()
    line = (f"{stamp(time_s)}  state {state_name(o)}  errors {','.join(o['errors']) or 'none'}"
            f"  C1 {'closed' if o['contactor1'] else 'open'}"
            f"  C2 {'closed' if o['contactor2'] else 'open'}"
            f"  offered {o['advertised_da'] / 10:.1f} A  access {o['access']}  phases {o['phases']}")
    if sim.plant.lock.stuck():
        line += "  " + lock_stuck_text(sim)
    return line


def state_name(o):
    """`C "Charging"`: the internal name of interfaces.md 0.2 and the web name."""
    internal = next((n for n, v in STATE_IDS.items() if v == o["state_id"] and n != "CHARGING"),
                    str(o["state_id"]))
    return f'{internal} "{o["state"]}"'


def lock_stuck_text(sim):
    lock = sim.plant.lock
    return ("LOCK JAMMED locked: the cable cannot be taken out ('unjam')" if lock.is_locked
            else "LOCK JAMMED open: the cable is not locked ('unjam')")


def energy_text(sim):
    """EV power and session energy once an EV meter is configured, from what the OLED
    shows (ui/status_view.py: `evse.ev_power_w`, `app.session_wh`); "" without one."""
    app = sim.app
    if not app.settings.values["ev_meter_type"]:
        return ""
    session_wh = getattr(app, "session_wh", None)
    return (f"EV power {getattr(app.evse, 'ev_power_w', 0)} W  session "
            + ("none yet" if session_wh is None else f"{session_wh} Wh"))


def status_block(sim, time_s, speed, achieved, message):
    """The live view: state, pilot, contactors, errors, energy, OLED, speed, last reply."""
    rate = (f"speed {speed_text(speed)} requested, "
            + (f"{achieved:.0f}x achieved" if achieved is not None else "measuring"))
    if sim.app is None:
        return [f"{stamp(time_s)}  POWER OFF (type 'on')   {rate}", message]
    o = sim.observe()
    lines = [
        f"{stamp(time_s)}  state {state_name(o)}  access {o['access']}  mode {o['mode']}   {rate}",
        f"pilot duty {o['pwm_duty']:4d}/1024  offered {o['advertised_da'] / 10:4.1f} A  "
        f"pilot {'connected' if o['pilot_connected'] else 'ISOLATED'}",
        f"contactors C1 {'CLOSED' if o['contactor1'] else 'open'}  C2 {'CLOSED' if o['contactor2'] else 'open'}"
        f"  phases {o['phases']}  EV draws {sim.plant.ev.draw_da} dA",
        f"errors {','.join(o['errors']) or 'none'}  charge delay {o['charge_delay_s']} s"
        f"  temp {o['temperature_c']} C  lock {o['lock']}  LED {o['led']}",
    ]
    if energy_text(sim):
        lines.append(energy_text(sim))
    if sim.plant.lock.stuck():
        lines.append(lock_stuck_text(sim))
    if o["display_text"]:
        lines.append("OLED | " + " | ".join(t for t in o["display_text"] if t))
    if o["fault"]:
        lines.append(f"FAULT {o['fault']}")
    lines.append(message)
    return lines


class LiveScreen:
    """Redraws the status block at the top of the terminal without disturbing what the
    user is typing on the prompt line below it."""

    def __init__(self, out=sys.stdout):
        self.out = out

    def draw(self, block):
        self.out.write("\x1b7\x1b[H" + "".join(line + "\x1b[K\n" for line in block) + "\x1b8")
        self.out.flush()

    def prompt(self, block):
        self.out.write("\x1b[H\x1b[J" + "\n".join(block) + "\n> ")
        self.out.flush()
