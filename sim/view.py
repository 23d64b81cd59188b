"""The simulator's OLED view: the screen text model always runs; the displayio panel
(`sim/display.py`, Blinka) is built only when a picture is first asked for. A view whose
display was taken by another simulation's builds a new one on its next picture, so many
simulations in one process each get theirs.
"""

from ui.backlight import CONTRAST_ON, SLEEP_AFTER_S, contrast
from ui.screens import ScreenModel


class HostView:
    """The simulator's OLED: text always, pixels on demand (the app's `view`)."""

    def __init__(self, faults=None):
        self.model = ScreenModel()
        self.oled = None
        self.contrast = CONTRAST_ON
        self.asleep = False
        self._faults = faults                   # sim.board.PartFaults: "display"

    # the app's view interface (smartevse/app.py)
    def update(self, app, now_s):
        self.model.update(app, now_s)
        self.contrast = contrast(app.backlight_s)          # what the panel would get (3.7)
        self.asleep = app.dark_s >= SLEEP_AFTER_S
        if self._faults is not None:
            self._faults.check("display")       # the panel write a device would do now

    def show_fault(self, text):
        self.model.show_fault(text)

    def clear_fault(self):
        self.model.clear_fault()

    def text_lines(self):
        return self.model.text_lines()

    def reinit(self):
        if self.oled is not None:
            self.oled.reinit()

    # pixels
    def display(self):
        """The OledView on a live HostDisplay, built (or rebuilt) when needed, up to date."""
        if self.oled is None or not self.oled.display.is_current:
            from sim.display import HostDisplay     # displayio (Blinka) only when drawn
            from ui.oled import OledView
            self.oled = OledView(HostDisplay(), self.model)
        self.oled.show(self.model.screen)
        self.oled.backlight(self.contrast, self.asleep)
        return self.oled.display

    def to_image(self):
        return self.display().to_image()

    def frame_1bpp(self):
        """The panel as 64 rows of 128 pixels, MSB first, 1 = lit (REST GET /lcd)."""
        return self.to_image().convert("1").tobytes()

    def save_png(self, path, scale=1):
        self.display().save_png(path, scale)
