"""Decides what a /diag/stream WebSocket client is sent next (interfaces.md 1.17)."""
# The fork's binary snapshots are its own; here the capture records the log's lines
# (api/diag.py), and the stream pushes them as JSON text messages:
#   {"type": "status", "d": {...GET /diag/status...}}  on connect and whenever a capture
#       starts or stops;
#   {"type": "lines", "first": n, "lines": [...]}  while a capture runs, the lines it recorded
#       since the last message (on connect: those it recorded before, still in the log's
#       ring of 32); n is the first line's number in the capture, so a gap in n shows lines
#       the ring dropped before they could be sent.
# The WebSocket service (net/ws_data.py) asks every 100 ms (at most 10 messages a second)
# and only once the client took the previous message. Imported while such a client is
# connected. Pure: no socket, no clock.

import json

from smartevse import log
from smartevse.api import diag


def message(app, client):
    """The next message (text) for `client`, or None; its cursor is `client.cursor`."""
    capture = diag.capture_of(app)
    at = client.cursor          # [profile, the capture's first line, the next line to send]
    if at is not None and at[0] != "off" and at[1] == capture.first:
        end = log.written() if capture.last < 0 else capture.last    # up to a stop too
        if at[2] < end:
            lines = log.recent()
            kept_from = log.written() - len(lines)   # the oldest line the ring still holds
            start = at[2] if at[2] > kept_from else kept_from
            at[2] = end
            return json.dumps({"type": "lines", "first": start - capture.first,
                               "lines": lines[start - kept_from:end - kept_from]})
    if at is None or at[0] != capture.profile or at[1] != capture.first:
        client.cursor = [capture.profile, capture.first, capture.first]
        return json.dumps({"type": "status", "d": diag.get_status(app, None, None)[1]})
    return None
