"""Commands that talk to the controller: its settings, REST, power, picture and log."""

import contextlib
import io
import json

from sim.cli import settings_list
from sim.cli.registry import UsageError, command, count
from smartevse.settings import facts
from smartevse.settings.table import KEYS


def split_setting(args):
    """(name, value) from `MAX 16` or `MAX TEMP 50`: the longest leading words that name
    a setting (labels may hold spaces), the rest is the value."""
    for n in range(len(args) - 1, 0, -1):
        name = " ".join(args[:n])
        if facts.find(name) >= 0:
            return name, " ".join(args[n:])
    raise UsageError(f"unknown setting {args[0]!r}; 'settings' lists them")


@command("set", "set KEY VALUE", "change a setting (key or LCD label) and save it, "
         "e.g. set MAX 16", powered=True)
def set_(console, args):
    if len(args) < 2:
        raise UsageError("wrong number of arguments")
    name, value = split_setting(args)
    sim = console.sim
    sim.configure({name: value})
    sim.app.persist.save_now()               # like leaving the menu: written at once
    i = facts.find(name)
    text = f"{facts.name_of(i)} = {facts.label_of(KEYS[i], sim.app.settings.values[KEYS[i]])}"
    console.events.add(sim.time_s, "SETTING: " + text)
    return text


@command("get", "get [--raw]", "GET /settings: the JSON, pretty (--raw: one line)", powered=True)
def get(console, args):
    count(args, 0, 1)
    if args and args[0] != "--raw":
        raise UsageError(f"unknown flag {args[0]!r}")
    status, body = console.sim.rest("GET", "/settings")
    text = json.dumps(body) if args else json.dumps(body, indent=2, ensure_ascii=False)
    return f"{status}\n{text}" if status != 200 else text


@command("post", "post KEY=VALUE [KEY=VALUE ...]", "POST /settings?KEY=VALUE... (REST names)",
         powered=True)
def post(console, args):
    if not args or any("=" not in a or a.startswith("=") for a in args):
        raise UsageError("each argument must be KEY=VALUE")
    params = dict(a.split("=", 1) for a in args)
    status, body = console.sim.rest("POST", "/settings", params)
    console.events.add(console.sim.time_s, "SETTING: POST /settings " + " ".join(args))
    return f"{status} {json.dumps(body)}"


@command("settings", "settings [FILTER]", "list every setting: key, label, value, unit, "
         "limits or options, shown in the menu", powered=True)
def settings(console, args):
    count(args, 0, 1)
    return settings_list.table_text(console.sim.app.settings.values, args[0] if args else "")


@command("cut", "cut", "power cut (settings survive in NVM)")
def cut(console, args):
    count(args, 0)
    if console.sim.app is None:
        return "already off: 'on' powers it up"
    console.sim.power_cut()
    console.events.add(console.sim.time_s, "POWER: cut")


@command("on", "on", "power on after a cut (boots from NVM)")
def on(console, args):
    count(args, 0)
    if console.sim.app is not None:
        return "already on"
    console.sim.power_on()
    console.events.add(console.sim.time_s, "POWER: on")
    message = console.sim.app.boot_message
    return f"booted: {message}" if message else None


@command("png", "png [PATH]", "write the OLED picture as a PNG (default oled.png)", powered=True)
def png(console, args):
    count(args, 0, 1)
    path = args[0] if args else "oled.png"
    try:
        with contextlib.redirect_stdout(io.StringIO()):     # Blinka's board warning
            console.sim.display_png(path, scale=4)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    return f"wrote {path} (128x64 OLED, scaled 4x)"


@command("log", "log", "the recent events with their simulated time")
def log_(console, args):
    count(args, 0)
    console.events.collect(console.sim.time_s)
    if not console.events.lines:
        return "no events yet"
    return "\n".join(f"{time_s:10.2f} s  {text}" for time_s, text in console.events.lines)
