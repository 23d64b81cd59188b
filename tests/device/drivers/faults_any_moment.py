# Every peripheral raising at moments spread over a minute of charging (issue 6 "Bad
# input"): display bus, NVM write, NeoPixel, pilot ADC, in a fixed pseudo-random schedule.
# The plant checks on every pass that a pass whose pilot read failed ends with the
# contactors open, and the loop must run every pass to the end. code.py runs as __main__.
import standin_plant as p
p.at(1, p.set_ev("C"))
_NAMES = ("display", "nvm", "led", "pilot_adc")
_ERRORS = (OSError(5), RuntimeError("bus error"))
seed = 2026
t_ms = 5000
while t_ms < 60000:
    seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
    name = _NAMES[(seed >> 8) % 4]
    p.at(t_ms / 1000, p.set_failing(name, _ERRORS[seed & 1]))
    p.at((t_ms + 10 + (seed >> 4) % 1500) / 1000, p.set_failing(name, None))
    t_ms += 100 + (seed >> 12) % 1500
p.at(2.5, p.set_failing("nvm", OSError(28)))      # the first write after boot fails
p.at(4.5, p.set_failing("nvm", None))
for second in range(3, 60, 4):
    p.at(second, lambda: p.app.configure("current_max", 10 + p.now_ms // 4000 % 3))
p.check_pilot_rule = True
p.end_ms = 70000
p.capture_app()
#--- run /code.py
#--- step
import json
import standin_plant as p
app = p.app
print("RESULT " + json.dumps({"passes": p.passes, "violations": p.violations,
                              "raised": p.errors_raised, "faults": app.loop.faults,
                              "errors": app.health.errors,
                              "handler_errors": app.loop.fault_handler_errors,
                              "report_errors": app.fault_report_errors}))
