"""`START @ <when>` on the status line while a delayed start waits (settings-and-menu.md 3.5)."""
import datetime

import pytest

from sim import Simulation
from ui.when import start_at


def _epoch(text):
    return int(datetime.datetime.fromisoformat(text)
               .replace(tzinfo=datetime.timezone.utc).timestamp())


@pytest.mark.parametrize("start, shown", [
    ("2026-01-01T21:30", "START @ 21:30"),             # within 24 h
    ("2026-01-06T07:30", "START @ Tue 6 07:30"),       # within 7 days
    ("2026-02-20T07:30", "START @ Fri 20 Feb"),        # later
])
def test_a_delayed_start_shows_when_it_starts(start, shown):
    """Given local time 2026-01-01 08:00, when a start time is posted over REST, then access
    is OFF and row 7 reads `START @` with HH:MM, `Www D HH:MM` or `Www D Mmm` (3.5)."""
    s = Simulation(start="2026-01-01T08:00:00")
    s.rest("POST", "/settings", {"starttime": start})
    s.advance(2)
    assert s.display_text()[7] == shown
    assert "STOPPED" in s.display_text()[0]


def test_without_a_clock_the_start_reads_later():
    """Given the clock not set, then the start is `later...` (3.5)."""
    assert start_at(_epoch("2026-01-01T21:30"), None) == "later..."


def test_leap_days_and_year_ends_name_the_right_day():
    """Given dates across a leap day and a new year, then weekday, day and month are the
    calendar's (checked against Python's datetime)."""
    now = _epoch("2027-12-20T00:00")
    for text in ("2028-02-29T06:00", "2028-03-01T06:00", "2028-01-01T00:00"):
        when = datetime.datetime.fromisoformat(text)
        assert start_at(_epoch(text), now) == "%s %d %s" % (
            when.strftime("%a"), when.day, when.strftime("%b"))
