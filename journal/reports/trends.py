"""Every trend of a journal, read from its weekly summaries.

The dashboard, the trends page, the guidance pages, the weekly review and the
counselor view all call `trends_for`. It reads one summary row a week of the range
(journal.reports.summaries keeps them with every write), so its cost grows with
the weeks shown, not with the entries behind them.

Entry dates are stored as the user's own local date, so bucketing them by date is
bucketing them in the user's time zone (daylight-saving changes cannot move an entry
to another week).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby, pairwise
from typing import TypeVar

from django.core.cache import caches

from journal.choices import Approach
from journal.models import Interaction, Share, Summary, User
from journal.reports.summaries import (
    MONTH,
    ONE_WEEK,
    READ,
    WEEK,
    Rate,
    Week,
    added_up,
    combine,
    from_row,
    lay,
    month_after,
    tally,
)

T = TypeVar("T")

RANGES = {
    "4w": ("Last 4 weeks", 4),
    "12w": ("Last 12 weeks", 12),
    "1y": ("Last year", 52),
    "all": ("All time", None),
}
DEFAULT_RANGE = "12w"
# Below this many entries the trends page explains what will appear instead of
# drawing empty axes.
ENOUGH = 3

# The all-time charts of a journal longer than two years go by month, and beyond
# five years by quarter.
WEEKLY_UP_TO = 104
MONTHLY_UP_TO = 261
MONTHS = {"month": 1, "quarter": 3}

CACHE_SECONDS = 24 * 60 * 60
ONE_DAY = datetime.timedelta(days=1)


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
    # What each of `weeks` stands for: a week, or on the all-time range of a long
    # journal a month or a quarter (see unit_for).
    unit: str = "week"

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


def range_start(
    user: User, key: str, first_entry: datetime.date | None, end: datetime.date
) -> datetime.date:
    this_week = user.week_start_for(end)
    weeks = RANGES[key][1]
    if weeks is None:
        return user.week_start_for(first_entry) if first_entry else this_week
    return this_week - (weeks - 1) * ONE_WEEK


def scope_of(share: Share | None) -> str:
    """Names which entries trends are computed from, for cache keys: all of the
    owner's, or those a share lets through (every share from a date alike)."""
    return "own" if share is None else f"share:{share.entries_since}"


def state_key(user: User, scope: str = "own") -> str:
    """One cache key for everything a page computes from the entries.

    `scope` names which of the user's entries these are (see `scope_of`). The key
    changes whenever the entries do (the journal's version, on the user's row, which
    every write moves on), or the day, the week start or the partner's name does; so
    nothing cached under it is ever stale, and checking costs no query.
    """
    parts = [
        str(user.pk),
        scope,
        str(user.journal_version),
        str(user.today()),
        str(user.week_start),
        user.partner,
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def trends_for(
    user: User,
    key: str = DEFAULT_RANGE,
    *,
    share: Share | None = None,
    state: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Trends:
    """The trends of the user's entries (those `share` lets through, if given) over
    the range `key`, or from the week holding `start` when it is given.

    The range ends today, or on `end` to see the trends as they stood then.
    Cached under `state` (computed here when not given; see `state_key`).
    """
    scope = scope_of(share)
    return kept_under(
        f"trends:{user.pk}\n{scope}\n{key}\n{start}\n{end}",
        state or state_key(user, scope),
        lambda: _compute(user, key, share, start, end),
    )


def kept_under(where: str, state: str, compute: Callable[[], T]) -> T:
    """What `compute` returns, kept in the pages cache under `where` with the `state`
    it was computed at: one entry per `where`, so a change of state replaces it
    instead of leaving the old one behind."""
    cache_key = hashlib.sha256(where.encode()).hexdigest()
    kept = caches["pages"].get(cache_key)
    if kept is not None and kept[0] == state:
        return kept[1]
    found = compute()
    caches["pages"].set(cache_key, (state, found), CACHE_SECONDS)
    return found


def _compute(
    user: User,
    key: str,
    share: Share | None,
    start: datetime.date | None,
    end: datetime.date | None,
) -> Trends:
    entries = share.visible_entries() if share else Interaction.objects.for_owner(user)
    today = user.today()
    last = end or today
    # The first few dates, from the index: the first entry, and whether there are enough.
    first_dates = list(entries.order_by("date").values_list("date", flat=True)[:ENOUGH])
    first_entry = first_dates[0] if first_dates else None
    start = user.week_start_for(start) if start else range_start(user, key, first_entry, last)
    weeks = (last - start).days // 7 + 1
    unit = unit_for(weeks) if key == "all" else "week"
    # A week's days are those that have begun and that the journal covers: none
    # before its first entry counts as pressure-free.
    kept_from = first_entry or last + ONE_DAY
    periods: dict[object, Week] = {}
    for n in range(weeks):
        first = start + n * ONE_WEEK
        days = max(0, (min(first + ONE_WEEK, last + ONE_DAY) - max(first, kept_from)).days)
        if (period := period_of(first, unit)) in periods:
            periods[period].days += days
        else:
            periods[period] = Week(start=first, days=days)
    since = share.entries_since if share else None
    # Weeks only partly in view are counted from their entries: the first of a share
    # from a date in mid-week, and the last when the trends end before its last day
    # (today's week holds nothing dated later).
    partial = set()
    if since and since != user.week_start_for(since):
        partial.add(user.week_start_for(since))
    if last < today and last + ONE_DAY != user.week_start_for(last) + ONE_WEEK:
        partial.add(user.week_start_for(last))
    partial = {week for week in partial if start <= week <= last}
    from_week = max(start, user.week_start_for(since)) if since else start
    rows = Summary.objects.of(user, shared=share is not None).filter(start__lte=last)
    weekly = rows.filter(span=WEEK, start__gte=from_week).exclude(start__in=partial)
    if unit != "week":
        # Whole months from their own rows: a row a month however many weeks are
        # behind it. The month a share begins in holds weeks from before it, so it
        # is added up from its weeks.
        whole = month_after(from_week.replace(day=1)) if since else from_week.replace(day=1)
        weekly = weekly.filter(start__lt=whole) if since else weekly.none()
        monthly = rows.filter(span=MONTH, start__gte=whole).order_by("start")
        for period, months in groupby(
            monthly.values_list(*READ), key=lambda row: period_of(row[0], unit)
        ):
            periods[period].add(added_up(months))
    for row in weekly.values(*READ):
        lay(periods[period_of(row["start"], unit)], from_row(row))
    if partial:
        in_view = entries.filter(date__lte=last)
        for (week, shared), tallied in tally(user, in_view.in_weeks(partial)).items():
            if not shared:
                lay(periods[period_of(week, unit)], tallied)
    return Trends(
        start=start,
        end=last,
        weeks=list(periods.values()),
        entries=len(first_dates),
        first_entry=first_entry,
        unit=unit,
        **_streaks(user, share, first_entry, end, last),
    )


def unit_for(weeks: int) -> str:
    """What a bar of the all-time charts stands for: a week, or for a long journal a
    month or a quarter, so that they never draw more than about a hundred bars."""
    if weeks <= WEEKLY_UP_TO:
        return "week"
    return "month" if weeks <= MONTHLY_UP_TO else "quarter"


def period_of(week_start: datetime.date, unit: str) -> object:
    """The period a week belongs to (the one it starts in): a week by its start, a
    month or a quarter by its number counted from year 0."""
    if unit == "week":
        return week_start
    return (week_start.year * 12 + week_start.month - 1) // MONTHS[unit]


def _streaks(
    user: User,
    share: Share | None,
    first_entry: datetime.date | None,
    end: datetime.date | None,
    today: datetime.date,
) -> dict[str, int]:
    """Days without a pressuring interaction: now, and the longest run ever.

    A run counts the days strictly between two pressuring days, the days from the
    first entry to the first pressuring day, and the days since the last one.
    """
    first, last, widest = _pressuring_days(user, share, end)
    if first_entry is None:
        return {"streak_current": 0, "streak_longest": 0}
    if first is None or last is None:
        current = (today - first_entry).days + 1
        return {"streak_current": current, "streak_longest": current}
    # A change of time zone can put the last entry a day ahead of today.
    current = max(0, (today - last).days)
    runs = [current, (first - first_entry).days]
    if widest:
        runs.append(widest - 1)
    return {"streak_current": current, "streak_longest": max(runs)}


def _pressuring_days(
    user: User, share: Share | None, end: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None, int]:
    """The first and last days with pressuring contact, and the widest gap between
    two of them, from each week's days of pressure: cached with a state that only a
    change of those days moves, as it reads every week."""
    return kept_under(
        f"pressure:{user.pk}\n{scope_of(share)}\n{end}",
        f"{user.pressure_version}\n{user.week_start}",
        lambda: _days_of_pressure(user, share, end),
    )


def _days_of_pressure(
    user: User, share: Share | None, end: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None, int]:
    since = share.entries_since if share else None
    rows = (
        Summary.objects.of(user, shared=share is not None)
        .filter(span=WEEK)
        .exclude(pressuring_mask=0)
    )
    if since:
        rows = rows.filter(start__gte=user.week_start_for(since))
    if end:
        rows = rows.filter(start__lte=end)
    days = [
        day
        for start, mask in rows.order_by("start").values_list("start", "pressuring_mask")
        for n in range(7)
        if mask >> n & 1
        and (day := start + datetime.timedelta(days=n))
        and (since is None or day >= since)
        and (end is None or day <= end)
    ]
    widest = max(((later - earlier).days for earlier, later in pairwise(days)), default=0)
    return (days[0], days[-1], widest) if days else (None, None, 0)
