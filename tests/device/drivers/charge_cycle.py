# code.py as __main__ through A -> B -> C -> B -> A, then C again and a pilot ADC fault
# (charging.md 2.4; docs/architecture.md "The cooperative loop": the fail-safe opens the
# contactors and the loop goes on). Times in scenario seconds.
import standin_plant as p
p.at(1, p.set_ev("B"))
p.at(2, p.snapshot("B"))
p.at(3, p.set_ev("C"))
p.at(8, p.snapshot("C"))
p.at(10, p.set_ev("B"))
p.at(12, p.snapshot("C_to_B"))
p.at(13, p.set_ev("A"))
p.at(15, p.snapshot("A"))
p.at(16, p.set_ev("C"))
p.at(22, p.snapshot("C_again"))
p.at(23, p.set_failing("pilot_adc", OSError(5)))
p.at(23.1, p.snapshot("pilot_adc_fault"))
p.at(25, p.snapshot("fault_held"))
p.end_ms = 26000
#--- run /code.py
#--- step
import json
import standin_plant as p
from smartevse import log
print("RESULT " + json.dumps({"snapshots": p.snapshots, "passes": p.passes,
                              "now_ms": p.now_ms, "peripheral_errors": log.health.errors}))
