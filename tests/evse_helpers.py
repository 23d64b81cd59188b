"""Test helpers for the charging core: settings, a CP/PP model of an EV, and a tick clock.

The EV model turns a CP level (V) into the four ADC windows the HAL delivers per 10 ms
(charging.md 1.2) using the nominal levels of 1.3: the high window carries the EV's level,
the low window carries -12 V while the PWM runs (the EV's diode passes only the positive
half), or the constant level while the PWM is off (duty 1024 / 0).
"""

from smartevse.core.evse import Evse
from tests.helpers import make_settings

MV = {12: 3179, 9: 2806, 6: 2434, 3: 2062, 0: 1690, -12: 201}
SPREAD_MV = 10           # half-width of a 25-sample window around the nominal level
NO_DIODE_LOW_MV = 574    # about -9 V: the low half without the EV's diode (not DIODE)


def make_evse(**overrides):
    return Evse(make_settings(**overrides))


class Ev:
    """An EV (or no EV) on the charging cable: CP level in V, diode, PP millivolts."""

    def __init__(self, level_v=12, diode=True, pp_mv=0):
        self.level_v = level_v
        self.diode = diode
        self.pp_mv = pp_mv

    def windows(self, evse):
        """(high_min, high_max, low_min, low_max) in ADC mV for the present CP output."""
        high = MV[self.level_v] if evse.pilot_connected else MV[0]
        if evse.duty_1024 == 0:
            high = low = MV[-12]
        elif evse.duty_1024 >= 1024 or not evse.pilot_connected:
            low = high
        elif self.diode or self.level_v == 12:
            low = MV[-12]
        else:
            low = NO_DIODE_LOW_MV
        return high - SPREAD_MV, high + SPREAD_MV, low - SPREAD_MV, low + SPREAD_MV


def run(evse, ev, ticks=1, rcm_high=False, lock_locked=True):
    """Feed `ticks` 10 ms steps of the EV's windows; returns the OR of the events."""
    events = 0
    for _ in range(ticks):
        hmin, hmax, lmin, lmax = ev.windows(evse)
        events |= evse.tick_10ms(hmin, hmax, lmin, lmax, ev.pp_mv, rcm_high, lock_locked)
    return events


def run_seconds(evse, ev, seconds, temp_c=25, rcm_high=False, lock_locked=True):
    """Simulated time as the app runs it: 100 ticks, the 1 s step, regulation every 2nd s."""
    events = 0
    for second in range(1, seconds + 1):
        events |= run(evse, ev, 100, rcm_high, lock_locked)
        events |= evse.tick_1s(temp_c)
        if second % 2 == 0:
            events |= evse.regulate()
    return events


def plug_in_and_charge(evse, ev):
    """A -> B (9 V), diode seen, then 6 V for the 0.5 s debounce: the EV charges (C)."""
    ev.level_v = 9
    run(evse, ev, 2)
    ev.level_v = 6
    return run(evse, ev, 51)
