# What the REST API adds to the live heap (issue 11 "On the device"): the route table and
# the handlers a client uses (GET and POST /settings, POST /currents), after the app they
# serve is built and charging. Read at the start of each step (the build collects then).
import gc
import standin_plant as p
#--- step
app = p.device_app(False, False)
p.ev = "C"
for _ in range(300):
    app.loop.run_once()
    p.now_ms += p.PASS_MS
#--- step
import gc
heap_before = gc.mem_alloc()
from smartevse.api import routes
status_get = routes.handle(app, "GET", "/settings")[0]
#--- step
import gc
heap_get = gc.mem_alloc()
status_post = routes.handle(app, "POST", "/settings", {"mode": "1", "override_current": "83.0"})[0]
status_currents = routes.handle(app, "POST", "/currents", {"battery_current": "10"})[0]
#--- step
import gc
import json
heap_after = gc.mem_alloc()
print("RESULT " + json.dumps({"get_b": heap_get - heap_before, "rest_b": heap_after - heap_before,
                              "statuses": [status_get, status_post, status_currents]}))
