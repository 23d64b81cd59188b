# The capacity tariff (charging.md 4.8, 12 D7; settings CAP PEAK `capacity_limit` in W):
# the mains power of each 15-minute window is accumulated once a second; the headroom is
# the power that may still be drawn for the rest of the window without its average
# passing the limit: (limit x 900 - accumulated W.s) / remaining s, the full limit at the
# window's start. In dA summed over the phases: W x 10 / 230 (D7); the allocation divides
# it by the phase count once (4.6 3d, 3h, 4). Each completed window's average raises the
# month's peak (settings `capacity_monthly_peak`, `capacity_peak_month` YYYYMM), which a
# new month resets. Imported by the app only while a limit is set.
"""Capacity tariff: 15-minute average power and headroom (charging.md 4.8, D7)."""

from micropython import const

from smartevse.regulation.share import cdiv

WINDOW_S = const(900)
_VOLTS = const(230)
_W_PER_DA = const(23)               # 230 V x 0.1 A: power from currents without a power reading
LIMIT_MAX_W = const(25000)
PEAK_MAX_W = const(10000000)        # the stored peak's range (settings table)


def month_of(epoch_s):
    """YYYYMM of a local epoch time in s (civil from days, H. Hinnant's algorithm)."""
    z = epoch_s // 86400 + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return year * 100 + month


def power_w(metered_w, irms_da):
    """The mains power for the window: the meter's, else the phase currents x 23 W/dA (4.8)."""
    if metered_w or not (irms_da[0] or irms_da[1] or irms_da[2]):
        return metered_w
    return (irms_da[0] + irms_da[1] + irms_da[2]) * _W_PER_DA


class Capacity:
    """The window, its last average and the month's peak (4.8)."""

    def __init__(self, monthly_peak_w=0, peak_month=0):
        self.limit_w = 0
        self.accumulated_ws = 0
        self.elapsed_s = 0
        self.window_avg_w = 0
        self.monthly_peak_w = monthly_peak_w
        self.peak_month = peak_month

    def set_limit(self, limit_w):
        """CAP PEAK changed (settings-and-menu.md 1.4): 0 = off, else 1..25000 W."""
        if not 0 <= limit_w <= LIMIT_MAX_W:
            raise ValueError("capacity limit out of range")
        self.limit_w = limit_w

    def tick_1s(self, metered_w, irms_da, now_s):
        """One second of mains power: the meter's W (0 = none), the phase currents (dA),
        the local epoch time (None = unknown). True when the month's peak changed (a new
        peak, or a new month)."""
        changed = False
        month = 0 if now_s is None else month_of(now_s)
        if month and month != self.peak_month:
            self.peak_month = month
            self.monthly_peak_w = 0
            changed = True
        self.accumulated_ws += power_w(metered_w, irms_da)
        self.elapsed_s += 1
        if self.elapsed_s >= WINDOW_S:
            self.window_avg_w = cdiv(self.accumulated_ws, WINDOW_S)
            if self.window_avg_w > self.monthly_peak_w:
                self.monthly_peak_w = min(self.window_avg_w, PEAK_MAX_W)
                changed = True
            self.accumulated_ws = 0
            self.elapsed_s = 0
        return changed

    @property
    def headroom_w(self):
        """The power that may be drawn for the rest of the window (W)."""
        if self.elapsed_s == 0:
            return self.limit_w
        return cdiv(self.limit_w * WINDOW_S - self.accumulated_ws, WINDOW_S - self.elapsed_s)

    def headroom_da(self):
        """The headroom in dA summed over the phases (D7)."""
        return cdiv(self.headroom_w * 10, _VOLTS)
