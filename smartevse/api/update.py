"""GET/POST /update: the upload endpoint (interfaces.md 1.18)."""

# Uploads come as `POST /update?file=<name>&offset=<n>&size=<total>` with the chunk as
# the body, each chunk answered 200 with its byte count. Which names are taken is a
# table other features extend (`add_upload`; the RFID list registers "rfid.txt"). The
# firmware itself is updated by copying the bundle to the CIRCUITPY drive (docs/
# architecture.md "Firmware update"): the firmware names answer how.

from smartevse.api.params import to_int

MAX_SIZE = 1769472
UPLOADS = {}                    # name -> handler(app, params, body) -> (status, obj)
FIRMWARE_NAMES = ("firmware.signed.bin", "firmware.debug.signed.bin", "firmware.bin",
                  "firmware.debug.bin")
FIRMWARE_TEXT = ("firmware updates are not taken over HTTP here: copy the update bundle "
                 "to the CIRCUITPY drive")
PAGE = ("<!DOCTYPE html><html><head><title>SmartEVSE update</title></head><body>"
        "<h1>Update</h1><p>Firmware: copy the update bundle to the CIRCUITPY drive.</p>"
        "<p>RFID list: POST /update?file=rfid.txt&amp;offset=0&amp;size=N with the file as "
        "the body.</p></body></html>")


def add_upload(name, handler):
    """Take uploads named `name` with `handler(app, params, body)`."""
    UPLOADS[name] = handler


def get_update(app, params, body):
    return 200, PAGE


def post_update(app, params, body):
    name = params.get("file")
    if not name:
        return 400, "file required"
    if "offset" not in params:
        return 400, "offset required"
    if "size" in params and to_int(params["size"]) > MAX_SIZE:
        return 400, "over max size of " + str(MAX_SIZE)
    if "size" not in params:
        return 400, "size required"
    handler = UPLOADS.get(name)
    if handler is not None:
        return handler(app, params, body)
    if name in FIRMWARE_NAMES:
        return 400, FIRMWARE_TEXT
    return 400, "unknown file name " + name
