"""The live settings: validation, parsing, display text, rules and the NVM payload.

Decides whether a value from any source (menu, REST, MQTT, Modbus) is accepted
(settings-and-menu.md 1.1, interfaces.md 1.5/2.4), what the menu shows for it (1.1
"display"), the validation rules on load and save (1.4) and the versioned, tagged
encoding of the settings record (6.1, 6.3). The schema rows live in
`smartevse/settings/table.py`; this module re-exports them.

Payload encoding (inside the NVM record of `smartevse/settings/nvm.py`): a run of fields
`nid (u8), length (u8), data`. Integers are little-endian signed, 1, 2, 4 or 8 bytes;
strings are ASCII. Unknown nids are skipped by their length, so old and new
firmware read each other's records (6.3).
"""

import struct

from micropython import const

from smartevse.settings.table import (  # noqa: F401  (re-exported schema)
    BY_KEY, DISP_ACTION, DISP_ADDR, DISP_KW, DISP_NEG, DISP_PIN, METER_DISABLED,
    METER_SENSORBOX, MODE_NORMAL, ROWS, RGB, TEXT, Setting, find, mode_allowed,
)

SCHEMA_VERSION = const(1)

_UNIT_TEXT = {"A": " A", "min": " min", "C": " C", "s": " s", "W": " W", "dA": " dA"}
_INT_FORMATS = ((1, "<b", -0x80, 0x7F), (2, "<h", -0x8000, 0x7FFF),
                (4, "<i", -0x80000000, 0x7FFFFFFF), (8, "<q", -(1 << 63), (1 << 63) - 1))
_FORMAT_BY_LEN = {1: "<b", 2: "<h", 4: "<i", 8: "<q"}
_STR_FORBIDDEN = {"ocpp_cb_id": "<>&\"'"}   # interfaces.md 1.5 ChargeBoxId
_SECRETS = ("mqtt_password", "ocpp_auth_key")
_CUSTOM_REGISTERS = ("emcustom_u_register", "emcustom_i_register", "emcustom_p_register",
                     "emcustom_e_register")
_BOOL_WORDS = {"on": 1, "off": 0, "true": 1, "false": 0, "yes": 1, "no": 0}

_BY_NID = {}
for _row in ROWS:
    if _row.nid:
        _BY_NID[_row.nid] = _row
del _row


def name_of(row):
    """`LABEL (key)` for a menu row, the key alone otherwise (used in every message)."""
    if row.label:
        return row.label + " (" + row.key + ")"
    return row.key


def limits_text(row, node=False):
    """Allowed values as text: `6..80 A`, `0 or 10..600 A`, `0, 2, 4 or 6`."""
    if row.unit == TEXT:
        return "at most " + str(row.maxlen) + " printable ASCII characters"
    bad = row.skip + row.node_skip if node else row.skip
    if not bad:
        text = str(row.min) + ".." + str(row.max)
    else:
        parts = []
        lo = None
        for v in range(row.min, row.max + 2):     # only rows with skips: small ranges
            ok = v <= row.max and v not in bad
            if ok and lo is None:
                lo = v
            elif not ok and lo is not None:
                parts.append(str(lo) if lo == v - 1 else str(lo) + ".." + str(v - 1))
                lo = None
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
    return text + _UNIT_TEXT.get(row.unit, "") + (" on a node" if node else "")


def _range_error(row, value, node):
    """The error text when `value` is outside the row's limits, else None."""
    if row.unit == TEXT:
        if not isinstance(value, str) or len(value) > row.maxlen or not _printable(value):
            return name_of(row) + " must be " + limits_text(row) + ", got " + repr(value)
        bad = _STR_FORBIDDEN.get(row.key, "")
        for ch in value:
            if ch in bad:
                return name_of(row) + " must not contain any of " + bad
        return None
    on_node = node and value in row.node_skip
    if (not _is_int(value) or value < row.min or value > row.max or value in row.skip
            or on_node):
        return name_of(row) + " must be " + limits_text(row, on_node) + ", got " + repr(value)
    return None


def _is_int(value):
    return isinstance(value, int)


def _printable(text):
    for ch in text:
        if ch < " " or ch > "~":
            return False
    return True


def _hex(value, digits):
    text = "%X" % value
    return "0" * (digits - len(text)) + text


def label_of(key, value):
    """What the menu's value line shows for `value` (1.1 "display"), e.g. `16 A`."""
    row = BY_KEY[key]
    if row.disp == DISP_ACTION:
        return "Create PIN"
    if row.unit == TEXT:
        if key in _SECRETS:
            return "********" if value else ""
        return value
    if value == 0 and row.zero:
        return row.zero
    if row.options is not None and 0 <= value < len(row.options) and row.options[value]:
        return row.options[value]
    if row.unit == RGB:
        return "%d,%d,%d" % ((value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF)
    if row.unit == "10^x":
        return str(10 ** value)
    if row.disp == DISP_ADDR:
        if value < 0x1000:
            return "%d (%s)" % (value, _hex(value, 2))
        return "%d %X" % (value, value)
    if row.disp == DISP_PIN:
        return "%04d" % value
    if row.disp == DISP_KW:
        tenths = value // 100
        return "%d.%d kW" % (tenths // 10, tenths % 10)
    if row.disp == DISP_NEG:
        return "- %d A" % value
    return str(value) + _UNIT_TEXT.get(row.unit, "")


class Settings:
    """Every stored setting as `values[key]`, in the storage unit of its row."""

    def __init__(self):
        self.values = {}
        self.dirty = False
        # Rule 1.4.3: set when RFID = DeleteAll was validated; the RFID module erases
        # its list and clears this flag.
        self.rfid_erase_pending = False
        self.reset()

    def reset(self):
        """All values back to their defaults (the dict object is kept)."""
        for row in ROWS:
            if row.nid:
                self.values[row.key] = row.default

    # --- checking and parsing -----------------------------------------------------

    def validate(self, key, value):
        """None when `value` is acceptable for `key`, else the error text (no change)."""
        row = BY_KEY.get(key)
        if row is None:
            return "unknown setting " + repr(key)
        if not row.nid:
            return name_of(row) + " is an action, not a stored setting"
        error = _range_error(row, value, self.values["loadbl"] >= 2)
        if error is None and key == "auth_mode" and value == 1 and self.values["lcd_pin"] == 0:
            error = name_of(row) + " cannot be Required while LCD PIN is 0000 (D3)"
        return error

    def set(self, key, value):
        """Validate and store one value, marking the settings dirty; None or error."""
        error = self.validate(key, value)
        if error is None and self.values[key] != value:
            self.values[key] = value
            self.dirty = True
        return error

    def parse(self, key, value):
        """(value, None) from user input, or (None, error). `key` may be the LCD label.
        Numbers are in the storage unit (A, min, s, W ...), int, float or text; enums
        also take their option text (case-insensitive); colours take `R,G,B`."""
        row = find(key)
        if row is None:
            return None, "unknown setting " + repr(key)
        parsed = value
        if row.unit != TEXT:
            parsed = self._parse_number(row, value)
            if parsed is None:
                return None, (name_of(row) + " must be " + limits_text(row) + ", got "
                              + repr(value))
        error = self.validate(row.key, parsed)
        if error:
            return None, error
        return parsed, None

    @staticmethod
    def _parse_number(row, value):
        if isinstance(value, float):
            return _whole(value)
        if _is_int(value):
            return int(value)
        if not isinstance(value, str):
            return None
        text = value.strip()
        low = text.lower()
        if row.options is not None:
            for index in range(len(row.options)):
                option = row.options[index]
                if option is not None and option.lower() == low:
                    return index
        if row.unit == "bool" and low in _BOOL_WORDS:
            return _BOOL_WORDS[low]
        if row.unit == RGB and text.count(",") == 2:
            return _parse_rgb(text)
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return None
        return _whole(number)

    # --- validation on load and save (1.4) ----------------------------------------

    def apply_rules(self):
        """Apply rules 1, 2, 4, 5, 6, 7 of 1.4 (and D3); signal rule 3. Returns notes."""
        notes = []
        v = self.values
        for row in ROWS:
            if row.nid and _range_error(row, v[row.key], False) is not None:
                notes.append(name_of(row) + " " + repr(v[row.key]) + " is outside "
                             + limits_text(row) + ", reset to " + repr(row.default))
                self._force(row.key, row.default)
        if v["mains_meter_type"] == METER_SENSORBOX and v["mains_meter_address"] != 10:
            self._force("mains_meter_address", 10)
            notes.append("MAINS ADR (mains_meter_address) set to 10 for the Sensorbox")
        if v["rfid_reader"] == 5:
            self._force("rfid_reader", 0)
            self.rfid_erase_pending = True
            notes.append("RFID (rfid_reader) DeleteAll: card list to be erased, RFID Disabled")
        if v["loadbl"] >= 2 and v["enable_C2"] == 4:
            self._force("enable_C2", 0)
            notes.append("CONTACT 2 (enable_C2) Auto is not allowed on a node: Not present")
        if v["emcustom_function"] != 3 and v["emcustom_function"] != 4:
            self._force("emcustom_function", 4)
        for key in _CUSTOM_REGISTERS:
            if v[key] == 8:
                notes.append("legacy custom meter layout: FLOAT32, registers 0")
                self._force("emcustom_datatype", 1)
                for reg in _CUSTOM_REGISTERS:
                    self._force(reg, 0)
                break
        mode = v["mode"]
        no_meter = v["mains_meter_type"] == METER_DISABLED and v["loadbl"] < 2
        if mode != MODE_NORMAL and (no_meter or not mode_allowed(mode, v["modes_disabled"])):
            self._force("mode", MODE_NORMAL)
            notes.append("MODE (mode) not allowed here, set to Normal")
        if v["auth_mode"] == 1 and v["lcd_pin"] == 0:
            self._force("auth_mode", 0)
            notes.append("WEB AUTH (auth_mode) needs an LCD PIN: set to Off")
        return notes

    def _force(self, key, value):
        if self.values[key] != value:
            self.values[key] = value
            self.dirty = True

    # --- NVM payload (6.1, 6.3) ---------------------------------------------------

    def encode(self):
        """The settings record payload: every stored row as nid, length, data."""
        out = bytearray()
        for row in ROWS:
            if not row.nid:
                continue
            value = self.values[row.key]
            if row.unit == TEXT:
                data = value.encode()
            else:
                data = _pack_int(value)
            out.append(row.nid)
            out.append(len(data))
            out.extend(data)
        return bytes(out)

    def decode(self, payload, version):
        """Load values from a payload of schema `version`; never raises (6.3).
        Missing fields get their defaults, unknown fields are skipped, bad fields
        keep the default. Leaves `dirty` False. Returns notes for the log."""
        notes = []
        self.reset()
        if version > SCHEMA_VERSION:
            notes.append("settings from newer firmware (schema %d > %d): unknown fields "
                         "ignored, not written back until a change" % (version, SCHEMA_VERSION))
        unknown = 0
        bad = 0
        pos = 0
        end = len(payload)
        while pos < end:
            if pos + 2 > end or pos + 2 + payload[pos + 1] > end:
                notes.append("settings record truncated at byte %d" % pos)
                break
            nid = payload[pos]
            size = payload[pos + 1]
            data = bytes(payload[pos + 2:pos + 2 + size])
            pos += 2 + size
            row = _BY_NID.get(nid)
            if row is None:
                unknown += 1
            elif not self._load_field(row, data):
                bad += 1
        if unknown:
            notes.append("%d unknown settings fields ignored" % unknown)
        if bad:
            notes.append("%d unreadable settings fields set to defaults" % bad)
        self.dirty = False
        return notes

    def _load_field(self, row, data):
        if row.unit == TEXT:
            try:
                text = data.decode()
            except UnicodeError:
                return False
            self.values[row.key] = text
            return True
        fmt = _FORMAT_BY_LEN.get(len(data))
        if fmt is None:
            return False
        self.values[row.key] = struct.unpack(fmt, data)[0]
        return True


def _pack_int(value):
    for size, fmt, lo, hi in _INT_FORMATS:
        if lo <= value <= hi:
            return struct.pack(fmt, value)
    raise ValueError("integer setting out of 64-bit range")


def _whole(number):
    """A float that is a whole number -> int; None for fractions, NaN and infinity
    (int() of those raises, and "inf" is valid TOML and CLI input)."""
    if number - number != 0:        # NaN or +-infinity
        return None
    return int(number) if number == int(number) else None


def _parse_rgb(text):
    """`R,G,B` (0..255 each) -> 0xRRGGBB, or None."""
    rgb = 0
    for part in text.split(","):
        try:
            channel = int(part.strip())
        except ValueError:
            return None
        if channel < 0 or channel > 255:
            return None
        rgb = (rgb << 8) | channel
    return rgb
