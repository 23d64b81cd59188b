"""Decides the pilot's high and low windows from one burst of ADC samples (charging.md 1.2).

The board reads a burst of raw 16-bit ADC samples into a preallocated array (device: one
`analogbufio` DMA burst per 10 ms tick; host: a burst the simulator builds from the plant's
CP level and duty) and `PilotWindows.split` turns it into the min and max of the high
(+) and low (-) levels in calibrated mV, the four values `classify` reads (1.3):

- PWM off (duty 0 or 1024), or a spread under `MIN_SWING_MV` (no PWM on the wire: CP
  shorted, driver isolated): both windows carry the constant level;
- else the burst is split at the midpoint of its extremes; a sample whose neighbour lies
  on the other side is dropped (guard), because the feedback filter may leave it between
  the two levels; a window that got no sample keeps its last values.

`calibrate` decides whether a one-point gain taken at start-up is trusted. Integers only;
`split` allocates nothing (it runs in the 10 ms path).
"""

from micropython import const

ADC_FULL = const(65535)
REF_MV = const(3300)         # espressif AnalogIn.value = calibrated mV * 65535 / 3300
RAW_FULL_MV = const(3100)    # uncalibrated BufferedIn full scale at 11 dB (S3 datasheet)
MIN_SWING_MV = const(400)    # less spread than this is a constant level, not a PWM
_CAL_RAW_MIN = const(4000)   # a calibration reading outside 4000..62000 is saturated
_CAL_RAW_MAX = const(62000)


class PilotWindows:
    """The four window values in mV, refreshed by `split` once per 10 ms tick."""

    def __init__(self, num=REF_MV, den=ADC_FULL):
        self.high_min_mv = 0
        self.high_max_mv = 0
        self.low_min_mv = 0
        self.low_max_mv = 0
        self.set_scale(num, den)

    def set_scale(self, num, den):
        """mV = raw * num // den; the swing threshold follows the scale."""
        self._num = num
        self._den = den
        self._swing_raw = MIN_SWING_MV * den // num

    def calibrate(self, buf, n, cal_mv):
        """One-point gain from a burst buf[:n] of a constant level that the calibrated
        one-shot ADC read as `cal_mv`. Accepted (True) when the mean raw value is inside
        4000..62000 and cal_mv > 0; otherwise the datasheet scale (False)."""
        raw = 0
        for i in range(n):
            raw += buf[i]
        raw = raw // n if n else 0
        if _CAL_RAW_MIN < raw < _CAL_RAW_MAX and cal_mv > 0:
            self.set_scale(cal_mv, raw)
            return True
        self.set_scale(RAW_FULL_MV, ADC_FULL)
        return False

    def split(self, buf, n, guard, duty_1024):
        """Min/max of the high and low windows of buf[:n] (raw) into the mV attributes.

        guard: 1 drops a sample next to a level change (a DMA burst of consecutive
        samples), 0 keeps every sample (one-shot reads at random phases).
        """
        if n == 0:
            return
        lo = ADC_FULL
        hi = 0
        for i in range(n):
            v = buf[i]
            if v < lo:
                lo = v
            if v > hi:
                hi = v
        num = self._num
        den = self._den
        if duty_1024 == 0 or duty_1024 >= 1024 or hi - lo < self._swing_raw:
            self.high_min_mv = self.low_min_mv = lo * num // den
            self.high_max_mv = self.low_max_mv = hi * num // den
            return
        mid = (lo + hi) >> 1
        h_lo = l_lo = ADC_FULL
        h_hi = l_hi = -1
        for i in range(guard, n - guard):
            v = buf[i]
            if v > mid:
                if guard and (buf[i - 1] <= mid or buf[i + 1] <= mid):
                    continue
                if v < h_lo:
                    h_lo = v
                if v > h_hi:
                    h_hi = v
            else:
                if guard and (buf[i - 1] > mid or buf[i + 1] > mid):
                    continue
                if v < l_lo:
                    l_lo = v
                if v > l_hi:
                    l_hi = v
        if h_hi >= 0:
            self.high_min_mv = h_lo * num // den
            self.high_max_mv = h_hi * num // den
        if l_hi >= 0:
            self.low_min_mv = l_lo * num // den
            self.low_max_mv = l_hi * num // den
