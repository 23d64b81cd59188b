"""The three front buttons and the LCD menu, as a pure model (settings-and-menu.md 2).

Button events with their timestamps in (`key`), time passing (`tick`), a Screen out.
"""

# Design (kept in comments: docstrings cost device heap):
# - The items are the rows of the one settings table (settings/table.py LABELS order),
#   shown when facts.visible() holds, then EXIT; nothing here lists settings.
# - The model only decides: a change is left in `action` (ACT_SET key/value, ACT_SAVE,
#   ACT_RELOAD) and smartevse/front_panel.py carries it out right after the event, in
#   its own 10 ms service, through `changes.apply` (the path REST uses: same checks,
#   messages and side effects; applied at once, 2.3), then writes flash at once (EXIT)
#   or reloads it (timeout, 2.5). Kept out of the event's call chain so the menu adds
#   no frames to the settings path (1536 B pystack).
# - `compose()` (ui/menu_screen.py) builds the screen from the live values when the
#   view draws it.
# - A step is one whole value (menu_next within the limits, skips jumped), so no button
#   combination can leave a half-edited value or one outside its limits.
# - `app` is duck-typed: settings.values, evse.access, button_event, menu_live, temp_c,
#   version, rfid_status_text, netlink (smartevse/netlink.py), serial_nr, board.net,
#   now_epoch_s.

from micropython import const

from smartevse.core import policy
from smartevse.core.states import ACCESS_OFF, ACCESS_ON, MODE_SMART, MODE_SOLAR, WIFI_SETUP
from smartevse.settings import facts
from smartevse.settings.table import F_PIN, FLAGS, KEYS
from ui.menu_screen import BROWSE, EDIT, EXIT, HOLD, OUTSIDE, MenuScreen

KEY_LEFT = const(0)
KEY_OK = const(1)
KEY_RIGHT = const(2)
_BIT_LEFT = const(1)
_BIT_OK = const(2)
_BIT_RIGHT = const(4)

HOLD_MS = const(2000)              # 2.2
REPEAT_FIRST_MS = const(500)       # 2.3
REPEAT_MIN_MS = const(10)
IDLE_MS = const(120000)            # 2.5: 120 s without a button event
PAGE_MS = const(30000)             # the per-phase page returns after 30 s (D9)

ACT_NONE = const(0)
ACT_SET = const(1)                 # apply {set_key: set_value}
ACT_SAVE = const(2)                # leave the menu, write flash now
ACT_RELOAD = const(3)              # leave the menu, reload flash
ACT_SET_SAVE = const(4)            # apply, then write flash now (the boot combination)
_TICKS_PERIOD = const(1 << 29)     # CircuitPython's supervisor.ticks_ms wraps here
_TICKS_HALF = const(1 << 28)
_HOLD_TEXTS = ("to Stop", "for Menu", "to Start")


def ticks_diff(a, b):
    d = (a - b) & (_TICKS_PERIOD - 1)
    return d - _TICKS_PERIOD if d >= _TICKS_HALF else d


class Menu(MenuScreen):
    """Buttons and menu state; `screen` is what to show while `active`."""

    def __init__(self, app):
        self.app = app
        self.level = OUTSIDE
        self.item = 0
        self.down = 0                  # bit per key held (2.1 combined state, inverted)
        self.combo = False             # two keys together: nothing until all released
        self.hold_key = -1
        self._press_ms = 0
        self._repeat_key = -1
        self._repeat_ms = 0            # when the next repeat is due
        self._interval_ms = REPEAT_FIRST_MS
        self._event_ms = 0             # last button event (idle timer, help wait)
        self._init_screens()           # the Screens, help and LCD PIN digit state
        self.phase_page = False        # D9: `>` toggles the per-phase page
        self._phase_ms = 0
        self.reinit_display = False    # `<`+`>` outside the menu (2.2)
        self.changed = True            # the screen needs drawing
        self._booting = True           # the first tick samples the boot combination
        self.action = ACT_NONE         # for the app to carry out (see above)
        self.set_key = ""
        self.set_value = 0

    @property
    def active(self):
        return self.level != OUTSIDE

    # --- events -------------------------------------------------------------------
    def key(self, key, pressed, now_ms):
        """One keypad event (key 0 `<`, 1 `O`, 2 `>`), stamped `now_ms`."""
        if not 0 <= key <= 2:
            return
        bit = 1 << key
        if pressed == bool(self.down & bit):
            return                     # a repeated edge changes nothing
        app = self.app
        app.button_event()             # backlight, RCM clear, rotation (2.1, 3.5)
        self._event_ms = now_ms
        if self._help_at >= 0:
            self._help_at = -1
            self.changed = True
        if app.settings.values["lcdlock"]:
            self.down = self.down | bit if pressed else self.down & ~bit
            return
        if pressed:
            self.down |= bit
            if self.down != bit:       # pressed together with another
                if not self.combo and self.down == _BIT_LEFT | _BIT_RIGHT \
                        and self.level <= HOLD:
                    self.reinit_display = True
                self.combo = True
                self._repeat_key = -1
                if self.level == HOLD:
                    self._leave_hold()
                return
            self._press(key, now_ms)
        else:
            self.down &= ~bit
            if self.down == 0:
                was_combo = self.combo
                self.combo = False
                if was_combo:
                    return
            if key == self._repeat_key:
                self._repeat_key = -1
            if self.level == HOLD and key == self.hold_key:
                self._leave_hold()
                if key == KEY_LEFT:
                    self._toggle_smart_solar()

    def _press(self, key, now_ms):
        level = self.level
        if level == OUTSIDE:
            access = self.app.evse.access
            if key == KEY_RIGHT and access != ACCESS_OFF:
                if access == ACCESS_ON:    # PAUSE: `>` does nothing
                    self.phase_page = not self.phase_page
                    self._phase_ms = now_ms
                    self.changed = True
                return
            self.level = HOLD
            self.hold_key = key
            self._press_ms = now_ms
            self.hold.texts[1] = _HOLD_TEXTS[key]
            self.screen = self.hold
            self.changed = True
            return
        if level == HOLD:
            return
        if key == KEY_OK:
            netlink = self.app.netlink
            if level == EDIT:
                self.level = BROWSE
                netlink.forget_pin()               # 2.4 APP PIN: gone when edit is left
                if KEYS[self.item] == "wifi_mode" \
                        and self.app.settings.values["wifi_mode"] == WIFI_SETUP:
                    netlink.start_portal()         # 2.4 WIFI: `O` starts the portal
            elif self.item == EXIT:
                self._leave(True)
                return
            else:
                self.level = EDIT
                self.digit = 0
                if KEYS[self.item] == "app_pairing":
                    netlink.new_pin()              # 2.4: a fresh PIN on each edit
            self._draw()
            return
        self._repeat_key = key
        self._interval_ms = REPEAT_FIRST_MS
        self._repeat_ms = now_ms + REPEAT_FIRST_MS
        self._step(key == KEY_RIGHT)

    def tick(self, now_ms):
        """Time passes: holds complete, keys repeat, help scrolls, the menu times out."""
        if self._booting:              # `O`+`>` held at power-up: toggle LCDLOCK (2.2)
            self._booting = False
            if self.down == _BIT_OK | _BIT_RIGHT:
                self._set("lcdlock", 1 - self.app.settings.values["lcdlock"])
                self.action = ACT_SET_SAVE
                return
        level = self.level
        if level == OUTSIDE:
            if self.phase_page and ticks_diff(now_ms, self._phase_ms) >= PAGE_MS:
                self.phase_page = False          # D9: back after 30 s
                self.changed = True
            return
        if level == HOLD:
            if ticks_diff(now_ms, self._press_ms) >= HOLD_MS:
                self._hold_done()
            return
        if self._repeat_key >= 0 and ticks_diff(now_ms, self._repeat_ms) >= 0:
            interval = self._interval_ms     # 500, 438, 384, 336 ... ms (2.3)
            interval -= interval >> 3
            if interval < REPEAT_MIN_MS:
                interval = REPEAT_MIN_MS
            self._interval_ms = interval
            self._repeat_ms += interval
            self._step(self._repeat_key == KEY_RIGHT)
        idle_ms = ticks_diff(now_ms, self._event_ms)
        if idle_ms >= IDLE_MS and not self.down and not self._timeout_suspended():
            self._leave(False)
            return
        if level == BROWSE and self.item != EXIT and not self.down:
            self._help(idle_ms)

    # --- outside the menu (2.2) -----------------------------------------------------
    def _hold_done(self):
        key = self.hold_key
        self.hold_key = -1
        if key == KEY_OK:
            self.level = BROWSE
            self.item = 0
            self._draw()
            return
        self.level = OUTSIDE
        self.changed = True
        self._set("access", ACCESS_OFF if key == KEY_LEFT else ACCESS_ON)

    def _set(self, key, value):
        self.action = ACT_SET
        self.set_key = key
        self.set_value = value

    def _leave_hold(self):
        self.level = OUTSIDE
        self.hold_key = -1
        self.changed = True

    def _toggle_smart_solar(self):
        values = self.app.settings.values
        mode = values["mode"]
        if mode == MODE_SMART or mode == MODE_SOLAR:
            target = MODE_SOLAR if mode == MODE_SMART else MODE_SMART
            if policy.mode_enabled(values["modes_disabled"], target):
                self._set("mode", target)

    # --- inside the menu (2.3 - 2.5) -------------------------------------------------
    def _visible(self, i):
        app = self.app
        return i == EXIT or facts.visible(i, app.settings.values, app.menu_live)

    def _step(self, up):
        if self.level == BROWSE:
            i = self.item
            for _ in range(EXIT + 1):
                i = (i + 1 if up else i - 1) % (EXIT + 1)
                if self._visible(i):
                    break
            self.item = i
            self._help_at = -1
        elif self.level == EDIT:
            self._edit(up)
        self._draw()

    def _edit(self, up):
        i = self.item
        key = KEYS[i]
        values = self.app.settings.values
        if key not in values:          # APP PIN: the pairing PIN comes with the network
            return
        value = values[key]
        if FLAGS[i] & F_PIN:           # digit editor (2.4)
            if up:
                self.digit = (self.digit + 1) & 3
                return
            place = (1000, 100, 10, 1)[self.digit]
            digit = value // place % 10
            value += place * (-9 if digit == 9 else 1)
        else:
            value = facts.menu_next(i, value, up, values)
        if facts.value_error(i, value) is None and value != values[key]:
            self._set(key, value)

    def _timeout_suspended(self):
        # 2.5: not while RFID is edited (Learn/Delete at leisure), nor while WIFI is
        # SetupWifi (anywhere in the menu, as the fork), nor on SB2 WIFI at SetupWifi
        values = self.app.settings.values
        if values["wifi_mode"] == WIFI_SETUP:
            return True
        key = KEYS[self.item] if self.item != EXIT else ""
        if key == "sb2_wifi_mode":
            return values[key] == WIFI_SETUP
        return key == "rfid_reader" and self.level == EDIT

    def _leave(self, save):
        """EXIT saves at once; the timeout reloads flash, undoing the edits (2.5)."""
        self.level = OUTSIDE
        self._repeat_key = -1
        self._help_at = -1
        self.item = 0
        self.changed = True
        self.app.netlink.forget_pin()              # 2.5: EXIT and the timeout forget it
        self.action = ACT_SAVE if save else ACT_RELOAD
