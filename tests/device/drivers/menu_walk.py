# Every status screen, then a walk through the whole menu with keypad events (issue 10
# "On the device"): hold O 2 s, on each item O > < O (edit one step up and back; MAX
# stays 2 steps up), `>` to the next, O on EXIT saves. code.py runs as __main__.
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


def walker():
    menu = p.app.menu
    if walk["done"] or not menu.active or menu.level == 1:
        return
    if walk["queue"]:
        tap(walk["queue"].pop(0))
        return
    from smartevse.settings import facts
    from ui.menu import EXIT
    label = "EXIT" if menu.item == EXIT else facts.label(menu.item)
    if label == "EXIT" and seen:
        walk["done"] = True
        tap(1)                         # O on EXIT: leave and save (2.5)
        return
    seen.append(label)
    walk["queue"] = [1, 2, 2, 1, 2] if label == "MAX" else [1, 2, 0, 1, 2]


p.at(1, shot("idle"))
p.at(1.1, p.set_ev("B"))
p.at(3, shot("connected"))
p.at(3.1, p.set_ev("C"))
p.at(5, shot("charging"))
p.at(5.1, lambda: setattr(p, "temp_mv", 1350))     # 85 degC: TEMP_HIGH (charging.md)
p.at(7, shot("temp_high"))
p.at(7.1, lambda: setattr(p, "temp_mv", 750))
p.at(7.2, p.key(1, True))                          # hold O 2 s: the menu (2.2)
p.at(8, shot("hold"))
p.at(9.4, shot("menu"))
p.at(9.5, p.key(1, False))
t = 10
while t < 18:
    p.at(t, walker)
    t += 0.03
p.at(19, shot("after"))
p.end_ms = 19500
p.capture_app()
#--- run /code.py
#--- step
import json
import standin_plant as p
app = p.app
walk = p.menu_walk
print("RESULT " + json.dumps({"screens": p.results_of_menu, "seen": walk["seen"],
                              "done": walk["done"],
                              "level": app.menu.level, "faults": app.loop.faults,
                              "current_max": app.settings.values["current_max"],
                              "dirty": app.settings.dirty}))
