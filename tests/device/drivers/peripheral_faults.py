# Display bus, NVM write and NeoPixel errors injected at the C-module stand-ins while
# charging: charging goes on (issue 6 item 4; only charging.md's safety rules open the
# contactors), each error is counted and visible in app.health.
import standin_plant as p
p.at(1, p.set_ev("C"))
p.at(6, p.snapshot("charging"))
p.at(6, p.set_failing("display", RuntimeError("I2C bus error")))
p.at(6, p.set_failing("nvm", OSError(5)))
p.at(6, p.set_failing("led", OSError(5)))
p.at(7, lambda: p.app.configure("current_max", 10))   # a change for NVM while it fails
p.at(70, p.snapshot("faulty"))
p.end_ms = 71000
p.capture_app()
#--- run /code.py
#--- step
import json
import standin_plant as p
app = p.app
print("RESULT " + json.dumps({"snapshots": p.snapshots, "raised": p.errors_raised,
                              "errors": app.health.errors, "last": app.health.last_error,
                              "faults": app.loop.faults, "state": app.evse.state}))
