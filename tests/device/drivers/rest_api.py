# code.py as __main__ with REST requests handled by an every-pass service, as the HTTP
# server will call routes.handle (interfaces.md 1.3-1.7): GET /settings, the session and
# meter views, POST /currents from an energy manager, and POST /settings changing the
# mode to Smart, then back to Normal with Home Assistant's override_current=83.0.
import standin_plant as p

pending = []
results = {}
p.rest_results = results               # read back after the run


def rest_service(now_ms):
    # one request per pass, like the HTTP server's poll
    if not pending:
        return
    name, method, path, params = pending.pop(0)
    from smartevse.api import routes
    status, answer = routes.handle(p.app, method, path, params, None)
    results[name] = [status, answer if name != "get_settings" else {
        "mode": answer["mode"], "iec": answer["evse"]["iec61851_state"],
        "enabled": answer["evse"]["charging_enabled"],
        "override": answer["settings"]["override_current"],
        "phase_currents": answer["phase_currents"]["TOTAL"]}]


def ask(name, method, path, params=None):
    def action():
        pending.append((name, method, path, params or {}))
    return action


def configure(app):
    app.configure("mains_meter_type", 9)       # API: the energy manager's feed
    app.loop.add_every_pass(rest_service)


p.after_boot = configure
p.at(1, p.set_ev("B"))
p.at(2, ask("currents", "POST", "/currents", {"L1": "20", "L2": "30", "L3": "40 "}))
p.at(2.5, ask("smart", "POST", "/settings", {"mode": "3"}))
p.at(3, p.set_ev("C"))
p.at(4, ask("currents2", "POST", "/currents", {"L1": "20", "L2": "30", "L3": "40"}))
p.at(6, ask("currents3", "POST", "/currents", {"L1": "20", "L2": "30", "L3": "40"}))
p.at(8, ask("get_settings", "GET", "/settings"))
p.at(8.5, ask("session_last", "GET", "/session/last"))
p.at(9, ask("get_404", "GET", "/nothing"))
p.at(9.5, ask("reboot_get", "GET", "/reboot"))
p.at(10, ask("normal_override", "POST", "/settings", {"mode": "1", "override_current": "83.0"}))
p.at(12, p.snapshot("after"))
p.end_ms = 12500
p.capture_app()
#--- run /code.py
#--- step
import json
import standin_plant as p
print("RESULT " + json.dumps({"results": p.rest_results, "snapshots": p.snapshots,
                              "faults": p.app.loop.faults, "mode": p.app.settings.values["mode"],
                              "override": p.app.evse.override_current_da}))
