"""The time of a delayed start on the status line (settings-and-menu.md 3.5 `START @`).

Pure: local epoch seconds in, text out; the calendar is computed here (no time module).
"""

from micropython import const

_DAY_S = const(86400)
_DAYS = "ThuFriSatSunMonTueWed"          # 1970-01-01 was a Thursday
_MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec"


def day_of_month(days):
    """(day, month 1..12) of `days` since 1970-01-01 (civil calendar, H. Hinnant)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return day, month


def start_at(start_s, now_s):
    """`HH:MM` within 24 h, `Www D HH:MM` within 7 days, else `Www D Mmm`; `later...`
    while the clock is not set (now_s None)."""
    if now_s is None:
        return "later..."
    days = start_s // _DAY_S
    second = start_s - days * _DAY_S
    hhmm = "%02d:%02d" % (second // 3600, second // 60 % 60)
    ahead_s = start_s - now_s
    if ahead_s < _DAY_S:
        return hhmm
    weekday = days % 7 * 3
    day, month = day_of_month(days)
    head = _DAYS[weekday:weekday + 3] + " " + str(day) + " "
    if ahead_s < 7 * _DAY_S:
        return head + hhmm
    return head + _MONTHS[month * 3 - 3:month * 3]
