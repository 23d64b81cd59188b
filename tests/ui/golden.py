"""Golden pictures of the main OLED screens (settings-and-menu.md 2.6, 3.3-3.6).

Each scene drives a Simulation to one screen through the public API and the front
buttons; `tests/ui/test_ui_golden.py` compares the panel with tests/golden/<name>.png
pixel for pixel. After a deliberate change of a screen, regenerate them with

    .venv/bin/python -m tests.ui.golden --update

and look at every PNG that changed before committing it.
"""
import os
import random
import sys

from sim import Simulation
from tests.ui.buttons import enter_menu, go_to, tap

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "golden")


def _idle():
    s = Simulation()
    s.advance(2)
    return s


def _ev(pilot, seconds, settings=None):
    """An EV on a 32 A cable at pilot level `pilot` for `seconds`."""
    s = Simulation(settings=settings)
    s.plant.mains.load_da(100, 80, 60)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot(pilot)
    s.advance(seconds)
    return s


SCENES = {
    "status_idle": _idle, "status_connected": lambda: _ev("B", 3),
    "status_charging": lambda: _ev("C", 5),
    "status_smart": lambda: _ev("C", 12, {"MODE": "Smart"}),    # Sensorbox mains meter
}


def _stopped():
    s = Simulation()
    s.plant.buttons.press("left", ms=2200)
    s.advance(3)
    return s


def _delayed_start():
    s = Simulation(start="2026-01-01T08:00:00")
    s.rest("POST", "/settings", {"starttime": "2026-01-06T07:30"})
    s.advance(2)
    return s


def _phase_page():
    s = _ev("C", 12, {"MODE": "Smart", "EV METER": "Eastron3P"})
    tap(s, "right")
    s.advance(1)
    return s


def _temp_high():
    s = Simulation()
    s.plant.temperature(80)
    s.advance(3)
    return s


def _rcm():
    s = Simulation(settings={"RCMON": "On"})
    s.plant.rcm(True)
    s.advance(2)
    return s


def _hold_for_menu():
    s = Simulation()
    s.advance(1)
    s.plant.buttons.press("ok", ms=1500)
    s.advance(0.5)
    return s


def _menu_browse():
    s = Simulation()
    enter_menu(s)
    go_to(s, "MAX")
    return s


def _menu_edit():
    s = _menu_browse()
    tap(s, "ok")
    tap(s, "right")
    return s


def _menu_lcd_pin():
    s = Simulation()
    enter_menu(s)
    go_to(s, "LCD PIN")
    tap(s, "ok")
    tap(s, "left")
    tap(s, "right")
    return s


def _menu_help():
    s = _menu_browse()
    s.advance(5.2)
    return s


def _menu_contact2():
    s = Simulation(settings={"MODE": "Smart"})
    enter_menu(s)
    go_to(s, "CONTACT 2")
    tap(s, "ok")
    return s


def _menu_wifi():
    """Row 0 with Wi-Fi on: the IP address and the clock (2.6, D2)."""
    s = Simulation(settings={"WIFI": "Enabled"})
    enter_menu(s)
    go_to(s, "MAX")
    return s


def _menu_app_pin():
    """APP PIN in edit: the box name on row 0, a PIN as the value (2.4); the random
    source seeded so the picture is the same on every run."""
    random.seed(2026)
    s = _menu_wifi()
    go_to(s, "APP PIN")
    tap(s, "ok")
    return s


def _status_rfid():
    """Access OFF with an RFID reader: the card prompt on row 7 (3.5)."""
    s = Simulation(settings={"RFID": "EnableAll"})
    s.plant.buttons.press("left", ms=2200)
    s.advance(3)
    return s


SCENES.update({
    "status_stopped": _stopped, "status_delayed_start": _delayed_start,
    "status_phase_page": _phase_page,
    "error_temp_high": _temp_high, "error_rcm": _rcm, "hold_for_menu": _hold_for_menu,
    "menu_browse": _menu_browse, "menu_edit": _menu_edit, "menu_lcd_pin": _menu_lcd_pin,
    "menu_help": _menu_help, "menu_contact2": _menu_contact2,
    "menu_wifi": _menu_wifi, "menu_app_pin": _menu_app_pin, "status_rfid": _status_rfid,
})


def path_of(name):
    return os.path.join(GOLDEN_DIR, name + ".png")


def render(name, path):
    """Drive scene `name` and save the panel as a 128 x 64 PNG at `path`."""
    SCENES[name]().display_png(path)


def main(argv):
    if argv != ["--update"]:
        print("usage: python -m tests.ui.golden --update   (rewrites tests/golden/*.png)")
        return 2
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    for name in SCENES:
        render(name, path_of(name))
        print("wrote " + os.path.relpath(path_of(name)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
