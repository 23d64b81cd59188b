"""Commands that change the plant: the EV, its cable, the mains, the board's inputs.

When a change cannot have an effect in the current configuration, the reply says why
and which setting would give it one (the plant changes anyway, as the real one would).
"""

from sim.cli.registry import UsageError, choice, command, count, number, on_off
from smartevse.core.states import CONFIG_SOCKET, LOCK_NONE, MODE_NORMAL
from smartevse.settings import facts

CABLES_A = ("13", "20", "32", "63")


def setting_hint(key, value):
    """`set LABEL OPTION` for the value of `key` that would make a command count."""
    i = facts.index(key)
    return f"set {facts.label(i)} {facts.option_text(i, value)}"


def _values(console):
    app = console.sim.app
    return None if app is None else app.settings.values


def _phases(args, what):
    count(args, 3)
    return [number(a, f"{what} L{n}", -8000, 8000) for n, a in enumerate(args, 1)]


@command("plug", "plug [13|20|32|63]", "plug the EV in (B) with a cable of that rating (default 32 A)")
def plug(console, args):
    count(args, 0, 1)
    rating = int(choice(args[0], CABLES_A, "the cable rating (A)")) if args else 32
    console.sim.plant.cable(rating_a=rating)
    console.sim.plant.ev.pilot("B")


@command("unplug", "unplug", "take the EV out (A)")
def unplug(console, args):
    count(args, 0)
    console.sim.plant.ev.pilot("A")
    if console.sim.plant.lock.jammed and console.sim.plant.lock.is_locked:
        return "the lock is jammed shut: the cable cannot come out ('unjam' frees it)"


@command("charge", "charge", "the EV asks for current (C)")
def charge(console, args):
    count(args, 0)
    console.sim.plant.ev.pilot("C")


@command("idle", "idle", "the EV stops asking for current (B)")
def idle(console, args):
    count(args, 0)
    console.sim.plant.ev.pilot("B")


@command("ev", "ev A|B|C|D", "set the EV's pilot state directly")
def ev(console, args):
    count(args, 1)
    console.sim.plant.ev.pilot(choice(args[0], ("A", "B", "C", "D"), "the EV state"))


@command("pilot", "pilot MV", "force a raw pilot level in CP millivolts (e.g. 7500); "
         "the next ev/plug/charge ends it")
def pilot(console, args):
    count(args, 1)
    console.sim.plant.ev.pilot_mv(number(args[0], "MV", -12000, 12000))


@command("draw", "draw DA", "the EV draws at most DA deciamps per phase (e.g. draw 100)")
def draw(console, args):
    count(args, 1)
    console.sim.plant.ev.draw_limit_da(number(args[0], "DA", 0, 800))


@command("diode", "diode on|off", "the EV's pilot diode present or missing")
def diode(console, args):
    console.sim.plant.ev.diode(on_off(args))


@command("phases", "phases 1|3", "the phases the EV draws on")
def phases(console, args):
    count(args, 1)
    console.sim.plant.ev.phases(int(choice(args[0], ("1", "3"), "phases")))


@command("load", "load L1 L2 L3", "house load per phase, dA (e.g. load 100 40 40)")
def load(console, args):
    console.sim.plant.mains.load_da(*_phases(args, "load"))
    return _mains_hint(console, "house load")


@command("pv", "pv L1 L2 L3", "PV production per phase, dA")
def pv(console, args):
    console.sim.plant.mains.pv_da(*_phases(args, "pv"))
    return _mains_hint(console, "PV")


def _mains_hint(console, what):
    values = _values(console)
    if values is not None and values["mode"] == MODE_NORMAL:
        return f"{what} set; Normal mode reads no mains meter: {setting_hint('mode', 1)}"
    return None


@command("meter", "meter online|offline", "take the mains meter off-line or back")
def meter(console, args):
    count(args, 1)
    console.sim.plant.mains.online(choice(args[0], ("online", "offline"), "the meter") == "online")
    return _mains_hint(console, "mains meter " + args[0].lower())


@command("p1", "p1 on|off|phases 1|3|fault KIND|none",
         "the HomeWizard P1 meter: on, off, 1 or 3 phases, bad answers (fault http_500, "
         "bad_json, missing_fields, endless_body, silent; none)")
def p1(console, args):
    count(args, 1, 2)
    meter = console.sim.p1_meter
    what = choice(args[0], ("on", "off", "phases", "fault", "none"), "the P1 meter")
    if (what in ("phases", "fault")) != (len(args) == 2):
        raise UsageError("wrong number of arguments")
    if meter is None:
        return f"no P1 meter: the mains meter is not HmWzrd P1 ({setting_hint('mains_meter_type', 13)})"
    if what == "on":
        meter.start()
    elif what == "off":
        meter.stop()
    elif what == "phases":
        meter.phases(int(choice(args[1], ("1", "3"), "the P1 phases")))
    else:
        kind = None if what == "none" or args[1].lower() == "none" else args[1].lower()
        try:
            meter.fault(kind)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return _mains_hint(console, "P1 meter " + " ".join(args).lower())


@command("evmeter", "evmeter online|offline", "take the EV meter off-line or back")
def evmeter(console, args):
    count(args, 1)
    online = choice(args[0], ("online", "offline"), "the EV meter") == "online"
    console.sim.plant.ev_meter.online(online)


@command("evload", "evload L1 L2 L3", "other loads behind the EV meter per phase, dA")
def evload(console, args):
    console.sim.plant.ev_meter.other_load_da(*_phases(args, "evload"))


@command("bus", "bus DROP CORRUPT", "RS485 faults: the share of frames dropped and corrupted "
         "(0..1, e.g. bus 0.1 0.05; bus 1 0 silences it)")
def bus(console, args):
    count(args, 2)
    drop, corrupt = (number(a, what, 0, 1, whole=False) for a, what in zip(args, ("DROP", "CORRUPT")))
    console.sim.bus.faults(drop=drop, corrupt=corrupt)


@command("temp", "temp C", "board temperature, degrees C")
def temp(console, args):
    count(args, 1)
    console.sim.plant.temperature(number(args[0], "the temperature", -40, 150))


@command("rcm", "rcm on|off|reset|glitch", "trip / release the residual current monitor; "
         "reset: press the switch at the box, which clears a trip once the RCM is released; "
         "glitch: one spike, not a trip")
def rcm(console, args):
    count(args, 1)
    what = choice(args[0], ("on", "off", "reset", "glitch"), "the argument")
    plant = console.sim.plant
    if what == "glitch":
        plant.rcm_glitch()
        return None
    if what == "reset":
        if plant.rcm_tripped:
            return "the RCM is still tripped: 'rcm off' first, then 'rcm reset'"
        plant.switch_press()
        return "pressed the switch at the box (a press clears RCM Tripped)"
    plant.rcm(what == "on")
    values = _values(console)
    if what == "on" and values is not None and not values["rcmon"]:
        return "RCM input tripped, but RCM monitoring is off: " + setting_hint("rcmon", 1)
    return None


@command("switch", "switch on|off|press", "the external switch input closed / open, or a "
         "300 ms press")
def switch(console, args):
    count(args, 1)
    what = choice(args[0], ("on", "off", "press"), "the argument")
    if what == "press":
        console.sim.plant.switch_press()
    else:
        console.sim.plant.switch(what == "on")


@command("jam", "jam", "jam the cable-lock actuator where it is")
def jam(console, args):
    count(args, 0)
    console.sim.plant.lock.jam(True)
    values = _values(console)
    if values is not None and values["config"] != CONFIG_SOCKET:
        return "jammed, but a fixed cable has no lock: " + setting_hint("config", CONFIG_SOCKET)
    if values is not None and values["lock"] == LOCK_NONE:
        return "jammed, but no lock actuator is used: " + setting_hint("lock", 1)
    return None


@command("unjam", "unjam", "free the cable-lock actuator")
def unjam(console, args):
    count(args, 0)
    console.sim.plant.lock.jam(False)


@command("press", "press left|ok|right [MS]", "press a button on the box (default 200 ms)")
def press(console, args):
    count(args, 1, 2)
    button = choice(args[0], ("left", "ok", "right"), "the button")
    ms = number(args[1], "MS", 20, 60000) if len(args) == 2 else 200
    console.sim.plant.buttons.press(button, ms=ms)


@command("tap", "tap UID", "tap an RFID card (UID in hex, e.g. 04A1B2C3)")
def tap(console, args):
    count(args, 1)
    try:
        bytes.fromhex(args[0])
    except ValueError:
        raise UsageError(f"UID must be hex digits, got {args[0]!r}") from None
    console.sim.plant.rfid.tap(args[0])
