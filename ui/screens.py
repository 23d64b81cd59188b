"""What the OLED shows outside the menu: which screen, filled once per second
(settings-and-menu.md 3.2, 3.8).

Pure: no displayio, no clock. `ScreenModel.update(app, now_s)` reads the controller once
per second (ui/status_view.py) and fills a `Screen` (ui/layout.py); `ui/oled.py` draws
it. First match wins (3.2): the menu or a "Hold 2 sec" prompt, a fault of the loop's
fail-safe, then the error screens (3.3, ui/error_screen.py), then the status screen (3.4)
with its status line (3.5, ui/status.py), or the per-phase page (D9, ui/phases.py).
"""

from smartevse.core.states import LESS_6A
from ui.error_screen import error_rows
from ui.fmt import fmt_d1, wrap
from ui.layout import (LAYOUT_BIG, LAYOUT_NOTE, LAYOUT_PHASES, LAYOUT_STATUS, ROW_CHARS,
                       Screen)
from ui.status import (ROTATE_S, ev_row, grid_row, iec_letter, main_row, mains_total_da,
                       session_row, status_line, title_row)
from ui.status_view import StatusView


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
