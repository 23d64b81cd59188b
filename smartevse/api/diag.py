"""/diag/*: this firmware's own diagnostics capture (interfaces.md 1.17)."""

# The fork's binary snapshot format is its own; here a capture is the log's lines
# (smartevse/log.py, its ring of 32) from `start` on, and `download` returns them as
# text; the WebSocket /diag/stream pushes them as they are logged (api/diag_stream.py).
# Nothing is written to flash: `dump` answers false and there are no files.

from smartevse import log

PROFILES = ("general", "loadbal", "modbus", "fast")
_CAPACITY = 32
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"


class Capture:
    def __init__(self):
        self.profile = "off"
        self.first = 0              # log.written() at the start
        self.last = -1              # at the stop, -1 while running


def capture_of(app):
    """The app's capture record (made at the first use)."""
    capture = getattr(app, "diag", None)
    if capture is None:
        capture = app.diag = Capture()
    return capture


def _count(capture):
    if capture.profile == "off" and capture.last < 0:
        return 0
    end = log.written() if capture.last < 0 else capture.last
    return min(end - capture.first, _CAPACITY)


def get_status(app, params, body):
    capture = capture_of(app)
    return 200, {"profile": capture.profile, "count": _count(capture), "capacity": _CAPACITY,
                 "frozen": capture.last >= 0, "uptime": app.board.ticks_ms() // 1000}


def post_start(app, params, body):
    profile = params.get("profile", "general")
    if profile not in PROFILES:
        return 400, {"error": "profile must be general, loadbal, modbus or fast"}
    capture = capture_of(app)
    capture.profile = profile
    capture.first = log.written()
    capture.last = -1
    return 200, {"started": True, "profile": profile}


def post_stop(app, params, body):
    capture = capture_of(app)
    if capture.profile != "off":
        capture.last = log.written()
        capture.profile = "off"
    return 200, {"stopped": True}


def get_download(app, params, body):
    capture = capture_of(app)
    count = _count(capture)
    lines = log.recent()
    end = log.written() if capture.last < 0 else capture.last
    skip = log.written() - end             # lines logged after the stop
    chosen = lines[max(len(lines) - skip - count, 0):len(lines) - skip]
    return 200, ("\n".join(chosen) + "\n" if chosen else "").encode()


def post_dump(app, params, body):
    return 200, {"dumped": False}


def get_files(app, params, body):
    return 200, {"files": []}


def _file(params):
    name = params.get(":name", "")
    if not name or ".." in name or [c for c in name if c not in _NAME_CHARS]:
        return 400, {"error": "invalid file name"}
    return 404, {"error": "no such file"}


def get_file(app, params, body):
    return _file(params)


def delete_file(app, params, body):
    return _file(params)
