"""The LCD WebSocket /ws/lcd with a real client (the `websockets` package): the display as
a BMP every second, button presses with the PIN session, each bad message's error
(interfaces.md 1.11, 1.2; issue 11 item 2)."""

import json

from test_ws_data import Client

from http_client import charging_with_http
from tests.api.test_api_auth import PIN, login

BMP_SIZE = 62 + 64 * 16             # 128 x 64 at 1 bit per pixel, header and palette


def _lcd(pin=PIN):
    s = charging_with_http(5.0)
    s.configure({"lcd_pin": pin})
    return s


def _pictures(messages):
    return [m for m in messages if isinstance(m, bytes)]


def _replies(messages):
    return [m for m in messages if not isinstance(m, bytes)]


def test_the_display_arrives_as_a_bmp_every_second_equal_to_get_lcd():
    """Given a charging controller, when a browser opens /ws/lcd, then a binary frame with
    the 128 x 64 BMP arrives at once and another each second, the last equal to GET /lcd
    (1.11)."""
    s = _lcd()
    client = Client(s, "/ws/lcd")
    try:
        pictures = _pictures(client.wait(s, lambda m: len(_pictures(m)) >= 3, 5.0))
        assert all(p[:2] == b"BM" and len(p) == BMP_SIZE for p in pictures)
        status, shot = s.rest("GET", "/lcd")
        assert status == 200 and shot == pictures[-1]
        assert not _replies(client.messages)
    finally:
        client.close(s)
        s.close()


def test_a_press_needs_the_session_and_reaches_the_menu():
    """Given /ws/lcd open without a PIN session, when it sends a press of `middle`, then the
    reply is {"error":"unauthorized"} and the menu is untouched; with a session (POST
    /lcd-verify-password) the press holds the middle button down and the release lets it
    up, each reply naming the button (1.11, 1.2)."""
    s = _lcd()
    client = Client(s, "/ws/lcd")
    try:
        client.ws.send(json.dumps({"button": "middle", "state": 1}))
        client.wait(s, lambda m: len(_replies(m)) == 1)
        assert _replies(client.messages) == [{"error": "unauthorized"}]
        assert s.app.menu.down == 0
        assert login(s) == (200, {"success": True})
        client.ws.send(json.dumps({"button": "middle", "state": 1}))
        client.wait(s, lambda m: len(_replies(m)) == 2)
        assert _replies(client.messages)[1] == {"button": {"middle": "down"}}
        assert s.app.menu.down == 2
        client.ws.send(json.dumps({"button": "middle", "state": 0}))
        client.wait(s, lambda m: len(_replies(m)) == 3)
        assert _replies(client.messages)[2] == {"button": {"middle": "up"}}
        assert s.app.menu.down == 0
    finally:
        client.close(s)
        s.close()


def test_each_bad_message_gets_its_error_and_presses_nothing():
    """Given /ws/lcd with a PIN session, when it sends text that is no JSON, a message
    without `state`, a button that is no string, a state of "1" or 2, and a button named
    `up`, then the replies are invalid_json, missing_fields, invalid_button, invalid_state
    (twice) and unknown_button, and no button went down (1.11)."""
    s = _lcd()
    login(s)
    client = Client(s, "/ws/lcd")
    bad = ("{button", json.dumps({"button": "left"}), json.dumps({"button": 1, "state": 1}),
           json.dumps({"button": "left", "state": "1"}), json.dumps({"button": "left", "state": 2}),
           json.dumps({"button": "up", "state": 1}))
    try:
        for n, text in enumerate(bad):
            client.ws.send(text)
            client.wait(s, lambda m, n=n: len(_replies(m)) == n + 1)
        assert [r["error"] for r in _replies(client.messages)] == [
            "invalid_json", "missing_fields", "invalid_button", "invalid_state",
            "invalid_state", "unknown_button"]
        assert s.app.menu.down == 0
    finally:
        client.close(s)
        s.close()


def test_live_data_and_lcd_clients_share_the_four_places():
    """Given two /ws/data and two /ws/lcd clients, when a fifth (/ws/lcd) connects, then it
    is refused (503), the data clients get no picture and the LCD clients no sync (1.19,
    1.11)."""
    s = _lcd()
    clients = [Client(s, path) for path in ("/ws/data", "/ws/lcd", "/ws/data", "/ws/lcd")]
    try:
        for client in clients:
            client.wait(s, lambda m: len(m) >= 1, 5.0)
        try:
            Client(s, "/ws/lcd")
            refused = None
        except Exception as exc:       # websockets' InvalidStatus
            refused = exc
        assert refused is not None and refused.response.status_code == 503
        s.run_realtime(1.5)
        for client in clients[0::2]:
            assert not _pictures(client.messages) and client.messages[0]["type"] == "sync"
        for client in clients[1::2]:
            assert not _replies(client.messages) and _pictures(client.messages)
    finally:
        for client in clients:
            client.close(s)
        s.close()
