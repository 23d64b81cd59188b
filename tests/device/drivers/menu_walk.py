# Every status screen, then a walk through the whole menu with keypad events (issue 10
# "On the device"): Wi-Fi on, hold O 2 s, on each item O > < O (edit one step up and
# back; MAX stays 2 steps up; APP PIN and WIFI's SetupWifi shown), `>` to the next, O on
# EXIT saves; then the RFID card prompt. code.py runs as __main__.
import standin_plant as p
import keypad

screens = p.results_of_menu = {}                  # kept on the plant: later steps read it
seen = []
walk = {"queue": [], "done": False, "seen": seen}
p.menu_walk = walk


def shot(name):
    return lambda: screens.__setitem__(name, p.app.view.text_lines())


def tap(k):
    keypad.push(k, True)
    keypad.push(k, False)


class Net:                          # the board's Wi-Fi part, up (smartevse/hal/board.py)
    connected = True
    ipv4_address = "192.168.1.20"


def wifi_on():
    # WIFI Enabled shows AUTOUPDAT, APP PIN, APP SERVR and the IP and clock on row 0
    # (2.6); the device's clock comes with NTP later: stand in for it (08:00 local)
    app = p.app
    app.board.net = Net()
    app._clock_epoch = lambda: 1767254400 + p.now_ms // 1000
    app.configure("wifi_mode", 1)


def walker():
    menu = p.app.menu
    if walk["done"] or not menu.active or menu.level == 1:
        return
    if walk["queue"]:
        k = walk["queue"].pop(0)
        if k == "wait":
            return
        if isinstance(k, str):
            screens[k] = p.app.view.text_lines()
            return
        tap(k)
        return
    from smartevse.settings import facts
    from ui.menu import EXIT
    label = "EXIT" if menu.item == EXIT else facts.label(menu.item)
    if label == "EXIT" and seen:
        walk["done"] = True
        tap(1)                         # O on EXIT: leave and save (2.5)
        return
    seen.append(label)
    if label == "MAX":
        walk["queue"] = [1, 2, 2, 1, 2]
    elif label == "APP PIN":           # its editor: a fresh PIN, the box name (2.4)
        walk["queue"] = [1, "wait", "wait", "wait", "wait", "app_pin", 2, 0, 1, 2]
    elif label == "WIFI":              # SetupWifi and back; O outside SetupWifi
        walk["queue"] = [1, 2, "wait", "wait", "wait", "wait", "setup_wifi", 0, 1, 2]
    else:
        walk["queue"] = [1, 2, 0, 1, 2]


p.at(1, shot("idle"))
p.at(1.1, p.set_ev("B"))
p.at(3, shot("connected"))
p.at(3.1, p.set_ev("C"))
p.at(5, shot("charging"))
p.at(5.1, lambda: setattr(p, "temp_mv", 1350))     # 85 degC: TEMP_HIGH (charging.md)
p.at(7, shot("temp_high"))
p.at(7.1, lambda: setattr(p, "temp_mv", 750))
p.at(7.15, wifi_on)
p.at(7.2, p.key(1, True))                          # hold O 2 s: the menu (2.2)
p.at(8, shot("hold"))
p.at(9.4, shot("menu"))
p.at(9.5, p.key(1, False))
t = 10
while t < 18:
    p.at(t, walker)
    t += 0.03
def after():
    shot("after")()
    walk["dirty"] = p.app.settings.dirty          # saved on EXIT (2.5)


def rfid_stop():                                   # a card reader, access OFF (3.5)
    p.app.configure("rfid_reader", 1)
    p.app.configure("access", 0)


p.at(19, after)
p.at(19.1, rfid_stop)
p.at(20.5, shot("rfid"))
p.end_ms = 20600
p.capture_app()
#--- run /code.py
#--- step
import json
import standin_plant as p
app = p.app
walk = p.menu_walk
print("RESULT " + json.dumps({"screens": p.results_of_menu, "seen": walk["seen"],
                              "done": walk["done"], "pin": app.netlink.pin_text(),
                              "level": app.menu.level, "faults": app.loop.faults,
                              "current_max": app.settings.values["current_max"],
                              "dirty": walk["dirty"]}))
