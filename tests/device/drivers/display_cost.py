# The cost of the display (issue 10 "Benchmarks"): bytes the OLED view holds after boot and
# its displayio objects, then per update in steady state (status screen each second; one
# menu step) the bytes allocated and the glyph copies (bitmaptools.blit, C on the device:
# counted, not run, so the stand-in's own Python work is not measured).
import gc
import standin_plant as p
#--- step
import gc
import bitmaptools
import displayio
blits = [0]


def blit(*args, **kwargs):
    blits[0] += 1


bitmaptools.blit = blit
app = p.device_app(False, True)
before = gc.mem_alloc()
from ui.oled import OledView
view = OledView(app.board.display)       # a second view: what one holds, alone
view_b = gc.mem_alloc() - before
app.view = view
view = None
kinds = {}


def count(group):
    for item in group:
        name = type(item).__name__
        kinds[name] = kinds.get(name, 0) + 1
        if name == "Group":
            count(item)
        elif name == "TileGrid":
            kinds["Bitmap"] = kinds.get("Bitmap", 0) + 1


count(app.view._root)
kinds["Group"] = kinds.get("Group", 0) + 1   # the root
p.ev = "C"
for _ in range(600):
    app.loop.run_once()
    p.now_ms += p.PASS_MS
#--- step
import gc
import keypad
start_blits = blits[0]
app._tick_display(p.now_ms)
before = gc.mem_alloc()
tick_b = 0
for _ in range(100):
    p.now_ms += 1000
    mark = gc.mem_alloc()
    app._tick_1s(p.now_ms)                # the second passes: the status line rotates
    tick_b += gc.mem_alloc() - mark
    app._tick_display(p.now_ms)
status_b = (gc.mem_alloc() - before - tick_b) // 100
status_blits = blits[0] - start_blits      # over 101 updates
keypad.push(1, True)                      # hold O 2 s: the menu
for _ in range(250):
    p.now_ms += 10
    app.panel.tick_buttons(p.now_ms)
    app.panel.tick_action(p.now_ms)
    app._tick_display(p.now_ms)
keypad.push(1, False)
start_blits = blits[0]
before = gc.mem_alloc()
for _ in range(40):                       # `>` tapped: the next item, drawn
    keypad.push(2, True)
    keypad.push(2, False)
    p.now_ms += 10
    app.panel.tick_buttons(p.now_ms)
    app.panel.tick_action(p.now_ms)
    app._tick_display(p.now_ms)
menu_b = (gc.mem_alloc() - before) // 40
menu_blits = (blits[0] - start_blits) // 40
app.panel.tick_buttons(p.now_ms)
before = gc.mem_alloc()
for _ in range(600):                      # 5 s idle in the menu: the help text appears,
    p.now_ms += 10                        # its module imported on first use
    app.panel.tick_buttons(p.now_ms)
help_import_b = gc.mem_alloc() - before
before = gc.mem_alloc()
for _ in range(300):                      # then it scrolls: per 10 ms pass
    p.now_ms += 10
    app.panel.tick_buttons(p.now_ms)
menu_idle_b = (gc.mem_alloc() - before) // 300
help_shown = app.menu._help_at >= 0
#--- step
import json
print("RESULT " + json.dumps({"view_b": view_b, "objects": kinds, "status_b": status_b,
                              "status_blits": status_blits, "menu_b": menu_b,
                              "menu_blits": menu_blits, "menu_active": app.menu.active,
                              "menu_idle_b": menu_idle_b, "help_shown": help_shown,
                              "help_import_b": help_import_b}))
