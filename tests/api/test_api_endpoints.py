"""The REST endpoints beside /settings and /currents: colours, reboot, factory reset, cable
lock, LCD, Modbus and MQTT views, diagnostics, update, Wi-Fi portal (interfaces.md 0.3,
1.6, 1.10-1.12, 1.15-1.18; issue 11 items 2 and 8)."""

import json

import pytest

from sim import Simulation
from smartevse.api import routes


def test_a_colour_needs_r_g_and_b_and_is_kept_across_a_power_cut():
    """Given the default colours, when POST /color_smart?R=10&G=20&B=30, then the answer is
    {"color": {"smart": {...}}}, GET `color.smart` shows it and it survives a power cut
    (1.6; this product persists them, settings-and-menu.md 8)."""
    s = Simulation()
    answer = s.rest("POST", "/color_smart", {"R": "10", "G": "20", "B": "30"})
    assert answer == (200, {"color": {"smart": {"R": 10, "G": 20, "B": 30}}})
    assert s.rest("GET", "/settings")[1]["color"]["smart"] == {"R": 10, "G": 20, "B": 30}
    s.advance(61.0)                          # the rate-limited settings write
    s.power_cut()
    s.power_on()
    assert s.rest("GET", "/settings")[1]["color"]["smart"] == {"R": 10, "G": 20, "B": 30}


@pytest.mark.parametrize("params", [
    {"R": "10", "G": "20"},
    {"R": "256", "G": "0", "B": "0"},
    {"R": "-1", "G": "0", "B": "0"},
])
def test_a_colour_missing_or_out_of_range_answers_empty_and_changes_nothing(params):
    """Given the default solar colour, when a channel is missing or outside 0..255, then {}
    (HTTP 200) and the colour is unchanged (1.6)."""
    s = Simulation()
    assert s.rest("POST", "/color_solar", params) == (200, {})
    assert s.rest("GET", "/settings")[1]["color"]["solar"] == {"R": 255, "G": 170, "B": 0}


@pytest.mark.parametrize("path", ["/reboot", "/erasesettings"])
def test_reboot_and_erase_answer_405_use_post_to_a_get(path):
    """Given a controller, when GET /reboot or /erasesettings, then 405 {"error": "use
    POST"} and nothing happens: the controller keeps running (0.3, LAN safety)."""
    s = Simulation()
    assert s.rest("GET", path) == (405, {"error": "use POST"})
    app = s.app
    s.advance(10.0)
    assert s.app is app


def test_reboot_flushes_the_settings_and_restarts_after_5_s():
    """Given an unsaved MAX change, when POST /reboot, then 200 "Device will reboot in 5
    seconds...", the same firmware keeps running for 4 s, and after 6 s it has restarted
    (a new boot) with the change kept (1.10)."""
    s = Simulation()
    s.rest("POST", "/settings", {"current_min": "8"})
    assert s.rest("POST", "/reboot") == (200, "Device will reboot in 5 seconds...")
    app = s.app
    s.advance(4.0)
    assert s.app is app
    s.advance(2.0)
    assert s.app is not app and s.app.settings.values["current_min"] == 8


def test_reboot_while_charging_waits_until_the_ev_stops():
    """Given charging, when POST /reboot, then 202 with the waiting text, and the firmware
    keeps charging; once the EV stops (B), it restarts 5 s later (1.10)."""
    s = Simulation()
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(5.0)
    status, text = s.rest("POST", "/reboot")
    assert status == 202 and text.startswith("Reboot scheduled")
    app = s.app
    s.advance(30.0)
    assert s.app is app and s.observe()["contactor1"] is True
    s.plant.ev.pilot("B")
    s.advance(7.0)
    assert s.app is not app


def test_erasesettings_restores_the_defaults_and_forgets_the_sessions():
    """Given MAX 10 saved, when POST /erasesettings, then the answer is "Erasing settings,
    rebooting" and after the restart every setting is its default and the NVM is blank
    (1.18: settings, RFID list and records cleared)."""
    s = Simulation(settings={"MAX": 10})
    assert s.rest("POST", "/erasesettings") == (200, "Erasing settings, rebooting")
    s.advance(6.0)
    assert s.app.settings.values["current_max"] == 13
    assert "no saved settings" in s.app.boot_message


@pytest.mark.parametrize("params, value", [({"1": ""}, 1), ({}, 0), ({"x": "1"}, 0)])
def test_cablelock_reads_a_parameter_literally_named_1(params, value):
    """Given a controller, when POST /cablelock?1, then cablelock 1; any other query sets 0
    (1.12)."""
    s = Simulation()
    assert s.rest("POST", "/cablelock", params) == (200, {"cablelock": value})
    assert s.rest("GET", "/settings")[1]["settings"]["cablelock"] == value


def test_lcd_picture_is_a_128x64_monochrome_bmp():
    """Given the simulated OLED, when GET /lcd, then a BMP of 128 x 64 at 1 bit per pixel
    with lit pixels in it, served as image/bmp (1.11)."""
    s = Simulation()
    s.advance(2.0)
    status, picture = s.rest("GET", "/lcd")
    assert status == 200 and routes.content_type("/lcd", picture) == "image/bmp"
    assert picture[:2] == b"BM" and len(picture) == 62 + 64 * 16
    assert int.from_bytes(picture[18:22], "little") == 128
    assert int.from_bytes(picture[22:26], "little") == 64 and picture[28] == 1
    assert any(picture[62:])


def test_modbus_json_shows_each_meter_role():
    """Given an API mains meter fed 5.0/6.0/7.0 A, when GET /modbus.json, then each role
    has its type, address and the fields of 1.15, with the fed currents (dA)."""
    s = Simulation(settings={"mains_meter_type": "API"})
    s.rest("POST", "/currents", {"L1": "50", "L2": "60", "L3": "70"})
    status, doc = s.rest("GET", "/modbus.json")
    assert status == 200 and set(doc) == {"mains_meter", "ev_meter", "circuit_meter"}
    mains = doc["mains_meter"]
    assert mains["type"] == "API" and (mains["irms_L1"], mains["irms_L2"], mains["irms_L3"]) \
        == (50, 60, 70)
    for key in ("power_L1_W", "power_measured_W", "import_energy_Wh", "export_energy_Wh",
                "net_energy_Wh", "session_energy_Wh", "energy_L3_Wh"):
        assert isinstance(mains[key], int)


@pytest.mark.parametrize("body, error", [
    ("not json", None),
    (json.dumps({"address": 0, "function": 3, "register": 0}), "address"),
    (json.dumps({"address": 1, "function": 5, "register": 0}), "function"),
    (json.dumps({"address": 1, "function": 3, "register": 70000}), "register"),
    (json.dumps({"address": 1, "function": 4, "register": 0, "count": 33}), "count"),
    (json.dumps({"address": 1, "function": 6, "register": 0}), "value"),
    (json.dumps({"address": 1, "function": 16, "register": 0, "values": []}), "values"),
])
def test_manual_modbus_bad_json_or_field_is_400(body, error):
    """Given a master, when /api/modbus/cmd gets bad JSON or a field out of its range, then
    400 {"ok": false, "error": ...} naming the field (1.15)."""
    status, answer = Simulation().rest("POST", "/api/modbus/cmd", body=body)
    assert status == 400 and answer["ok"] is False
    assert error is None or error in answer["error"]


def test_manual_modbus_on_a_node_is_409():
    """Given a node, when /api/modbus/cmd, then 409 "slave mode: Modbus client not active"."""
    s = Simulation(settings={"loadbl": 2})
    body = json.dumps({"address": 1, "function": 3, "register": 0})
    assert s.rest("POST", "/api/modbus/cmd", body=body) == \
        (409, {"ok": False, "error": "slave mode: Modbus client not active"})


def test_mqtt_json_and_ca_cert_without_a_broker():
    """Given no MQTT client, when GET /mqtt.json, then the config with the default prefix
    and an empty cache; GET /mqtt_ca_cert is empty text without a PEM on the drive (1.16)."""
    s = Simulation()
    status, doc = s.rest("GET", "/mqtt.json")
    assert status == 200 and doc["cache"] == {}
    assert doc["config"] == {"host": "", "port": 1883, "prefix": "SmartEVSE/51446",
                             "connected": False, "heartbeat_s": 25}
    assert s.rest("GET", "/mqtt_ca_cert") == (200, "")


def test_diag_capture_starts_counts_stops_and_downloads_the_log():
    """Given a capture started with profile modbus, when the EV connects (a logged state
    change) and the capture stops, then the status counts those lines, is frozen, and the
    download holds them; an unknown profile is 400 (1.17)."""
    s = Simulation()
    assert s.rest("POST", "/diag/start", {"profile": "turbo"})[0] == 400
    assert s.rest("POST", "/diag/start", {"profile": "modbus"}) == \
        (200, {"started": True, "profile": "modbus"})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("B")
    s.advance(3.0)
    assert s.rest("POST", "/diag/stop") == (200, {"stopped": True})
    status, doc = s.rest("GET", "/diag/status")
    assert doc["profile"] == "off" and doc["frozen"] is True and doc["count"] >= 1
    status, data = s.rest("GET", "/diag/download")
    assert b"state Connected to EV" in data


@pytest.mark.parametrize("name, status", [("../settings", 400), ("a b", 400), ("x.diag", 404)])
def test_diag_file_names_are_checked(name, status):
    """Given no capture files, when GET or DELETE /diag/file/<name>, then 400 for a name
    with `..` or characters outside [A-Za-z0-9_.-], else 404 (1.17)."""
    s = Simulation()
    assert s.rest("GET", "/diag/file/" + name)[0] == status
    assert s.rest("DELETE", "/diag/file/" + name)[0] == status


@pytest.mark.parametrize("params, text", [
    ({}, "file required"),
    ({"file": "firmware.bin"}, "offset required"),
    ({"file": "firmware.bin", "offset": "0", "size": "1769473"}, "over max size of 1769472"),
    ({"file": "firmware.bin", "offset": "0"}, "size required"),
])
def test_update_upload_checks_its_parameters(params, text):
    """Given an upload, when a parameter is missing or the size too large, then 400 with
    the fork's text (1.18)."""
    assert Simulation().rest("POST", "/update", params) == (400, text)


def test_update_refuses_firmware_images_and_serves_a_page():
    """Given the CircuitPython firmware (updated by copying the bundle), when a firmware
    image is posted, then 400 saying so; GET /update is an HTML page (1.18)."""
    s = Simulation()
    status, text = s.rest("POST", "/update", {"file": "firmware.signed.bin", "offset": "0",
                                              "size": "10"}, body=b"0123456789")
    assert status == 400 and "CIRCUITPY" in text
    status, page = s.rest("GET", "/update")
    assert status == 200 and routes.content_type("/update", page) == "text/html"


def test_wifi_portal_save_exists_only_in_portal_mode():
    """Given no set-up portal running, when POST /save, then 404; given the portal, then
    missing fields are 400 "Missing SSID or password" and good ones reach it (1.18)."""
    s = Simulation()
    assert s.rest("POST", "/save", body="ssid=home&password=secret12")[0] == 404
    saved = []

    class Portal:
        def save(self, ssid, password, tz):
            saved.append((ssid, password, tz))

    s.app.portal = Portal()
    assert s.rest("POST", "/save", body="ssid=home") == (400, "Missing SSID or password")
    assert s.rest("POST", "/save", body="ssid=my+home&password=secret%2112&tz=Europe%2FAmsterdam") \
        == (200, "Saved, rebooting")
    assert saved == [("my home", "secret!12", "Europe/Amsterdam")]


def test_manual_modbus_read_runs_between_poll_rounds_and_returns_the_registers():
    """Given an Eastron mains meter at 10 reading 8.0 A on L1, when POST /api/modbus/cmd
    reads its input registers 6-7, then 202 queued, a second request while it is pending
    is 409, and within 3 s GET /api/modbus/result is done with the float's two words
    (0x4100, 0x0000); the meter poll goes on (1.15)."""
    s = Simulation(settings={"mains_meter_type": "Eastron3P", "mains_meter_address": 10})
    s.plant.mains.load_da(80, 70, 60)
    s.advance(3.0)
    body = json.dumps({"address": 10, "function": 4, "register": 6, "count": 2})
    status, answer = s.rest("POST", "/api/modbus/cmd", body=body)
    assert status == 202 and answer["ok"] is True and answer["queued"] is True
    assert s.rest("POST", "/api/modbus/cmd", body=body)[0] == 409
    assert s.rest("GET", "/api/modbus/result")[1]["pending"] is True
    s.advance(3.0)
    result = s.rest("GET", "/api/modbus/result")[1]
    assert result["done"] is True and result["ok"] is True and result["data"] == [0x4100, 0]
    assert 0 <= result["age_ms"] <= 3000
    assert s.observe()["mains_da"] == [80, 70, 60]


def test_manual_modbus_to_a_silent_address_reports_the_timeout():
    """Given a master with no device at 99, when a read of address 99 is queued, then the
    result is done, not ok, with the timeout named (1.15)."""
    s = Simulation(settings={"mains_meter_type": "Eastron3P", "mains_meter_address": 10})
    s.advance(2.0)
    body = json.dumps({"address": 99, "function": 3, "register": 0})
    assert s.rest("POST", "/api/modbus/cmd", body=body)[0] == 202
    s.advance(3.0)
    result = s.rest("GET", "/api/modbus/result")[1]
    assert result["done"] is True and result["ok"] is False and "timeout" in result["error"]
