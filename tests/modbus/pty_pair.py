"""A socat pty pair for the real-peer tests: two linked serial devices in a folder."""

import os
import shutil
import subprocess
import time


def skip_or_fail(reason, environ):
    """A missing socat skips with its reason; under CI=true it fails (.ci/run installs it)."""
    import pytest
    if environ.get("CI") == "true":
        pytest.fail("pymodbus peer tests unavailable under CI: " + reason)
    pytest.skip(reason)


def open_pair(folder, names):
    """(path a, path b, socat process) once both ends exist; skip or fail without socat."""
    if shutil.which("socat") is None:
        skip_or_fail("socat is not installed (apt-get install socat)", os.environ)
    a, b = str(folder / names[0]), str(folder / names[1])
    socat = subprocess.Popen(["socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(a) and os.path.exists(b):
            break
        time.sleep(0.01)
    return a, b, socat


def close_pair(socat):
    socat.terminate()
    socat.wait(timeout=5)
