# code.py as __main__ in Normal mode with a Linky TIC gateway emulating an Eastron SDM630
# at 11 (modbus.md 8.6): register 600 says peak hours (HP), so the Linky gate holds access
# at PAUSE (charging.md 9.1); then off-peak (HC) and the next Linky read lift it and the EV
# charges. The Linky registers are read at t == 0 of the poll (~120 s): the scenario starts
# the next read early by setting t back.
import standin_plant as p

words_at = p.words_at

HP = 1 << 3 | 1 << 6                   # register 600: peak hours, HP/HC tariff
HC = 1 << 4 | 1 << 6
gateway = words_at(0x0006, (5.0, 5.0, 5.0, 1150.0, 1150.0, 1150.0))
gateway.update(words_at(342, (4321.5,)))          # total energy: Linky data "available"
gateway.update({reg: 0 for reg in range(600, 630)})
gateway[600] = HP
p.bus_devices = {11: (4, gateway)}
record = {}
p.linky_record = record


def configure(app):
    app.configure("mains_meter_type", 4)           # Eastron3P
    app.configure("mains_meter_address", 11)


def look(name):
    def action():
        app = p.app
        gate = app.linky_gate
        record[name] = {"outputs": p.outputs(), "access": app.evse.access,
                        "state": app.evse.state, "hold": gate.hold if gate else -1}
    return action


def off_peak():
    gateway[600] = HC
    p.app.modbus.energy_t = -1         # the next poll cycle is t == 0: Linky read again


p.after_boot = configure
p.at(1, p.set_ev("C"))
p.at(8, look("peak"))
p.at(8.5, off_peak)
p.at(20, look("off_peak"))
p.end_ms = 20500
p.capture_app()
#--- run /code.py
#--- step
import json
import standin_plant as p
print("RESULT " + json.dumps({"record": p.linky_record, "faults": p.app.loop.faults}))
