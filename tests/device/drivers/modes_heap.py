# What the Smart/Solar modes add to the heap (issue 9 "On the device"): the modes' own
# modules imported after every foundation module that does not itself (transitively)
# import them, so the names the rest of the firmware interns anyway are already in the
# pool and the figure is what the modes add to a device that has the rest. balance.py,
# evse.py, machine.py and app.py import the modes: their share stays out. Printed by module.
import sys
import smartevse.core.states, smartevse.core.policy, smartevse.core.pilot
import smartevse.core.pilot_window, smartevse.core.led, smartevse.core.cablelock
import smartevse.core.rcm, smartevse.core.schedule, smartevse.core.switch
import smartevse.settings.table, smartevse.settings.live, smartevse.settings.facts
import smartevse.settings.persist, smartevse.settings.nvm, smartevse.settings.changes
import smartevse.settings.text_rules
import smartevse.regulation.share, smartevse.regulation.phases, smartevse.regulation.meters
import smartevse.hal.pins, smartevse.hal.parts, smartevse.hal.device_board
import smartevse.log, smartevse.loop, smartevse.health, smartevse.netlink
import smartevse.session_log, smartevse.version
import ui.status, ui.status_view, ui.screens, ui.layout, ui.error_screen, ui.backlight
import ui.oled, ui.font, ui.icons, ui.fmt, ui.textline
MODES = ("setpoint", "solar", "priority")
for name in MODES:
    assert "smartevse.regulation." + name not in sys.modules, name
#--- step
import gc
gc.collect()
sizes = {}
before = gc.mem_alloc()
start = before
for name in MODES:
    __import__("smartevse.regulation." + name)
    gc.collect()
    now = gc.mem_alloc()
    sizes[name] = now - before
    before = now
modes_total = gc.mem_alloc() - start
#--- step
import json
print("RESULT " + json.dumps({"modes_bytes": modes_total, "sizes": sizes}))
