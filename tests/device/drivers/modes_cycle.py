# code.py as __main__ with a Sensorbox v2 at 0x0A whose CT readings the timeline changes
# (charging.md 4.6, 4.7, 6.4): Smart regulation cycles under a house load, then Solar
# cycles on export and in shortage (the 3P -> 1P timer armed), then a phase switch to 1P
# (stop offering, both contactors open, C entry on one phase). CAP PEAK 20 kW loads the
# capacity tariff (4.8) without limiting anything.
import struct
import standin_plant as p


def words_at(first, values):
    words = {}
    for i, value in enumerate(values):
        words[first + 2 * i], words[first + 2 * i + 1] = struct.unpack(">HH", struct.pack(">f", value))
    return words


sensorbox = {reg: 0 for reg in range(32)}
sensorbox[0] = 0x0114                  # version 1, v2 with CT grid support
sensorbox[1] = 0x0003                  # CTs in use
p.bus_devices = {10: (4, sensorbox)}
record = {}
p.modes_record = record                # read back after the run


def mains(amps):
    return lambda: sensorbox.update(words_at(14, (amps, amps, amps)))


def configure(app):
    app.configure("enable_C2", 4)      # Auto
    app.configure("current_max", 16)
    app.configure("mode", 1)           # Smart
    app.configure("capacity_limit", 20000)   # CAP PEAK 20 kW: the tariff runs, never limits


def look(name):
    def action():
        evse = p.app.evse
        record[name] = {"outputs": p.outputs(), "state": evse.state, "phases": evse.phases,
                        "offer_da": evse.balanced_da, "switch_timer_s": evse.reg.phase_switch_timer_s,
                        "capacity_da": evse.reg.capacity_da}
    return action


def solar():
    p.app.evse.set_mode(2)          # the core command; the settings layer is not this scenario's


def switch_to_1p():
    p.app.evse.request_phases(1)


mains(10.0)()
p.after_boot = configure
p.at(1, p.set_ev("C"))
p.at(8, look("smart"))
p.at(8.5, mains(-12.0))
p.at(9, solar)
p.at(14, look("solar"))
p.at(14.5, mains(8.0))                 # import: shortage at MIN, severe
p.at(26, look("shortage"))           # after the ramp down and its 5 s settling (4.6 7)
p.at(26.5, mains(-8.0))
p.at(27, switch_to_1p)
p.at(28, look("stopped"))
p.at(45, look("one_phase"))
p.end_ms = 45500
p.capture_app()
#--- run /code.py
#--- step
import json
import standin_plant as p
print("RESULT " + json.dumps({"record": p.modes_record, "faults": p.app.loop.faults,
                              "errors": p.app.evse.error_flags}))
