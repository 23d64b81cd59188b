# The settings table's own heap: smartevse.settings.table imported alone.
import gc
#--- step
import gc
before = gc.mem_alloc()
import smartevse.settings.table
#--- step
import gc
import json
print("RESULT " + json.dumps({"table_bytes": gc.mem_alloc() - before}))
