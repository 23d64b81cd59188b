"""The schema of every setting: one line each (settings-and-menu.md 1.1, 1.2, 1.5;
interfaces.md 1.4, 1.5).

Decides, per setting, its limits, default, option texts, scope, menu visibility, NVM
field id and what REST does with it. Menu items, the generic apply path (REST, MQTT,
menu), GET /settings and the NVM record all come from this one table (architecture.md
"One table for all settings"); `settings/live.py` reads it, the help texts live in
`settings/help.py`.

Stored as columns: setting number `i` is `KEYS[i]`, `MINS[i]`, `FLAGS[i]` ... The rows
below are written one per setting and turned into these columns at import. MicroPython
ignores `__slots__`, so an object per row cost a dict each (43 KB live under MicroPython
1.27); a column of small ints costs 4 bytes a row (`bytes`: 1). Keys are interned once
and shared with every `values["key"]` literal; the texts only the menu and REST show
(LCD labels, option texts) are "|"-joined strings read by `settings/facts.py`: a
literal of up to 10 characters would be a qstr each, a longer one costs its bytes
once (architecture.md "Device budget"). Flags are bits of one int; the visibility rule
and the unit are short strings, interned once however many rows share them.

`NIDS[i]` is the field id in the NVM record: it never changes and is never reused.
Menu rows use their menu position (1..47; 35 is free because APP PIN is an action and
not stored), persisted rows without a menu item start at 64. A new setting takes the
next free id.
"""

from micropython import const

# FLAGS: the scope (settings-and-menu.md 0; node = neither bit) ...
F_SYSTEM = const(0x1)
F_MASTER = const(0x2)
# ... limits and display beyond "<value> <unit>" ...
F_ZERO_OFF = const(0x4)       # 0 shows "Disabled"
F_OR_ZERO = const(0x8)        # 0 is allowed too: "0 or MIN..MAX" (the menu skips 1..MIN-1)
F_NEG = const(0x10)           # START: shown negative, "- 4 A"
F_KW = const(0x20)            # CAP PEAK: W shown as "x.y kW", so the menu steps 100 W
F_ADDR = const(0x40)          # "10 (0A)", from 0x1000 up "4096 1000"
F_PIN = const(0x80)           # four digits "0000"
F_ACTION = const(0x100)       # APP PIN: "Create PIN", not stored
F_SECRET = const(0x200)       # never shown or returned: "********", GET `<name>_set`
# ... the rule of a text row (settings/text_rules.py; other texts: printable ASCII) ...
F_URL = const(0x400)
F_CB_ID = const(0x800)
F_AUTH_KEY = const(0x1000)
# ... bits 13-15: the value a node refuses, plus one (0 = none): CONTACT 2 Auto, SWITCH
# Grid Relay (1.1, 1.4 rule 4); bits 16-19: the unit, an index into UNIT_NAMES; bits
# 20-24: the menu visibility rule (1.2), an index into SHOW_RULES.
NODE_SHIFT = const(13)
UNIT_SHIFT = const(16)
SHOW_SHIFT = const(20)
# Units (1.1 "unit"; the storage unit is the display unit): "A" ... "dA" are shown after
# the value ("16 A"); "str" is a text of at most MAXS[i] printable ASCII characters.
UNIT_NAMES = ("enum", "-", "A", "min", "C", "s", "W", "dA", "bool", "reg", "10^x", "mask",
              "str", "rgb")
# The visibility rules of the "shown when" column (1.2), decided by facts.visible.
SHOW_RULES = ("", "socket", "mains", "grid", "sb2", "mains_addr", "not_normal", "ev_addr",
              "custom", "with_mm", "circuit", "solar", "wifi", "capacity", "cap_stop",
              "master", "pin")

# REST (interfaces.md 1.4, 1.5): where a parameter is taken and how it is answered
R_POST = const(0x1)               # POST /settings takes it (the main part of 1.5)
R_GET = const(0x2)                # GET /settings shows it in `settings`
R_MASTER = const(0x4)             # set on the master: a node refuses it from REST and MQTT
R_QUIET = const(0x8)              # a refused value gets no answer (lcdlock ...)
R_PUBLISH = const(0x10)           # taken from any request without an answer (MQTT publish)
R_MQTT = const(0x20)              # the `mqtt` block: GET `mqtt.<name>`, POST with mqtt_update=1
R_OCPP = const(0x40)              # the `ocpp` block: GET `ocpp.<name>`, POST with ocpp_update=1
R_NEEDS_OCPP = const(0x80)        # "Can only update when OCPP enabled" otherwise
R_ANSWER_OK = const(0x100)        # answers true / false under its REST name (upstream)
R_AS_BOOL = const(0x200)          # shown and answered as true / false
R_AS_ENABLED = const(0x400)       # shown as "Enabled" / "Disabled"
R_AS_OPTION = const(0x800)        # shown by its option text (answered under `settings`)
R_RANGE_TEXT = const(0x1000)      # refused with "Value not allowed! (min-max)"
R_OWN_TEXT = const(0x2000)        # refused with the text rule's message
R_FLAG_ONE = const(0x4000)        # "1" sets it, anything else clears it
R_NONZERO = const(0x8000)         # any non-zero number sets it to 1
R_ZERO_DEFAULT = const(0x10000)   # 0 reads as the default
R_EMPTY_KEEPS = const(0x20000)    # empty or the password placeholder keeps the stored one
R_EMPTY_SERIAL = const(0x40000)   # empty means the serial-number name
R_MODE = const(0x80000)           # the REST mode numbering of 0.3 (0 OFF ... 4 PAUSE)
R_ANSWER_SET = const(0x100000)    # answers `<key>_set`: true / false, never the value

MQTT_CA_CERT_PATH = "/certs/mqtt_ca.pem"   # a PEM does not fit NVM: a file on CIRCUITPY

# --- option texts (1.1 "display / options"; meter names modbus.md 8.2) -----------------
# One string per list: the texts of the values 0, 1, ... joined by "|"; an empty text is a
# value the setting refuses (the menu skips it). MicroPython interns a literal of up to 10
# characters as a qstr each; one longer string costs its bytes once (`facts.option` reads it).
_OFF_ON = "Disabled|Enabled"
_METERS = ("Disabled|Sensorbox|Phoenix C|Finder 7E|Eastron3P|InvEastrn|ABB|SolarEdge|WAGO|"
           "API|Eastron1P|Finder 7M|Sinotimer|HmWzrd P1|Schneider|Chint|C.Gavazzi|Orno 3P|"
           "Orno 1P|Custom|AcrelEVL2|AcrelMain")
# EV METER: the Sensorbox and the HomeWizard P1 measure mains only (1.1: skipped, refused)
_EV_METERS = _METERS.replace("|Sensorbox|", "||").replace("|HmWzrd P1|", "||")
_WIFI_MODES = "Disabled|Enabled|SetupWifi"

_POST_M = const(R_POST | R_GET | R_MASTER)
_POST = const(R_POST | R_GET)
_FLAG = const(R_POST | R_GET | R_QUIET)
_OCPP_TEXT = const(R_OCPP | R_NEEDS_OCPP)


def _r(nid, unit, lo, hi, options=None, flags=0, show="", node_refuses=None, rest=0,
       rest_name=None, **key_default):
    """One row: `_r(nid, unit, min, max, key=default, ...)`. The key is a keyword name so
    that MicroPython interns it: it costs its characters once in the qstr pool instead of
    a str object, and every `values["key"]` literal compiled later reuses it (plain
    scalars, not a tuple literal, also keep a compiled .mpy small). `unit` is one of
    UNIT_NAMES, `show` one of SHOW_RULES, `node_refuses` the option text of the value a
    node may not take."""
    refused = -1 if node_refuses is None else options.split("|").index(node_refuses)
    flags |= ((refused + 1) << NODE_SHIFT | UNIT_NAMES.index(unit) << UNIT_SHIFT
              | SHOW_RULES.index(show) << SHOW_SHIFT)
    for key in key_default:
        if rest_name is not None:
            REST_NAMES[key] = rest_name
        return (key, nid, lo, hi, key_default[key], options, flags, rest)


REST_NAMES = {}     # key -> its name on the wire where it differs from the key

# The menu (1.1) is the first rows below, in order: row i shows the i-th label (its NVM id
# is its menu position, 1..47; APP PIN, 35, is an action and not stored).
LABELS = ("MODE|CONFIG|LOCK|PWR SHARE|MAINS MET|GRID|SB2 WIFI|MAINS ADR|EV METER|"  # 1-9
          "EV ADDR|BYTE ORD|DATA TYPE|FUNCTION|VOL REGI|VOL DIVI|CUR REGI|CUR DIVI|"    # 10-17
          "POW REGI|POW DIVI|ENE REGI|ENE DIVI|MAINS|MIN|MAX|CIRCUIT|START|STOP|"       # 18-27
          "IMPORT|CONTACT 2|SWITCH|RCMON|RFID|WIFI|AUTOUPDAT|APP PIN|APP SERVR|"        # 28-36
          "MAX TEMP|CAPACITY|CAP STOP|CAP PEAK|PRIORITY|ROTATION|IDLE TMO|LCD PIN|"     # 37-44
          "LED MODE|MODES|WEB AUTH")                                                    # 45-47
MENU_COUNT = LABELS.count("|") + 1

_ROWS = (
    # nid, unit, min, max, key=default, then what differs; the menu's items first (LABELS)
    _r(1, "enum", 0, 2, mode=0, options="Normal|Smart|Solar", flags=F_SYSTEM,
       rest=R_POST | R_MODE),
    _r(2, "enum", 0, 1, config=0, options="Socket|Fixed"),
    _r(3, "enum", 0, 2, lock=0, options="Disabled|Solenoid|Motor",
       show="socket", rest=R_GET),
    _r(4, "enum", 0, 8, loadbl=0,
       options="Disabled|Master|Node 1|Node 2|Node 3|Node 4|Node 5|Node 6|Node 7"),
    _r(5, "enum", 0, 21, mains_meter_type=1, options=_METERS, flags=F_SYSTEM,
       show="mains", rest=R_GET | R_AS_OPTION, rest_name="mains_meter"),
    _r(6, "enum", 0, 1, grid=0, options="4Wire|3Wire", flags=F_SYSTEM, show="grid"),
    _r(7, "enum", 0, 2, sb2_wifi_mode=0, options=_WIFI_MODES, flags=F_SYSTEM,
       show="sb2"),
    _r(8, "-", 10, 247, mains_meter_address=10, flags=F_SYSTEM | F_ADDR,
       show="mains_addr"),
    _r(9, "enum", 0, 21, ev_meter_type=0, options=_EV_METERS, show="not_normal"),
    _r(10, "-", 11, 247, ev_meter_address=12, flags=F_ADDR, show="ev_addr"),
    _r(11, "enum", 0, 3, emcustom_endianness=0,
       options="LBF & LWF|LBF & HWF|HBF & LWF|HBF & HWF", flags=F_SYSTEM,
       show="custom"),
    _r(12, "enum", 0, 2, emcustom_datatype=0,
       options="INT32|FLOAT32|INT16", flags=F_SYSTEM, show="custom"),
    _r(13, "enum", 3, 4, emcustom_function=4,
       options="|||3:Hold. Reg|4:Input Reg", flags=F_SYSTEM, show="custom"),
    _r(14, "reg", 0, 65530, emcustom_u_register=0, flags=F_SYSTEM | F_ADDR,
       show="custom"),
    _r(15, "10^x", 0, 7, emcustom_u_divisor=0, flags=F_SYSTEM, show="custom"),
    _r(16, "reg", 0, 65530, emcustom_i_register=0, flags=F_SYSTEM | F_ADDR,
       show="custom"),
    _r(17, "10^x", 0, 7, emcustom_i_divisor=0, flags=F_SYSTEM, show="custom"),
    _r(18, "reg", 0, 65534, emcustom_p_register=0, flags=F_SYSTEM | F_ADDR,
       show="custom"),
    _r(19, "10^x", 0, 7, emcustom_p_divisor=0, flags=F_SYSTEM, show="custom"),
    _r(20, "reg", 0, 65534, emcustom_e_register=0, flags=F_SYSTEM | F_ADDR,
       show="custom"),
    _r(21, "10^x", 0, 7, emcustom_e_divisor=0, flags=F_SYSTEM, show="custom"),
    _r(22, "A", 10, 200, current_main=25, flags=F_SYSTEM, show="with_mm", rest=R_GET),
    _r(23, "A", 6, 16, current_min=6, show="with_mm", rest=_POST_M),
    _r(24, "A", 6, 80, current_max=13, rest=R_GET),
    _r(25, "A", 10, 160, current_max_circuit=16, flags=F_SYSTEM, show="circuit",
       rest=R_GET),
    _r(26, "A", 0, 48, solar_start_current=4, flags=F_SYSTEM | F_NEG, show="solar",
       rest=_POST_M),
    _r(27, "min", 0, 60, solar_stop_time=10, flags=F_SYSTEM | F_ZERO_OFF, show="solar",
       rest=_POST_M | R_ANSWER_OK, rest_name="stop_timer"),
    _r(28, "A", 0, 48, solar_max_import=0, flags=F_SYSTEM, show="solar", rest=_POST_M),
    _r(29, "enum", 0, 4, enable_C2=3, options="Not present|Always Off|Solar Off|Always On|Auto",
       show="not_normal", node_refuses="Auto", rest=_POST | R_AS_OPTION),
    _r(30, "enum", 0, 7, switch=0,
       options="Disabled|Access B|Access S|Sma-Sol B|Sma-Sol S|Grid Relay|Custom B|Custom S",
       node_refuses="Grid Relay"),
    _r(31, "bool", 0, 1, rcmon=0, options=_OFF_ON),
    _r(32, "enum", 0, 6, rfid_reader=0,
       options="Disabled|EnableAll|EnableOne|Learn|Delete|DeleteAll|Rmt/OCPP"),
    _r(33, "enum", 0, 2, wifi_mode=0, options=_WIFI_MODES),
    _r(34, "bool", 0, 1, auto_update=0, options=_OFF_ON, show="wifi"),
    _r(0, "-", 0, 1, app_pairing=0, flags=F_ACTION, show="wifi"),
    _r(36, "bool", 0, 1, app_server=0, options=_OFF_ON, show="wifi"),
    _r(37, "C", 40, 75, temp_max=65),
    _r(38, "A", 10, 600, current_max_sum_mains=0,
       flags=F_SYSTEM | F_ZERO_OFF | F_OR_ZERO, show="capacity", rest=_POST_M),
    _r(39, "min", 0, 60, max_sum_mains_time=0, flags=F_SYSTEM | F_ZERO_OFF,
       show="cap_stop", rest=_POST_M, rest_name="max_sum_mains_timer"),
    _r(40, "W", 0, 25000, capacity_limit=0, flags=F_SYSTEM | F_ZERO_OFF | F_KW,
       show="capacity", rest=_POST | R_RANGE_TEXT),
    _r(41, "enum", 0, 2, prio_strategy=0,
       options="Modbus Adr|First Conn|Last Conn", flags=F_MASTER, show="master",
       rest=_POST_M),
    _r(42, "min", 30, 1440, rotation_interval=0,
       flags=F_MASTER | F_ZERO_OFF | F_OR_ZERO, show="master", rest=_POST_M),
    _r(43, "s", 30, 300, idle_timeout=60, flags=F_MASTER, show="master",
       rest=_POST_M),
    _r(44, "-", 0, 9999, lcd_pin=0, flags=F_PIN),
    _r(45, "enum", 0, 1, ledmode=0, options="Standard|Public", rest=R_GET),
    _r(46, "mask", 0, 6, modes_disabled=0,
       options="All modes||No Smart||No Solar||Norml only", rest=_POST),
    _r(47, "enum", 0, 1, auth_mode=0, options="Off|Required", show="pin",
       rest=R_GET),

    # persisted, no menu item (1.5; ranges interfaces.md 1.5 / 2.4, charging.md 10)
    _r(64, "enum", 0, 2, access=1, options="OFF|ON|PAUSE"),
    _r(65, "-", 0, 99, card_offset=0),
    _r(66, "s", 0, 0xFFFFFFFF, starttime=0, rest=R_GET),
    _r(67, "s", 0, 0xFFFFFFFF, stoptime=0, rest=R_GET),
    _r(68, "bool", 0, 1, repeat=0, options=_OFF_ON, rest=R_GET),
    _r(69, "bool", 0, 1, lcdlock=0, options=_OFF_ON, rest=_FLAG),
    _r(70, "bool", 0, 1, cablelock=0, options=_OFF_ON, rest=_FLAG),
    _r(71, "enum", 0, 21, circuit_meter_type=0, options=_METERS, flags=F_SYSTEM,
       rest=R_GET),
    _r(72, "-", 10, 247, circuit_meter_address=14, flags=F_SYSTEM | F_ADDR, rest=R_GET),
    _r(73, "A", 10, 600, max_circuit_mains=0, flags=F_MASTER | F_ZERO_OFF | F_OR_ZERO,
       rest=_POST_M),
    _r(74, "-", 1, 20, ramp_rate_divisor=4, rest=_POST),
    _r(75, "-", 0, 100, ema_alpha=100, rest=_POST),
    _r(76, "dA", 0, 50, smart_deadband=10, rest=_POST),
    _r(77, "dA", 0, 100, max_ramp_rate=30, rest=_POST),
    _r(78, "-", 0, 20, oscillation_boost_max=10, rest=_POST),
    _r(79, "-", 1, 4, idiff_ema_weight=1, rest=_POST),
    _r(80, "bool", 0, 1, linky_hp_bypass=0, options=_OFF_ON, rest=_FLAG),
    _r(81, "bool", 0, 1, linky_failsafe=0, options=_OFF_ON, rest=_FLAG),
    _r(82, "s", 10, 3600, mains_meter_timeout=120, flags=F_ZERO_OFF | F_OR_ZERO,
       rest=_POST_M),
    _r(83, "str", 0, 64, mqtt_host="", rest=R_MQTT),
    _r(84, "-", 1, 65535, mqtt_port=1883, rest=R_MQTT | R_ZERO_DEFAULT),
    _r(85, "str", 0, 64, mqtt_topic_prefix="", rest=R_MQTT | R_EMPTY_SERIAL),
    _r(86, "str", 0, 64, mqtt_username="", rest=R_MQTT),
    _r(87, "str", 0, 64, mqtt_password="", flags=F_SECRET,
       rest=R_MQTT | R_EMPTY_KEEPS | R_ANSWER_SET),
    _r(88, "bool", 0, 1, mqtt_tls=0, options=_OFF_ON, rest=R_MQTT | R_AS_BOOL | R_FLAG_ONE),
    _r(89, "bool", 0, 1, mqtt_change_only=1, options=_OFF_ON,
       rest=R_MQTT | R_PUBLISH | R_AS_BOOL),
    _r(90, "s", 10, 300, mqtt_heartbeat=25, rest=R_MQTT | R_PUBLISH),   # 25 s: evcc (interfaces.md 2.2)
    _r(91, "bool", 0, 1, ocpp_mode=0, options=_OFF_ON, rest=R_OCPP | R_AS_ENABLED),
    _r(92, "str", 0, 200, ocpp_backend_url="", flags=F_URL, rest=_OCPP_TEXT | R_OWN_TEXT),
    _r(93, "str", 0, 20, ocpp_cb_id="", flags=F_CB_ID, rest=_OCPP_TEXT | R_OWN_TEXT),
    _r(94, "str", 0, 40, ocpp_auth_key="", flags=F_SECRET | F_AUTH_KEY,
       rest=_OCPP_TEXT | R_OWN_TEXT),
    _r(95, "bool", 0, 1, ocpp_auto_auth=0, options=_OFF_ON,
       rest=_OCPP_TEXT | R_NONZERO | R_AS_ENABLED),
    _r(96, "str", 0, 20, ocpp_auto_auth_idtag="", rest=_OCPP_TEXT),
    _r(97, "rgb", 0, 0xFFFFFF, color_off=0x000000),
    _r(98, "rgb", 0, 0xFFFFFF, color_normal=0x00FF00),
    _r(99, "rgb", 0, 0xFFFFFF, color_smart=0x00FF00),
    _r(100, "rgb", 0, 0xFFFFFF, color_solar=0xFFAA00),
    _r(101, "rgb", 0, 0xFFFFFF, color_custom=0x0000FF),
    _r(102, "W", 0, 10000000, capacity_monthly_peak=0),
    _r(103, "-", 0, 999912, capacity_peak_month=0),
)
del _r


KEYS = tuple(row[0] for row in _ROWS)   # storage key, also the REST/MQTT name unless
NIDS = bytes(row[1] for row in _ROWS)   # REST_NAMES says; NIDS: NVM field id, 0 = not stored
MINS = bytes(row[2] for row in _ROWS)   # lowest value (with F_OR_ZERO: lowest above 0)
MAXS = tuple(row[3] for row in _ROWS)   # highest value; for text rows the maximal length
DEFAULTS = tuple(row[4] for row in _ROWS)
OPTIONS = tuple(row[5] for row in _ROWS)    # option texts joined by "|", None = no list
FLAGS = tuple(row[6] for row in _ROWS)
RESTS = tuple(row[7] for row in _ROWS)  # what REST does with it: R_* bits (0 = none)
COUNT = len(KEYS)
del _ROWS
