"""REST request handling: which handler answers a (method, path) (interfaces.md 1.3)."""

# Pure: a request comes in as method, path, the query-string parameters (a dict of
# strings; POST parameters are read from the query string, interfaces.md 1.1), the body
# and the request headers, and goes out as (HTTP status, object). No socket and no
# clock: the HTTP server adapter parses the request, calls `handle` and serialises the
# answer with `content_type`: a dict or list is JSON, a str plain text, bytes as the
# route says (`/lcd` a BMP). Extra response headers ride in the object: a 429 carries
# `retry_after` (send it as Retry-After).
#
# The table maps (method, path) to a handler `handler(app, params, body) -> (status, obj)`
# or to "module:function" of this package, imported on the first request (the device
# heap holds only the handlers in use). A path ending in "*" is a prefix route; the rest
# of the path reaches the handler as params[":name"]. `add_route` registers more.

import sys

ROUTES = {
    ("GET", "/settings"): "settings_get:get_settings",
    ("POST", "/settings"): "settings_post:post_settings",
    ("POST", "/color_off"): "colors:post_color_off",
    ("POST", "/color_normal"): "colors:post_color_normal",
    ("POST", "/color_smart"): "colors:post_color_smart",
    ("POST", "/color_solar"): "colors:post_color_solar",
    ("POST", "/color_custom"): "colors:post_color_custom",
    ("POST", "/currents"): "currents:post_currents",
    ("POST", "/ev_meter"): "ev_meter:post_ev_meter",
    ("POST", "/reboot"): "actions:post_reboot",
    ("POST", "/erasesettings"): "actions:post_erase_settings",
    ("POST", "/cablelock"): "actions:post_cablelock",
    ("GET", "/lcd"): "lcd:get_lcd",
    ("POST", "/lcd"): "lcd:post_lcd",
    ("POST", "/lcd-verify-password"): "auth:post_verify_password",
    ("GET", "/session/last"): "sessions_get:get_last",
    ("GET", "/sessions"): "sessions_get:get_all",
    ("GET", "/modbus.json"): "modbus_json:get_modbus_json",
    ("POST", "/api/modbus/cmd"): "modbus_cmd:post_cmd",
    ("GET", "/api/modbus/result"): "modbus_cmd:get_result",
    ("GET", "/mqtt.json"): "mqtt_json:get_mqtt_json",
    ("GET", "/mqtt_ca_cert"): "mqtt_json:get_ca_cert",
    ("GET", "/diag/status"): "diag:get_status",
    ("POST", "/diag/start"): "diag:post_start",
    ("POST", "/diag/stop"): "diag:post_stop",
    ("GET", "/diag/download"): "diag:get_download",
    ("POST", "/diag/dump"): "diag:post_dump",
    ("GET", "/diag/files"): "diag:get_files",
    ("GET", "/diag/file/*"): "diag:get_file",
    ("DELETE", "/diag/file/*"): "diag:delete_file",
    ("GET", "/update"): "update:get_update",
    ("POST", "/update"): "update:post_update",
    ("POST", "/save"): "portal:post_save",
    ("GET", "/openapi.json"): "openapi:get_openapi",
}
# Not gated by AuthMode (1.2): the session records, the PIN check, the Wi-Fi portal and
# the API's own description (smartevse/api/openapi.json, served at GET /openapi.json).
OPEN_PATHS = ("/session/last", "/sessions", "/lcd-verify-password", "/save", "/openapi.json")
# Bodies that are not JSON (1.11, 1.17, 1.18); str bodies are text/plain.
CONTENT_TYPES = {"/lcd": "image/bmp", "/update": "text/html",
                 "/diag/download": "application/octet-stream", "/openapi.json": "application/json"}
_PACKAGE = "smartevse.api."


def add_route(method, path, handler):
    """Register `handler(app, params, body) -> (status, obj)` for method and path."""
    ROUTES[(method.upper(), path)] = handler


def content_type(path, obj):
    """The Content-Type of an answer: JSON for a dict or list (1.1)."""
    if isinstance(obj, (dict, list)):
        return "application/json"
    if isinstance(obj, str) and path != "/update":
        return "text/plain"
    return CONTENT_TYPES.get(path, "application/octet-stream")


def _find(method, path, params):
    """(handler or None, route path); a prefix route puts the tail in params[":name"]."""
    handler = ROUTES.get((method, path))
    if handler is not None:
        return handler, path
    for route in ROUTES:
        pattern = route[1]
        if route[0] == method and pattern[-1] == "*" and path.startswith(pattern[:-1]):
            params[":name"] = path[len(pattern) - 1:]
            return ROUTES[route], pattern
    return None, path


def _resolve(key, handler):
    if not isinstance(handler, str):
        return handler
    colon = handler.find(":")
    name = _PACKAGE + handler[:colon]
    __import__(name)
    handler = getattr(sys.modules[name], handler[colon + 1:])
    ROUTES[key] = handler          # imported once; later requests call it directly
    return handler


def handle(app, method, path, params=None, body=None, headers=None):
    """Answer one request: (status, obj). 404 for an unknown path, 405 for a known path
    asked with another method (a GET of a POST-only action: "use POST", 0.3)."""
    # Few locals: this frame stays under every handler (pystack budget).
    handler, params = route(app, method, path, params, headers)
    if handler is None:
        return params                   # the refusal
    answer = handler(app, params, body)
    app.apply_outputs()       # a command (mode, access, override) reaches the board now
    return answer


def route(app, method, path, params, headers):
    """(handler, params) for a request, or (None, (status, refusal))."""
    query = path.find("?")
    if query >= 0:
        path = path[:query]
    method = method.upper()
    params = {} if params is None else params
    handler, pattern = _find(method, path, params)
    if handler is None:
        return None, _refuse(method, path)
    if app.settings.values["auth_mode"] and path not in OPEN_PATHS:
        from smartevse.api import auth
        refused = auth.check(app, headers)
        if refused is not None:
            return None, refused
    return _resolve((method, pattern), handler), params


def _refuse(method, path):
    methods = [route[0] for route in ROUTES if route[1] == path
               or (route[1][-1] == "*" and path.startswith(route[1][:-1]))]
    if not methods:
        return 404, {"error": "Not found"}
    if method == "GET" and "POST" in methods:
        return 405, {"error": "use POST"}
    return 405, {"error": "Method not allowed"}
