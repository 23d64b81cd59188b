"""Status LED: which colour and animation the RGB LED shows (settings-and-menu.md 5).

Standard scheme (5.2) and Public scheme (5.3), first match wins; the exact 8-bit counter
arithmetic of 5.4, advanced by step x elapsed/10 so a 20 ms service keeps the periods of
the original 10 ms one (decision D8). "Lock error" shows the error pattern (charging.md
12 D12). Pure logic: the app writes `r, g, b` to the pixel when `step` says they changed.

OCPP overrides are inputs set by the OCPP service: `ocpp_notify(kind)` for a card read
("card") or a transaction notification ("authorized", "rejected" = rejected/de-authorised/
reservation conflict, "timeout" = authorisation or connection timeout), and the attribute
`ocpp_status` ("none", "reserved", "unavailable", "faulted").
"""
from micropython import const

from smartevse.core.states import (ACCESS_OFF, LEDMODE_PUBLIC, MODE_SMART, MODE_SOLAR, RFID_DISABLED,
                                   RFID_REMOTE, STATE_A, STATE_B, STATE_B1, STATE_C)

_STATE_MODEM_REQUEST = const(11)
_STATE_MODEM_WAIT = const(12)
_STATE_MODEM_DENIED = const(14)

# Error flags that flash red (5.2); LESS_6A and others only blink.
_FLASH_ERRORS = const(0x1E)    # CT_NOCOMM | TEMP_HIGH | EV_NOCOMM | RCM_TRIPPED

# 5.4 brightness constants and counter steps (per 10 ms).
_BRIGHT_A = const(40)
_BRIGHT_FULL = const(255)
_FLASH_STEP = const(20)
_FLASH_ON_ABOVE = const(128)
_BLINK_STEP = const(2)
_BLINK_ON_ABOVE = const(230)
_BREATHE_STEP = const(2)
_BREATHE_STEP_SOLAR = const(1)
_BREATHE_START = const(128)

# OCPP override windows (5.2/5.3), ms.
_CARD_MS = const(200)
_AUTHORIZED_MS = const(1000)
_REJECTED_MS = const(2000)
_TIMEOUT_MS = const(300)
_AGE_CAP_MS = const(60000)

_P_OTHER = const(0)
_P_BREATHE = const(1)


def tri(c):
    """Triangle wave of the 8-bit counter (5.4): 0..254."""
    if c < 128:
        return 2 * c
    return 2 * (255 - c)


def ease(i):
    """Quadratic ease-in-out of an 8-bit value (5.4, FastLED ease8InOutQuad)."""
    j = i if i < 128 else 255 - i
    r = ((j * (j + 1)) >> 8) * 2 & 0xFF
    return r if i < 128 else 255 - r


class StatusLed:
    """RGB status LED patterns (settings-and-menu.md 5)."""

    def __init__(self, settings):
        self._settings = settings
        self._count = 0            # the 8-bit animation counter c (5.4)
        self._pwm = 0              # last brightness (kept in states without a rule)
        self._rest_ms = 0          # elapsed time not yet turned into 10 ms counter steps
        self._pattern = _P_OTHER
        self.r = 0
        self.g = 0
        self.b = 0
        self.ocpp_status = "none"
        self.ocpp_tx = "none"
        self._card_age_ms = _AGE_CAP_MS
        self._tx_age_ms = _AGE_CAP_MS

    def ocpp_notify(self, kind):
        """Start an OCPP flash: "card", "authorized", "rejected" or "timeout" (5.2)."""
        if kind == "card":
            self._card_age_ms = 0
        else:
            self.ocpp_tx = kind
            self._tx_age_ms = 0

    def step(self, elapsed_ms, state, error_flags, access, mode, charge_delay_s,
             custom_button, lock_error=False):
        """Compute the colour after `elapsed_ms` of time; returns True when r, g, b changed.

        state: state id; error_flags: the 8 flag bits; access 0 OFF, 1 ON, 2 PAUSE;
        mode 0 Normal, 1 Smart, 2 Solar; charge_delay_s: ChargeDelay; custom_button and
        lock_error: bools.
        """
        self._rest_ms += elapsed_ms
        ticks = self._rest_ms // 10
        self._rest_ms -= ticks * 10
        if self._card_age_ms < _AGE_CAP_MS:        # ages stop at the cap: stay small ints
            self._card_age_ms += elapsed_ms
        if self._tx_age_ms < _AGE_CAP_MS:
            self._tx_age_ms += elapsed_ms
        old_r = self.r
        old_g = self.g
        old_b = self.b
        pattern = _P_OTHER
        values = self._settings.values
        if values["ledmode"] == LEDMODE_PUBLIC:
            if not self._ocpp_override(True):
                pattern = self._public(ticks, state, error_flags, charge_delay_s,
                                       lock_error)
        else:
            reader = values["rfid_reader"]
            if not ((values["ocpp_mode"] and (reader == RFID_DISABLED or reader == RFID_REMOTE)
                     and self._ocpp_override(False))):
                pattern = self._standard(ticks, state, error_flags, access, mode,
                                         charge_delay_s, custom_button, lock_error)
        self._pattern = pattern
        return self.r != old_r or self.g != old_g or self.b != old_b

    def _ocpp_override(self, public):
        """Apply an OCPP override colour if one is due; returns True when it did."""
        tx = self.ocpp_tx
        status = self.ocpp_status
        age = self._tx_age_ms
        if self._card_age_ms < _CARD_MS:
            self._set(128, 128, 128)
        elif tx == "authorized" and age < _AUTHORIZED_MS:
            self._set(0, 255, 0)
        elif (tx == "rejected" and age < _REJECTED_MS) or (tx == "timeout" and age < _TIMEOUT_MS):
            self._set(255, 0, 0)
        elif status == "reserved":
            if public:
                self._set(255, 128, 0)
            else:
                self._set(196, 64, 0)
        elif status == "unavailable" or status == "faulted":
            self._set(255, 0, 0)
        else:
            return False
        return True

    def _standard(self, ticks, state, error_flags, access, mode, charge_delay_s,
                  custom_button, lock_error):
        """Standard scheme (5.2); returns the pattern id."""
        values = self._settings.values
        if error_flags & _FLASH_ERRORS or lock_error:
            self._count = (self._count + _FLASH_STEP * ticks) & 0xFF
            self._set(_BRIGHT_FULL if self._count > _FLASH_ON_ABOVE else 0, 0, 0)
            return _P_OTHER
        if access == ACCESS_OFF and custom_button:
            self._set_rgb(values["color_custom"], _BRIGHT_FULL)
            return _P_OTHER
        if access == ACCESS_OFF or state == _STATE_MODEM_DENIED:
            self._set_rgb(values["color_off"], _BRIGHT_FULL)
            return _P_OTHER
        if custom_button:
            colour = values["color_custom"]
        elif mode == MODE_SOLAR:
            colour = values["color_solar"]
        elif mode == MODE_SMART:
            colour = values["color_smart"]
        else:
            colour = values["color_normal"]
        if error_flags or charge_delay_s:
            self._pwm = self._blink(ticks)
        elif state == STATE_C:
            step = _BREATHE_STEP_SOLAR if mode == MODE_SOLAR else _BREATHE_STEP
            self._pwm = self._breathe(ticks, step)
            self._set_rgb(colour, self._pwm)
            return _P_BREATHE
        else:
            self._steady(state)
        self._set_rgb(colour, self._pwm)
        return _P_OTHER

    def _public(self, ticks, state, error_flags, charge_delay_s, lock_error):
        """Public scheme (5.3); returns the pattern id. Lock error counts as an error."""
        if error_flags or charge_delay_s or lock_error:
            pwm = self._blink(ticks)
            self._set(pwm, pwm // 2, 0)
            return _P_OTHER
        if state == STATE_C:
            self._pwm = self._breathe(ticks, _BREATHE_STEP)
            self._set(0, 0, self._pwm)
            return _P_BREATHE
        if state == STATE_A:
            self._pwm = _BRIGHT_A
            self._set(0, _BRIGHT_A, 0)
        elif self._steady(state):
            self._set(0, 0, self._pwm)
        else:
            self._set(0, 0, 0)         # no rule for this state: dark (as the fork)
        return _P_OTHER

    def _steady(self, state):
        """Brightness for A and B-like states; returns False for states without a rule.

        Other states (D, C1, COMM_*, ACTSTART) keep the last brightness, as the fork does.
        """
        if state == STATE_A:
            self._pwm = _BRIGHT_A
        elif (state == STATE_B or state == STATE_B1 or state == _STATE_MODEM_REQUEST
              or state == _STATE_MODEM_WAIT):
            self._pwm = _BRIGHT_FULL
            self._count = _BREATHE_START
        else:
            return False
        return True

    def _blink(self, ticks):
        """Waiting blink (5.4): full brightness while c > 230, c += 2 per 10 ms."""
        self._count = (self._count + _BLINK_STEP * ticks) & 0xFF
        return _BRIGHT_FULL if self._count > _BLINK_ON_ABOVE else 0

    def _breathe(self, ticks, step):
        """Breathing (5.4): ease(tri(c)); c restarts at 128 when the breathing begins."""
        if self._pattern != _P_BREATHE:
            self._count = _BREATHE_START
        self._count = (self._count + step * ticks) & 0xFF
        return ease(tri(self._count))

    def _set_rgb(self, colour, pwm):
        """Scale a 0xRRGGBB colour by brightness pwm: channel = pwm x colour / 255."""
        self.r = pwm * ((colour >> 16) & 0xFF) // 255
        self.g = pwm * ((colour >> 8) & 0xFF) // 255
        self.b = pwm * (colour & 0xFF) // 255

    def _set(self, r, g, b):
        self.r = r
        self.g = g
        self.b = b
