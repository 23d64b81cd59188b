"""What the OLED shows outside the menu, as text (settings-and-menu.md 3.2-3.5, 3.8).

Pure: no displayio, no clock. `ScreenModel.update(app, now_s)` reads the controller once
per second and fills a `Screen` (a layout and one string per text slot); `ui/oled.py`
draws it, and `Screen.lines()` gives the same content as 8 text rows for the simulator
and the web mirror. First match wins (3.2): a fault of the loop's fail-safe, then the
error screens (3.3), then the status screen (3.4) with its status line (3.5).

Layouts are a table of text slots `(row, scale, align, x)`; the menu (section 2) adds
its own layout to `LAYOUTS` and its own Screen, and the view switches Groups by layout.
"""

from micropython import const

from smartevse.core.states import (ACCESS_OFF, ACCESS_ON, ACCESS_PAUSE, BL_FLASH, CT_NOCOMM,  # noqa: F401
                            EV_NOCOMM, LESS_6A, MODE_NORMAL, MODE_SMART, MODE_SOLAR, RCM_TEST,
                            RCM_TRIPPED, STATE_A, STATE_B, STATE_C, STATE_D, TEMP_HIGH, TEST_IO,
                            iec_state)
from ui.icons import ICON_NORMAL, ICON_PAUSED, ICON_SMART, ICON_SOLAR, ICON_STOPPED

_METER_API = const(9)
_METER_HOMEWIZARD = const(13)
_RFID_INVALID = const(7)

ROW_CHARS = const(21)          # small font: 21 x 6 px in 128 px
ROTATE_S = const(4)            # status-line rotation and RCM pages (3.3, 3.5)

ALIGN_LEFT = const(0)
ALIGN_RIGHT = const(1)
ALIGN_CENTRE = const(2)
ALIGN_FRAMED = const(3)        # menu: first char at x = 0, last at 120, the rest centred (2.6)

# One tuple per layout: (slots, horizontal lines at these y). A slot is
# (row, scale, align, x): small text (scale 1) on row r covers y = 8r..8r+7, big text
# (scale 2) rows r and r+1. Right-aligned text ends its 6 px cell at x = 128, so its ink
# ends on column 126 as the original's right alignment at 127 did.
LAYOUT_STATUS = const(0)
LAYOUT_BIG = const(1)
LAYOUT_NOTE = const(2)
LAYOUT_MENU = const(3)
LAYOUT_MENU_HELP = const(4)
LAYOUT_HOLD = const(5)
LAYOUT_PHASES = const(6)
LAYOUTS = (
    (((0, 1, ALIGN_LEFT, 0), (0, 1, ALIGN_RIGHT, 128), (2, 1, ALIGN_LEFT, 0),
      (3, 1, ALIGN_LEFT, 0), (4, 1, ALIGN_LEFT, 0), (5, 1, ALIGN_LEFT, 0),
      (7, 1, ALIGN_LEFT, 0)), (10, 52)),
    (((0, 2, ALIGN_CENTRE, 64), (2, 2, ALIGN_CENTRE, 64), (4, 2, ALIGN_CENTRE, 64),
      (6, 2, ALIGN_CENTRE, 64)), ()),
    (((0, 2, ALIGN_CENTRE, 64), (3, 1, ALIGN_LEFT, 0), (4, 1, ALIGN_LEFT, 0),
      (5, 1, ALIGN_LEFT, 0), (6, 1, ALIGN_LEFT, 0), (7, 1, ALIGN_LEFT, 0)), (20,)),
    (((0, 1, ALIGN_LEFT, 0), (0, 1, ALIGN_RIGHT, 128), (2, 2, ALIGN_FRAMED, 0),
      (4, 2, ALIGN_FRAMED, 0), (7, 1, ALIGN_LEFT, 0), (7, 1, ALIGN_RIGHT, 128)), (10, 52)),
    (((0, 1, ALIGN_LEFT, 0), (0, 1, ALIGN_RIGHT, 128), (2, 2, ALIGN_LEFT, 2),
      (4, 2, ALIGN_FRAMED, 0), (7, 1, ALIGN_LEFT, 0), (7, 1, ALIGN_RIGHT, 128)), (10, 52)),
    (((2, 2, ALIGN_CENTRE, 64), (4, 2, ALIGN_CENTRE, 64)), (10, 52)),
    (((0, 1, ALIGN_LEFT, 0), (0, 1, ALIGN_RIGHT, 128), (2, 1, ALIGN_LEFT, 4),
      (3, 1, ALIGN_LEFT, 4), (4, 1, ALIGN_LEFT, 4), (5, 1, ALIGN_LEFT, 4),
      (7, 1, ALIGN_LEFT, 0)), (10, 52)),
)

_ERROR_ROWS = (
    (EV_NOCOMM, ("CAN'T READ", "EV METER", "CHECK CFG", "OR WIRING")),
    (CT_NOCOMM, ("ERROR NO", "SERIAL COM", "CHECK CFG", "OR WIRING")),
    (TEMP_HIGH, ("HIGH TEMP", "ERROR", "CHARGING", "STOPPED")),
    (RCM_TRIPPED, ("RESIDUAL", "FAULT", "CURRENT", "DETECTED")),
    (TEST_IO, ("", "IO Test", "FAILED!", "")),
    (BL_FLASH, ("", "BOOTLOADER", "UPDATE ERR", "")),
)
_CT_API_ROWS = ("CAN'T READ", "MAINS METER", "CHECK CFG", "OR WIRING")
_RCM_PAGE_B = ("PRESS", "BUTTON", "TO", "RESET")


class Screen:
    """A layout and the text of each of its slots."""

    def __init__(self, layout):
        self.layout = layout
        self.texts = [""] * len(LAYOUTS[layout][0])
        self.cursor_x = -1               # LCD PIN underline at this x (2.4), -1 = none

    def set(self, texts):
        """Copy a sequence of slot texts in (missing slots become blank)."""
        for i in range(len(self.texts)):
            self.texts[i] = texts[i] if i < len(texts) else ""

    def lines(self):
        return text_lines(self.layout, self.texts)


def text_lines(layout, texts):
    """A layout's slot texts as 8 rows of text (a big slot fills its first row)."""
    left = [""] * 8
    right = [""] * 8
    slots = LAYOUTS[layout][0]
    for i in range(len(slots)):
        row, _, align, _ = slots[i]
        if align == ALIGN_RIGHT:
            right[row] = texts[i]
        elif align == ALIGN_FRAMED and texts[i]:
            text = texts[i]
            left[row] = text[0] + text[1:-1].center(8) + text[-1]
        else:
            left[row] = texts[i]
    for row in range(8):
        if right[row]:
            gap = ROW_CHARS - len(left[row]) - len(right[row])
            left[row] = left[row] + " " * (gap if gap > 1 else 1) + right[row]
    return left


class StatusView:
    """The controller values the screens read, as plain attributes (units in the names).

    `ScreenModel.update(app, ...)` fills one from the app; tests and other callers may
    fill it themselves and call `ScreenModel.compose(view, now_s)`.
    """

    def __init__(self):
        self.state_id = STATE_A
        self.error_flags = 0
        self.access = ACCESS_ON
        self.mode = MODE_NORMAL
        self.offered_da = 0              # current offered to this EVSE (Balanced[0])
        self.mains_limit_a = 25          # MAINS setting, per phase
        self.mains_meter_type = 0        # 0 = no mains meter
        self.mains_da = None             # mains phase currents (dA), None = unknown
        self.mains_power_w = None        # signed mains power, None = unknown
        self.ev_meter_type = 0           # 0 = no EV meter
        self.ev_da = None                # EV meter L1 current (dA)
        self.ev_phases_da = None         # EV meter currents L1-L3 (dA), the D9 page
        self.ev_power_w = 0
        self.session_wh = None           # session energy; None = no session since boot
        self.session_live = False
        self.charge_delay_s = 0
        self.phases = 3                  # phases in use
        self.phase_switch_to = 0         # 0 none, 1 or 3: a pending switch to 1P / 3P
        self.grid_relay_open = False
        self.solar_stop_timer_s = 0
        self.max_sum_mains_timer_s = 0
        self.lock_error = False
        self.rfid_reader = 0
        self.rfid_status = 0
        self.start_s = 0                 # delayed start (local epoch s), 0 = none
        self.now_s = None                # local epoch s, None = clock not set

    def read(self, app):
        """Copy the values from the app (smartevse/app.py, once per second)."""
        evse = app.evse
        values = app.settings.values
        self.state_id = evse.state
        self.error_flags = evse.error_flags
        self.access = evse.access
        self.mode = values["mode"]
        self.offered_da = evse.node_balanced_da[0]          # Balanced[0]: this EVSE
        self.mains_limit_a = values["current_main"]
        self.mains_meter_type = values["mains_meter_type"]
        self.ev_meter_type = values["ev_meter_type"]
        self.rfid_reader = values["rfid_reader"]
        self.mains_da = evse.mains_irms_da if self.mains_meter_type else None
        # Meter power and the session are not in the foundation yet: unknown until then.
        self.mains_power_w = getattr(evse, "mains_power_w", None) if self.mains_meter_type else None
        self.ev_da = evse.ev_irms_da[0] if self.ev_meter_type else None
        self.ev_phases_da = evse.ev_irms_da if self.ev_meter_type else None
        self.ev_power_w = getattr(evse, "ev_power_w", 0)
        self.session_wh = getattr(app, "session_wh", None)
        self.session_live = getattr(app, "session_live", False)
        self.charge_delay_s = evse.charge_delay_s
        self.phases = evse.phases
        self.phase_switch_to = evse.phase_request
        self.grid_relay_open = evse.grid_relay_open
        self.solar_stop_timer_s = evse.solar_stop_timer_s
        self.max_sum_mains_timer_s = evse.max_sum_mains_timer_s
        self.lock_error = app.lock.error
        self.rfid_status = getattr(app, "rfid_status", 0)
        self.start_s = values["starttime"]
        self.now_s = app.now_epoch_s() if self.start_s else None


# --- formatting (integers in, text out; no floats) -----------------------------------

def fmt_d1(value):
    """A tenth-unit integer with one decimal: -32 -> '-3.2', 160 -> '16.0'."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    return "{}{}.{}".format(sign, value // 10, value % 10)


def fmt_kw(watts):
    """Watts as kW with one decimal, rounded: -3249 -> '-3.2'."""
    tenths = (abs(watts) + 50) // 100
    return ("-" if watts < 0 and tenths else "") + fmt_d1(tenths)


def fmt_kwh(wh):
    """Wh as kWh with two decimals, rounded: 4204 -> '4.20'."""
    hundredths = (wh + 5) // 10
    return "{}.{:02d}".format(hundredths // 100, hundredths % 100)


def fmt_mmss(seconds):
    return "{:02d}:{:02d}".format(seconds // 60, seconds % 60)


def iec_letter(state_id, error_flags):
    """Row 0's IEC 61851 state (interfaces.md 0.2): any error but LESS_6A forces E;
    unknown states are F."""
    return iec_state(state_id, error_flags)


def mode_title(access, mode):
    """Row 0's icon and word (3.4)."""
    if access == ACCESS_OFF:
        return ICON_STOPPED + " STOPPED"
    if access == ACCESS_PAUSE:
        return ICON_PAUSED + " PAUSED"
    if mode == MODE_SOLAR:
        return ICON_SOLAR + " SOLAR"
    if mode == MODE_SMART:
        return ICON_SMART + " SMART"
    return ICON_NORMAL + " NORMAL"


# --- screens -------------------------------------------------------------------------

def error_rows(error_flags, mains_meter_type, page_b):
    """The 4 big rows of the error screen (3.3), or None when no error screen applies."""
    for flag, rows in _ERROR_ROWS:
        if not error_flags & flag:
            continue
        if flag == CT_NOCOMM and mains_meter_type in (_METER_API, _METER_HOMEWIZARD):
            return _CT_API_ROWS
        if flag == RCM_TRIPPED:
            if error_flags & RCM_TEST:
                continue                   # the RCM self-test shows no error screen
            return _RCM_PAGE_B if page_b else rows
        return rows
    return None


def _charging_rotation(view):
    """The state-C texts of 3.5 in order; skipped entries are left out (D4: countdown)."""
    stop_s = 0
    if view.mode == MODE_SOLAR:
        for timer_s in (view.solar_stop_timer_s, view.max_sum_mains_timer_s):
            if timer_s and (not stop_s or timer_s < stop_s):
                stop_s = timer_s
    charging = "STOP IN " + fmt_mmss(stop_s) if stop_s else "CHARGING"
    texts = ["{}P CHARGING".format(view.phases)]
    if view.grid_relay_open:
        texts.append("LIMITED")
    texts.append(charging)
    if view.ev_meter_type:
        texts.append(fmt_kw(view.ev_power_w) + " kW")
        if view.session_wh is not None:
            texts.append(fmt_kwh(view.session_wh) + " kWh")
    texts.append(charging)
    return texts


def status_line(view, cycle_s):
    """Row 7 (3.5), first match wins; cycle_s = seconds on the rotation clock."""
    if view.lock_error:
        return "Lock error"
    if view.state_id == STATE_D:
        return "Ventilation required"
    if view.error_flags & LESS_6A and view.access == ACCESS_ON:
        return "WAITING FOR SOLAR" if view.mode == MODE_SOLAR else "WAITING FOR POWER"
    if view.state_id == STATE_C:
        texts = _charging_rotation(view)
        return texts[(cycle_s // ROTATE_S) % len(texts)]
    delay = " {}".format(view.charge_delay_s) if view.charge_delay_s else ""
    if view.phase_switch_to and view.phase_switch_to != view.phases:
        return "{}P -> {}P{}".format(view.phases, view.phase_switch_to, delay)
    if view.access == ACCESS_ON:
        return "READY TO CHARGE" + delay
    if view.access == ACCESS_PAUSE:
        return "PAUSED"
    if 1 <= view.rfid_reader <= 5:
        return "INVALID RFID CARD" if view.rfid_status == _RFID_INVALID else "PRESENT RFID CARD"
    if view.start_s:
        from ui.when import start_at        # loaded with the first delayed start (heap)
        return "START @ " + start_at(view.start_s, view.now_s)
    return "ACCESS DENIED"


def title_row(access, mode):
    return mode_title(access, mode)[:ROW_CHARS - 3]


def ev_row(ev_meter_type, ev_da, offered_da):
    if ev_meter_type and ev_da is not None:
        return "EV   {}A->{}A".format(fmt_d1(offered_da), fmt_d1(ev_da))[:ROW_CHARS]
    return "EV SET {}A".format(fmt_d1(offered_da))[:ROW_CHARS]


def mains_total_da(mains_da):
    """Sum of the mains phase currents in dA, or None when unknown."""
    if mains_da is None:
        return None
    total_da = 0
    for current_da in mains_da:
        total_da += current_da
    return total_da


def main_row(mains_limit_a, total_da):
    if total_da is None:
        return "MAIN {}A->N/A".format(mains_limit_a)[:ROW_CHARS]
    return "MAIN {}A->{}A".format(mains_limit_a, fmt_d1(total_da))[:ROW_CHARS]


def grid_row(mains_power_w):
    if mains_power_w is None:
        return "GRID N/A"
    return "GRID {} kW".format(fmt_kw(mains_power_w))[:ROW_CHARS]


def session_row(session_wh, session_live):
    if session_wh is None:
        return "SESSION N/A"
    session = "SESSION {} {} kWh".format("LIVE" if session_live else "LAST", fmt_kwh(session_wh))
    if len(session) > ROW_CHARS:               # keep the unit whole: "12.35kWh"
        session = session[:-4] + "kWh"
    return session[:ROW_CHARS]


def status_texts(view, cycle_s):
    """The 7 slot texts of the status screen (3.4), each cut to 21 characters."""
    return (title_row(view.access, view.mode),
            iec_letter(view.state_id, view.error_flags),
            ev_row(view.ev_meter_type, view.ev_da, view.offered_da),
            main_row(view.mains_limit_a, mains_total_da(view.mains_da)),
            grid_row(view.mains_power_w),
            session_row(view.session_wh, view.session_live),
            status_line(view, cycle_s)[:ROW_CHARS])


class _Memo:
    """The last text of one row and the values it was made from: while they hold, the
    row is not formatted again (the display service's 1 s allocation budget)."""

    def __init__(self):
        self.a = self.b = self.c = self
        self.text = ""

    def same(self, a, b, c=None):
        if a == self.a and b == self.b and c == self.c:
            return True
        self.a = a
        self.b = b
        self.c = c
        return False


def wrap(text, width, rows):
    """Cut text into at most `rows` lines of `width` characters, breaking at spaces."""
    lines = []
    words = text.split()
    line = ""
    for word in words:
        while len(word) > width:               # a word longer than a line is cut
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line = line + " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines[:rows]


class ScreenModel:
    """Chooses and fills the screen once per second (3.2); holds the rotation clock."""

    def __init__(self):
        self.view = StatusView()
        self.status = Screen(LAYOUT_STATUS)
        self.big = Screen(LAYOUT_BIG)
        self.note = Screen(LAYOUT_NOTE)
        self.phases = Screen(LAYOUT_PHASES)
        self.phase_page = False          # D9: the per-phase page instead of the status
        self.screen = self.big              # boot: a cleared panel (3.8)
        self.fault = None
        self._cycle0_s = 0
        self._memos = [_Memo() for _ in range(len(self.status.texts))]

    def restart_rotation(self, now_s):
        """Any button event restarts the 4 s cycle (3.5 "Rotation clock")."""
        self._cycle0_s = now_s

    def show_fault(self, text):
        """The loop's fail-safe: `ERROR` and the text, shown until `clear_fault()`."""
        self.fault = text
        self.note.set(["ERROR"] + wrap(str(text), ROW_CHARS, 5))
        self.screen = self.note

    def clear_fault(self):
        self.fault = None

    def show_message(self, rows):
        """A one-off big-font screen, e.g. ("", "UPDATE", "INCOMPLETE") for safe mode."""
        self.big.set([str(row) for row in rows])
        self.screen = self.big
        return self.big

    def update(self, app, now_s):
        """Read the app and return the Screen to show now (called once per second)."""
        menu = getattr(app, "menu", None)
        if menu is not None:
            if menu.active:                          # 3.2 rule 1
                self.screen = menu.compose()
                return self.screen
            self.phase_page = menu.phase_page
        self.view.read(app)
        return self.compose(self.view, now_s)

    def compose(self, view, now_s):
        """The Screen for these values (3.2): fault, error screen, else status."""
        if self.fault is not None:
            self.screen = self.note
            return self.note
        cycle_s = now_s - self._cycle0_s
        rows = None
        if view.error_flags & ~LESS_6A:
            rows = error_rows(view.error_flags, view.mains_meter_type,
                              (cycle_s // ROTATE_S) & 1)
        if rows is not None:
            self.big.set(rows)
            self.screen = self.big
        else:
            self._compose_status(view, cycle_s)
            self.screen = self.status
            if self.phase_page:                      # D9: header and footer stay
                from ui.phases import phase_texts    # loaded with the first page (heap)
                texts = self.phases.texts
                texts[0] = self.status.texts[0]
                texts[1] = self.status.texts[1]
                phase_texts(view, texts, fmt_d1)
                texts[6] = self.status.texts[6]
                self.screen = self.phases
        return self.screen

    def _compose_status(self, view, cycle_s):
        """status_texts(view, cycle_s) into the status Screen, formatting only the rows
        whose values changed."""
        texts = self.status.texts
        memos = self._memos
        if not memos[0].same(view.access, view.mode):
            texts[0] = title_row(view.access, view.mode)
        texts[1] = iec_letter(view.state_id, view.error_flags)
        if not memos[2].same(view.ev_meter_type, view.ev_da, view.offered_da):
            texts[2] = ev_row(view.ev_meter_type, view.ev_da, view.offered_da)
        total_da = mains_total_da(view.mains_da)
        if not memos[3].same(view.mains_limit_a, total_da):
            texts[3] = main_row(view.mains_limit_a, total_da)
        if not memos[4].same(view.mains_power_w, 0):
            texts[4] = grid_row(view.mains_power_w)
        if not memos[5].same(view.session_wh, view.session_live):
            texts[5] = session_row(view.session_wh, view.session_live)
        texts[6] = status_line(view, cycle_s)[:ROW_CHARS]

    def text_lines(self):
        return self.screen.lines()
