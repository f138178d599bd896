"""Working time and response deadlines (DESIGN 6), with England's bank holidays."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialpolicy.timing import WorkingHours

LONDON = ZoneInfo("Europe/London")
HOURS = WorkingHours()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(("received", "due"), [
    ("2026-04-02T10:00", "2026-04-08T10:00"),  # DESIGN's example: Easter skipped
    ("2026-04-02T18:30", "2026-04-09T09:00"),  # out of hours: clock starts Tue 09:00
    ("2026-04-04T12:00", "2026-04-09T09:00"),  # Saturday of Easter weekend
    ("2026-03-04T08:59", "2026-03-06T09:00"),  # before opening: starts at 09:00 that day
    ("2026-03-04T16:59", "2026-03-06T16:59"),  # last minute of the day
    ("2026-03-04T17:00", "2026-03-09T09:00"),  # closing time is out of hours
    ("2026-12-24T11:00", "2026-12-30T11:00"),  # Christmas; Boxing Day (Sat) moves to Mon 28
])
def test_respond_by_two_working_days(received: str, due: str) -> None:
    assert HOURS.add_working_days(at(received), 2) == at(due)


def test_utc_input_is_judged_in_london_time() -> None:
    # 08:30 UTC in summer is 09:30 in London: working time.
    assert HOURS.is_working_time(datetime.fromisoformat("2026-06-03T08:30:00+00:00"))
    assert not HOURS.is_working_time(datetime.fromisoformat("2026-01-07T08:30:00+00:00"))


def test_bank_holidays_are_not_working_days() -> None:
    assert not HOURS.is_working_day(at("2026-05-04T00:00").date())  # Early May bank holiday
    assert HOURS.is_working_day(at("2026-05-05T00:00").date())


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        HOURS.is_working_time(datetime(2026, 1, 1, 10))


def _day_by_day(hours: WorkingHours, received: datetime, days: int) -> datetime:
    """The deadline counted the slow way: from the clock start, one calendar day at a time."""
    start = hours.clock_start(received)
    day = start.date()
    for _ in range(days):
        day += timedelta(days=1)
        while not hours.is_working_day(day):
            day += timedelta(days=1)
    return datetime.combine(day, start.time(), tzinfo=start.tzinfo)


CALENDARS = [WorkingHours(), WorkingHours("America/New_York", time(8, 30), time(17, 30),
                                          frozenset({0, 1, 2, 3, 5}), None)]


@settings(max_examples=400, deadline=None)
@given(calendar=st.sampled_from(CALENDARS),
       received=st.datetimes(datetime(2024, 1, 1), datetime(2028, 12, 31),
                             timezones=st.just(UTC)),
       days=st.integers(1, 25))
def test_remembered_deadlines_match_the_day_by_day_count(
        calendar: WorkingHours, received: datetime, days: int) -> None:
    # Deadlines are remembered per (local date, part of the day): the time of day must still
    # come from the moment itself when the clock starts at receipt.
    expected = _day_by_day(calendar, received, days)
    assert calendar.add_working_days(received, days) == expected
    assert calendar.add_working_days(received, days).isoformat() == expected.isoformat()
