"""The schema of every setting: one row each (settings-and-menu.md 1.1, 1.2, 1.5).

Decides, per setting, its limits, default, option texts, scope, menu visibility and
NVM field id. Everything else (menu items, REST/MQTT validation, the NVM record)
comes from this one table (ARCHITECTURE.md "One table for all settings").

`nid` is the field id in the NVM record: it never changes and is never reused.
Menu rows use their menu position (1..47; 35 is free because APP PIN is an action
and not stored), persisted rows without a menu item start at 64. A new setting
takes the next free id.
"""

from micropython import const

from smartevse.core.policy import C2_AUTO
from smartevse.core.states import MODE_NORMAL, MODE_SMART, MODE_SOLAR

METER_DISABLED = const(0)
METER_SENSORBOX = const(1)
METER_API = const(9)
METER_HOMEWIZARD = const(13)
METER_CUSTOM = const(19)

# units (settings-and-menu.md 1.1 "unit"; storage unit = display unit unless noted)
AMPS = "A"
MINUTES = "min"
CELSIUS = "C"
SECONDS = "s"
WATTS = "W"
DECIAMPS = "dA"
ENUM = "enum"
BOOL = "bool"
PLAIN = "-"
REGISTER = "reg"
POW10 = "10^x"
MASK = "mask"
TEXT = "str"
RGB = "rgb"

# scopes (settings-and-menu.md 0)
NODE = "node"
SYSTEM = "system"
MASTER = "master"

# display variants of the "display" column beyond "<value> <unit>"
DISP_NEG = "neg"        # START: shown negative, "- 4 A"
DISP_KW = "kw"          # CAP PEAK: W shown as "x.y kW"
DISP_ADDR = "addr"      # "10 (0A)", from 0x1000 up "4096 1000"
DISP_PIN = "pin"        # four digits "0000"
DISP_ACTION = "action"  # APP PIN: "Create PIN"


class Setting:
    """One row of the settings table; plain data plus the visibility rule."""

    __slots__ = ("nid", "label", "key", "unit", "min", "max", "step", "default",
                 "options", "scope", "help", "skip", "menu_skip", "node_skip",
                 "zero", "disp", "maxlen", "menu", "_show")

    def __init__(self, nid, label, key, unit, lo, hi, step, default, options=None,
                 scope=NODE, show=None, help="", skip=(), menu_skip=(), node_skip=(),
                 zero=None, disp=None, maxlen=0):
        self.nid = nid              # NVM field id, 0 = not stored
        self.label = label          # LCD label, None = no menu item (1.5)
        self.key = key
        self.unit = unit
        self.min = lo
        self.max = hi
        self.step = step            # menu step; REST/MQTT accept any value in range
        self.default = default
        self.options = options      # labels indexed by value (None = not a value)
        self.scope = scope
        self.help = help
        self.skip = skip            # invalid from every source
        self.menu_skip = menu_skip  # jumped over by the menu editor only
        self.node_skip = node_skip  # invalid while loadbl >= 2
        self.zero = zero            # display text for 0 ("Disabled")
        self.disp = disp
        self.maxlen = maxlen        # strings only
        self.menu = label is not None
        self._show = show

    def visible(self, values, live=None):
        """True when the menu shows this item (1.2). `live`: optional dict of
        non-stored facts: "sb_cts" (Sensorbox reports CTs), "sb2_version" (int)."""
        if self._show is None:
            return self.menu
        return self._show(values, live)

    def menu_allows(self, value, values):
        """True when the menu editor may stop on `value` (2.4 skips)."""
        if value in self.skip or value in self.menu_skip:
            return False
        if values["loadbl"] >= 2 and value in self.node_skip:
            return False
        if self.key == "mode":
            return mode_allowed(value, values["modes_disabled"])
        return True

    def menu_next(self, value, up, values):
        """The value after `value` one step up or down, wrapping, skips jumped (2.3)."""
        span = self.max - self.min
        v = value
        for _ in range(span // self.step + 1):
            v = v + self.step if up else v - self.step
            if v > self.max:
                v = self.min
            elif v < self.min:
                v = self.max
            if self.menu_allows(v, values):
                return v
        return value


def mode_allowed(mode, modes_disabled):
    """False when MODES hides this mode (charging.md 12 D8: bit 1 Smart, bit 2 Solar)."""
    if mode == MODE_SMART:
        return not modes_disabled & 2
    if mode == MODE_SOLAR:
        return not modes_disabled & 4
    return True


# --- visibility rules (settings-and-menu.md 1.2); v = values dict, live = facts ---

def _dm(v):
    return v["loadbl"] < 2


def _not_normal(v, live):
    return v["mode"] != MODE_NORMAL


def _mains_item(v, live):
    return v["mode"] != MODE_NORMAL and v["loadbl"] < 2


def _sensorbox_item(v, live):
    return _mains_item(v, live) and v["mains_meter_type"] == METER_SENSORBOX


def _grid(v, live):
    return _sensorbox_item(v, live) and bool(live and live.get("sb_cts"))


def _sb2_wifi(v, live):
    return _sensorbox_item(v, live) and bool(live) and live.get("sb2_version") in (1, 3)


def _mains_addr(v, live):
    return _mains_item(v, live) and v["mains_meter_type"] not in (0, 1, 9, 13)


def _ev_addr(v, live):
    return v["mode"] != MODE_NORMAL and v["ev_meter_type"] not in (METER_DISABLED, METER_API)


def _custom_meter(v, live):
    return _mains_item(v, live) and METER_CUSTOM in (v["mains_meter_type"], v["ev_meter_type"])


def _with_mains_meter(v, live):
    return _mains_item(v, live) and v["mains_meter_type"] != METER_DISABLED


def _circuit(v, live):
    lb = v["loadbl"]
    return lb == 1 or (lb == 0 and v["mode"] != MODE_NORMAL and v["ev_meter_type"] != 0)


def _solar(v, live):
    return v["mode"] == MODE_SOLAR and _dm(v)


def _capacity(v, live):
    return v["mains_meter_type"] != METER_DISABLED and _dm(v)


def _cap_stop(v, live):
    return _capacity(v, live) and v["current_max_sum_mains"] != 0


def _master(v, live):
    return v["loadbl"] == 1


def _socket(v, live):
    return v["config"] == 0


def _wifi(v, live):
    return v["wifi_mode"] == 1


def _web_auth(v, live):
    return v["lcd_pin"] != 0


# --- option texts (1.1 "display / options"; meter names modbus.md 8.2) ---

OFF_ON = ("Disabled", "Enabled")
METERS = ("Disabled", "Sensorbox", "Phoenix C", "Finder 7E", "Eastron3P", "InvEastrn",
          "ABB", "SolarEdge", "WAGO", "API", "Eastron1P", "Finder 7M", "Sinotimer",
          "HmWzrd P1", "Schneider", "Chint", "C.Gavazzi", "Orno 3P", "Orno 1P", "Custom",
          "AcrelEVL2", "AcrelMain")
ROLES = ("Disabled", "Master", "Node 1", "Node 2", "Node 3", "Node 4", "Node 5",
         "Node 6", "Node 7")
WIFI_MODES = ("Disabled", "Enabled", "SetupWifi")
C2_MODES = ("Not present", "Always Off", "Solar Off", "Always On", "Auto")
SWITCH_MODES = ("Disabled", "Access B", "Access S", "Sma-Sol B", "Sma-Sol S", "Grid Relay",
                "Custom B", "Custom S")
RFID_MODES = ("Disabled", "EnableAll", "EnableOne", "Learn", "Delete", "DeleteAll",
              "Rmt/OCPP")
_SKIP_1_9 = tuple(range(1, 10))
_ADDR = DISP_ADDR
_DIVI = "Divide the raw value by this power of ten"

S = Setting
ROWS = (
    # nid, label, key, unit, min, max, step, default, options, scope, shown when, help
    S(1, "MODE", "mode", ENUM, 0, 2, 1, 0, ("Normal", "Smart", "Solar"), SYSTEM, None,
      "Charging mode: Normal, Smart or Solar"),
    S(2, "CONFIG", "config", ENUM, 0, 1, 1, 0, ("Socket", "Fixed"), NODE, None,
      "Type 2 socket or fixed charging cable"),
    S(3, "LOCK", "lock", ENUM, 0, 2, 1, 0, ("Disabled", "Solenoid", "Motor"), NODE, _socket,
      "Kind of cable lock actuator in the socket"),
    S(4, "PWR SHARE", "loadbl", ENUM, 0, 8, 1, 0, ROLES, NODE, None,
      "Share one supply between up to 8 SmartEVSEs"),
    S(5, "MAINS MET", "mains_meter_type", ENUM, 0, 21, 1, 1, METERS, SYSTEM, _mains_item,
      "Meter that measures the mains connection"),
    S(6, "GRID", "grid", ENUM, 0, 1, 1, 0, ("4Wire", "3Wire"), SYSTEM, _grid,
      "Star (4 wire) or delta (3 wire) supply"),
    S(7, "SB2 WIFI", "sb2_wifi_mode", ENUM, 0, 2, 1, 0, WIFI_MODES, SYSTEM, _sb2_wifi,
      "WiFi mode of the Sensorbox-2"),
    S(8, "MAINS ADR", "mains_meter_address", PLAIN, 10, 247, 1, 10, None, SYSTEM,
      _mains_addr, "Modbus address of the mains meter", disp=_ADDR),
    S(9, "EV METER", "ev_meter_type", ENUM, 0, 21, 1, 0, METERS, NODE, _not_normal,
      "Meter that measures this charger's output", skip=(1, 13)),
    S(10, "EV ADDR", "ev_meter_address", PLAIN, 11, 247, 1, 12, None, NODE, _ev_addr,
      "Modbus address of the EV meter", disp=_ADDR),
    S(11, "BYTE ORD", "emcustom_endianness", ENUM, 0, 3, 1, 0,
      ("LBF & LWF", "LBF & HWF", "HBF & LWF", "HBF & HWF"), SYSTEM, _custom_meter,
      "Byte and word order of the custom meter"),
    S(12, "DATA TYPE", "emcustom_datatype", ENUM, 0, 2, 1, 0, ("INT32", "FLOAT32", "INT16"),
      SYSTEM, _custom_meter, "Number format of its registers"),
    S(13, "FUNCTION", "emcustom_function", ENUM, 3, 4, 1, 4,
      (None, None, None, "3:Hold. Reg", "4:Input Reg"), SYSTEM, _custom_meter,
      "Read holding (3) or input (4) registers"),
    S(14, "VOL REGI", "emcustom_u_register", REGISTER, 0, 65530, 1, 0, None, SYSTEM,
      _custom_meter, "First register of voltage", disp=_ADDR),
    S(15, "VOL DIVI", "emcustom_u_divisor", POW10, 0, 7, 1, 0, None, SYSTEM, _custom_meter,
      _DIVI),
    S(16, "CUR REGI", "emcustom_i_register", REGISTER, 0, 65530, 1, 0, None, SYSTEM,
      _custom_meter, "First register of current", disp=_ADDR),
    S(17, "CUR DIVI", "emcustom_i_divisor", POW10, 0, 7, 1, 0, None, SYSTEM, _custom_meter,
      _DIVI),
    S(18, "POW REGI", "emcustom_p_register", REGISTER, 0, 65534, 1, 0, None, SYSTEM,
      _custom_meter, "First register of power", disp=_ADDR),
    S(19, "POW DIVI", "emcustom_p_divisor", POW10, 0, 7, 1, 0, None, SYSTEM, _custom_meter,
      _DIVI),
    S(20, "ENE REGI", "emcustom_e_register", REGISTER, 0, 65534, 1, 0, None, SYSTEM,
      _custom_meter, "First register of energy", disp=_ADDR),
    S(21, "ENE DIVI", "emcustom_e_divisor", POW10, 0, 7, 1, 0, None, SYSTEM, _custom_meter,
      _DIVI),
    S(22, "MAINS", "current_main", AMPS, 10, 200, 1, 25, None, SYSTEM, _with_mains_meter,
      "Maximum current per phase of the mains connection"),
    S(23, "MIN", "current_min", AMPS, 6, 16, 1, 6, None, NODE, _with_mains_meter,
      "Lowest current per phase the car accepts"),
    S(24, "MAX", "current_max", AMPS, 6, 80, 1, 13, None, NODE, None,
      "Highest current per phase this charger may give"),
    S(25, "CIRCUIT", "current_max_circuit", AMPS, 10, 160, 1, 16, None, SYSTEM, _circuit,
      "Maximum current per phase of the charger circuit, shared by all chargers on it"),
    S(26, "START", "solar_start_current", AMPS, 0, 48, 1, 4, None, SYSTEM, _solar,
      "Export (sum of phases) needed before solar charging starts", disp=DISP_NEG),
    S(27, "STOP", "solar_stop_time", MINUTES, 0, 60, 1, 10, None, SYSTEM, _solar,
      "Minutes at minimum current without enough sun before charging stops",
      zero="Disabled"),
    S(28, "IMPORT", "solar_max_import", AMPS, 0, 48, 1, 0, None, SYSTEM, _solar,
      "Grid import (sum of phases) allowed while solar charging"),
    S(29, "CONTACT 2", "enable_C2", ENUM, 0, 4, 1, 3, C2_MODES, NODE, _not_normal,
      "What the second contactor (phases L2/L3) does", node_skip=(C2_AUTO,)),
    S(30, "SWITCH", "switch", ENUM, 0, 7, 1, 0, SWITCH_MODES, NODE, None,
      "Function of the external switch input", node_skip=(5,)),
    S(31, "RCMON", "rcmon", BOOL, 0, 1, 1, 0, OFF_ON, NODE, None,
      "Residual current monitor on the RCM input"),
    S(32, "RFID", "rfid_reader", ENUM, 0, 6, 1, 0, RFID_MODES, NODE, None,
      "RFID reader: access control, learn or remove cards"),
    S(33, "WIFI", "wifi_mode", ENUM, 0, 2, 1, 0, WIFI_MODES, NODE, None,
      "Connect this charger to WiFi or start setup"),
    S(34, "AUTOUPDAT", "auto_update", BOOL, 0, 1, 1, 0, OFF_ON, NODE, _wifi,
      "Install new stable firmware automatically"),
    S(0, "APP PIN", "app_pairing", PLAIN, 0, 1, 1, 0, None, NODE, _wifi,
      "Make a pairing code for the SmartEVSE app", disp=DISP_ACTION),
    S(36, "APP SERVR", "app_server", BOOL, 0, 1, 1, 0, OFF_ON, NODE, _wifi,
      "Connect to the SmartEVSE app server"),
    S(37, "MAX TEMP", "temp_max", CELSIUS, 40, 75, 1, 65, None, NODE, None,
      "Stop charging above this board temperature"),
    S(38, "CAPACITY", "current_max_sum_mains", AMPS, 0, 600, 1, 0, None, SYSTEM, _capacity,
      "Limit on the sum of the three mains phase currents", skip=_SKIP_1_9,
      zero="Disabled"),
    S(39, "CAP STOP", "max_sum_mains_time", MINUTES, 0, 60, 1, 0, None, SYSTEM, _cap_stop,
      "Minutes over the CAPACITY limit before charging stops", zero="Disabled"),
    S(40, "CAP PEAK", "capacity_limit", WATTS, 0, 25000, 100, 0, None, SYSTEM, _capacity,
      "Limit for the 15-minute average import (kW)", zero="Disabled", disp=DISP_KW),
    S(41, "PRIORITY", "prio_strategy", ENUM, 0, 2, 1, 0,
      ("Modbus Adr", "First Conn", "Last Conn"), MASTER, _master,
      "Which car gets power first when it is short"),
    S(42, "ROTATION", "rotation_interval", MINUTES, 0, 1440, 1, 0, None, MASTER, _master,
      "Minutes before the charging slot moves on (0 off)", skip=tuple(range(1, 30)),
      zero="Disabled"),
    S(43, "IDLE TMO", "idle_timeout", SECONDS, 30, 300, 1, 60, None, MASTER, _master,
      "Seconds without charging before a car counts as idle"),
    S(44, "LCD PIN", "lcd_pin", PLAIN, 0, 9999, 1, 0, None, NODE, None,
      "Code that unlocks the buttons in the web page", disp=DISP_PIN),
    S(45, "LED MODE", "ledmode", ENUM, 0, 1, 1, 0, ("Standard", "Public"), NODE, None,
      "LED colours: standard or public charge point"),
    S(46, "MODES", "modes_disabled", MASK, 0, 6, 2, 0,
      ("All modes", None, "No Smart", None, "No Solar", None, "Norml only"), NODE, None,
      "Hide modes you never want (Smart, Solar)", skip=(1, 3, 5)),
    S(47, "WEB AUTH", "auth_mode", ENUM, 0, 1, 1, 0, ("Off", "Required"), NODE, _web_auth,
      "Ask for the LCD PIN before web changes"),

    # persisted, no menu item (1.5; ranges interfaces.md 1.5 / 2.4, charging.md 10)
    S(64, None, "access", ENUM, 0, 2, 1, 1, ("OFF", "ON", "PAUSE"), NODE, None,
      "Access: OFF, ON or PAUSE, kept over a reboot"),
    S(65, None, "card_offset", PLAIN, 0, 99, 1, 0, None, NODE, None,
      "Slot of the card that unlocked in EnableOne"),
    S(66, None, "starttime", SECONDS, 0, 0xFFFFFFFF, 1, 0, None, NODE, None,
      "Delayed charging start, epoch s (0 = none)"),
    S(67, None, "stoptime", SECONDS, 0, 0xFFFFFFFF, 1, 0, None, NODE, None,
      "Delayed charging stop, epoch s (0 = none)"),
    S(68, None, "repeat", BOOL, 0, 1, 1, 0, OFF_ON, NODE, None,
      "Repeat the delayed charging window daily"),
    S(69, None, "lcdlock", BOOL, 0, 1, 1, 0, OFF_ON, NODE, None, "Front buttons locked"),
    S(70, None, "cablelock", BOOL, 0, 1, 1, 0, OFF_ON, NODE, None,
      "Keep the cable locked while idle"),
    S(71, None, "circuit_meter_type", ENUM, 0, 21, 1, 0, METERS, SYSTEM, None,
      "Meter of the sub-panel circuit"),
    S(72, None, "circuit_meter_address", PLAIN, 10, 247, 1, 14, None, SYSTEM, None,
      "Modbus address of the circuit meter", disp=_ADDR),
    S(73, None, "max_circuit_mains", AMPS, 0, 600, 1, 0, None, MASTER, None,
      "Sub-panel current limit (0 = off)", skip=_SKIP_1_9, zero="Disabled"),
    S(74, None, "ramp_rate_divisor", PLAIN, 1, 20, 1, 4, None, NODE, None,
      "Smart regulation step divisor"),
    S(75, None, "ema_alpha", PLAIN, 0, 100, 1, 100, None, NODE, None,
      "Smoothing of the regulated current (100 = none)"),
    S(76, None, "smart_deadband", DECIAMPS, 0, 50, 1, 10, None, NODE, None,
      "Smart-mode dead band"),
    S(77, None, "max_ramp_rate", DECIAMPS, 0, 100, 1, 30, None, NODE, None,
      "Ramp limit per cycle (0 = off)"),
    S(78, None, "oscillation_boost_max", PLAIN, 0, 20, 1, 10, None, NODE, None,
      "Cap on the anti-oscillation boost"),
    S(79, None, "idiff_ema_weight", PLAIN, 1, 4, 1, 1, None, NODE, None,
      "Weight (of 4) of a new sample in the difference EMA"),
    S(80, None, "linky_hp_bypass", BOOL, 0, 1, 1, 0, OFF_ON, NODE, None,
      "Charge in Linky peak hours too"),
    S(81, None, "linky_failsafe", BOOL, 0, 1, 1, 0, OFF_ON, NODE, None,
      "Linky gate behaviour without Linky data"),
    S(82, None, "mains_meter_timeout", SECONDS, 0, 3600, 1, 120, None, NODE, None,
      "API mains data staleness timeout (0 = off; charging.md 3.5, D14)", skip=_SKIP_1_9,
      zero="Disabled"),
    S(83, None, "mqtt_host", TEXT, 0, 64, 1, "", None, NODE, None,
      "MQTT broker host (empty = MQTT off)", maxlen=64),
    S(84, None, "mqtt_port", PLAIN, 1, 65535, 1, 1883, None, NODE, None, "MQTT broker port"),
    S(85, None, "mqtt_topic_prefix", TEXT, 0, 64, 1, "", None, NODE, None,
      "MQTT topic prefix (empty = SmartEVSE/<serial>)", maxlen=64),
    S(86, None, "mqtt_username", TEXT, 0, 64, 1, "", None, NODE, None, "MQTT user name",
      maxlen=64),
    S(87, None, "mqtt_password", TEXT, 0, 64, 1, "", None, NODE, None, "MQTT password",
      maxlen=64),
    S(88, None, "mqtt_tls", BOOL, 0, 1, 1, 0, OFF_ON, NODE, None, "MQTT over TLS"),
    S(89, None, "mqtt_change_only", BOOL, 0, 1, 1, 1, OFF_ON, NODE, None,
      "Publish a topic only when its value changed"),
    S(90, None, "mqtt_heartbeat", SECONDS, 10, 300, 1, 60, None, NODE, None,
      "Republish unchanged topics after this long"),
    S(91, None, "ocpp_mode", BOOL, 0, 1, 1, 0, OFF_ON, NODE, None, "OCPP 1.6J enabled"),
    S(92, None, "ocpp_backend_url", TEXT, 0, 200, 1, "", None, NODE, None,
      "OCPP central system URL (ws:// or wss://)", maxlen=200),
    S(93, None, "ocpp_cb_id", TEXT, 0, 20, 1, "", None, NODE, None, "OCPP ChargeBoxId",
      maxlen=20),
    S(94, None, "ocpp_auth_key", TEXT, 0, 40, 1, "", None, NODE, None,
      "OCPP authorization key", maxlen=40),
    S(95, None, "ocpp_auto_auth", BOOL, 0, 1, 1, 0, OFF_ON, NODE, None,
      "Start a transaction on plug-in without a card (FreeVend)"),
    S(96, None, "ocpp_auto_auth_idtag", TEXT, 0, 20, 1, "", None, NODE, None,
      "idTag used for FreeVend", maxlen=20),
    S(97, None, "color_off", RGB, 0, 0xFFFFFF, 1, 0x000000, None, NODE, None,
      "LED colour while access is OFF"),
    S(98, None, "color_normal", RGB, 0, 0xFFFFFF, 1, 0x00FF00, None, NODE, None,
      "LED colour in Normal mode"),
    S(99, None, "color_smart", RGB, 0, 0xFFFFFF, 1, 0x00FF00, None, NODE, None,
      "LED colour in Smart mode"),
    S(100, None, "color_solar", RGB, 0, 0xFFFFFF, 1, 0xFFAA00, None, NODE, None,
      "LED colour in Solar mode"),
    S(101, None, "color_custom", RGB, 0, 0xFFFFFF, 1, 0x0000FF, None, NODE, None,
      "LED colour while the custom button is on"),
    S(102, None, "capacity_monthly_peak", WATTS, 0, 10000000, 1, 0, None, NODE, None,
      "Highest 15-minute average import this month"),
    S(103, None, "capacity_peak_month", PLAIN, 0, 999912, 1, 0, None, NODE, None,
      "Month of capacity_monthly_peak as YYYYMM (0 = none)"),
)
del S

BY_KEY = {}
_BY_NAME = {}
for _row in ROWS:
    BY_KEY[_row.key] = _row
    _BY_NAME[_row.key.lower()] = _row
    if _row.label:
        _BY_NAME[_row.label.lower()] = _row
del _row


def find(name):
    """The row whose key or LCD label is `name` (case-insensitive), or None."""
    if not isinstance(name, str):
        return None
    return _BY_NAME.get(name.strip().lower())
