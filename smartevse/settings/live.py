"""The live settings: validation, parsing, the rules on load and save, the NVM payload.

Decides whether a value from any source (menu, REST, MQTT, Modbus) is accepted
(settings-and-menu.md 1.1, 1.4; interfaces.md 1.5), which settings constrain each other
(MODE and its mains meter and MODES, WEB AUTH and the LCD PIN, the values a node
refuses, OCPP texts needing OCPP), the validation rules on load and save (1.4) and the
versioned, tagged encoding of the settings record (6.1, 6.3). The schema is
`settings/table.py`; what one setting allows is `settings/facts.py`.

Payload encoding (inside the NVM record of `smartevse/settings/nvm.py`): a run of fields
`nid (u8), length (u8), data`. Integers are little-endian signed, 1, 2, 4 or 8 bytes;
strings are ASCII. Unknown nids are skipped by their length, so old and new
firmware read each other's records (6.3).
"""

import struct

from micropython import const

from smartevse.core import policy
from smartevse.core.states import (
    AUTH_OFF, AUTH_REQUIRED, C2_AUTO, C2_NOT_PRESENT, CUSTOM_FLOAT32, CUSTOM_FUNCTION_HOLDING,
    CUSTOM_FUNCTION_INPUT, LOADBL_FIRST_NODE, METER_SENSORBOX, MODE_NORMAL, RFID_DELETE_ALL,
    RFID_DISABLED, SENSORBOX_ADDRESS,
)
from smartevse.settings import facts
from smartevse.settings.table import COUNT, DEFAULTS, KEYS, NIDS, R_NEEDS_OCPP, RESTS

SCHEMA_VERSION = const(1)
OCPP_NOT_ENABLED = "Can only update when OCPP enabled"      # interfaces.md 1.5

_INT_FORMATS = ((1, "<b", -0x80, 0x7F), (2, "<h", -0x8000, 0x7FFF),
                (4, "<i", -0x80000000, 0x7FFFFFFF), (8, "<q", -(1 << 63), (1 << 63) - 1))
_FORMAT_BY_LEN = {1: "<b", 2: "<h", 4: "<i", 8: "<q"}
_CUSTOM_REGISTERS = ("emcustom_u_register", "emcustom_i_register", "emcustom_p_register",
                     "emcustom_e_register")
_LEGACY_REGISTER = const(8)       # 1.4 rule 6: very old firmware stored another layout
_BOOL_WORDS = {"on": 1, "off": 0, "true": 1, "false": 0, "yes": 1, "no": 0}


def cross_error(key, value, values, node):
    """None when `value` for `key` fits the other settings `values` (a whole change set
    already applied to them), else the message. `node`: the controller is a node now,
    so it refuses CONTACT 2 Auto and SWITCH Grid Relay (1.1; a set that makes it a node
    gets them replaced by rule 4 instead)."""
    i = facts.index(key)
    if node and value == facts.node_refused(i):
        return facts.name_of(i) + " must be " + facts.limits_text(i, True) + ", got " \
            + repr(value)
    if key == "mode":
        return policy.mode_error(values, value)
    if key == "auth_mode" and value == AUTH_REQUIRED and values["lcd_pin"] == 0:
        return facts.name_of(i) + " cannot be Required while LCD PIN is 0000 (D3)"
    if RESTS[i] & R_NEEDS_OCPP and not values["ocpp_mode"]:
        return OCPP_NOT_ENABLED
    return None


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
        for i in range(COUNT):
            if NIDS[i]:
                self.values[KEYS[i]] = DEFAULTS[i]

    def is_node(self):
        return self.values["loadbl"] >= LOADBL_FIRST_NODE

    # --- checking and parsing -----------------------------------------------------

    def validate(self, key, value):
        """None when `value` is acceptable for `key` now, else the error (no change)."""
        i = facts.index(key)
        if i < 0:
            return "unknown setting " + repr(key)
        if not NIDS[i]:
            return facts.name_of(i) + " is an action, not a stored setting"
        return facts.value_error(i, value) or cross_error(key, value, self.values,
                                                          self.is_node())

    def stored_ok(self, key, value):
        """True when `value` may stay stored (1.4 rule 1): inside its limits, or the
        default (an empty ChargeBoxId or URL is "not configured", not an error)."""
        i = facts.index(key)
        return value == DEFAULTS[i] or facts.value_error(i, value) is None

    def set(self, key, value):
        """Validate and store one value, marking the settings dirty; None or error.
        No side effects: changes from outside go through `changes.apply`."""
        error = self.validate(key, value)
        if error is None:
            self.store(key, value)
        return error

    def store(self, key, value):
        """Store an accepted value; marks the settings dirty when it changed."""
        if self.values[key] != value:
            self.values[key] = value
            self.dirty = True

    def parse(self, name, value):
        """(value, None) from user input, or (None, error). `name` may be the LCD label.
        Numbers are in the storage unit (A, min, s, W ...), int, float or text; options
        also by their text (case-insensitive); colours `R,G,B`. Checks the value on its
        own; how it fits the other settings is the apply path's (`changes.apply`)."""
        i = facts.find(name)
        if i < 0:
            return None, "unknown setting " + repr(name)
        parsed = value
        if not facts.is_text(i):
            parsed = _parse_number(i, value)
            if parsed is None:
                return None, (facts.name_of(i) + " must be " + facts.limits_text(i)
                              + ", got " + repr(value))
        error = facts.value_error(i, parsed) if NIDS[i] else self.validate(KEYS[i], parsed)
        if error:
            return None, error
        return parsed, None

    # --- validation on load and save (1.4) ----------------------------------------

    def apply_rules(self):
        """Apply rules 1, 2, 4, 5, 6, 7 of 1.4 (and D3); signal rule 3. Returns notes."""
        notes = []
        v = self.values
        for i in range(COUNT):
            if not NIDS[i]:
                continue
            key = KEYS[i]
            value = v[key]       # stored_ok() inlined: one frame less under REST (pystack)
            if value != DEFAULTS[i] and facts.value_error(i, value) is not None:
                notes.append(facts.name_of(i) + " " + repr(v[key]) + " is outside "
                             + facts.limits_text(i) + ", reset to " + repr(DEFAULTS[i]))
                self.store(key, DEFAULTS[i])
        if (v["mains_meter_type"] == METER_SENSORBOX
                and v["mains_meter_address"] != SENSORBOX_ADDRESS):
            self.store("mains_meter_address", SENSORBOX_ADDRESS)
            notes.append("MAINS ADR (mains_meter_address) set to 10 for the Sensorbox")
        if v["rfid_reader"] == RFID_DELETE_ALL:
            self.store("rfid_reader", RFID_DISABLED)
            self.rfid_erase_pending = True
            notes.append("RFID (rfid_reader) DeleteAll: card list to be erased, RFID Disabled")
        if self.is_node() and v["enable_C2"] == C2_AUTO:
            self.store("enable_C2", C2_NOT_PRESENT)
            notes.append("CONTACT 2 (enable_C2) Auto is not allowed on a node: Not present")
        if v["emcustom_function"] not in (CUSTOM_FUNCTION_HOLDING, CUSTOM_FUNCTION_INPUT):
            self.store("emcustom_function", CUSTOM_FUNCTION_INPUT)
        for key in _CUSTOM_REGISTERS:
            if v[key] == _LEGACY_REGISTER:
                notes.append("legacy custom meter layout: FLOAT32, registers 0")
                self.store("emcustom_datatype", CUSTOM_FLOAT32)
                for reg in _CUSTOM_REGISTERS:
                    self.store(reg, 0)
                break
        if v["mode"] != MODE_NORMAL and policy.mode_error(v, v["mode"]) is not None:
            self.store("mode", MODE_NORMAL)
            notes.append("MODE (mode) not allowed here, set to Normal")
        if v["auth_mode"] == AUTH_REQUIRED and v["lcd_pin"] == 0:
            self.store("auth_mode", AUTH_OFF)
            notes.append("WEB AUTH (auth_mode) needs an LCD PIN: set to Off")
        return notes

    # --- NVM payload (6.1, 6.3) ---------------------------------------------------

    def encode(self):
        """The settings record payload: every stored setting as nid, length, data."""
        out = bytearray()
        for i in range(COUNT):
            if not NIDS[i]:
                continue
            value = self.values[KEYS[i]]
            data = value.encode() if facts.is_text(i) else _pack_int(value)
            out.append(NIDS[i])
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
            i = NIDS.find(bytes((nid,))) if nid else -1
            if i < 0:
                unknown += 1
            elif not self._load_field(i, data):
                bad += 1
        if unknown:
            notes.append("%d unknown settings fields ignored" % unknown)
        if bad:
            notes.append("%d unreadable settings fields set to defaults" % bad)
        self.dirty = False
        return notes

    def _load_field(self, i, data):
        if facts.is_text(i):
            try:
                text = data.decode()
            except UnicodeError:
                return False
            self.values[KEYS[i]] = text
            return True
        fmt = _FORMAT_BY_LEN.get(len(data))
        if fmt is None:
            return False
        self.values[KEYS[i]] = struct.unpack(fmt, data)[0]
        return True


def _parse_number(i, value):
    if isinstance(value, float):
        return _whole(value)
    if isinstance(value, int):
        return int(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    option = facts.option_value(i, text)
    if option >= 0:
        return option
    unit = facts.unit(i)
    low = text.lower()
    if unit == "bool" and low in _BOOL_WORDS:
        return _BOOL_WORDS[low]
    if unit == "rgb" and text.count(",") == 2:
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
