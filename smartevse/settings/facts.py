"""What the settings table says about one setting: its limits, texts and menu behaviour
(settings-and-menu.md 1.1, 1.2, 2.3, 2.4).

Decides whether a value lies inside a setting's limits (every source: menu, REST, MQTT,
a stored record), the text of a value on the menu's value line (1.1 "display"), the
text of the limits in an error message, whether the menu shows the setting (1.2) and
the menu's next value (2.3 wrap-around, 2.4 skips). A setting is its number `i` in the
columns of `settings/table.py`.
"""

from smartevse.core import policy
from smartevse.core.states import (
    CONFIG_SOCKET, LOADBL_FIRST_NODE, LOADBL_MASTER, LOADBL_STANDALONE, METER_API,
    METER_CUSTOM, METER_DISABLED, METER_HOMEWIZARD_P1, METER_SENSORBOX, MODE_NORMAL,
    MODE_SOLAR, WIFI_ENABLED,
)
from smartevse.settings import text_rules
from smartevse.settings.table import (
    DEFAULTS, F_ACTION, F_ADDR, F_AUTH_KEY, F_CB_ID, F_KW, F_NEG, F_OR_ZERO, F_PIN,
    F_SECRET, F_URL, F_ZERO_OFF, FLAGS, KEYS, LABELS, MAXS, MENU_COUNT, MINS, NODE_SHIFT,
    OPTIONS, SHOW_RULES, SHOW_SHIFT, UNIT_NAMES, UNIT_SHIFT,
)

_NO_LIVE = {}                                     # visible() without live facts
_SUFFIXED = ("A", "min", "C", "s", "W", "dA")     # units shown after the value: "16 A"


def index(key):
    """The number of setting `key` (exact storage key), or -1."""
    return KEYS.index(key) if key in KEYS else -1


def find(name):
    """The number of the setting whose key or LCD label is `name` (case-insensitive),
    or -1."""
    if not isinstance(name, str):
        return -1
    i = index(name.strip())
    if i >= 0:
        return i
    name = name.strip().lower()
    labels = LABELS.lower().split("|")
    for i in range(len(KEYS)):
        if KEYS[i].lower() == name or (i < MENU_COUNT and labels[i] == name):
            return i
    return -1


def field(text, n):
    """The n-th text of a "|"-joined list of the table (labels, option texts), or None
    when the list is shorter."""
    start = 0
    for _ in range(n):
        start = text.find("|", start) + 1
        if not start:
            return None
    end = text.find("|", start)
    return text[start:] if end < 0 else text[start:end]


def label(i):
    """The LCD label, or None for a setting without a menu item (1.5)."""
    return field(LABELS, i) if i < MENU_COUNT else None


def unit(i):
    return UNIT_NAMES[FLAGS[i] >> UNIT_SHIFT & 0xF]


def is_text(i):
    return unit(i) == "str"


def node_refused(i):
    """The value a node may not take (1.1, 1.4 rule 4), or -1."""
    return (FLAGS[i] >> NODE_SHIFT & 7) - 1


def name_of(i):
    """`LABEL (key)` for a menu setting, the key alone otherwise (in every message)."""
    text = label(i)
    return KEYS[i] if text is None else text + " (" + KEYS[i] + ")"


def allowed(i, value):
    """True when a number is inside the setting's limits; the values the menu skips
    are refused from every source too (1.1 notes)."""
    if value < MINS[i]:
        return value == 0 and bool(FLAGS[i] & F_OR_ZERO)
    if value > MAXS[i]:
        return False
    options = OPTIONS[i]                 # option(i, value) != "", one frame less (pystack)
    return options is None or field(options, value) != ""


def value_error(i, value):
    """None when `value` fits the setting on its own, else the message (any source)."""
    flags = FLAGS[i]
    if is_text(i):
        if not isinstance(value, str):
            return name_of(i) + " must be " + limits_text(i) + ", got " + repr(value)
        if flags & F_URL:
            return text_rules.backend_url_error(value)
        if flags & F_CB_ID:
            return text_rules.charge_box_id_error(value)
        if flags & F_AUTH_KEY:
            return text_rules.auth_key_error(value)
        if len(value) > MAXS[i] or not text_rules.printable(value):
            return name_of(i) + " must be " + limits_text(i) + ", got " + repr(value)
        return None
    if not isinstance(value, int) or not allowed(i, value):
        return name_of(i) + " must be " + limits_text(i) + ", got " + repr(value)
    return None


def limits_text(i, node=False):
    """Allowed values as text: `6..80 A`, `0 or 10..600 A`, `0, 2, 4 or 6`."""
    if is_text(i):
        return "at most " + str(MAXS[i]) + " printable ASCII characters"
    lo = MINS[i]
    hi = MAXS[i]
    refused = node_refused(i) if node else -1
    if FLAGS[i] & F_OR_ZERO:
        text = "0 or " + str(lo) + ".." + str(hi)
    elif OPTIONS[i] is None and refused < 0:
        text = str(lo) + ".." + str(hi)
    else:
        parts = []
        start = None
        for v in range(lo, hi + 2):          # option lists only: small ranges
            ok = v <= hi and allowed(i, v) and v != refused
            if ok and start is None:
                start = v
            elif not ok and start is not None:
                parts.append(str(start) if start == v - 1 else str(start) + ".." + str(v - 1))
                start = None
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
    suffix = " " + unit(i) if unit(i) in _SUFFIXED else ""
    return text + suffix + (" on a node" if node else "")


def option(i, value):
    """The option text of `value`: "" for a value the setting refuses (1.1), None when
    the setting has no text for it."""
    options = OPTIONS[i]
    return None if options is None or value < 0 else field(options, value)


def option_text(i, value):
    """The option text of `value` (meter names, EnableC2 ...), else the number as text."""
    return option(i, value) or str(value)


def option_value(i, text):
    """The value whose option text is `text` (case-insensitive), or -1."""
    options = OPTIONS[i]
    if options is not None:
        low = text.lower()
        texts = options.split("|")
        for value in range(len(texts)):
            if texts[value] and texts[value].lower() == low:
                return value
    return -1


def label_of(key, value):
    """What the menu's value line shows for `value` (1.1 "display"), e.g. `16 A`."""
    i = index(key)
    flags = FLAGS[i]
    if flags & F_ACTION:
        return "Create PIN"
    if is_text(i):
        if flags & F_SECRET:
            return "********" if value else ""
        return value
    if value == 0 and flags & F_ZERO_OFF:
        return "Disabled"
    text = option(i, value)
    if text:
        return text
    name = unit(i)
    if name == "rgb":
        return "%d,%d,%d" % ((value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF)
    if name == "10^x":
        return str(10 ** value)
    if flags & F_ADDR:
        return "%d (%02X)" % (value, value) if value < 0x1000 else "%d %X" % (value, value)
    if flags & F_PIN:
        return "%04d" % value
    if flags & F_KW:
        tenths = value // 100
        return "%d.%d kW" % (tenths // 10, tenths % 10)
    if flags & F_NEG:
        return "- %d A" % value
    return str(value) + (" " + name if name in _SUFFIXED else "")


def default(key):
    return DEFAULTS[index(key)]


# --- the menu (1.2, 2.3, 2.4) -------------------------------------------------------------

def visible(i, values, live=None):
    """True when the menu shows setting `i` (1.2). `live`: optional dict of non-stored
    facts: "sb_cts" (the Sensorbox reports CTs), "sb2_version" (int)."""
    if label(i) is None:
        return False
    rule = SHOW_RULES[FLAGS[i] >> SHOW_SHIFT & 0x1F]
    if not rule:
        return True
    mode = values["mode"]
    loadbl = values["loadbl"]
    mains = values["mains_meter_type"]
    ev = values["ev_meter_type"]
    dm = loadbl < LOADBL_FIRST_NODE
    mains_item = mode != MODE_NORMAL and dm
    live = live or _NO_LIVE
    if rule == "socket":
        return values["config"] == CONFIG_SOCKET
    if rule == "mains":
        return mains_item
    if rule == "grid":
        return mains_item and mains == METER_SENSORBOX and bool(live.get("sb_cts"))
    if rule == "sb2":
        return mains_item and mains == METER_SENSORBOX and live.get("sb2_version") in (1, 3)
    if rule == "mains_addr":
        return mains_item and mains not in (METER_DISABLED, METER_SENSORBOX, METER_API,
                                            METER_HOMEWIZARD_P1)
    if rule == "not_normal":
        return mode != MODE_NORMAL
    if rule == "ev_addr":
        return mode != MODE_NORMAL and ev != METER_DISABLED and ev != METER_API
    if rule == "custom":
        return mains_item and (mains == METER_CUSTOM or ev == METER_CUSTOM)
    if rule == "with_mm":
        return mains_item and mains != METER_DISABLED
    if rule == "circuit":
        return loadbl == LOADBL_MASTER or (loadbl == LOADBL_STANDALONE and mode != MODE_NORMAL
                                           and ev != METER_DISABLED)
    if rule == "solar":
        return mode == MODE_SOLAR and dm
    if rule == "wifi":
        return values["wifi_mode"] == WIFI_ENABLED
    if rule == "capacity":
        return mains != METER_DISABLED and dm
    if rule == "cap_stop":
        return mains != METER_DISABLED and dm and values["current_max_sum_mains"] != 0
    if rule == "master":
        return loadbl == LOADBL_MASTER
    if rule == "pin":
        return values["lcd_pin"] != 0        # WEB AUTH needs an LCD PIN (D3)
    raise ValueError("no visibility rule " + repr(rule))


def menu_allows(i, value, values):
    """True when the menu editor may stop on `value` (2.4 skips; MODES hides modes)."""
    if not allowed(i, value):
        return False
    if values["loadbl"] >= LOADBL_FIRST_NODE and value == node_refused(i):
        return False
    if KEYS[i] == "mode":
        return policy.mode_enabled(values["modes_disabled"], value)
    return True


def menu_next(i, value, up, values):
    """The value after `value` one step up or down, wrapping, skips jumped (2.3). The
    kW display of CAP PEAK edits in 0.1 kW, 100 W steps (1.1)."""
    step = 100 if FLAGS[i] & F_KW else 1
    lo = 0 if FLAGS[i] & F_OR_ZERO else MINS[i]
    hi = MAXS[i]
    v = value
    for _ in range((hi - lo) // step + 1):
        v = v + step if up else v - step
        if v > hi:
            v = lo
        elif v < lo:
            v = hi
        if menu_allows(i, v, values):
            return v
    return value
