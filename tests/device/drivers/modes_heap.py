# What the Smart/Solar modes add to the heap (issue 9 "On the device"): the modes' own
# modules imported after what they build on (the states, policy and the rest of the
# regulation package, which the foundation held before them). Names the rest of the app
# would have interned count here too: an upper bound, printed by module.
import gc
import smartevse.core.states
import smartevse.core.policy
import smartevse.regulation.share
import smartevse.regulation.phases
import smartevse.regulation.meters
#--- step
import gc
gc.collect()
sizes = {}
before = gc.mem_alloc()
start = before
for name in ("setpoint", "solar", "battery", "priority"):
    __import__("smartevse.regulation." + name)
    gc.collect()
    now = gc.mem_alloc()
    sizes[name] = now - before
    before = now
modes_total = gc.mem_alloc() - start
#--- step
import json
print("RESULT " + json.dumps({"modes_bytes": modes_total, "sizes": sizes}))
