"""GET /lcd (the OLED as a BMP), POST /lcd and /ws/lcd's messages (press the buttons) (1.11)."""

# The picture comes from the view's `frame_1bpp()`: 1024 bytes, 64 rows of 128 pixels
# top-down, most significant bit first, 1 = lit; a view without it answers 503. A
# button press needs the PIN session (1.2) and goes to the menu as a keypad event would;
# one left pressed is released after 4 s. The WebSocket /ws/lcd (net/ws_data.py) pushes
# `bmp` each second and hands each text message to `ws_message`.

from smartevse.api import auth

_WIDTH = 128
_HEIGHT = 64
_ROW_BYTES = 16
_NAMES = ("left", "middle", "right")       # keypad keys 0 `<`, 1 `O`, 2 `>`
_HOLD_S = 5                               # the 1 s service's first step comes at once


def bmp(frame):
    """A 128 x 64 monochrome BMP (bottom-up rows, palette black / white) of a frame."""
    header = bytearray(62)
    size = 62 + _HEIGHT * _ROW_BYTES
    header[0:2] = b"BM"
    _u32(header, 2, size)
    _u32(header, 10, 62)
    _u32(header, 14, 40)
    _u32(header, 18, _WIDTH)
    _u32(header, 22, _HEIGHT)
    header[26] = 1                        # planes
    header[28] = 1                        # bits per pixel
    _u32(header, 34, _HEIGHT * _ROW_BYTES)
    header[46] = 2                        # colours in the palette
    header[58:62] = b"\xff\xff\xff\x00"   # index 1: white
    out = bytearray(size)
    out[0:62] = header
    for row in range(_HEIGHT):
        at = 62 + (_HEIGHT - 1 - row) * _ROW_BYTES
        out[at:at + _ROW_BYTES] = frame[row * _ROW_BYTES:(row + 1) * _ROW_BYTES]
    return bytes(out)


def _u32(buf, at, value):
    buf[at] = value & 0xFF
    buf[at + 1] = (value >> 8) & 0xFF
    buf[at + 2] = (value >> 16) & 0xFF
    buf[at + 3] = (value >> 24) & 0xFF


class _Expiry:
    """A remote press not released within 4 s is released (1.11): a 1 s service."""

    def __init__(self, app):
        self.app = app
        self.held_s = [0, 0, 0]

    def step(self, now_ms):
        held = self.held_s
        for key in (0, 1, 2):
            if held[key]:
                held[key] -= 1
                if not held[key]:
                    self.app.menu.key(key, False, now_ms)


def _expiry(app):
    expiry = getattr(app, "lcd_expiry", None)
    if expiry is None:
        expiry = app.lcd_expiry = _Expiry(app)
        app.loop.add(1000, expiry.step)
    return expiry


def picture(app):
    """The display as a BMP, or None when the view cannot be read."""
    frame = getattr(app.view, "frame_1bpp", None)
    return None if frame is None else bmp(frame())


def get_lcd(app, params, body):
    shot = picture(app)
    if shot is None:
        return 503, {"error": "display not readable"}
    return 200, shot


def _press(app, key, pressed):
    app.menu.key(key, pressed, app.board.ticks_ms())
    _expiry(app).held_s[key] = _HOLD_S if pressed else 0


def _up_down(app, key):
    return "down" if app.menu.down & (1 << key) else "up"


def ws_message(app, text):
    """A /ws/lcd text message `{"button":..,"state":0|1}` -> the reply (1.11)."""
    if not auth.session(app).open or app.menu is None:
        return {"error": "unauthorized"}
    try:
        import json
        message = json.loads(text)
    except (ValueError, UnicodeError):
        message = None
    if not isinstance(message, dict):
        return {"error": "invalid_json"}
    if "button" not in message or "state" not in message:
        return {"error": "missing_fields"}
    name = message["button"]
    pressed = message["state"]
    if not isinstance(name, str):
        return {"error": "invalid_button"}
    if type(pressed) is not int or not 0 <= pressed <= 1:     # 0|1, not "1" nor true
        return {"error": "invalid_state"}
    if name not in _NAMES:
        return {"error": "unknown_button"}
    key = _NAMES.index(name)
    _press(app, key, pressed == 1)
    return {"button": {name: _up_down(app, key)}}


def post_lcd(app, params, body):
    """`button=left|middle|right&state=1|0`: press (1) or release (0) with a session."""
    menu = app.menu
    state = auth.session(app)
    if not state.open or menu is None:
        return 200, {"button": {"right": "down", "middle": "down", "left": "down"}}
    name = params.get("button")
    pressed = params.get("state")
    if name in _NAMES and (pressed == "1" or pressed == "0"):
        _press(app, _NAMES.index(name), pressed == "1")
    return 200, {"button": {_NAMES[k]: _up_down(app, k) for k in (2, 1, 0)}}
