"""The simulator's plant page /sim and `python -m sim` printing its address
(simulator.md "1. The command line"; issue 11 item 4)."""

import io
import json
import os
import subprocess
import sys
import urllib.request

from PIL import Image

from browser import Browser, chromium_or_skip
from http_client import call
from sim import Simulation

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_plant_page_runs_the_plant_commands_and_shows_the_oled():
    """Given Simulation(http=True), when /sim/cmd runs "plug 32", "charge", "load 100 40 40"
    and "press ok", then the plant does it (the EV charges, the house load shows on the
    mains in Smart), /sim/oled.png is the OLED picture 3x, and a command that is not a plant command
    (power, time, quit) is refused and changes nothing."""
    with Simulation(http=True, settings={"mode": "Smart"}) as s:
        status, page = call(s, "GET", "/sim")
        assert status == 200 and b"<h1>Simulated plant</h1>" in page
        for line in ("plug 32", "charge", "load 100 40 40", "press ok"):
            status, body = call(s, "POST", "/sim/cmd?line=" + line.replace(" ", "+"))
            assert status == 200 and body["ok"], body
        s.advance(3.0)
        o = s.observe()
        assert o["state"] == "Charging" and o["mains_da"][0] > 100
        status, png = call(s, "GET", "/sim/oled.png")
        image = Image.open(io.BytesIO(png))
        assert status == 200 and image.size == (384, 192)
        assert image.resize((128, 64)).convert("1").tobytes() == s.view.to_image().convert("1").tobytes()
        status, body = call(s, "POST", "/sim/cmd?line=cut")
        assert status == 400 and not body["ok"] and s.app is not None
        status, body = call(s, "POST", "/sim/cmd?line=temp+hot")
        assert status == 400 and "temp" in body["reply"]
        assert call(s, "GET", "/sim/state")[1]["state"] == "Charging"


def test_a_click_on_the_plant_page_plugs_the_ev_in_chromium():
    """Given the plant page in chromium, when "plug" and then "request charge (C)" are
    clicked, then the simulated EV charges and the page shows the OLED picture."""
    chromium_or_skip()
    with Simulation(http=True) as s, Browser(s) as b:
        b.open(s.http_url + "/sim")
        assert b.wait_for("document.getElementById('oled').naturalWidth === 384")
        b.js("document.querySelector('button[data-cmd=\"plug\"]').click()")
        assert s.run_realtime(10.0, until=lambda: s.observe()["state"] == "Connected to EV")
        b.js("document.querySelector('button[data-cmd=\"charge\"]').click()")
        assert s.run_realtime(10.0, until=lambda: s.observe()["state"] == "Charging")


def test_python_m_sim_prints_its_address_and_serves_there():
    """Given `python -m sim --port 0` (a free port), then it prints where the status page,
    REST and /sim answer, and a client gets GET /settings and the plant state there."""
    proc = subprocess.Popen([sys.executable, "-m", "sim", "--port", "0", "--duration", "60"],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        for _ in range(20):
            line = proc.stdout.readline()
            if "status page" in line:
                break
        assert "status page and REST on http://127.0.0.1:" in line and line.rstrip().endswith("/sim")
        url = line.split(" on ")[1].split(" ")[0].rstrip("/")
        with urllib.request.urlopen(url + "/settings", timeout=10) as r:
            assert json.load(r)["evse"]["state"].startswith("Ready to Charge")
        with urllib.request.urlopen(url + "/sim/state", timeout=10) as r:
            assert json.load(r)["state"] == "Ready to Charge"
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
    assert proc.returncode == 0
