# boot.py with the O button (IO6) held, then released (README "Put it on a board" 5).
import standin_plant as p
p.held.add("IO6")
#--- run /boot.py
#--- step
import supervisor
import standin_plant as p
held_file = supervisor.next_code_file
supervisor.next_code_file = None
p.held.clear()
#--- run /boot.py
#--- step
import json
import supervisor
print("RESULT " + json.dumps({"held": held_file, "released": supervisor.next_code_file}))
