"""POST /color_off ... /color_custom: the LED colour of a mode (interfaces.md 1.6)."""

# R, G and B (0..255) are all required; missing or out of range answers {} and changes
# nothing. The colours are settings (persisted, settings-and-menu.md 8, D6).

from smartevse.api.params import to_int
from smartevse.settings.changes import SOURCE_REST


def _post_color(app, params, name):
    rgb = []
    for channel in ("R", "G", "B"):
        if channel not in params:
            return 200, {}
        value = to_int(params[channel])
        if not 0 <= value <= 255:
            return 200, {}
        rgb.append(value)
    colour = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]
    if app.apply_settings({"color_" + name: colour}, SOURCE_REST):
        return 200, {}
    app.request_save()
    return 200, {"color": {name: {"R": rgb[0], "G": rgb[1], "B": rgb[2]}}}


def post_color_off(app, params, body):
    return _post_color(app, params, "off")


def post_color_normal(app, params, body):
    return _post_color(app, params, "normal")


def post_color_smart(app, params, body):
    return _post_color(app, params, "smart")


def post_color_solar(app, params, body):
    return _post_color(app, params, "solar")


def post_color_custom(app, params, body):
    return _post_color(app, params, "custom")
