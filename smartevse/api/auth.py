"""Write protection (interfaces.md 1.2): the PIN session, its back-off, the Origin check."""

# AuthMode 1 gates every route but OPEN_PATHS (routes.py). The session is one device-wide
# flag (not per client), opened by POST /lcd-verify-password with the LCD PIN, idle
# timeout 30 min, refreshed by each authorised request. A request with an Origin header
# whose host is not this controller is refused (a page elsewhere cannot post here).
# Time is the board's ticks_ms, wrap-safe on its 2**29 period (no clock import here).

from micropython import const

_SESSION_MS = const(1800000)          # 30 min idle
_IDLE_RESET_MS = const(600000)        # 10 idle minutes forget the failures
_PERIOD = const(0x20000000)           # ticks_ms wraps at 2**29
_HALF = const(0x10000000)
_BACKOFF_S = (0, 0, 0, 10, 60, 300, 1800)   # after the n-th consecutive failure


def _elapsed_ms(now_ms, then_ms):
    return ((now_ms - then_ms + _HALF) % _PERIOD) - _HALF


class WebSession:
    """The device-wide session and the PIN failures."""

    def __init__(self):
        self.open = False
        self.used_ms = 0
        self.failures = 0
        self.failed_ms = 0
        self.backoff_ms = 0


def session(app):
    state = getattr(app, "web_session", None)
    if state is None:
        state = app.web_session = WebSession()
    return state


def _refusal(status, error):
    return status, {"success": False, "error": error}


def check(app, headers):
    """None when a gated request may run, else (status, answer) (1.2)."""
    origin = _header(headers, "origin")
    if origin is not None and not _own_origin(app, origin):
        return _refusal(403, "csrf_origin_mismatch")
    state = session(app)
    now_ms = app.board.ticks_ms()
    if not state.open or not app.settings.values["lcd_pin"]:
        return _refusal(401, "auth_required")
    if _elapsed_ms(now_ms, state.used_ms) > _SESSION_MS:
        state.open = False
        return _refusal(401, "session_expired")
    state.used_ms = now_ms
    return None


def _header(headers, name):
    """A request header by its lower-case name from the dict the HTTP service passes."""
    if not headers:
        return None
    for key in headers:
        if key.lower() == name:
            return headers[key]
    return None


def _own_origin(app, origin):
    """The Origin's host is this controller's name or address (port ignored)."""
    text = str(origin).lower()
    start = text.find("://")
    host = text[start + 3:] if start >= 0 else text
    slash = host.find("/")
    if slash >= 0:
        host = host[:slash]
    if "@" in host:
        return False                    # userinfo is refused (1.2)
    colon = host.rfind(":")
    if colon >= 0 and "]" not in host[colon:]:
        host = host[:colon]
    name = "smartevse-" + str(app.serial_nr)
    if host == name or host == name + ".local":
        return True
    net = getattr(app.board, "net", None)
    address = getattr(net, "ipv4_address", None) if net is not None else None
    return address is not None and host == address


def post_verify_password(app, params, body):
    """POST /lcd-verify-password, form field `password` in the body (1.11)."""
    pin = app.settings.values["lcd_pin"]
    if not pin:
        return _refusal(403, "pin_not_configured")
    state = session(app)
    now_ms = app.board.ticks_ms()
    if state.failures and _elapsed_ms(now_ms, state.failed_ms) >= _IDLE_RESET_MS:
        state.failures = 0
    wait_ms = state.backoff_ms - _elapsed_ms(now_ms, state.failed_ms)
    if state.backoff_ms and wait_ms > 0:
        wait_s = (wait_ms + 999) // 1000
        return 429, {"success": False, "rate_limited": True, "retry_after": wait_s}
    text = form_field(body, "password")
    if text is not None and len(text) == 4 and text.isdigit() and int(text) == pin:
        state.open = True
        state.used_ms = now_ms
        state.failures = 0
        state.backoff_ms = 0
        return 200, {"success": True}
    state.failures += 1
    state.failed_ms = now_ms
    state.backoff_ms = _BACKOFF_S[min(state.failures, len(_BACKOFF_S) - 1)] * 1000
    return 200, {"success": False}


def form_field(body, name):
    """A field of an application/x-www-form-urlencoded body, or None."""
    if body is None:
        return None
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body).decode("utf-8", "replace")
    for pair in str(body).split("&"):
        eq = pair.find("=")
        if eq > 0 and pair[:eq] == name:
            return unquote(pair[eq + 1:])
    return None


def unquote(text):
    """Percent-decoding and "+" as a blank, as a form encodes them."""
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    out = bytearray()
    i = 0
    raw = text.encode("utf-8")
    n = len(raw)
    while i < n:
        c = raw[i]
        if c == 37 and i + 2 < n and _hex(raw[i + 1:i + 3]):
            out.append(int(raw[i + 1:i + 3].decode(), 16))
            i += 3
        else:
            out.append(c)
            i += 1
    return bytes(out).decode("utf-8", "replace")


def _hex(two):
    if len(two) != 2:
        return False
    for c in two:
        if not (48 <= c <= 57 or 65 <= c <= 70 or 97 <= c <= 102):
            return False
    return True
