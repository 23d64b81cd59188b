"""Write protection over real HTTP: the Origin check of interfaces.md 1.2 applies to what a
browser sends over the socket, not only to the simulator's direct calls."""

from http_client import call
from sim import Simulation

PIN = 1234


def test_a_browser_on_another_site_is_refused_over_http_even_with_a_session():
    """Given AuthMode Required and a PIN session opened over HTTP, when a page on another
    site POSTs mode=3 with its Origin header, then 403 csrf_origin_mismatch and the mode
    stays Normal; the same POST with no Origin (a script) or the controller's own Origin is
    taken (interfaces.md 1.2)."""
    with Simulation(http=True, settings={"lcd_pin": PIN, "auth_mode": "Required",
                                         "mains_meter_type": "Sensorbox"}) as s:
        form = "Content-Type: application/x-www-form-urlencoded\r\n"
        status, body = call(s, "POST", "/lcd-verify-password", b"password=%04d" % PIN, form)
        assert status == 200 and body["success"] is True
        status, body = call(s, "POST", "/settings?mode=3",
                            headers="Origin: http://evil.example\r\n")
        assert (status, body) == (403, {"success": False, "error": "csrf_origin_mismatch"})
        assert s.observe()["mode"] == "Normal"
        status, _ = call(s, "POST", "/settings?mode=3",
                         headers="Origin: http://127.0.0.1:%d\r\n" % s.app.http.port)
        assert status == 200 and s.observe()["mode"] == "Smart"
        assert call(s, "POST", "/settings?mode=1")[0] == 200
        assert s.observe()["mode"] == "Normal"
