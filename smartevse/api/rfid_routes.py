"""REST for the RFID whitelist: POST /rfid (a card swipe, interfaces.md 1.9) and the
`rfid.txt` upload of POST /update (1.18). Pure request handling, registered with
`routes.add_route` and `update.add_upload` when the app has a reader (smartevse/app.py).

The upload replaces the whole list with one 12- or 14-hex-char UID per line (8 chars are
taken too, settings-and-menu.md 4.1), in one chunk, at most 100 cards. A bad line is
refused with its line number and nothing is replaced.
"""

from smartevse.api.routes import add_route
from smartevse.api.update import add_upload
from smartevse.core.states import RFID_DISABLED
from smartevse.rfid.cards import CARDS_MAX, parse_hex

RFID_FILE = "rfid.txt"


def post_rfid(app, params, body):
    """Simulate a card swipe: the normal card logic, answered with the status text."""
    text = params.get("rfid")
    if text is None:
        return 200, {"rfid_status": "Missing rfid parameter"}
    if app.board.rfid_uart is None or app.settings.values["rfid_reader"] == RFID_DISABLED:
        return 200, {"rfid_status": "RFID reader not enabled"}
    card, error = parse_hex(text)
    if error is not None:
        return 200, {"rfid_status": error}
    app.rfid_service().swipe(card, text.strip().upper())   # built now if just enabled
    return 200, {"rfid": text.strip().upper(), "rfid_status": app.rfid_status_text}


def parse_list(text):
    """(stored cards, None) from the text of rfid.txt, or (None, error naming the line)."""
    cards = []
    number = 0
    for line in text.split("\n"):
        number += 1
        line = line.strip()
        if not line:
            continue
        card, error = parse_hex(line)
        if error is not None:
            return None, "rfid.txt line {}: {} ({})".format(number, error, line[:20])
        if card not in cards:
            cards.append(card)
        if len(cards) > CARDS_MAX:
            return None, "rfid.txt line {}: more than {} cards".format(number, CARDS_MAX)
    return cards, None


def upload_list(app, params, body):
    """POST /update?file=rfid.txt&offset=0&size=N with the file as the body: it replaces
    the whitelist (update.py checks the parameters first)."""
    if isinstance(body, (bytes, bytearray)):
        try:
            body = body.decode()
        except UnicodeError:
            return 400, "rfid.txt must be text"
    body = body or ""
    if params["offset"] != "0" or params["size"] != str(len(body)):
        return 400, "rfid.txt must come in one chunk (offset 0, size {})".format(len(body))
    cards, error = parse_list(body)
    if error is not None:
        return 400, error
    try:
        app.rfid_service().cards.replace(cards)
    except (OSError, RuntimeError) as exc:
        return 500, "RFID list not written: {}".format(exc)
    return 200, len(body)


add_route("POST", "/rfid", post_rfid)
add_upload(RFID_FILE, upload_list)
