"""POST /settings for the settings themselves: one generic path over the table's REST
facts (interfaces.md 1.5).

Decides how a query parameter becomes a change of a setting (its REST name, lenient
numbers like the fork's `String.toInt()`, the REST mode numbering of 0.3, the MQTT
password placeholder) and how each one is answered: the new value in the row's form,
or the row's refusal text ("Value not allowed!" unless the row says other). The
changes of one block go to `app.apply_settings` as one set (settings/changes.py), so
REST, MQTT `/Set/` and the menu share the checks and the side effects.
"""

from micropython import const

from smartevse.api.params import NOT_ALLOWED, to_int
from smartevse.core.states import (ACCESS_OFF, ACCESS_PAUSE, MODE_NORMAL, MODE_SMART,
                                   MODE_SOLAR)
from smartevse.settings import changes as changes_path
from smartevse.settings import facts
from smartevse.settings.changes import SOURCE_REST
from smartevse.settings.live import OCPP_NOT_ENABLED
from smartevse.settings.table import (
    COUNT, DEFAULTS, KEYS, MAXS, MINS, R_ANSWER_OK, R_ANSWER_SET, R_AS_BOOL, R_AS_OPTION,
    R_EMPTY_KEEPS, R_EMPTY_SERIAL, R_FLAG_ONE, R_MODE, R_NONZERO, R_OWN_TEXT, R_PUBLISH,
    R_QUIET, R_RANGE_TEXT, R_ZERO_DEFAULT, REST_NAMES, RESTS,
)

PASSWORD_PLACEHOLDER = "\u2022" * 8   # eight bullets: the web page shows them for a set password
# REST `mode` (0.3): 1 NORMAL, 2 SOLAR, 3 SMART -> internal mode; 0 OFF and 4 PAUSE are
# access changes.
_REST_OFF = const(0)
_REST_PAUSE = const(4)
_REST_MODES = (None, MODE_NORMAL, MODE_SOLAR, MODE_SMART)


def apply_rows(app, params, block, out):
    """Take the parameters of the rows whose REST bits include `block` as one set of
    changes (settings/changes.py) and answer each as the row says (1.5)."""
    # Few locals here and the app's apply path without its frame: this frame stays under
    # the whole settings path (pystack); routes.handle applies the outputs afterwards.
    changes = {}
    asked = _read_rows(app, params, block, changes, out)
    errors = changes_path.apply(app.settings, changes, app, SOURCE_REST) if changes else {}
    _answer_rows(app, asked, params, errors, out)


def _read_rows(app, params, block, changes, out):
    """The rows asked for, their changes put into `changes`."""
    asked = []
    for i in range(COUNT):
        rest = RESTS[i]
        name = REST_NAMES.get(KEYS[i], KEYS[i])
        if rest & block and name in params and (block == R_PUBLISH or not rest & R_PUBLISH):
            if _read(app, i, params[name], changes, out):
                asked.append(i)
    return asked


def _answer_rows(app, asked, params, errors, out):
    for i in asked:
        _answer(app, i, params, errors, out)


def _read(app, i, text, changes, out):
    """Put the change(s) that parameter text asks for into `changes`; False when it is
    refused before that (answered already) or asks for nothing."""
    rest = RESTS[i]
    key = KEYS[i]
    if rest & R_MODE:
        return _read_mode(text, changes, out)
    if facts.is_text(i):
        text = str(text)
        if rest & R_EMPTY_KEEPS and (text == "" or text == PASSWORD_PLACEHOLDER):
            return True                 # clients re-POST forms: the stored one stays
        if rest & R_EMPTY_SERIAL and text == "":
            text = "SmartEVSE-" + str(app.serial_nr)     # the fork's host name
        changes[key] = text
        return True
    if rest & R_FLAG_ONE:
        value = 1 if str(text) == "1" else 0
    elif rest & R_NONZERO:
        value = 1 if to_int(text) else 0
    else:
        value = to_int(text)
    if rest & R_ZERO_DEFAULT and value == 0:
        value = DEFAULTS[i]
    changes[key] = value
    return True


def _read_mode(text, changes, out):
    """`mode` (0.3): 0 access OFF, 4 PAUSE, 1/2/3 Normal/Solar/Smart. Text without a
    number ("SMART", "") is "any other value" of 0.3 and refused: read as toInt() it
    would be 0 and switch the charger OFF."""
    rest_mode = to_int(text) if _has_number(text) else -1
    if rest_mode == _REST_OFF:
        changes["access"] = ACCESS_OFF
    elif rest_mode == _REST_PAUSE:
        changes["access"] = ACCESS_PAUSE
    elif 0 < rest_mode < len(_REST_MODES):
        changes["mode"] = _REST_MODES[rest_mode]
    else:
        out["mode"] = NOT_ALLOWED
        return False
    return True


def _answer(app, i, params, errors, out):
    """The answer of one parameter: its new value, or the row's refusal text."""
    rest = RESTS[i]
    key = KEYS[i]
    if rest & R_PUBLISH:
        return                          # taken silently, bad values ignored (1.5)
    if rest & R_MODE:
        failed = "mode" in errors or "access" in errors
        out["mode"] = NOT_ALLOWED if failed else params["mode"]   # echo of the text sent
        return
    error = errors.get(key)
    value = app.settings.values[key]
    if rest & R_ANSWER_OK:
        out[REST_NAMES.get(key, key)] = error is None
    elif error is not None and rest & R_QUIET:
        return
    elif rest & R_AS_OPTION:
        out["settings"] = {key: NOT_ALLOWED if error else facts.option_text(i, value)}
    elif error is not None:
        out[key + "_set" if rest & R_ANSWER_SET else key] = _refusal(i, error)
    elif rest & R_ANSWER_SET:
        out[key + "_set"] = value != ""
    else:
        out[key] = bool(value) if rest & R_AS_BOOL else value


def _refusal(i, error):
    """The refusal text on the wire: the row's own message, the OCPP one, or the fork's."""
    rest = RESTS[i]
    if rest & R_OWN_TEXT or error == OCPP_NOT_ENABLED:
        return error
    if rest & R_RANGE_TEXT:
        return NOT_ALLOWED + " (" + str(MINS[i]) + "-" + str(MAXS[i]) + ")"
    return NOT_ALLOWED


def _has_number(text):
    """True when toInt() would read at least one digit (blanks and a sign first)."""
    text = str(text).strip()
    if text[:1] == "-" or text[:1] == "+":
        text = text[1:]
    return "0" <= text[:1] <= "9"
