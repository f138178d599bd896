"""Checks for the policy's metadata blocks: `topics`, `working_hours`, `example_defaults`,
`public_contacts`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from typing import Any, cast

from .._yaml import Path as YamlPath
from ..timing import WEEKDAYS, WorkingHours
from ..vocab import SUBJECT_KINDS, TOPICS, SubjectKind, did_you_mean
from .check_base import CheckBase
from .model import PublicContacts, Topic

_TOPIC_SUMMARY_MAX = 120
#: The bank-holiday calendars working time can skip: England, Northern Ireland, Scotland, Wales.
_HOLIDAY_REGIONS = ("ENG", "NIR", "SCT", "WLS")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


class MetaChecks(CheckBase):
    """Builds topics, working hours and example defaults."""

    def topics(self, data: Any, clause_ids: set[str]) -> dict[str, Topic]:
        """The comparison topics: fixed keys, so every organisation's column means the same."""
        if data is None:
            return {}
        entry = self.mapping(data, ("topics",), "`topics`", (), tuple(TOPICS))
        result: dict[str, Topic] = {}
        for key, value in (entry or {}).items():
            if key not in TOPICS:
                continue
            path: YamlPath = ("topics", key)
            block = self.mapping(value, path, f"topic `{key}`", ("summary", "cites"))
            if block is None:
                continue
            summary = self.text(block, "summary", path)
            if summary is not None and len(summary) > _TOPIC_SUMMARY_MAX:
                self.report((*path, "summary"), "bad-value",
                            f"topic `{key}` summary is {len(summary)} characters long",
                            f"say the rule in a few words (at most {_TOPIC_SUMMARY_MAX} "
                            "characters); the clauses hold the detail")
                summary = None
            cites = self.cites(block, path, clause_ids) if "cites" in block else ()
            if summary is not None and cites:
                result[key] = Topic(summary, cites, self.position(path))
        return result

    def public_contacts(self, data: Any) -> PublicContacts:
        """The organisation's published contact details, which detectors do not read as
        anyone's personal details: `names`, `domains`, `addresses`, `phones`."""
        if data is None:
            return PublicContacts()
        path: YamlPath = ("public_contacts",)
        keys = ("names", "domains", "addresses", "phones")
        entry = self.mapping(data, path, "`public_contacts`", (), keys)
        if entry is None:
            return PublicContacts()
        lists = [self.text_list(entry, key, path) for key in keys]
        for domain in lists[1]:
            if "@" in domain.strip("@") or "/" in domain or " " in domain.strip():
                self.report((*path, "domains"), "bad-value",
                            f"`{domain}` is not an email domain",
                            "write the part after the @, e.g. `nhs.net`")
        return PublicContacts(*lists)

    def working_hours(self, data: Any) -> WorkingHours | None:
        if data is None:
            return None
        path: YamlPath = ("working_hours",)
        entry = self.mapping(data, path, "`working_hours`", ("timezone", "start", "end", "days"),
                             ("holidays",))
        if entry is None:
            return None
        bounds: list[time] = []
        for key in ("start", "end"):
            match = _TIME.match(str(entry.get(key, "")))
            if not match:
                self.report((*path, key), "bad-value", f"`{entry.get(key)}` is not a time",
                            'write 24-hour time in quotes, e.g. "09:00"')
                return None
            bounds.append(time(int(match[1]), int(match[2])))
        days = entry.get("days")
        if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days):
            self.report((*path, "days"), "bad-value", "`days` must list weekdays",
                        "write e.g. `days: [mon, tue, wed, thu, fri]`")
            return None
        region = entry.get("holidays")
        if region is not None and region not in _HOLIDAY_REGIONS:
            self.report((*path, "holidays"), "bad-value",
                        f"`{region}` is not a UK bank-holiday region",
                        did_you_mean(region, _HOLIDAY_REGIONS)
                        or "use one of " + ", ".join(_HOLIDAY_REGIONS) + ", or null for none")
            return None
        if "timezone" not in entry:
            return None  # reported above as a missing field
        try:
            return WorkingHours(str(entry["timezone"]), bounds[0], bounds[1],
                                frozenset(WEEKDAYS.index(d) for d in days),
                                entry.get("holidays"))
        except Exception as exc:  # an unknown zone: ZoneInfoNotFoundError or ValueError
            self.report((*path, "timezone"), "bad-value",
                        f"unknown time zone `{entry['timezone']}` ({type(exc).__name__})",
                        "use an IANA name such as `Europe/London`")
            return None

    def example_defaults(self, data: Any) -> dict[SubjectKind, Mapping[str, Any]]:
        if data is None:
            return {}
        entry = self.mapping(data, ("example_defaults",), "`example_defaults`", (), SUBJECT_KINDS)
        return {cast(SubjectKind, k): v for k, v in (entry or {}).items()
                if isinstance(v, Mapping)}
