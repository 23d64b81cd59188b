"""Control pilot and proximity pilot: duty from a current, level from an ADC window, cable rating.

Decides what the CP PWM duty is for an offered current (charging.md 1.1), which CP level a
window of ADC samples shows (1.3, v3 ESP32 thresholds, first match wins) and what current the
cable's PP resistor allows (7, with 680 ohm = 20 A per 12 D3). Pure integer functions, safe in
the 10 ms path: no allocation, no floats.
"""

from micropython import const

PILOT_NOK = const(0)      # window straddles two bands, noise, -12 V missing (F / invalid)
PILOT_DIODE = const(1)    # -12 V present on the low half: the EV's diode is there
PILOT_3V = const(3)       # D: ventilation requested
PILOT_6V = const(6)       # C: EV requests power
PILOT_9V = const(9)       # B: EV connected
PILOT_12V = const(12)     # A: no EV
PILOT_SHORT = const(255)  # about 0 V: CP shorted to PE or open driver (E)

DUTY_OFF_1024 = const(1024)   # constant +12 V: PWM off (A, B1, C1, D)
DUTY_MINUS12_1024 = const(0)  # constant -12 V: ACTSTART (charging.md 2.9)


def duty_from_current(current_da):
    """Duty in 1/1024 for an offered current in dA (charging.md 1.1).

    Per-mille first, then scaled, both truncating: bit-exact with the firmware's floats.
    Out of range (0, < 6 A, > 80 A) gives the 6 A duty: stopping an EV is a state
    (C1/B1, PWM off), never a current of 0.
    """
    if 60 <= current_da <= 510:
        permille = current_da * 10 // 6
    elif 511 <= current_da <= 800:
        permille = current_da * 2 // 5 + 640
    else:
        permille = 100
    return permille * 1024 // 1000


def classify(min_mv, max_mv):
    """PILOT_* level of a 25-sample window given as its min and max in ADC mV (charging.md 1.3)."""
    if min_mv >= 3055:
        return PILOT_12V
    if min_mv >= 2735 and max_mv < 3055:
        return PILOT_9V
    if min_mv >= 2400 and max_mv < 2735:
        return PILOT_6V
    if min_mv >= 2000 and max_mv < 2400:
        return PILOT_3V
    if min_mv >= 1600 and max_mv < 2000:
        return PILOT_SHORT
    if min_mv > 100 and max_mv < 300:
        return PILOT_DIODE
    return PILOT_NOK


def cable_rating_a(pp_mv):
    """Cable current rating in A from the proximity-pilot mV of a socket (charging.md 7, 12 D3)."""
    if 1200 < pp_mv < 1400:
        return 20     # 680 ohm: IEC 61851-1 Table B.2 (fork and upstream read 16 A)
    if 500 < pp_mv < 700:
        return 32     # 220 ohm
    if 200 < pp_mv < 400:
        return 63     # 100 ohm
    return 13         # 1.5 kohm, open or out of band: the safe, lowest rating
