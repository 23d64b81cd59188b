"""The simulator's plant page, `/sim` (simulator.md "1. The command line"): host only.

The controller's HTTP service (smartevse/net/http.py) asks `SimPage.handle` first; it
answers the `/sim` paths and leaves every other path to the firmware. The plant controls
are the command line's own commands (sim/cli), so the page and the terminal agree.
"""

import io
import json
import os

from sim.cli import commands

_PAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "www", "sim.html")
# The commands the page may run: the plant and the buttons (not power, time or quit,
# which would take the page's own server away or belong to the terminal session).
PAGE_COMMANDS = ("plug", "unplug", "charge", "idle", "ev", "pilot", "draw", "diode", "phases",
                 "load", "pv", "meter", "evmeter", "evload", "bus", "temp", "rcm", "switch",
                 "jam", "unjam", "press", "tap")
_OLED_SCALE = 3


class SimPage:
    """`handle(method, path, params, body)` -> None (not a /sim path) or (status, obj, type)."""

    def __init__(self, sim):
        self.sim = sim
        self.console = commands.Console(sim)

    def handle(self, method, path, params, body):
        if path != "/sim" and not path.startswith("/sim/"):
            return None
        if method == "GET" and path in ("/sim", "/sim/"):
            with open(_PAGE, "rb") as f:
                return 200, f.read(), "text/html; charset=utf-8"
        if method == "GET" and path == "/sim/oled.png":
            return 200, self._png(), "image/png"
        if method == "GET" and path == "/sim/state":
            return 200, self._state()
        if method == "POST" and path == "/sim/cmd":
            return self._command(params.get("line", ""))
        if path in ("/sim/oled.png", "/sim/state", "/sim/cmd"):
            return 405, {"error": "Method not allowed"}
        return 404, {"error": "Not found"}

    def _png(self):
        image = self.sim.view.to_image()
        image = image.resize((image.width * _OLED_SCALE, image.height * _OLED_SCALE))
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    def _state(self):
        o = self.sim.observe()
        keys = ("state", "errors", "access", "mode", "contactor1", "contactor2", "phases",
                "lock", "led", "mains_da", "ev_da", "temperature_c", "advertised_da",
                "display_text", "fault")
        state = {key: o[key] for key in keys}
        state["time_s"] = self.sim.time_s
        return json.loads(json.dumps(state))

    def _command(self, line):
        words = line.split()
        if not words or words[0] not in PAGE_COMMANDS:
            return 400, {"ok": False, "reply": "the page runs only: " + " ".join(PAGE_COMMANDS)}
        reply = commands.run(self.console, line)
        return (400 if reply.failed else 200), {"ok": not reply.failed, "reply": reply.text}
