"""What the menu shows (settings-and-menu.md 2.4, 2.6): the menu screen from the live
values, the row-0 context line, and the help text scrolling in place of the label.

Pure. `MenuScreen` is the base of `ui.menu.Menu` (one object, no extra call frame):
the button logic lives in ui/menu.py, what it looks like here.
"""

from micropython import const

from smartevse.core.states import WIFI_ENABLED, WIFI_SETUP
from smartevse.settings import facts
from smartevse.settings.table import F_PIN, FLAGS, KEYS, MENU_COUNT
from ui.icons import DEGREE
from ui.layout import LAYOUT_HOLD, LAYOUT_MENU, LAYOUT_MENU_HELP, Screen

EXIT = MENU_COUNT                  # the item after the last setting
OUTSIDE = const(0)                 # the menu's levels: status screen,
HOLD = const(1)                    # a "Hold 2 sec" prompt (3.6),
BROWSE = const(2)                  # choosing an item,
EDIT = const(3)                    # changing its value (2.3)
HELP_WAIT_MS = const(5000)         # 2.6
HELP_START_MS = const(1000)
HELP_STEP_MS = const(300)
HELP_END_MS = const(2000)
HELP_CHARS = const(10)             # big font: 10 characters per line
_C2_TEXTS = ("Three-phase Charging", "Single-phase Charging", "Solar 1P - Smart 3P",
             "Three-phase Charging", "Auto 3P <> 1P Charging")


def _sb2_line(setting, live):
    """Row 0 while SB2 WIFI is edited (2.4), from what the Sensorbox v2 reports."""
    if live is None or live.get("sb2_mode", -1) != setting:
        return "one moment please..."          # the Sensorbox has not switched yet
    if setting == WIFI_ENABLED:
        if not live.get("sb2_connected"):
            return "Not connected to WiFi"
        ip = live["sb2_ip"]                    # 4 bytes as the Sensorbox sends them
        return "SB2: %d.%d.%d.%d" % (ip[0], ip[1], ip[2], ip[3])
    if setting == WIFI_SETUP:
        password = bytes(live["sb2_password"]).strip(b"\x00")
        return ("Portal PW: " + password.decode() if password
                else "O button starts portal"[:21])
    return ""


class MenuScreen:
    """The menu's screens; the button state (item, level) is the Menu's."""

    def _init_screens(self):
        self.menu = Screen(LAYOUT_MENU)
        self.help = Screen(LAYOUT_MENU_HELP)
        self.hold = Screen(LAYOUT_HOLD)
        self.hold.texts[0] = "Hold 2 sec"
        self.screen = self.menu
        self._help_at = -1             # first help character shown, -1 = label shown
        self._help_item = -1           # the item whose help length is in _help_len
        self._help_len = 0
        self.digit = 0                 # LCD PIN editor: 0 = thousands

    def _help(self, idle_ms):
        if idle_ms < HELP_WAIT_MS:
            return
        if self._help_item != self.item:       # measured once per item: no allocation
            self._help_item = self.item        # per 10 ms tick while the help scrolls
            self._help_len = len(self._help_text())
        if not self._help_len:
            return
        t = idle_ms - HELP_WAIT_MS
        last = self._help_len - HELP_CHARS
        if last < 0:
            last = 0
        scroll_ms = HELP_START_MS + last * HELP_STEP_MS
        t %= scroll_ms + HELP_END_MS
        at = 0 if t < HELP_START_MS else (t - HELP_START_MS) // HELP_STEP_MS
        if at > last:
            at = last
        if at != self._help_at:
            self._help_at = at
            self._draw()

    def _help_text(self):
        from smartevse.settings.help import help_text    # only the menu needs it
        return help_text(KEYS[self.item])

    # --- the screen (2.6) -----------------------------------------------------------
    def _draw(self):
        self.changed = True

    def compose(self):
        """The Screen to show now (2.6, 3.6), from the live values."""
        if self.level == HOLD:
            return self.hold
        item = self.item
        values = self.app.settings.values
        edit = self.level == EDIT
        if self._help_at >= 0:
            screen = self.help
            text = self._help_text()
            screen.texts[2] = text[self._help_at:self._help_at + HELP_CHARS]
        else:
            screen = self.menu
            screen.texts[2] = ("<" if not edit else " ") + (
                "EXIT" if item == EXIT else facts.label(item)) + (">" if not edit else " ")
        if item == EXIT:
            screen.texts[3] = ""
        else:
            key = KEYS[item]
            if key in values:
                text = facts.label_of(key, values[key])
            else:                                  # APP PIN: an action; its PIN in edit
                text = self.app.netlink.pin_text() or facts.label_of(key, 0)
            screen.texts[3] = ("<" + text + ">") if edit else (" " + text + " ")
        self._context(values, screen.texts)
        screen.texts[4] = str(self.app.temp_c) + DEGREE + "C"
        screen.texts[5] = self.app.version
        screen.cursor_x = -1
        if self.level == EDIT and FLAGS[item] & F_PIN:
            screen.cursor_x = 40 + 12 * self.digit   # "0000" centred: 4 x 12 px at 64
        self.screen = screen
        return screen

    def _context(self, values, texts):
        """Row 0 (2.6) into texts[0] (left) and texts[1] (right): the item's message in
        edit (2.4), else the Wi-Fi line: IP address and clock, or the portal password."""
        app = self.app
        netlink = app.netlink
        texts[1] = ""
        wifi = values["wifi_mode"]
        if self.level == EDIT:
            key = KEYS[self.item]
            if key == "enable_C2":
                texts[0] = _C2_TEXTS[values[key]]
                return
            if key == "rfid_reader":               # 4.4: the last tap's result, or blank
                texts[0] = app.rfid_editor_text
                return
            if key == "app_pairing":
                texts[0] = "SmartEVSE-%d" % app.serial_nr
                return
            if key == "app_server":
                texts[0] = ("Connected to server" if netlink.server_connected
                            else "No server connection")
                return
            if key == "wifi_mode" and wifi == WIFI_SETUP and netlink.portal_password is None:
                texts[0] = "O button starts portal"[:21]
                return
            if key == "sb2_wifi_mode":
                texts[0] = _sb2_line(values[key], app.menu_live)
                return
        if wifi == WIFI_SETUP and netlink.portal_password is not None:
            texts[0] = "Portal PW: " + netlink.portal_password
        elif wifi == WIFI_ENABLED:
            net = app.board.net
            if net is None or not net.connected or not net.ipv4_address:
                texts[0] = "Not connected to WiFi"
                return
            texts[0] = net.ipv4_address
            now_s = app.now_epoch_s()              # local time, None before it is set
            texts[1] = "--:--" if now_s is None else "%02d:%02d" % (now_s // 3600 % 24,
                                                                    now_s // 60 % 60)
        else:
            texts[0] = ""
