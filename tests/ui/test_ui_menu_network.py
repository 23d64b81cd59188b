"""The menu's network side: APP PIN, the Wi-Fi line on row 0 (IP address and clock), the
Wi-Fi setup portal and APP SERVR (settings-and-menu.md 2.4-2.6, D2)."""
import pytest

from sim import Simulation
from smartevse import netlink
from tests.ui.buttons import enter_menu, go_to, tap, value


def _menu_at(item, settings=None, start="2026-01-01T08:00:00"):
    s = Simulation(settings=dict({"WIFI": "Enabled"}, **(settings or {})), start=start)
    enter_menu(s)
    go_to(s, item)
    return s


@pytest.fixture
def pins(monkeypatch):
    """The random numbers the pairing PIN is drawn from, in order."""
    drawn = iter([4711, 999999, 1])
    monkeypatch.setattr(netlink, "randint", lambda low, high: next(drawn))


def test_editing_app_pin_shows_a_fresh_six_digit_pin_and_the_box_name(pins):
    """Given WIFI Enabled and APP PIN in browse (`Create PIN`), when O is pressed, then
    the value is a six-digit PIN, row 0 reads `SmartEVSE-<serial>` and the PIN is what the
    network services publish (MQTT `PairingPin`); O again forgets it, and the next edit
    shows a new one (2.4 APP PIN)."""
    s = _menu_at("APP PIN")
    assert value(s) == "Create PIN" and s.app.netlink.pin_text() == ""
    tap(s, "ok")
    assert value(s) == "004711" and s.display_text()[0] == "SmartEVSE-51446"
    assert s.app.netlink.pin_text() == "004711"
    tap(s, "right")                          # an action: the arrows change nothing
    assert value(s) == "004711"
    tap(s, "ok")
    assert value(s) == "Create PIN" and s.app.netlink.pin_text() == ""
    tap(s, "ok")
    assert value(s) == "999999" and s.app.netlink.pin_text() == "999999"


def test_the_app_pin_is_forgotten_by_the_menu_timeout(pins):
    """Given a PIN shown in APP PIN's editor, when no button is pressed for 120 s, then
    the menu is left and no PIN is published any more (2.5)."""
    s = _menu_at("APP PIN")
    tap(s, "ok")
    assert s.app.netlink.pin_text() == "004711"
    s.advance(121)
    assert not s.app.menu.active and s.app.netlink.pin_text() == ""


def test_the_pairing_pin_is_drawn_from_1_to_999999():
    """Given the real random source, when PINs are drawn, then each is 1..999999 and shows
    as six digits (2.4 APP PIN: `000001`..`999999`)."""
    link = netlink.NetLink()
    for _ in range(200):
        link.new_pin()
        assert 1 <= link.pairing_pin <= 999999 and len(link.pin_text()) == 6


def test_wifi_enabled_shows_the_ip_address_and_the_clock_on_row_0():
    """Given WIFI Enabled, connected, local time 08:00, when the menu is open, then row 0
    shows the IP address left and `08:00` right-aligned; a minute later `08:01` (2.6, D2)."""
    s = _menu_at("MAX")
    row = s.display_text()[0]
    assert row.startswith("127.0.0.1 ") and row.endswith("08:00") and len(row) == 21
    s.advance(60)
    assert s.display_text()[0].endswith("08:01") and s.app.menu.active


def test_the_clock_shows_dashes_until_it_is_set():
    """Given WIFI Enabled and a controller whose clock is not set, when the menu is open,
    then row 0 shows the IP address and `--:--` (2.6)."""
    s = _menu_at("MAX", start=None)
    assert s.display_text()[0].startswith("127.0.0.1") and s.display_text()[0].endswith("--:--")


def test_without_a_wifi_link_row_0_says_not_connected():
    """Given WIFI Enabled but no station link (or no network part), when the menu is
    open, then row 0 reads `Not connected to WiFi` and no clock (2.6)."""
    s = _menu_at("MAX")
    s.app.board.net.connected = False
    tap(s, "right")
    assert s.display_text()[0] == "Not connected to WiFi"
    s.app.board.net = None
    tap(s, "left")
    assert s.display_text()[0] == "Not connected to WiFi"


def test_with_wifi_disabled_row_0_is_blank():
    """Given WIFI Disabled (the default), when the menu is open, then row 0 is blank (2.6)."""
    s = Simulation()
    enter_menu(s)
    assert s.display_text()[0] == ""


def test_setupwifi_and_o_start_the_portal_and_row_0_shows_its_password():
    """Given WIFI edited to SetupWifi, then row 0 reads `O button starts portal` and no
    portal runs; when O is pressed, then the portal is asked for (the Wi-Fi service runs
    `SmartEVSE-config` while `netlink.portal_password` is set), row 0 shows `Portal PW:`
    and its 8 characters, and the menu does not time out; WIFI back to Enabled stops it
    (2.4 WIFI, 2.5, 1.3)."""
    s = _menu_at("WIFI")
    tap(s, "ok")
    tap(s, "right")
    assert value(s) == "SetupWifi" and s.display_text()[0] == "O button starts porta"
    assert s.app.netlink.portal_password is None
    tap(s, "ok")
    password = s.app.netlink.portal_password
    assert netlink.PORTAL_SSID == "SmartEVSE-config"
    assert len(password) == 8 and password.isalnum()
    assert s.display_text()[0] == "Portal PW: " + password
    s.advance(300)                                   # no timeout while SetupWifi (2.5)
    assert s.app.menu.active and s.display_text()[0] == "Portal PW: " + password
    tap(s, "ok")
    tap(s, "left")
    assert value(s) == "Enabled" and s.app.netlink.portal_password is None
    tap(s, "ok")
    s.advance(121)
    assert not s.app.menu.active                     # the timeout runs again


def test_wifi_mode_is_applied_at_once_for_the_network_service():
    """Given WIFI Disabled, when it is edited to Enabled, then the setting the Wi-Fi
    service reads is 1 at once, before EXIT (1.3 WIFI: 0/1 apply immediately)."""
    s = Simulation()
    enter_menu(s)
    go_to(s, "WIFI")
    tap(s, "ok")
    tap(s, "right")
    assert s.app.settings.values["wifi_mode"] == 1 and s.app.menu.active


def test_app_server_editor_tells_whether_the_server_link_is_up():
    """Given APP SERVR in edit, then row 0 reads `No server connection`, and `Connected to
    server` once the app-server link reports itself up (2.4 APP SERVR)."""
    s = _menu_at("APP SERVR")
    tap(s, "ok")
    assert s.display_text()[0] == "No server connection"
    s.app.netlink.server_connected = True
    tap(s, "right")
    assert s.display_text()[0] == "Connected to server"


def test_sb2_wifi_in_edit_shows_what_the_sensorbox_reports_on_row_0():
    """Given a Sensorbox v2 with its Wi-Fi off, when SB2 WIFI is edited to Enabled, then row
    0 reads `one moment please...` until the Sensorbox has switched, then `Not connected to
    WiFi`; to SetupWifi, then `Portal PW: ` and the password it reports; once it joined a
    network, `SB2: 192.168.1.42` (settings-and-menu.md 2.4)."""
    s = Simulation(settings={"MODE": "Smart"})
    box = s.bus.device_at(0x0A)
    box.wifi_mode = 0
    s.advance(6)
    enter_menu(s)
    go_to(s, "SB2 WIFI")
    tap(s, "ok")
    tap(s, "right")                                  # Enabled
    assert s.display_text()[0] == "one moment please..."
    s.advance(6)
    assert s.display_text()[0] == "Not connected to WiFi"
    tap(s, "right")                                  # SetupWifi
    s.advance(6)
    assert s.display_text()[0] == "Portal PW: abcd1234"
    box.join_wifi((192, 168, 1, 42))
    s.advance(6)
    assert s.display_text()[0] == "SB2: 192.168.1.42"
