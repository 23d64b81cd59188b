"""The status page in a real headless browser: it loads from the controller with no
internet, shows the live state, and a click changes the mode in the firmware
(interfaces.md 4; issue 11 items 3 and 8)."""

import pytest

from browser import Browser, chromium_or_skip
from http_client import charging_with_http
from smartevse.api import routes
from smartevse.net.http import HttpService

STATE = "document.getElementById('state').textContent"
LINK = "document.getElementById('link').textContent"


@pytest.fixture
def s():
    chromium_or_skip()
    with charging_with_http(5.0) as s:
        yield s


def test_the_page_shows_the_live_state_and_a_click_on_smart_reaches_the_firmware(s):
    """Given a controller charging in Normal whose mains meter reads about 20.9 / 19.8 /
    18.7 A, when the page loads in chromium, then it shows "Charging (C2)", NORMAL, the
    currents per phase as GET /settings reports them and the OLED's rows, with its live
    data on the WebSocket; when the EV stops asking, the page follows; a click on SMART
    puts the firmware in Smart mode (interfaces.md 1.4 phase_currents, 1.19, 4: POST
    /settings?mode=3)."""
    s.plant.mains.load_da(50, 39, 28)
    s.advance(3.0)
    phases = s.rest("GET", "/settings")[1]["phase_currents"]
    with Browser(s) as b:
        b.open(s.http_url + "/")
        assert b.wait_for(STATE + " === 'Charging (C2)' && " + STATE)
        assert b.wait_for(LINK + " === 'WebSocket'")
        assert b.js("document.getElementById('mode').textContent") == "NORMAL"
        assert b.js("['L1','L2','L3'].map(p => document.getElementById('mains_' + p)"
                    ".textContent)") == ["%.1f A" % (phases[p] / 10) for p in ("L1", "L2", "L3")]
        oled = b.wait_for("document.getElementById('oled').textContent")
        assert "CHARGING" in oled and oled.split("\n") == s.display_text()
        s.plant.ev.pilot("B")
        assert b.wait_for(STATE + ".startsWith('Connected to EV') && " + STATE)
        s.plant.ev.pilot("C")
        assert b.js("document.querySelector('#modes button[data-mode=\"3\"]').hidden") is False
        b.js("document.querySelector('#modes button[data-mode=\"3\"]').click()")
        assert s.run_realtime(10.0, until=lambda: s.observe()["mode"] == "Smart")
        assert b.wait_for("document.getElementById('mode').textContent === 'SMART'")


def test_without_the_websocket_the_page_polls_and_still_follows(s, monkeypatch):
    """Given a controller whose /ws/data upgrade is refused (503), when the page loads,
    then its header says "polling" and it still follows a state change through GET
    /settings every 5 s (interfaces.md 4: the fallback while the socket is down)."""
    monkeypatch.setattr(HttpService, "_upgrade",
                        lambda self, slot, lcd: self._reply(slot, 503, "Too many connections"))
    with Browser(s) as b:
        b.open(s.http_url + "/")
        assert b.wait_for(STATE + " === 'Charging (C2)' && " + STATE)
        assert b.js(LINK) == "polling"
        s.plant.ev.pilot("B")
        assert b.wait_for(STATE + ".startsWith('Connected to EV') && " + STATE, 15.0)
        assert b.js(LINK) == "polling"


def test_with_write_protection_the_page_asks_for_the_pin_and_then_works(s, monkeypatch):
    """Given a controller whose handlers answer 401 until POST /lcd-verify-password gets
    the right PIN in its form body (interfaces.md 1.2), when the page loads, then it shows
    the PIN form; after the PIN is entered the page shows the state and a click on PAUSE
    reaches the firmware (issue 11 item 8)."""
    unlocked = []
    guarded = {key: handler for key, handler in routes.ROUTES.items()}

    def verify(app, params, body):
        ok = params.get("password") == "1234"
        if ok:
            unlocked.append(True)
        return 200, {"success": ok}

    def guard(handler):
        def guarded_handler(app, params, body):
            if not unlocked:
                return 401, {"success": False, "error": "auth_required"}
            return handler(app, params, body)
        return guarded_handler

    for key, handler in guarded.items():
        monkeypatch.setitem(routes.ROUTES, key, guard(handler))
    monkeypatch.setitem(routes.ROUTES, ("POST", "/lcd-verify-password"), verify)
    with Browser(s) as b:
        b.open(s.http_url + "/")
        assert b.wait_for("document.getElementById('pin').style.display === 'block'")
        assert b.js(STATE) == "loading"
        b.js("document.getElementById('password').value = '1234';"
             "document.getElementById('pinform').requestSubmit()")
        assert b.wait_for(STATE + " === 'Charging (C2)'")
        b.js("document.querySelector('#modes button[data-mode=\"4\"]').click()")
        assert s.run_realtime(10.0, until=lambda: s.observe()["access"] == "pause")
