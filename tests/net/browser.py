"""Headless chromium driven over the DevTools protocol, while a Simulation runs along the
wall clock (the browser lives in wall time). Missing chromium: a skip with the reason, a
failure under CI=true (.ci/run installs it)."""

import json
import os
import shutil
import subprocess
import tempfile
import urllib.request

import pytest
from websockets.sync.client import connect


def chromium_or_skip():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reason = "chromium is not installed (apt-get install chromium; .ci/run does it)"
        if os.environ.get("CI") == "true":
            pytest.fail("under CI: " + reason)
        pytest.skip(reason)
    return path


class Browser:
    """One headless chromium with one page; every wait runs the simulation meanwhile."""

    def __init__(self, sim, wall_timeout_s=20.0):
        self.sim = sim
        self.timeout_s = wall_timeout_s
        self._profile = tempfile.mkdtemp(prefix="smartevse-chromium-")
        self._proc = subprocess.Popen(
            [chromium_or_skip(), "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--no-first-run", "--disable-extensions",
             "--remote-debugging-port=0", "--user-data-dir=" + self._profile,
             "--window-size=800,1000", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._id = 0
        self.ws = None
        active = os.path.join(self._profile, "DevToolsActivePort")
        if not sim.run_realtime(self.timeout_s, until=lambda: _port_written(active)):
            raise AssertionError("chromium did not open its DevTools port")
        with open(active) as f:
            port = int(f.readline())
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
            page = next(t for t in json.load(r) if t["type"] == "page")
        self._connection = connect(page["webSocketDebuggerUrl"], max_size=None)
        self.ws = self._connection.__enter__()
        self.call("Runtime.enable")

    def close(self):
        if self.ws is not None:
            self._connection.__exit__(None, None, None)
        self._proc.kill()
        self._proc.wait()
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def call(self, method, **params):
        """A DevTools command -> its result; the simulation runs while the browser works."""
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        answer = {}

        def answered():
            try:
                msg = json.loads(self.ws.recv(timeout=0.002))
            except TimeoutError:
                return False
            if msg.get("id") == self._id:
                answer.update(msg)
                return True
            return False

        if not self.sim.run_realtime(self.timeout_s, until=answered):
            raise AssertionError(f"chromium did not answer {method}")
        if "error" in answer:
            raise AssertionError(f"{method}: {answer['error']}")
        return answer["result"]

    def open(self, url):
        self.call("Page.navigate", url=url)

    def js(self, expression):
        """The value of a JavaScript expression in the page."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, wall_s=10.0):
        """Run the simulation until `expression` is truthy in the page -> its last value."""
        seen = []

        def true_now():
            try:
                seen[:] = [self.js(expression)]
            except AssertionError:          # the page is not there yet (navigating)
                return False
            return bool(seen[0])

        self.sim.run_realtime(wall_s, until=true_now)
        return seen[0] if seen else None


def _port_written(path):
    try:
        with open(path) as f:
            return f.readline().strip().isdigit()
    except OSError:
        return False
