"""The device's network part on the host, with wifi/socketpool/mdns faked: the set-up
portal without Wi-Fi, NTP time with the configured zone, resync only with the contactors
open (interfaces.md 1.1, 1.18; issue 11 items 9 and 10)."""

import calendar
import importlib
import sys
import types

import pytest

from smartevse import log
from smartevse.api.portal import post_save
from smartevse.net import localtime


class FakeRadio:
    def __init__(self):
        self.mac_address = bytes((0x24, 0x0A, 0xC4, 0x01, 0xC8, 0xF6))
        self.connected = False
        self.ipv4_address = None
        self.ipv4_address_ap = None
        self.ap = None
        self.hostname = None

    failing = 0                        # joins that fail before one works
    joins = 0

    def connect(self, ssid, password, timeout=None):
        self.joins += 1
        if self.failing:
            self.failing -= 1
            raise ConnectionError("No network with that ssid")
        self.connected = True
        self.ipv4_address = "10.0.0.9"

    def start_ap(self, ssid, password):
        self.ap = (ssid, password)
        self.ipv4_address_ap = "192.168.4.1"

    def stop_ap(self):
        self.ap = None
        self.ipv4_address_ap = None


class FakeNtp:
    answers = []                      # utc seconds or an exception, one per query
    queries = 0

    def __init__(self, pool, server, socket_timeout):
        self.timeout = socket_timeout

    @property
    def utc_ns(self):
        FakeNtp.queries += 1
        answer = FakeNtp.answers.pop(0) if FakeNtp.answers else OSError(116)
        if isinstance(answer, Exception):
            raise answer
        return answer * 1000000000


@pytest.fixture
def network(monkeypatch):
    radio = FakeRadio()
    monkeypatch.setitem(sys.modules, "wifi", types.SimpleNamespace(radio=radio))
    monkeypatch.setitem(sys.modules, "socketpool",
                        types.SimpleNamespace(SocketPool=lambda r: ("pool", r)))
    advertised = []

    class Server:
        def __init__(self, radio):
            self.hostname = None

        def advertise_service(self, **kw):
            advertised.append((self.hostname, kw))

    monkeypatch.setitem(sys.modules, "mdns", types.SimpleNamespace(Server=Server))
    monkeypatch.setitem(sys.modules, "adafruit_ntp", types.SimpleNamespace(NTP=FakeNtp))
    monkeypatch.setattr(FakeNtp, "answers", [])
    monkeypatch.setattr(FakeNtp, "queries", 0)
    sys.modules.pop("smartevse.hal.network", None)
    module = importlib.import_module("smartevse.hal.network")
    yield module, radio, advertised
    sys.modules.pop("smartevse.hal.network", None)


def _utc(text):
    return calendar.timegm(tuple(int(x) for x in text.replace("T", "-").replace(":", "-")
                                 .split("-")) + (0, 0, 0))


def test_without_wifi_settings_the_portal_runs_on_an_access_point(network, monkeypatch):
    """Given no CIRCUITPY_WIFI_SSID, then the AP SmartEVSE-config starts with a random
    8-hex-digit password that is logged for the display, the page serves on port 80 and
    the clock says it has no time (interfaces.md 1.18)."""
    module, radio, advertised = network
    monkeypatch.setattr(module, "getenv", {}.get)
    net = module.DeviceNetwork(0, bytearray(b'\xff' * 8192))
    assert net.portal and radio.ap[0] == "SmartEVSE-config"
    assert len(radio.ap[1]) == 8 and int(radio.ap[1], 16) >= 0
    assert net.ipv4_address == "192.168.4.1" and net.http_port == 80
    assert net.local_epoch_s() is None and net.time_status.startswith("no time")
    assert radio.ap[1] in log.recent()[-1] and advertised == []


def test_wifi_mdns_and_ntp_give_the_hostname_and_local_time_with_summer_time(network,
                                                                           monkeypatch):
    """Given Wi-Fi in settings.toml, UTC offset 60 min with EU summer time, and NTP
    answering 2026-07-01 10:00 UTC, then the board is smartevse-<serial>.local with
    _http._tcp on port 80, and local time reads 12:00 (CEST), 5 s later 12:00:05."""
    module, radio, advertised = network
    monkeypatch.setattr(module, "getenv", {"CIRCUITPY_WIFI_SSID": "home",
                                           "SMARTEVSE_TZ_OFFSET_MIN": "60"}.get)
    FakeNtp.answers[:] = [_utc("2026-07-01T10:00")]
    net = module.DeviceNetwork(1000, bytearray(b'\xff' * 8192))
    serial = module.serial_from_mac(radio.mac_address)
    assert net.hostname == radio.hostname == f"smartevse-{serial}"
    assert advertised == [(net.hostname, {"service_type": "_http", "protocol": "_tcp",
                                          "port": 80})]
    assert net.local_epoch_s() == _utc("2026-07-01T12:00")
    for now_ms in range(2000, 7000, 1000):
        net.step_1s(now_ms, contactors_open=False)
    assert net.local_epoch_s() == _utc("2026-07-01T12:00") + 5


def test_ntp_resyncs_every_6_h_only_while_the_contactors_are_open(network, monkeypatch):
    """Given a failed first sync (the clock says no time), then the retry waits 5 min and
    only runs with the contactors open; after a sync the next one is due in 6 h (a DNS
    lookup or UDP wait never starts while charging, issue 11 item 10)."""
    module, radio, advertised = network
    monkeypatch.setattr(module, "getenv", {"CIRCUITPY_WIFI_SSID": "home"}.get)
    FakeNtp.answers[:] = [OSError(116), _utc("2026-01-01T08:00"), _utc("2026-01-01T14:00")]
    net = module.DeviceNetwork(0, bytearray(b'\xff' * 8192))
    assert net.local_epoch_s() is None and "no time: NTP failed" in log.recent()[-1]
    net.step_1s(300000, contactors_open=False)          # charging: no query
    assert FakeNtp.queries == 1
    net.step_1s(301000, contactors_open=True)
    assert FakeNtp.queries == 2 and net.time_status == "NTP synced"
    net.step_1s(301000 + 21599000, contactors_open=True)
    assert FakeNtp.queries == 2
    net.step_1s(301000 + 21600000, contactors_open=True)
    assert FakeNtp.queries == 3


@pytest.mark.parametrize("utc, offset_h", [
    ("2026-03-29T00:59", 1), ("2026-03-29T01:00", 2), ("2026-10-25T00:59", 2),
    ("2026-10-25T01:00", 1), ("2027-03-28T01:00", 2), ("2026-12-31T23:59", 1)])
def test_eu_summer_time_switches_at_01_00_utc_on_the_last_sundays(utc, offset_h):
    """Given CET (60 min) with the EU rule, then summer time runs from 01:00 UTC on the last
    Sunday of March to 01:00 UTC on the last Sunday of October."""
    assert localtime.offset_s(_utc(utc), 60, "EU") == offset_h * 3600
    assert localtime.offset_s(_utc(utc), 60, "none") == 3600


def test_the_portal_form_saves_the_network_and_the_next_boot_joins_it(network, monkeypatch):
    """Given the portal running, when GET / is asked, then a form posting ssid, password
    and tz to /save is served; a short password answers 400 "Missing SSID or password" and
    stores nothing; a valid POST /save keeps the network in NVM (not on the drive), and
    the next boot joins it (interfaces.md 1.18)."""
    module, radio, advertised = network
    monkeypatch.setattr(module, "getenv", {}.get)
    nvm = bytearray(b"\xff" * 8192)
    pages = module.DeviceNetwork(0, nvm).portal_pages
    status, form, kind = pages.handle("GET", "/", {}, b"")
    assert status == 200 and kind.startswith("text/html")
    assert b"action=/save" in form and b"name=ssid" in form and b"name=tz" in form
    app = types.SimpleNamespace(portal=pages)       # POST /save is the REST route
    assert post_save(app, {}, b"ssid=home&password=short")[0] == 400
    assert nvm == bytearray(b"\xff" * 8192) and not pages.saved
    assert post_save(app, {}, b"ssid=home&password=secret123&tz=Europe%2FAmsterdam")[0] == 200
    assert pages.saved and pages.handle("GET", "/settings", {}, b"") is None
    fresh = FakeRadio()
    monkeypatch.setattr(module.wifi, "radio", fresh)
    net = module.DeviceNetwork(0, nvm)
    assert not net.portal and fresh.connected and fresh.ap is None


def test_a_lost_network_is_joined_again_each_minute_only_with_the_contactors_open(network,
                                                                                monkeypatch):
    """Given Wi-Fi that cannot be joined at boot (the log says so), then no join is tried
    while charging (it blocks up to 15 s), and with the contactors open the next try comes
    60 s later and joins (issue 11 item 10)."""
    module, radio, advertised = network
    monkeypatch.setattr(module, "getenv", {"CIRCUITPY_WIFI_SSID": "home"}.get)
    radio.failing = 1
    net = module.DeviceNetwork(0, bytearray(b"\xff" * 8192))
    assert not net.connected and "cannot join home" in log.recent()[-1]
    net.step_1s(120000, contactors_open=False)
    assert radio.joins == 1
    net.step_1s(30000, contactors_open=True)
    assert radio.joins == 1
    net.step_1s(60000, contactors_open=True)
    assert radio.joins == 2 and net.connected and net.ipv4_address == "10.0.0.9"


def test_the_menus_portal_runs_the_access_point_beside_the_station_link(network, monkeypatch):
    """Given the device joined its network, when the menu asks for the portal (WIFI
    SetupWifi and O: open_portal with the password row 0 shows), then the radio runs the
    access point SmartEVSE-config with it and its pages answer GET /, while the station
    link and its address stay; closing it stops the access point (settings-and-menu.md
    2.4, interfaces.md 1.18)."""
    module, radio, advertised = network
    monkeypatch.setattr(module, "getenv",
                        {"CIRCUITPY_WIFI_SSID": "home", "CIRCUITPY_WIFI_PASSWORD": "pw"}.get)
    net = module.DeviceNetwork(0, bytearray(b"\xff" * 8192))
    assert radio.connected and radio.ap is None and net.portal_pages is None
    pages = net.open_portal("SmartEVSE-config", "k7m2x9qa", bytearray(b"\xff" * 8192))
    assert radio.ap == ("SmartEVSE-config", "k7m2x9qa") and net.portal_pages is pages
    assert pages.handle("GET", "/", {}, b"")[0] == 200
    assert net.ipv4_address == "10.0.0.9" and radio.connected
    net.close_portal()
    assert radio.ap is None and net.portal_pages is None and net.ap_password is None


def test_a_radio_that_refuses_the_access_point_is_counted_and_logged(network, monkeypatch):
    """Given a radio whose start_ap raises, when the menu asks for the portal or no
    network is configured at boot, then open_portal returns no pages, counts the refusal
    and logs it; the boot goes on without the portal (a failing peripheral is counted and
    shown, never a loop fault)."""
    module, radio, advertised = network

    def refuse(ssid, password):
        raise RuntimeError("AP could not start")
    monkeypatch.setattr(radio, "start_ap", refuse)
    monkeypatch.setattr(module, "getenv", {}.get)
    net = module.DeviceNetwork(0, bytearray(b"\xff" * 8192))
    assert not net.portal and net.portal_pages is None and net.portal_errors == 1
    assert net.open_portal("SmartEVSE-config", "0a1b2c3d", bytearray(b"\xff" * 8192)) is None
    assert net.portal_errors == 2 and "not started" in log.recent()[-1]
