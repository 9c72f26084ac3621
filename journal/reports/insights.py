"""What followed the person's choices, in their own history: the insights on Trends.

Each insight sets two kinds of case side by side, and what followed each:

- stretches of days of space (of any length; of 2, 3 and 7 days or more in a row)
  against the weeks with no such stretch: did the partner reach out in the 7 days
  after?
- approachable against pressuring contact: how often did the partner answer warmly?
- contact the person started late at night against contact they started earlier
  in the day: the same;
- the mood logged with approachable contact against that with pressuring contact.

They read the weekly summaries (journal.reports.summaries keeps, in each week's
row, the days of space and the days the partner reached out as bits, and the
counts), so their cost grows with the weeks of the journal, not with its entries.
A case counts once its 7 days after have all passed. A comparison is shown only
when both sides have MIN_CASES: they are patterns in one journal, not causes.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import Sum
from django.db.models.functions import Coalesce

from journal.choices import Approach
from journal.models import Share, Summary, User
from journal.reports.summaries import SUMMED, WEEK, Week, combine, from_row, tally
from journal.reports.trends import CACHE_SECONDS, scope_of, state_key

# Fewer cases than this on either side, and a comparison says nothing yet.
MIN_CASES = 5
# The stretches of space compared: of any length, and of this many days or more.
STRETCHES = (1, 2, 3, 7)
# What followed a case: what happened in this many days after it.
AFTER = 7
ONE_DAY = datetime.timedelta(days=1)

# The weeks' counts, added up in SQL.
SUMS = {name: Coalesce(Sum(name), 0) for name in SUMMED}
# A week's days of space and those the partner reached out, as bits.
Days = tuple[datetime.date, int, int]


@dataclass(frozen=True)
class Side:
    """One side of a comparison: its cases, and how many were followed by what is
    watched (`followed`), or the moods logged with them added up (`mood_total`)."""

    cases: int
    followed: int = 0
    mood_total: int = 0

    @property
    def enough(self) -> bool:
        return self.cases >= MIN_CASES

    @property
    def percent(self) -> str:
        return f"{self.followed / self.cases:.0%}" if self.cases else ""

    @property
    def mood(self) -> str:
        return f"{self.mood_total / self.cases:.1f}" if self.cases else ""


@dataclass(frozen=True)
class Insight:
    """Two sides compared. `kind` says which comparison (the template words it):
    "space" (with `days`, the stretch's least length), "answers", "late" or "mood"."""

    kind: str
    one: Side
    other: Side
    days: int = 0

    @property
    def shown(self) -> bool:
        return self.one.enough and self.other.enough


@dataclass(frozen=True)
class Insights:
    every: list[Insight]

    @property
    def shown(self) -> list[Insight]:
        return [insight for insight in self.every if insight.shown]

    @property
    def waiting(self) -> list[Insight]:
        return [insight for insight in self.every if not insight.shown]


def insights_for(user: User, *, share: Share | None = None, state: str = "") -> Insights:
    """The insights from the user's whole journal (the entries `share` lets through,
    if given), cached under `state` like the trends (see `state_key`)."""
    scope = scope_of(share)
    state = state or state_key(user, scope)
    where = f"{user.pk}\n{scope}"
    cache_key = "insights:" + hashlib.sha256(where.encode()).hexdigest()
    kept = caches["pages"].get(cache_key)
    if kept is not None and kept[0] == state:
        return kept[1]
    insights = _compute(user, share)
    caches["pages"].set(cache_key, (state, insights), CACHE_SECONDS)
    return insights


def _compute(user: User, share: Share | None) -> Insights:
    rows = Summary.objects.filter(owner=user, shared=share is not None, span=WEEK)
    since = share.entries_since if share else None
    partial = None
    if since:
        rows = rows.filter(start__gte=user.week_start_for(since))
        if since != user.week_start_for(since):
            # The week the share begins in, counted from the entries it lets through.
            partial = user.week_start_for(since)
            rows = rows.exclude(start=partial)
    weeks: list[Days] = list(
        rows.filter(entries__gt=0)
        .order_by("start")
        .values_list("start", "space_mask", "partner_mask")
    )
    totals = from_row(rows.aggregate(**SUMS))
    if partial and share:
        counted = tally(user, share.visible_entries().in_weeks([partial])).get((partial, True))
        if counted:
            weeks.insert(0, (partial, counted.space_mask, counted.partner_mask))
            totals = combine([totals, counted])
    # A case counts once the AFTER days that follow it have all passed.
    last_case = user.today() - (AFTER + 1) * ONE_DAY
    return Insights(
        [
            *_space(weeks, last_case),
            Insight(
                "answers",
                _answered(totals, Approach.APPROACHABLE),
                _answered(totals, Approach.PRESSURING),
            ),
            Insight(
                "late",
                Side(totals.late_started, totals.late_started_warm),
                Side(totals.daytime_started, totals.daytime_started_warm),
            ),
            Insight(
                "mood",
                Side(totals.approachable_mood_count, mood_total=totals.approachable_mood_total),
                Side(totals.pressuring_mood_count, mood_total=totals.pressuring_mood_total),
            ),
        ]
    )


def _answered(totals: Week, approach: str) -> Side:
    rate = totals.warm_after(approach)
    return Side(rate.total, rate.warm)


def _space(weeks: list[Days], last_case: datetime.date) -> list[Insight]:
    """For each least length of STRETCHES: the stretches of space that long, and the
    weeks logged in with no such stretch, each against the partner reaching out in
    the AFTER days that follow."""
    space, reached = set(), set()
    for start, space_mask, partner_mask in weeks:
        for n in range(7):
            if space_mask >> n & 1:
                space.add(start + n * ONE_DAY)
            if partner_mask >> n & 1:
                reached.add(start + n * ONE_DAY)

    def followed(days: list[datetime.date]) -> int:
        """How many of `days` the partner reached out within AFTER days of."""
        return sum(any(day + n * ONE_DAY in reached for n in range(1, AFTER + 1)) for day in days)

    stretches = _stretches(sorted(space))
    insights = []
    for least in STRETCHES:
        long = [(first, last) for first, last in stretches if (last - first).days + 1 >= least]
        ends = [last for _, last in long if last <= last_case]
        within = {
            first + n * ONE_DAY for first, last in long for n in range((last - first).days + 1)
        }
        other = [
            start + 6 * ONE_DAY
            for start, _, _ in weeks
            if start + 6 * ONE_DAY <= last_case
            and not any(start + n * ONE_DAY in within for n in range(7))
        ]
        insights.append(
            Insight(
                "space",
                Side(len(ends), followed(ends)),
                Side(len(other), followed(other)),
                days=least,
            )
        )
    return insights


def _stretches(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """The runs of consecutive `days` (sorted), as their first and last days."""
    stretches: list[tuple[datetime.date, datetime.date]] = []
    for day in days:
        if stretches and stretches[-1][1] + ONE_DAY == day:
            stretches[-1] = (stretches[-1][0], day)
        else:
            stretches.append((day, day))
    return stretches
