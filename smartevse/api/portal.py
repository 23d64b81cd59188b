"""POST /save: the Wi-Fi set-up portal's form (interfaces.md 1.18)."""

# Only in portal mode (`app.portal` set by the network service, which stores the
# credentials with `portal.save(ssid, password, tz)` and reboots); else 404 like any
# unknown path. The fields come in the form body; the password is never echoed.

from smartevse.api.auth import form_field

MISSING = "Missing SSID or password"


def post_save(app, params, body):
    portal = getattr(app, "portal", None)
    if portal is None:
        return 404, {"error": "Not found"}
    ssid = form_field(body, "ssid")
    password = form_field(body, "password")
    tz = form_field(body, "tz") or ""
    if not ssid or password is None:
        return 400, MISSING
    if len(ssid) > 32 or not 8 <= len(password) <= 63:
        return 400, "SSID 1-32 characters, password 8-63 characters"
    portal.save(ssid, password, tz)
    return 200, "Saved, rebooting"
