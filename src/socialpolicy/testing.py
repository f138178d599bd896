"""Hypothesis strategies for valid subjects, for property tests here and in downstream CI.

    from hypothesis import given
    from socialpolicy.testing import comments

    @given(comments(labels={"criticism", "complaint"}, platform="x"))
    def test_criticism_is_left(comment): ...

Uniform noise rarely makes a rule fire, so the strategies are biased: labels come in small
themed groups (abuse, misinformation, risks, references ...), times cluster at the working-hour
edges, weekends, England bank holidays and clock changes, counts sit on either side of the
thresholds policies use, account requests are often complete but for one missing item, and
handles carry an organisation's name, a look-alike of it or nothing. Every label, enum value and
boundary is still reachable. Keyword arguments narrow a strategy; they never widen it.

The only module that imports Hypothesis: install the `testing` extra to use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, TypeAlias, TypeVar, get_args
from zoneinfo import ZoneInfo

import holidays
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .subjects import AccountRequest, Comment, StaffPost
from .vocab import (
    COMMENT_LABELS,
    STAFF_POST_LABELS,
    AccountKind,
    AccountPurpose,
    CommentChannel,
    CommentPlatform,
    Employment,
    PostFormat,
    StaffPlatform,
    UserNeedsEvidence,
    did_you_mean,
)

__all__ = ["account_requests", "comments", "staff_posts", "subjects"]

T = TypeVar("T")
Narrow: TypeAlias = T | Iterable[T] | None  # one value, any of several, or (None) everything

#: Themed groups: most subjects draw their labels from one or two of these, so the combinations
#: rules test (abuse that names staff, an FOI request with a real name, a risk out of hours)
#: turn up often. Every label is in at least one group.
COMMENT_LABEL_GROUPS: tuple[tuple[str, ...], ...] = (
    ("targeted_abuse", "hate_speech", "personal_attack", "names_staff", "offensive_username",
     "offensive_profile_image", "encourages_breaches", "platform_terms_breach"),
    ("spam", "repetitive_provocation", "impersonation", "profanity", "illegal", "advertising",
     "personal_details"),
    ("misinformation", "disinformation", "emerging_health_threat", "reputational_risk"),
    ("criticism", "complaint", "names_staff", "media_request", "reputational_risk"),
    ("medical_question", "foi_request", "real_name_discernible", "third_party_enquiry",
     "needs_department"),
    ("foi_request", "real_name_discernible"),
    ("patient_safety_risk", "reputational_risk", "safety_or_care_concern",
     "safeguarding_concern"),
)
STAFF_POST_LABEL_GROUPS: tuple[tuple[str, ...], ...] = (
    ("patient_identifiable", "confidential", "internal_information", "partners_or_suppliers",
     "photo_without_consent", "patient_care", "legal_matter"),
    ("attacks_colleague", "abusive_language", "profanity", "bullying", "discriminatory",
     "defamatory", "picks_fight", "political", "religious"),
    ("criticises_employer", "grievance", "whistleblowing", "speaks_for_employer",
     "commercial_gain"),
    ("media_response", "media_contact_about_post", "official_comment_request",
     "speaks_for_employer", "big_announcement"),
    ("professional_reference", "personal_reference"),
    ("engages_under_13", "minor_friend_request_accepted", "requests_personal_details",
     "child_image_named", "intimate_content"),
    ("uncredited_content", "edited_without_note", "copyright_breach",
     "endorses_inappropriate_content", "big_announcement"),
    ("major_incident_content", "contradicts_partner_agencies", "speaks_for_employer"),
)

#: Organisation names used for handles when the caller gives none: the bundled policies' own.
DEFAULT_NAMES: tuple[str, ...] = (
    "Health Research Authority", "HRA", "Manchester Health and Care Commissioning", "MHCC",
    "Manchester CCG", "MHRA", "Mid and South Essex", "MSE", "MSEICB", "Portsmouth CCG",
    "NHS Portsmouth Clinical Commissioning Group",
)

_LONDON = ZoneInfo("Europe/London")
_YEARS = range(2024, 2028)
_ZONES: tuple[tzinfo, ...] = (
    _LONDON, UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5)),
    ZoneInfo("Asia/Kolkata"),
)
_EDGE_TIMES = (
    time(0, 0), time(1, 30), time(8, 59), time(8, 59, 59, 999999), time(9, 0), time(9, 0, 1),
    time(12, 30), time(16, 59), time(16, 59, 59, 999999), time(17, 0), time(17, 0, 1),
    time(23, 59, 59, 999999),
)
_COMMENT_TEXTS = (
    "", "Thanks for the update", "This service is a shambles", "Why is nobody answering?",
    "Call me on 07700 900123", "Email jo.bloggs@example.com about it",
    "My NHS number is 943 476 5919", "I live at 12 High Street, Southend SS1 1AA",
    "Ring 111 or 999 in an emergency", "Waited 3 hours on 12/03/2026, paid £9.99 to park",
)
_POST_TEXTS = ("", "Proud of our team today", "Great turnout at the clinic",
               "Long shift, but worth it")
_BIOS = ("", "Nurse, runner, dad.", "RTs are not endorsements", "Trust governor",
         "Say hello: jo.bloggs@nhs.net", "Call me on 07700 900123")
#: Common ways of saying "views are my own", and near misses of them.
_DISCLAIMERS = (
    "Views my own.", "Views are my own", "All opinions my own.", "Tweets are personal",
    "Personal views only", "views expressed here are mine", "My own views, not my employer's",
    "Not my own views, obviously", "Read the blog (all opinions personal)",
)
_PEOPLE = ("jo", "sam", "priya", "tom")
_GOOD_CHECKS: tuple[str, ...] = (
    "objectives_and_kpis", "approved_comms_plan", "content_plan", "editorial_purpose",
    "corporate_monitoring", "comms_team_approved", "authorisation_form", "secure_login",
)


# ---- building blocks -------------------------------------------------------------------------


def _weighted(options: Sequence[tuple[T, int]]) -> st.SearchStrategy[T]:
    """A choice with weights; shrinks towards the first option."""
    return st.sampled_from([value for value, weight in options for _ in range(weight)])


def _narrow(name: str, given: Narrow[str], allowed: tuple[str, ...]) -> st.SearchStrategy[str]:
    if given is None:
        return st.sampled_from(allowed)
    values = [given] if isinstance(given, str) else sorted(set(given))
    for value in values:
        if value not in allowed:
            hint = did_you_mean(value, allowed) or "use one of: " + ", ".join(allowed)
            raise InvalidArgument(f"unknown {name} `{value}`; {hint}")
    if not values:
        raise InvalidArgument(f"no {name} to draw from; give at least one, or None for any")
    return st.sampled_from(values)


def _value(given: T | st.SearchStrategy[T] | None, default: st.SearchStrategy[T]
           ) -> st.SearchStrategy[T]:
    if given is None:
        return default
    return given if isinstance(given, st.SearchStrategy) else st.just(given)


def _labels(given: Iterable[str] | None, vocabulary: frozenset[str],
            groups: tuple[tuple[str, ...], ...], kind: str) -> st.SearchStrategy[frozenset[str]]:
    """Labels from one or two themed groups, now and then one more from anywhere."""
    if isinstance(given, str):
        raise InvalidArgument(f"labels must be a collection of {kind} labels, not the string "
                              f"`{given}`; write labels={{{given!r}}}")
    pool = sorted(vocabulary if given is None else set(given))
    for label in pool:
        if label not in vocabulary:
            guess = did_you_mean(label, vocabulary)
            hint = f", {guess}" if guess else ""
            raise InvalidArgument(f"unknown {kind} label `{label}`{hint}")
    if not pool:
        return st.just(frozenset())
    themed = [group for group in (tuple(x for x in g if x in pool) for g in groups) if group]
    themed += [(label,) for label in pool if not any(label in group for group in themed)]
    # Strategies are built once here, not inside draws: building them is most of the cost.
    one_group = st.one_of([st.sets(st.sampled_from(group), min_size=1,
                                   max_size=min(3, len(group))) for group in themed])
    how_many = _weighted([(0, 1), (1, 5), (2, 3)])
    stray = _weighted([(False, 4), (True, 1)])
    anywhere = st.sampled_from(pool)

    @st.composite
    def grouped(draw: st.DrawFn) -> frozenset[str]:
        chosen: set[str] = set()
        for _ in range(draw(how_many)):
            chosen |= draw(one_group)
        if draw(stray):
            chosen.add(draw(anywhere))
        return frozenset(chosen)

    return grouped()


@lru_cache(maxsize=1)
def _edge_days() -> tuple[date, ...]:
    """England bank holidays and clock-change Sundays, each with the days either side."""
    days: set[date] = set()
    one = timedelta(days=1)
    for year in _YEARS:
        for day in holidays.country_holidays("GB", subdiv="ENG", years=year):
            days |= {day - one, day, day + one}
        for month in (3, 10):
            last = date(year, month, 31)
            sunday = last - timedelta(days=(last.weekday() - 6) % 7)
            days |= {sunday - 2 * one, sunday - one, sunday, sunday + one}
    return tuple(sorted(days))


def _local(day: date, at: time, fold: int, zone: tzinfo) -> datetime:
    return datetime.combine(day, at, tzinfo=_LONDON).replace(fold=fold).astimezone(zone)


def _moments() -> st.SearchStrategy[datetime]:
    """A timezone-aware moment, often on a working-hours edge, a holiday or a clock change,
    in GMT and BST, written in one of several offsets."""
    return st.builds(
        _local,
        st.one_of(st.sampled_from(_edge_days()),
                  st.dates(date(_YEARS[0], 1, 1), date(_YEARS[-1], 12, 31))),
        st.one_of(st.sampled_from(_EDGE_TIMES), st.times(),
                  st.times(time(9), time(16, 59, 59, 999999))),
        st.sampled_from((0, 1)),
        st.sampled_from(_ZONES),
    )


def _authors(employment: Narrow[str]) -> st.SearchStrategy[dict[str, Any]]:
    # Most policies cover employees and only some of the rest: employees come up most often.
    anyone = st.one_of(st.just("employee"), st.sampled_from(get_args(Employment)))
    return st.fixed_dictionaries({
        "employment": anyone if employment is None else
        _narrow("employment", employment, get_args(Employment)),
        "is_communications_team": st.booleans(),
    })


_HANDLE_FORMS = ("snake", "camel", "caps", "prefix", "lookalike")


def _handle(person: str, name: str | None, form: str) -> str:
    if name is None:
        return f"@{person}_bloggs"
    words = name.replace("&", "and").split()
    if form == "snake":
        return f"@{person}_" + "_".join(words).lower()
    if form == "camel":
        return f"@{person.title()}" + "".join(w.title() for w in words)
    if form == "caps":
        return f"@{person.title()}Bloggs" + "".join(words).upper()
    if form == "prefix":
        return "@" + "".join(words) + "_nurse"
    # Buried inside an ordinary lower-case word, the name is not a name.
    return f"@{person}" + "".join(words).lower() + "ley"


def _handles(names: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A handle that names the organisation, names a look-alike of it, or names nothing."""
    name: st.SearchStrategy[str | None] = st.none()
    if names:
        name = st.one_of(st.none(), st.sampled_from(names), st.sampled_from(names))
    return st.builds(_handle, st.sampled_from(_PEOPLE), name, st.sampled_from(_HANDLE_FORMS))


def _texts(argument: str, given: Iterable[str]) -> tuple[str, ...]:
    if isinstance(given, str):
        raise InvalidArgument(f"{argument} must be a collection of texts, not the string "
                              f"`{given}`; write {argument}=[{given!r}]")
    return tuple(text for text in given if text.strip())


def _names(names: Iterable[str] | None) -> tuple[str, ...]:
    return DEFAULT_NAMES if names is None else _texts("names", names)


# ---- the strategies --------------------------------------------------------------------------


def comments(
    *,
    labels: Iterable[str] | None = None,
    platform: Narrow[CommentPlatform] = None,
    channel: Narrow[CommentChannel] = None,
    text: str | st.SearchStrategy[str] | None = None,
    posted_at: datetime | st.SearchStrategy[datetime] | None = None,
    author_prior_removals: int | st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy[Comment]:
    """Valid comments. `labels` is the set labels are drawn from (any subset, empty included);
    `platform` and `channel` take one value or several; the rest take a value or a strategy.

    Texts sometimes carry phone numbers, emails, NHS numbers or addresses (which the library
    detects as personal details) and sometimes numbers that are not; narrow `text` to avoid them.
    """
    return st.builds(
        _comment,
        platform=_narrow("platform", platform, get_args(CommentPlatform)),
        channel=_narrow("channel", channel, get_args(CommentChannel)),
        text=_value(text, st.one_of(st.sampled_from(_COMMENT_TEXTS), st.text(max_size=40))),
        author=st.sampled_from([f"@{p}_{n}" for p in _PEOPLE for n in ("123", "smith")]),
        posted_at=_value(posted_at, _moments()),
        labels=_labels(labels, COMMENT_LABELS, COMMENT_LABEL_GROUPS, "comment"),
        author_prior_removals=_value(author_prior_removals, st.one_of(
            _weighted([(0, 3), (1, 3), (2, 2), (3, 1), (4, 1), (5, 1)]),
            st.integers(6, 1000))),
    )


def _comment(**fields: Any) -> Comment:
    return Comment.model_validate(fields)


def staff_posts(
    *,
    labels: Iterable[str] | None = None,
    platform: Narrow[StaffPlatform] = None,
    format: Narrow[PostFormat] = None,
    kind: Narrow[AccountKind] = None,
    employment: Narrow[Employment] = None,
    about_employer: bool | None = None,
    text: str | st.SearchStrategy[str] | None = None,
    posted_at: datetime | st.SearchStrategy[datetime] | None = None,
    names: Iterable[str] | None = None,
    disclaimers: Iterable[str] = (),
) -> st.SearchStrategy[StaffPost]:
    """Valid staff posts. `kind` narrows the account kind, `employment` the author's; `names`
    are the organisation names handles may carry (default: the bundled policies' names) and
    `disclaimers` extra wordings bios and texts may carry (pass a policy's own wordings)."""
    wordings = _texts("disclaimers", disclaimers)
    org = _names(names)
    account = st.fixed_dictionaries({
        "handle": _handles(org),
        "display_name": st.one_of(st.just("Jo Bloggs"),
                                  st.sampled_from(org).map(lambda n: f"Jo Bloggs | {n}")
                                  if org else st.just("")),
        "bio": st.one_of(st.sampled_from(_BIOS), st.sampled_from(_DISCLAIMERS + wordings),
                         st.sampled_from(org).map(lambda n: f"Official account of {n}")
                         if org else st.just(""),
                         st.sampled_from(org).map(lambda n: f"Analyst at {n}")
                         if org else st.just("")),
        "kind": _narrow("account kind", kind, get_args(AccountKind)),
        "public": _weighted([(True, 3), (False, 1)]),
        "uses_org_branding": st.booleans(),
        "has_branding_dispensation": st.booleans(),
        "known_to_comms_team": st.booleans(),
    })
    return st.builds(
        _staff_post,
        platform=_narrow("platform", platform, get_args(StaffPlatform)),
        format=_narrow("format", format, get_args(PostFormat)),
        text=_value(text, _weighted([(_POST_TEXTS, 2), (_DISCLAIMERS + wordings, 1)]).flatmap(
            st.sampled_from)),
        posted_at=_value(posted_at, _moments()),
        account=account,
        author=_authors(employment),
        about_employer=_value(about_employer, st.booleans()),
        labels=_labels(labels, STAFF_POST_LABELS, STAFF_POST_LABEL_GROUPS, "staff-post"),
    )


def _staff_post(**fields: Any) -> StaffPost:
    return StaffPost.model_validate(fields)


_SPOILERS: tuple[tuple[str, Any], ...] = (
    *((name, False) for name in _GOOD_CHECKS),
    ("internal_comms", True), ("stakeholder_group", None), ("user_needs_evidence", "hearsay"),
    ("operational_need", None), ("proposed_handle", "@jo_bloggs"),
)


def _complete(handle: str | None, spoiled: tuple[str, Any] | None) -> dict[str, Any]:
    fields = dict.fromkeys(_GOOD_CHECKS, True) | {
        "internal_comms": False, "stakeholder_group": "patients and carers",
        "user_needs_evidence": "research", "operational_need": "a joint campaign",
        "proposed_handle": handle,
    }
    if spoiled is not None:
        fields[spoiled[0]] = spoiled[1]
    return fields


def _request_details(org: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """Either every field independent, or a complete request with at most one thing missing:
    the near misses that acceptance criteria are about."""
    independent = st.fixed_dictionaries({
        **{name: st.booleans() for name in (*_GOOD_CHECKS, "internal_comms")},
        # Blank text counts as missing: half the time it is there, half missing or blank.
        "stakeholder_group": st.sampled_from((None, "", "patients", "patients and carers")),
        "user_needs_evidence": st.sampled_from(get_args(UserNeedsEvidence)),
        "operational_need": st.sampled_from((None, " ", "a campaign", "a joint campaign")),
        "proposed_handle": st.one_of(st.none(), st.just(""), _handles(org)),
    })
    complete = st.builds(_complete, _handles(org) if org else st.none(),
                         st.one_of(st.none(), st.sampled_from(_SPOILERS)))
    return st.one_of(independent, complete)


def account_requests(
    *,
    platform: Narrow[StaffPlatform] = None,
    purpose: Narrow[AccountPurpose] = None,
    employment: Narrow[Employment] = None,
    checks_per_day: int | st.SearchStrategy[int] | None = None,
    names: Iterable[str] | None = None,
) -> st.SearchStrategy[AccountRequest]:
    """Valid account requests; `employment` narrows the requester's, `names` are the organisation
    names a proposed handle may carry (default: the bundled policies' names)."""
    org = _names(names)
    return st.builds(
        _account_request,
        platform=_narrow("platform", platform, get_args(StaffPlatform)),
        purpose=_narrow("purpose", purpose, get_args(AccountPurpose)),
        requested_by=_authors(employment),
        checks_per_day=_value(checks_per_day, st.one_of(st.integers(0, 5), st.integers(6, 50))),
        details=_request_details(org),
    )


def _account_request(details: dict[str, Any], **fields: Any) -> AccountRequest:
    return AccountRequest.model_validate(details | fields)


def subjects(*, names: Iterable[str] | None = None, disclaimers: Iterable[str] = ()
             ) -> st.SearchStrategy[Comment | StaffPost | AccountRequest]:
    """A subject of any kind."""
    return st.one_of(comments(), staff_posts(names=names, disclaimers=disclaimers),
                     account_requests(names=names))
