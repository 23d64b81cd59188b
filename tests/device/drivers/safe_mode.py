# The manifest safe mode: code.py on a drive whose manifest lists a file with another
# size, as a half-copied update leaves it (docs/architecture.md "Firmware update"); then the
# maintenance mode as boot.py selects it.
import json
import standin_plant as p
with open("/manifest.json", "w") as f:
    json.dump({"format": 1, "version": "0", "files": [["smartevse/version.py", 1, "00000000"]]}, f)
p.pins["IO13"] = True          # a contactor left closed must be opened by safe mode
#--- run /code.py
#--- step
import json
import os
import standin_plant as p
incomplete = p.outputs()
os.remove("/manifest.json")
p.pins["IO13"] = True
p.sleeps = 0
#--- run /smartevse/startup/safemode.py
#--- step
import json
import standin_plant as p
print("RESULT " + json.dumps({"incomplete": incomplete, "maintenance": p.outputs()}))
