"""The endpoint table of interfaces.md 1.3, row by row, against the firmware's routes:
every endpoint the product serves has a handler (issue 11 item 2: all but the modem
builds' /ev_state, /autoupdate and the test builds' endpoints of 1.20)."""

import pytest

from sim import Simulation
from smartevse.api import routes

# (method, path) of 1.3; "any" rows are POST here (no GET changes state, 0.3)
TABLE = [("GET", "/settings"), ("POST", "/settings"), ("POST", "/color_off"),
         ("POST", "/color_normal"), ("POST", "/color_smart"), ("POST", "/color_solar"),
         ("POST", "/color_custom"), ("POST", "/currents"), ("POST", "/ev_meter"),
         ("POST", "/rfid"), ("POST", "/reboot"), ("GET", "/lcd"), ("POST", "/lcd"),
         ("POST", "/lcd-verify-password"), ("POST", "/cablelock"), ("GET", "/session/last"),
         ("GET", "/sessions"), ("GET", "/modbus.json"), ("POST", "/api/modbus/cmd"),
         ("GET", "/api/modbus/result"), ("GET", "/mqtt.json"), ("GET", "/mqtt_ca_cert"),
         ("GET", "/diag/status"), ("POST", "/diag/start"), ("POST", "/diag/stop"),
         ("GET", "/diag/download"), ("POST", "/diag/dump"), ("GET", "/diag/files"),
         ("GET", "/diag/file/x.diag"), ("DELETE", "/diag/file/x.diag"), ("GET", "/update"),
         ("POST", "/update"), ("POST", "/erasesettings"), ("POST", "/save")]
NOT_HERE = [("POST", "/ev_state"), ("GET", "/ev_state"), ("POST", "/autoupdate"),
            ("GET", "/debug"), ("POST", "/automated_testing")]


@pytest.fixture(scope="module")
def app():
    return Simulation(settings={"rfid_reader": "EnableAll"}).app


@pytest.mark.parametrize("method,path", TABLE)
def test_every_row_of_the_endpoint_table_has_a_handler(app, method, path):
    """Given a controller with a network and a card reader, when the (method, path) of a
    row of interfaces.md 1.3 is routed, then a handler answers it (the WebSocket row is
    served by the HTTP server itself: tests/net/test_ws_data.py, test_ws_lcd.py)."""
    handler, _ = routes.route(app, method, path, {}, None)
    assert callable(handler)


@pytest.mark.parametrize("method,path", NOT_HERE)
def test_the_modem_autoupdate_and_test_build_endpoints_are_not_served(app, method, path):
    """Given a controller, when /ev_state, /autoupdate, /debug or /automated_testing is
    asked, then 404: modem and test builds only, and no download from the internet (0.3,
    1.13, 1.20)."""
    assert routes.route(app, method, path, {}, None) == (None, (404, {"error": "Not found"}))
