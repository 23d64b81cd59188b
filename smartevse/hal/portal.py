"""The Wi-Fi set-up portal's pages and its credentials record (interfaces.md 1.18).

GET / is a form; POST /save with ssid (1-32) and password (8-63) keeps them in NVM and
reboots; missing fields answer 400 "Missing SSID or password".
"""
# The credentials live in NVM, never on the CIRCUITPY drive: two slots of 112 B at
# 7968..8191, record kind 7, the set-up portal's place in the project's NVM layout
# (smartevse/settings/nvm.py WIFI_OFFSET, WIFI_SLOT_SIZE, KIND_WIFI on main).

from micropython import const

from smartevse import log
from smartevse.settings.nvm import RecordStore

WIFI_OFFSET = const(7968)
WIFI_SLOT_SIZE = const(112)             # SSID (32) and password (63) with their length
KIND_WIFI = const(7)
_FORM = (b"<!doctype html><meta name=viewport content='width=device-width'>"
         b"<title>SmartEVSE set-up</title><h1>SmartEVSE Wi-Fi</h1>"
         b"<form method=post action=/save><p>Network <input name=ssid maxlength=32 required>"
         b"<p>Password <input name=password type=password minlength=8 maxlength=63 required>"
         b"<input type=hidden name=tz id=tz><p><button>Save and restart</button></form>"
         b"<script>document.getElementById('tz').value="
         b"Intl.DateTimeFormat().resolvedOptions().timeZone</script>")


def refused(net, ssid, exc):
    """The radio refused to start the access point: count it on `net` and log it."""
    # The device's and the host's network parts share this: GET /settings' wifi block and
    # the simulator's observe() show portal_errors and portal_last_error (a failing radio
    # is the network's health, never a loop fault).
    net.portal_errors += 1
    net.portal_last_error = "%s: %s" % (type(exc).__name__, exc)
    log.warning("wifi: access point %s not started: %s" % (ssid, exc))


def store(nvm):
    return RecordStore(nvm, WIFI_OFFSET, WIFI_SLOT_SIZE, KIND_WIFI)


def load(nvm):
    """(ssid, password) saved by the portal, or (None, None)."""
    payload = store(nvm).load()[0]
    if not payload:
        return None, None
    n = payload[0]
    return bytes(payload[1:1 + n]).decode(), bytes(payload[1 + n:]).decode()


class Portal:
    """The HTTP service's `extra` pages while the access point runs."""

    def __init__(self, nvm):
        self._nvm = nvm
        self.saved = False              # the network part reboots once the answer went out

    def handle(self, method, path, params, body):
        if path == "/" and method == "GET":
            return 200, _FORM, "text/html; charset=utf-8"
        return None                     # POST /save: the REST route

    def save(self, ssid, password, tz):
        """Called by POST /save with checked fields (the time zone comes from settings.toml)."""
        ssid = ssid.encode()
        store(self._nvm).save(bytes((len(ssid),)) + ssid + password.encode(), 1)
        self.saved = True
