"""Working-time arithmetic: when is someone at their desk, and when is a reply due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

_DUE_LIMIT = 4096  # deadlines remembered per working-hours calendar

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@lru_cache(maxsize=64)
def _bank_holidays(subdivision: str, year: int) -> frozenset[date]:
    # The package ships its calendars; nothing is downloaded. Imported on the first deadline
    # or out-of-hours check: it is one of the heaviest imports a decision needs.
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year))


class CalendarRangeError(ValueError):
    """A moment or deadline that falls outside the dates `datetime` can represent."""


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """Office hours in one time zone: `start` inclusive, `end` exclusive."""

    timezone: str = "Europe/London"
    start: time = time(9, 0)
    end: time = time(17, 0)
    days: frozenset[int] = frozenset(range(5))  # Monday is 0
    holidays: str | None = "ENG"
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    #: (local date, where the time of day falls, days) -> (due date, keep the time of day):
    #: every comment decision asks for a deadline, and a batch's comments share few dates.
    _due: dict[tuple[date, int, int], tuple[date, bool]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_zone", ZoneInfo(self.timezone))
        object.__setattr__(self, "_due", {})

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a bank holiday in England."""
        return _is_working_day(self, day)

    def is_working_time(self, moment: datetime) -> bool:
        """Within working hours on a working day, in the office's time zone."""
        local = self.local(moment)
        return self.is_working_day(local.date()) and self.start <= local.time() < self.end

    def local(self, moment: datetime) -> datetime:
        """`moment` in the office's time zone; a naive datetime is a `ValueError`."""
        if moment.tzinfo is None:
            raise ValueError("working-time arithmetic needs a timezone-aware datetime")
        try:
            return moment.astimezone(self._zone)
        except OverflowError:
            raise CalendarRangeError(
                f"`{moment.isoformat()}` cannot be expressed in {self.timezone}: it falls "
                "outside the dates the calendar can represent") from None

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        return _working_days_after(self, day, 1)

    def clock_start(self, received: datetime) -> datetime:
        """When the response clock starts: at receipt in working time, else the next opening."""
        local = self.local(received)
        if self.is_working_day(local.date()) and self.start <= local.time() < self.end:
            return local
        day = local.date()
        if not (self.is_working_day(day) and local.time() < self.start):
            day = self.next_working_day(day)
        return datetime.combine(day, self.start, tzinfo=self._zone)

    def add_working_days(self, received: datetime, days: int) -> datetime:
        """`days` working days after the clock starts, at the same time of day."""
        local = self.local(received)
        moment = local.time()
        day = local.date()
        key = (day, (moment >= self.start) + (moment >= self.end), days)
        found = self._due.get(key)
        if found is None:  # the same reasoning as `clock_start`, on the date alone
            working = self.is_working_day(day)
            in_hours = working and key[1] == 1
            if not (in_hours or (working and key[1] == 0)):
                day = self.next_working_day(day)
            found = (_working_days_after(self, day, days), in_hours)
            if len(self._due) >= _DUE_LIMIT:
                self._due.clear()  # a bound, not an eviction policy: dates rarely spread so far
            self._due[key] = found
        day, keep_time = found
        return datetime.combine(day, moment if keep_time else self.start, tzinfo=self._zone)


# Memoised per calendar day: a batch of decisions asks about the same few dates again and again.
@lru_cache(maxsize=4096)
def _is_working_day(hours: WorkingHours, day: date) -> bool:
    if day.weekday() not in hours.days:
        return False
    return hours.holidays is None or day not in _bank_holidays(hours.holidays, day.year)


@lru_cache(maxsize=4096)
def _working_days_after(hours: WorkingHours, day: date, days: int) -> date:
    try:
        for _ in range(days):
            day += timedelta(days=1)
            while not _is_working_day(hours, day):
                day += timedelta(days=1)
    except OverflowError:
        raise CalendarRangeError(
            f"a deadline {days} working day(s) after {day.isoformat()} falls beyond the last "
            "date the calendar can represent") from None
    return day
