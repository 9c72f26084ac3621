"""Every trend of a journal, computed by the database.

The dashboard, the trends page, the guidance pages, the weekly review and the
counselor view all call `trends_for`. Each query groups or aggregates in SQL; Python
only lays the per-week rows onto the calendar of weeks in the range.

Entry dates are stored as the user's own local date, so bucketing them by date is
bucketing them in the user's time zone (daylight-saving changes cannot move an entry
to another week).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count, F, Max, Min, Q, Sum, Window
from django.db.models.functions import Coalesce, Lag

from journal.choices import PRESSURING_TACTICS, Approach, Kind, Response, Tactic
from journal.models import (
    Interaction,
    InteractionQuerySet,
    InteractionTactic,
    User,
    contact_tallies,
)
from journal.reports.sql import DaysBetween, WeekStart

RANGES = {
    "4w": ("Last 4 weeks", 4),
    "12w": ("Last 12 weeks", 12),
    "1y": ("Last year", 52),
    "all": ("All time", None),
}
DEFAULT_RANGE = "12w"
# Below this many interactions a rate is shown as counts only, never as a percentage.
MIN_FOR_RATE = 5

PRESSURING = Q(kind=Kind.CONTACT, approach=Approach.PRESSURING)
RESPONSE_TALLIES = {
    f"{approach}__{response}": Count(
        "pk", filter=Q(kind=Kind.CONTACT, approach=approach, response=response)
    )
    for approach in Approach
    for response in Response
}

CACHE_SECONDS = 24 * 60 * 60
ONE_DAY = datetime.timedelta(days=1)
ONE_WEEK = datetime.timedelta(days=7)


@dataclass
class Week:
    start: datetime.date | None
    approachable: int = 0
    pressuring: int = 0
    practical: int = 0
    partner_initiated: int = 0
    me_initiated: int = 0
    space: int = 0
    mood_total: int = 0
    mood_count: int = 0
    pressuring_days: int = 0
    # Days of the week that have begun since the first entry: 7, or fewer for the
    # current week and the journal's first.
    days: int = 7
    tactics: dict[str, int] = field(default_factory=dict)
    # The partner's responses by approach: {"approachable": {"warm": 2, …}, …}.
    responses: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def warm_answers(self) -> int:
        return sum(answers.get(Response.WARM, 0) for answers in self.responses.values())

    @property
    def pressure_free_days(self) -> int:
        return self.days - self.pressuring_days

    def warm_after(self, approach: str) -> Rate:
        answers = self.responses.get(approach, {})
        return Rate(answers.get(Response.WARM, 0), sum(answers.values()))

    @property
    def mood(self) -> float | None:
        return self.mood_total / self.mood_count if self.mood_count else None

    @property
    def contacts(self) -> int:
        return self.approachable + self.pressuring + self.practical

    @property
    def relational(self) -> int:
        """The contacts the article's advice is about: approachable or pressuring,
        not the practical ones (children, money, the house)."""
        return self.approachable + self.pressuring

    @property
    def approachable_share(self) -> float | None:
        return self.approachable / self.relational if self.relational else None

    @property
    def pressuring_tactics(self) -> int:
        return sum(self.tactics.get(tactic, 0) for tactic in PRESSURING_TACTICS)

    @property
    def good_memories(self) -> int:
        return self.tactics.get(Tactic.GOOD_MEMORY, 0)


@dataclass
class Rate:
    """How often the partner answered warmly, with the counts behind it."""

    warm: int
    total: int

    @property
    def value(self) -> float | None:
        return self.warm / self.total if self.total >= MIN_FOR_RATE else None

    def __str__(self) -> str:
        if not self.total:
            return "none logged yet"
        if self.value is None:
            return f"{self.warm} of {self.total}"
        return f"{self.value:.0%} ({self.warm} of {self.total})"


def share(part: int, whole: int) -> str:
    """A share in words: counts below MIN_FOR_RATE, a percentage with counts above."""
    return str(Rate(part, whole))


@dataclass
class Trends:
    start: datetime.date
    end: datetime.date
    weeks: list[Week]
    streak_current: int
    streak_longest: int
    entries: int
    first_entry: datetime.date | None = None

    @cached_property
    def totals(self) -> Week:
        return combine(self.weeks)

    @property
    def since_first_entry(self) -> list[Week]:
        """The weeks from the one holding the first entry: what a chart draws, so that
        a journal younger than the range is not mostly blank."""
        if self.first_entry is None:
            return []
        return [
            week for week in self.weeks if week.start and week.start + ONE_WEEK > self.first_entry
        ]

    @property
    def warm_after_approachable(self) -> Rate:
        return self.totals.warm_after(Approach.APPROACHABLE)

    @property
    def warm_after_pressuring(self) -> Rate:
        return self.totals.warm_after(Approach.PRESSURING)

    def recent(self, weeks: int = 4) -> Week:
        """The last `weeks` weeks, this one included, added up."""
        return combine(self.weeks[-weeks:])

    def before_recent(self, weeks: int = 4) -> Week:
        """The `weeks` weeks before `recent(weeks)`, added up."""
        return combine(self.weeks[-2 * weeks : -weeks])


def combine(weeks: list[Week]) -> Week:
    """Several weeks added up into one."""
    total = Week(start=weeks[0].start if weeks else None)
    for week in weeks:
        total.approachable += week.approachable
        total.pressuring += week.pressuring
        total.practical += week.practical
        total.partner_initiated += week.partner_initiated
        total.me_initiated += week.me_initiated
        total.space += week.space
        total.mood_total += week.mood_total
        total.mood_count += week.mood_count
        total.pressuring_days += week.pressuring_days
        for tactic, count in week.tactics.items():
            total.tactics[tactic] = total.tactics.get(tactic, 0) + count
        for approach, answers in week.responses.items():
            totals = total.responses.setdefault(approach, {})
            for response, count in answers.items():
                totals[response] = totals.get(response, 0) + count
    total.days = sum(week.days for week in weeks)
    return total


def range_start(
    user: User, key: str, first_entry: datetime.date | None, end: datetime.date
) -> datetime.date:
    this_week = user.week_start_for(end)
    weeks = RANGES[key][1]
    if weeks is None:
        return user.week_start_for(first_entry) if first_entry else this_week
    return this_week - (weeks - 1) * ONE_WEEK


def state_key(user: User, entries: InteractionQuerySet | None = None, scope: str = "own") -> str:
    """One cache key for everything a page computes from the entries.

    `scope` names which of the user's entries these are ("own" for all of them; a
    counselor's share names its own scope). The key changes whenever the entries
    do (their number and latest change: see `InteractionQuerySet.version`), or the
    day, the week start or the partner's name does; so nothing cached under it is
    ever stale, and checking costs two small queries.
    """
    if entries is None:
        entries = Interaction.objects.for_owner(user)
    parts = [
        str(user.pk),
        scope,
        str(entries.version()),
        str(user.today()),
        str(user.week_start),
        user.partner,
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def trends_for(
    user: User,
    key: str = DEFAULT_RANGE,
    entries: InteractionQuerySet | None = None,
    state: str = "",
    end: datetime.date | None = None,
    scope: str = "own",
) -> Trends:
    """The trends of `entries` (by default all of the user's) over the range `key`.

    The range ends today, or on `end` to see the trends as they stood then.
    Cached under `state` (computed here when not given; see `state_key`).
    """
    if entries is None:
        entries = Interaction.objects.for_owner(user)
    state = state or state_key(user, entries, scope)
    # One key per journal, scope, range and end, holding the state it was computed
    # at: a change replaces the trends instead of leaving the old ones behind.
    where = f"{user.pk}\n{scope}\n{key}\n{end}"
    cache_key = "trends:" + hashlib.sha256(where.encode()).hexdigest()
    kept = cache.get(cache_key)
    if kept is not None and kept[0] == state:
        return kept[1]
    if end is not None:
        entries = entries.filter(date__lte=end)
    trends = _compute(user, key, entries, end or user.today())
    cache.set(cache_key, (state, trends), CACHE_SECONDS)
    return trends


def _compute(user: User, key: str, entries: InteractionQuerySet, end: datetime.date) -> Trends:
    bounds = entries.aggregate(
        entries=Count("pk"),
        first_entry=Min("date"),
        last_entry=Max("date"),
        first_pressuring=Min("date", filter=PRESSURING),
        last_pressuring=Max("date", filter=PRESSURING),
    )
    # After a move westward, the last entries can be dated a day or so ahead of
    # today here; the trends run to them, so this week still counts them.
    end = max(end, bounds["last_entry"] or end)
    start = range_start(user, key, bounds["first_entry"], end)
    in_range = entries.between(start, end + ONE_DAY)

    # A week's days are those that have begun and that the journal covers: none
    # before its first entry counts as pressure-free.
    kept_from = bounds["first_entry"] or end + ONE_DAY
    weeks = {}
    for n in range((end - start).days // 7 + 1):
        first = start + n * ONE_WEEK
        counted = min(first + ONE_WEEK, end + ONE_DAY) - max(first, kept_from)
        weeks[first] = Week(start=first, days=max(0, counted.days))
    for row in (
        in_range.annotate(week=WeekStart("date", user.week_start))
        .values("week")
        .annotate(
            **contact_tallies(),
            **RESPONSE_TALLIES,
            mood_total=Coalesce(Sum("mood"), 0),
            mood_count=Count("mood"),
            pressuring_days=Count("date", filter=PRESSURING, distinct=True),
        )
        .order_by("week")
    ):
        week = weeks[row.pop("week")]
        for name in RESPONSE_TALLIES:
            approach, response = name.split("__")
            if count := row.pop(name):
                week.responses.setdefault(approach, {})[response] = count
        for name, value in row.items():
            setattr(week, name, value)
    for row in (
        InteractionTactic.objects.filter(interaction__in=in_range.values("pk"))
        .annotate(week=WeekStart("interaction__date", user.week_start))
        .values("week", "tactic")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        weeks[row["week"]].tactics[row["tactic"]] = row["count"]
    return Trends(
        start=start,
        end=end,
        weeks=list(weeks.values()),
        entries=bounds["entries"],
        first_entry=bounds["first_entry"],
        **_streaks(entries, bounds, end),
    )


def _streaks(entries: InteractionQuerySet, bounds: dict, today: datetime.date) -> dict[str, int]:
    """Days without a pressuring interaction: now, and the longest run ever.

    A run counts the days strictly between two pressuring days (found with LAG over
    the pressuring days in date order), the days from the first entry to the first
    pressuring day, and the days since the last one.
    """
    # The widest gap is asked for even when there can be none, so that a page makes
    # the same queries whatever the journal holds.
    widest = (
        entries.filter(PRESSURING)
        .annotate(previous=Window(Lag("date"), order_by=F("date").asc()))
        .annotate(gap=DaysBetween(F("date"), F("previous")))
        .aggregate(widest=Max("gap"))["widest"]
    )
    first, last = bounds["first_entry"], bounds["last_pressuring"]
    if first is None:
        return {"streak_current": 0, "streak_longest": 0}
    if last is None:
        current = (today - first).days + 1
        return {"streak_current": current, "streak_longest": current}
    # A change of time zone can put the last entry a day ahead of today.
    current = max(0, (today - last).days)
    runs = [current, (bounds["first_pressuring"] - first).days]
    if widest:
        runs.append(widest - 1)
    return {"streak_current": current, "streak_longest": max(runs)}
