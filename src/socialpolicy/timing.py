"""Working-time arithmetic: when is someone at their desk, and when is a reply due (DESIGN 6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@lru_cache(maxsize=64)
def _bank_holidays(subdivision: str, year: int) -> frozenset[date]:
    # The package ships its calendars; nothing is downloaded.
    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year))


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """Office hours in one time zone: `start` inclusive, `end` exclusive."""

    timezone: str = "Europe/London"
    start: time = time(9, 0)
    end: time = time(17, 0)
    days: frozenset[int] = frozenset(range(5))  # Monday is 0
    holidays: str | None = "ENG"
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_zone", ZoneInfo(self.timezone))

    def is_working_day(self, day: date) -> bool:
        if day.weekday() not in self.days:
            return False
        return self.holidays is None or day not in _bank_holidays(self.holidays, day.year)

    def is_working_time(self, moment: datetime) -> bool:
        local = self.local(moment)
        return self.is_working_day(local.date()) and self.start <= local.time() < self.end

    def local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("working-time arithmetic needs a timezone-aware datetime")
        return moment.astimezone(self._zone)

    def next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def clock_start(self, received: datetime) -> datetime:
        """When the response clock starts: at receipt in working time, else the next opening."""
        local = self.local(received)
        if self.is_working_time(local):
            return local
        day = local.date()
        if not (self.is_working_day(day) and local.time() < self.start):
            day = self.next_working_day(day)
        return datetime.combine(day, self.start, tzinfo=self._zone)

    def add_working_days(self, received: datetime, days: int) -> datetime:
        """`days` working days after the clock starts, at the same time of day."""
        start = self.clock_start(received)
        day = start.date()
        for _ in range(days):
            day = self.next_working_day(day)
        return datetime.combine(day, start.timetz().replace(tzinfo=None), tzinfo=self._zone)
