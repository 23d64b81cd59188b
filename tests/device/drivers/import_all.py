# Every device module imports under MicroPython (stand-ins for the C modules).
import sys
failed = {}
for name in MODULES:
    try:
        __import__(name)
    except Exception as exc:
        failed[name] = "%s: %s" % (type(exc).__name__, exc)
import json
print("RESULT " + json.dumps({"imported": len(MODULES) - len(failed), "failed": failed}))
