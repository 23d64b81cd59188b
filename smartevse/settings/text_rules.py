"""Which texts the OCPP settings accept, with the fork's messages (interfaces.md 1.5, 3.2).

The one place that checks the central-system URL, the ChargeBoxId and the auth key: the
settings table names the rule of each text row and every source (REST, MQTT, the
menu, a stored record) goes through it. Each rule returns None or the error text.
"""

_URL_SAFE = ".:/-_?=&@%+#[]"
_URL_MAX = 200
_CB_ID_MAX = 20
_CB_ID_FORBIDDEN = "<>&\"'"
_AUTH_KEY_MAX = 40


def printable(text):
    """True when every character is printable ASCII (0x20..0x7E)."""
    for ch in text:
        if ch < " " or ch > "~":
            return False
    return True


def backend_url_error(url):
    """None when url is a usable OCPP central-system URL, else the fork's error text."""
    if not url:
        return "URL is empty"
    if url.startswith("wss://"):
        rest = url[6:]
    elif url.startswith("ws://"):
        rest = url[5:]
    else:
        return "URL must start with ws:// or wss://"
    end = len(rest)
    for sep in "/?#":
        i = rest.find(sep)
        if 0 <= i < end:
            end = i
    host = rest[:end]
    if "@" in host:
        return "URL must not contain embedded user:pass@ credentials"
    if not host:
        return "URL must start with ws:// or wss://"
    if _is_loopback(host):
        return "URL must not point to the charger itself (loopback / 127.x / ::1)"
    lower = host.lower()
    if lower.startswith("169.254.") or lower.startswith("fe80:") \
            or lower.startswith("[fe80:"):
        return "URL must not point to link-local (169.254.x / fe80::)"
    if len(url) > _URL_MAX:
        return "Invalid URL"
    for ch in rest:
        if not (ch.isalpha() or ch.isdigit()) or ord(ch) > 127:
            if ch not in _URL_SAFE:
                return "Invalid URL"
    return None


def _is_loopback(host):
    lower = host.lower()
    for name in ("localhost", "0.0.0.0", "::1", "[::1]"):
        if lower == name or lower.startswith(name + ":"):
            return True
    return lower.startswith("127.") or lower.startswith("[::1]")


def charge_box_id_error(cb_id):
    """None for 1..20 printable ASCII characters without < > & " ', else the error."""
    if not cb_id:
        return "ChargeBoxId is empty"
    if len(cb_id) > _CB_ID_MAX:
        return "ChargeBoxId exceeds 20 characters"
    if not printable(cb_id):
        return "ChargeBoxId contains invalid characters"
    for ch in cb_id:
        if ch in _CB_ID_FORBIDDEN:
            return "ChargeBoxId contains invalid characters"
    return None


def auth_key_error(key):
    """None for at most 40 printable ASCII characters (empty clears the key)."""
    if len(key) > _AUTH_KEY_MAX:
        return "Auth key exceeds 40 characters"
    if not printable(key):
        return "Auth key contains invalid characters"
    return None
