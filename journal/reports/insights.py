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
counts), not the entries. A case counts once its 7 days after have all passed. A
comparison is shown only when both sides have MIN_CASES: they are patterns in one
journal, not causes.

The cases that settled before the journal's recent weeks (most of a long journal)
are kept under `settled_version`, which only a change to those weeks moves; the
recent ones are counted again from a few rows. So a write of today's costs the
same however long the journal.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from journal.choices import Approach, Response
from journal.models import Share, Summary, User
from journal.reports.summaries import COMPARED, WEEK, Week, settled_before, tally
from journal.reports.trends import kept_under, scope_of, state_key

# Fewer cases than this on either side, and a comparison says nothing yet.
MIN_CASES = 5
# The stretches of space compared: of any length, and of this many days or more.
STRETCHES = (1, 2, 3, 7)
# What followed a case: what happened in this many days after it.
AFTER = 7
ONE_DAY = datetime.timedelta(days=1)
# The weeks read before those whose cases are counted: enough for any case that
# settles in them, its stretch's length (up to 7 days) and its week's longest.
CONTEXT = datetime.timedelta(weeks=3)

# The partner's answers to approachable and to pressuring contact, and the other
# counts compared, as a week's summary row names them.
ANSWERS = {
    f"{approach}_{response}": (approach, response)
    for approach in (Approach.APPROACHABLE, Approach.PRESSURING)
    for response in Response
}
COUNTED = [*ANSWERS, *COMPARED]
# A week: its first day, its days of space and those the partner reached out (as
# bits), and its COUNTED.
Row = tuple


@dataclass(frozen=True)
class Side:
    """One side of a comparison: its cases, and how many were followed by what is
    watched (`followed`), or the moods logged with them added up (`mood_total`)."""

    cases: int
    followed: int = 0
    mood_total: int = 0

    def __add__(self, other: Side) -> Side:
        return Side(
            self.cases + other.cases,
            self.followed + other.followed,
            self.mood_total + other.mood_total,
        )

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
    return kept_under(
        f"insights:{user.pk}\n{scope}",
        state or state_key(user, scope),
        lambda: _compute(user, share),
    )


def _compute(user: User, share: Share | None) -> Insights:
    """The cases settled before the journal's recent weeks, kept while those weeks
    are unchanged (they are most of a long journal), and the recent ones."""
    recent = settled_before(user)
    earlier = kept_under(
        f"insights-settled:{user.pk}\n{scope_of(share)}",
        f"{user.settled_version}\n{recent}",
        lambda: _cases(user, share, until=recent),
    )
    later = _cases(user, share, since=recent)
    return Insights(
        [
            Insight(one.kind, one.one + two.one, one.other + two.other, one.days)
            for one, two in zip(earlier, later, strict=True)
        ]
    )


def _cases(
    user: User,
    share: Share | None,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[Insight]:
    """The cases that settle (their AFTER days all passed) from the week `since` and
    before the week `until`, and the counts of those weeks; from the start of the
    journal, and to today, when not given.

    A case (a stretch of space, or a week) settles on the day after the AFTER days
    that follow its last day. Whether it was followed, and how long a stretch is
    (up to the longest of STRETCHES), is read from the weeks around it: from
    CONTEXT before `since`.
    """
    settling = (since or datetime.date.min, until or user.today() + ONE_DAY)
    rows = Summary.objects.of(user, shared=share is not None).filter(span=WEEK, entries__gt=0)
    if until:
        rows = rows.filter(start__lt=until)
    read_from = since - CONTEXT if since else None
    partial = None
    if share and share.entries_since:
        first = user.week_start_for(share.entries_since)
        if not read_from or first >= read_from:
            read_from = first
            if first != share.entries_since:
                # The week the share begins in, in mid-week: counted from the
                # entries it lets through.
                partial = first
                rows = rows.exclude(start=first)
    if read_from:
        rows = rows.filter(start__gte=read_from)
    # One row a week logged in, added up here: fewer queries than adding up in SQL.
    weeks: list[Row] = list(
        rows.order_by("start").values_list("start", "space_mask", "partner_mask", *COUNTED)
    )
    if partial and share and (not until or partial < until):
        tallied = tally(user, share.visible_entries().in_weeks([partial]))
        if visible := tallied.get((partial, True)):
            weeks.insert(0, _row(partial, visible))
    # The counts of the weeks from `since`, not of those read before it.
    counted = [week for week in weeks if week[0] >= settling[0]]
    columns = list(zip(*counted, strict=True)) or [()] * (3 + len(COUNTED))
    sums = {name: sum(column) for name, column in zip(COUNTED, columns[3:], strict=True)}
    return [
        *_space(weeks, settling),
        Insight(
            "answers",
            _answered(sums, Approach.APPROACHABLE),
            _answered(sums, Approach.PRESSURING),
        ),
        Insight(
            "late",
            Side(sums["late_started"], sums["late_started_warm"]),
            Side(sums["daytime_started"], sums["daytime_started_warm"]),
        ),
        Insight(
            "mood",
            Side(sums["approachable_mood_count"], mood_total=sums["approachable_mood_total"]),
            Side(sums["pressuring_mood_count"], mood_total=sums["pressuring_mood_total"]),
        ),
    ]


def _row(start: datetime.date, week: Week) -> Row:
    """A week counted from its entries, as its summary row would be read."""
    return (
        start,
        week.space_mask,
        week.partner_mask,
        *(
            week.responses.get(ANSWERS[name][0], {}).get(ANSWERS[name][1], 0)
            if name in ANSWERS
            else getattr(week, name)
            for name in COUNTED
        ),
    )


def _answered(sums: dict[str, int], approach: str) -> Side:
    """The contacts of `approach` the partner's answer was logged for, and the warm ones."""
    return Side(
        sum(sums[f"{approach}_{response}"] for response in Response), sums[f"{approach}_warm"]
    )


def _space(weeks: list[Row], settling: tuple[datetime.date, datetime.date]) -> list[Insight]:
    """For each least length of STRETCHES: the stretches of space that long, and the
    weeks logged in with no such stretch, each against the partner reaching out in
    the AFTER days that follow; of those that settle from the first of `settling`
    and before the second. Days are numbered from the first week's first."""
    origin = weeks[0][0] if weeks else settling[0]
    offsets = [(week[0] - origin).days for week in weeks]
    space = reached = 0
    for offset, (_, space_mask, partner_mask, *_) in zip(offsets, weeks, strict=True):
        space |= space_mask << offset
        reached |= partner_mask << offset
    # A character a day, "1" for a day of space (or of the partner reaching out).
    space_days, reached_days = f"{space:b}"[::-1], f"{reached:b}"[::-1]

    def followed(day: int) -> bool:
        """Whether the partner reached out within AFTER days of `day`."""
        return "1" in reached_days[day + 1 : day + AFTER + 1]

    # The last days of the cases that settle within `settling`.
    first, last = ((day - origin).days - AFTER - 1 for day in settling)
    stretches = [(run.start(), run.end() - 1) for run in re.finditer("1+", space_days)]
    # The longest stretch each week (numbered from the first) holds a day of.
    longest: dict[int, int] = {}
    for start, end in stretches:
        for week in range(start // 7, end // 7 + 1):
            longest[week] = max(longest.get(week, 0), end - start + 1)
    ended = [(end - start + 1, followed(end)) for start, end in stretches if first <= end < last]
    passed = [
        (longest.get(day // 7, 0), followed(day + 6)) for day in offsets if first <= day + 6 < last
    ]
    insights = []
    for least in STRETCHES:
        ones = [after for length, after in ended if length >= least]
        others = [after for length, after in passed if length < least]
        insights.append(
            Insight("space", Side(len(ones), sum(ones)), Side(len(others), sum(others)), least)
        )
    return insights
