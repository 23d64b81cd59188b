"""Write protection on the LAN: AuthMode, the PIN session and its back-off, the Origin check
(interfaces.md 1.2, 1.11; issue 11 item 8)."""

import pytest

from sim import Simulation
from smartevse.api import auth

PIN = 1234
OWN = "http://smartevse-51446.local"


def protected():
    return Simulation(settings={"lcd_pin": PIN, "auth_mode": "Required"})


def login(s, pin=PIN):
    return s.rest("POST", "/lcd-verify-password", body="password=%04d" % pin)


def test_without_authmode_every_route_is_open():
    """Given AuthMode 0 (the default), when a client with no session posts a mode, then it
    is taken (1.2: upstream behaviour)."""
    s = Simulation(settings={"mains_meter_type": "Sensorbox"})
    assert s.rest("POST", "/settings", {"mode": "3"}) == (200, {"mode": "3"})


@pytest.mark.parametrize("method, path, params", [
    ("GET", "/settings", {}),
    ("POST", "/settings", {"mode": "0"}),
    ("POST", "/color_off", {"R": "1", "G": "2", "B": "3"}),
    ("POST", "/reboot", {}),
    ("POST", "/erasesettings", {}),
    ("GET", "/modbus.json", {}),
    ("POST", "/currents", {"battery_current": "10"}),
])
def test_authmode_refuses_every_gated_route_without_a_session_and_changes_nothing(
        method, path, params):
    """Given AuthMode 1 and no session, when any gated route is asked, then 401
    {"success": false, "error": "auth_required"} and no setting or NVM byte changes (1.2)."""
    s = protected()
    values = dict(s.app.settings.values)
    nvm = bytes(s.nvm)
    assert s.rest(method, path, params) == (401, {"success": False, "error": "auth_required"})
    s.advance(10.0)
    assert s.app.settings.values == values and bytes(s.nvm) == nvm
    assert s.app is not None and s.observe()["access"] == "on"


@pytest.mark.parametrize("path", ["/session/last", "/sessions"])
def test_session_records_are_not_gated(path):
    """Given AuthMode 1 and no session, when the session records are read, then they are
    answered (1.2 lists them as not gated)."""
    assert protected().rest("GET", path)[0] in (200, 204)


def test_the_pin_opens_one_session_for_the_device():
    """Given AuthMode 1, when the LCD PIN is posted as a form field, then {"success": true}
    and the gated routes answer, for any client (one device-wide flag, 1.2)."""
    s = protected()
    assert login(s) == (200, {"success": True})
    assert s.rest("GET", "/settings")[0] == 200
    assert s.rest("POST", "/settings", {"mode": "0"}) == (200, {"mode": "0"})


class _Board:
    net = None

    def __init__(self):
        self.now_ms = 0

    def ticks_ms(self):
        return self.now_ms & 0x1FFFFFFF


def test_a_session_expires_after_30_idle_minutes_and_each_request_refreshes_it():
    """Given a session (the controller's settings and a board clock near the ticks wrap),
    when requests come every 20 minutes it stays open; when 30 minutes pass without one,
    then 401 session_expired, then auth_required (1.2)."""
    s = protected()
    app = s.app
    board = app.board = _Board()
    board.now_ms = (1 << 29) - 60000            # the 2**29 ticks clock wraps during the test
    assert auth.post_verify_password(app, {}, "password=%04d" % PIN) == (200, {"success": True})
    for _ in range(3):
        board.now_ms += 20 * 60000
        assert auth.check(app, None) is None
    board.now_ms += 30 * 60000 + 1
    assert auth.check(app, None) == (401, {"success": False, "error": "session_expired"})
    assert auth.check(app, None) == (401, {"success": False, "error": "auth_required"})


def test_wrong_pins_back_off_10_s_after_the_third_and_60_s_after_the_fourth():
    """Given AuthMode 1, when three wrong PINs come, then each answers {"success": false}
    and the next try within 10 s gets 429 with retry_after, even with the right PIN; after
    10 s a fourth wrong PIN sets 60 s; the right PIN after that opens the session (1.11)."""
    s = protected()
    for _ in range(3):
        assert login(s, 1111) == (200, {"success": False})
    status, answer = login(s)
    assert status == 429 and answer["rate_limited"] is True and 9 <= answer["retry_after"] <= 10
    s.advance(10.0)
    assert login(s, 2222) == (200, {"success": False})
    s.advance(30.0)
    assert login(s)[0] == 429
    s.advance(31.0)
    assert login(s) == (200, {"success": True})


def test_verify_without_a_configured_pin_is_403():
    """Given no LCD PIN, when a PIN is posted, then 403 pin_not_configured (1.11)."""
    s = Simulation()
    assert login(s) == (403, {"success": False, "error": "pin_not_configured"})


@pytest.mark.parametrize("origin, status", [
    (OWN, 200),
    ("http://SmartEVSE-51446.local:80", 200),
    ("http://127.0.0.1:8080", 200),
    ("http://evil.example", 403),
    ("http://user@smartevse-51446.local", 403),
    ("http://smartevse-51446.local.evil.example", 403),
])
def test_a_request_from_another_origin_is_refused_even_with_a_session(origin, status):
    """Given a session, when a request carries an Origin header, then it runs only when the
    Origin's host is this controller's name or address, port ignored, case-insensitive,
    userinfo refused: else 403 csrf_origin_mismatch and nothing changes (1.2)."""
    s = protected()
    login(s)
    got, answer = s.rest("POST", "/settings", {"mode": "0"}, headers={"Origin": origin})
    assert got == status
    if status == 403:
        assert answer == {"success": False, "error": "csrf_origin_mismatch"}
        assert s.observe()["access"] == "on"


def test_lcd_buttons_need_the_session():
    """Given no session, when POST /lcd presses a button, then every button reads "down"
    and the menu is untouched; with a session the press reaches the menu (1.11)."""
    s = Simulation(settings={"lcd_pin": PIN})
    answer = s.rest("POST", "/lcd", {"button": "middle", "state": "1"})
    assert answer == (200, {"button": {"right": "down", "middle": "down", "left": "down"}})
    assert s.app.menu.down == 0
    login(s)
    answer = s.rest("POST", "/lcd", {"button": "middle", "state": "1"})
    assert answer == (200, {"button": {"right": "up", "middle": "down", "left": "up"}})
    answer = s.rest("POST", "/lcd", {"button": "middle", "state": "0"})
    assert answer == (200, {"button": {"right": "up", "middle": "up", "left": "up"}})


def test_a_remote_press_left_down_is_released_after_4_s():
    """Given a session, when POST /lcd presses `<` and never releases it, then the menu
    sees it released 4 to 5 s later (1.11: the override expires after 4 s)."""
    s = Simulation(settings={"lcd_pin": PIN})
    login(s)
    s.rest("POST", "/lcd", {"button": "left", "state": "1"})
    s.advance(3.5)
    assert s.app.menu.down == 1
    s.advance(1.5)
    assert s.app.menu.down == 0
