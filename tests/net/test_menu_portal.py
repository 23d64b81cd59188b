"""The set-up portal started from the menu: WIFI SetupWifi and `O` run the access point
`SmartEVSE-config` with the password row 0 shows, and its pages answer (settings-and-menu.md
2.4 WIFI; interfaces.md 1.18; issue 11 item 9)."""

from http_client import call
from sim import Simulation
from smartevse.hal import portal
from tests.ui.buttons import enter_menu, go_to, tap, value


def _portal_from_menu(s):
    """WIFI -> SetupWifi -> O, as a user does it; the password row 0 shows."""
    enter_menu(s)
    go_to(s, "WIFI")
    tap(s, "ok")
    tap(s, "right")
    assert value(s) == "SetupWifi" and s.display_text()[0] == "O button starts porta"
    tap(s, "ok")
    row = s.display_text()[0]
    assert row.startswith("Portal PW: ") and len(row) == len("Portal PW: ") + 8
    password = row[len("Portal PW: "):]
    assert all(c in "0123456789abcdef" for c in password)     # 8 hex digits (1.18)
    return password


def test_o_on_setupwifi_starts_the_access_point_and_its_form_answers():
    """Given WIFI Enabled and the status page on HTTP, when WIFI is edited to SetupWifi and
    O is pressed, then the network runs the access point SmartEVSE-config with the 8
    characters row 0 shows, GET / answers the portal's form and POST /save with ssid and
    password answers "Saved, rebooting", keeps them in NVM and the controller restarts
    (1.18); back to Enabled, the access point stops and GET / is the status page again."""
    with Simulation(http=True, settings={"WIFI": "Enabled"}) as s:
        assert call(s, "GET", "/")[1].startswith(b"<!doctype html>")
        password = _portal_from_menu(s)
        s.advance(0.2)
        net = s.app.board.net
        assert (net.ap_ssid, net.ap_password) == ("SmartEVSE-config", password)
        status, page = call(s, "GET", "/")
        assert status == 200 and b"SmartEVSE Wi-Fi" in page and b"name=ssid" in page
        tap(s, "ok")
        tap(s, "left")
        assert value(s) == "Enabled"
        s.advance(0.2)
        assert net.ap_ssid is None
        assert b"SmartEVSE Wi-Fi" not in call(s, "GET", "/")[1]


def test_the_portal_saves_the_network_and_restarts_while_not_charging():
    """Given the portal started from the menu, when the form posts ssid `home` and a
    password, then the answer is "Saved, rebooting", the network is in the portal's NVM
    record and the controller restarts; missing fields get 400 and save nothing (1.18)."""
    with Simulation(http=True, settings={"WIFI": "Enabled"}) as s:
        _portal_from_menu(s)
        s.advance(0.2)
        status, text = call(s, "POST", "/save", b"ssid=home")
        assert status == 400 and text == b"Missing SSID or password"
        assert portal.load(s.app.board.nvm) == (None, None)
        app = s.app
        status, text = call(s, "POST", "/save", b"ssid=home&password=secret123&tz=Europe%2FParis")
        assert status == 200 and text == b"Saved, rebooting"
        s.advance(2.0)
        assert s.app is not app                       # restarted from the NVM
        assert portal.load(s.app.board.nvm) == ("home", "secret123")


def test_while_charging_the_access_point_waits_for_the_contactors_to_open():
    """Given an EV charging, when O on SetupWifi asks for the portal, then row 0 shows the
    password but the access point starts only once the contactors are open (issue 11 item
    10: nothing that may block starts while they are closed)."""
    with Simulation(http=True, settings={"WIFI": "Enabled"}) as s:
        s.plant.cable(rating_a=32)
        s.plant.ev.pilot("C")
        s.advance(3.0)
        assert s.observe()["contactor1"]
        password = _portal_from_menu(s)
        s.advance(2.0)
        assert s.app.board.net.ap_ssid is None
        s.plant.ev.pilot("B")
        s.advance(2.0)
        assert not s.observe()["contactor1"]
        assert s.app.board.net.ap_password == password


def test_a_radio_that_refuses_the_access_point_is_counted_shown_and_no_loop_fault():
    """Given a radio that refuses to start the access point, when WIFI SetupWifi + O asks
    for it and is left again, then the loop raises no fault, GET / stays the status page,
    GET /settings' wifi block and observe()["wifi"] show portal_errors 1 with the radio's
    error, and an EV still charges; once the radio works, SetupWifi + O starts the access
    point and the count stays (a failing peripheral is counted and shown, never a reason to
    stop a charge; interfaces.md 1.4 wifi, 1.18)."""
    with Simulation(http=True, settings={"WIFI": "Enabled"}) as s:
        assert "wifi" not in call(s, "GET", "/settings")[1]     # loopback: not associated
        s.fail_part("wifi_ap", RuntimeError("AP could not start"))
        _portal_from_menu(s)
        s.advance(0.2)
        tap(s, "ok")
        tap(s, "left")
        s.advance(0.2)
        assert s.app.loop.faults == 0 and s.app.portal is None
        assert call(s, "GET", "/")[1].startswith(b"<!doctype html>")
        wifi = call(s, "GET", "/settings")[1]["wifi"]
        assert wifi["portal_errors"] == 1
        assert wifi["portal_last_error"] == "RuntimeError: AP could not start"
        assert s.observe()["wifi"] == {"ap_ssid": None, "portal_errors": 1,
                                       "portal_last_error": "RuntimeError: AP could not start"}
        s.plant.cable(rating_a=32)
        s.plant.ev.pilot("C")
        s.advance(3.0)
        assert s.observe()["contactor1"]
        s.plant.ev.pilot("B")
        s.advance(2.0)
        s.fail_part("wifi_ap", None)
        tap(s, "right")                          # WIFI is still being edited: SetupWifi, O
        assert value(s) == "SetupWifi"
        tap(s, "ok")
        password = s.display_text()[0][len("Portal PW: "):]
        s.advance(0.2)
        assert s.observe()["wifi"]["ap_ssid"] == "SmartEVSE-config"
        assert s.app.board.net.ap_password == password
        assert s.observe()["wifi"]["portal_errors"] == 1
