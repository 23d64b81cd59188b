"""REST request handling: which handler answers a (method, path) (interfaces.md 1.3).

Pure: a request comes in as method, path, the query-string parameters (a dict of
strings; POST parameters are read from the query string, interfaces.md 1.1) and the
body, and goes out as (HTTP status, JSON-serialisable object). No socket and no clock:
the HTTP server adapter parses the request, calls `handle`, and serialises the answer.

Routes are a dict from (method, path) to `handler(app, params, body) -> (status, obj)`,
in the style of `ocpp/routing.py`; a later issue adds endpoints with `add_route`.
"""

from smartevse.api import settings_get as api_settings_get
from smartevse.api import settings_post as api_settings_post

ROUTES = {
    ("GET", "/settings"): api_settings_get.get_settings,
    ("POST", "/settings"): api_settings_post.post_settings,
}


def add_route(method, path, handler):
    """Register `handler(app, params, body) -> (status, obj)` for method and path."""
    ROUTES[(method.upper(), path)] = handler


def handle(app, method, path, params=None, body=None):
    """Answer one request: (status, obj). 404 for an unknown path, 405 for a known
    path asked with another method (interfaces.md 1.1)."""
    query = path.find("?")
    if query >= 0:
        path = path[:query]
    method = method.upper()
    handler = ROUTES.get((method, path))
    if handler is None:
        for route in ROUTES:
            if route[1] == path:
                return 405, {"error": "Method not allowed"}
        return 404, {"error": "Not found"}
    answer = handler(app, params if params is not None else {}, body)
    app.apply_outputs()       # a command (mode, access, override) reaches the board now
    return answer
