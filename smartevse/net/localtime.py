"""Local time from UTC: a fixed offset and the EU summer-time rule (pure; interfaces.md 1.1).

CircuitPython has no time-zone database, so settings.toml gives the offset of standard time
in minutes (SMARTEVSE_TZ_OFFSET_MIN, e.g. 60 for CET) and SMARTEVSE_TZ_DST "EU" or "none".
"""

_DAY_S = 86400


def _days_from_civil(y, m, d):
    # days since 1970-01-01 of a Gregorian date (H. Hinnant's algorithm)
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _last_sunday_s(year, month):
    """UTC midnight of the last Sunday of a 31-day month (March, October)."""
    day = _days_from_civil(year, month, 31)
    day -= (day + 4) % 7            # 1970-01-01 was a Thursday: (day + 4) % 7 == 0 on Sundays
    return day * _DAY_S


def year_of(utc_s):
    days = utc_s // _DAY_S + 719468
    era = days // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    return yoe + era * 400 + (1 if mp >= 10 else 0)


def offset_s(utc_s, offset_min, dst):
    """Seconds to add to UTC for local time; EU summer time runs from 01:00 UTC on the
    last Sunday of March to 01:00 UTC on the last Sunday of October."""
    offset = offset_min * 60
    if dst == "EU":
        year = year_of(utc_s)
        if _last_sunday_s(year, 3) + 3600 <= utc_s < _last_sunday_s(year, 10) + 3600:
            offset += 3600
    return offset
