"""What each week and month of a journal adds up to, kept as rows beside the entries.

Every write that changes entries (a save, a delete, Undo, a day mended, an import,
the admin) calls `summaries_refresh` in its own transaction with the dates it
touched: the weeks holding them are counted again from their entries (a few dozen
rows), their months added up again from their weeks, their summaries replaced, and
the owner's `journal_version` moves on. A change of week start regroups every week
(`summaries_rebuild`). So the trends, reviews and guidance read one row a week (the
all-time charts of a long journal, a row a month) however long the journal, and
everything cached under the version is never stale.

`summaries_differences` compares the rows with a count made from every entry; the
tests run it after random writes, and `manage.py summaries --check` on a live
database.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from journal import rules
from journal.choices import PRESSURING_TACTICS, Approach, Initiator, Kind, Response, Tactic
from journal.models import (
    Interaction,
    InteractionQuerySet,
    InteractionTactic,
    Summary,
    User,
    contact_tallies,
)

PRESSURING = Q(kind=Kind.CONTACT, approach=Approach.PRESSURING)
# The moods with approachable and with pressuring contact, and the contacts started
# late at night and earlier (and those answered warmly): what the insights compare.
COMPARED = [
    "approachable_mood_total",
    "approachable_mood_count",
    "pressuring_mood_total",
    "pressuring_mood_count",
    "late_started",
    "late_started_warm",
    "daytime_started",
    "daytime_started_warm",
]
# The counts a summary row holds, as Week has them.
COUNTS = [
    "entries",
    "approachable",
    "pressuring",
    "practical",
    "partner_initiated",
    "me_initiated",
    "space",
    "mood_total",
    "mood_count",
    *COMPARED,
]
# A week's days as bits, bit n for its day n: those with pressuring contact, those
# of space, and those the partner reached out. They do not add up over weeks.
MASKS = ["pressuring_mask", "space_mask", "partner_mask"]
# A row's columns of tactic tags are named as the tactics, and those of the partner's
# responses as the approach and the response.
TACTICS = list(Tactic.values)
RESPONSES = {
    f"{approach}_{response}": (approach, response)
    for approach in Approach
    for response in Response
}
# What adds up over weeks: all a summary row holds but its days.
SUMMED = [*COUNTS, "pressuring_days", *TACTICS, *RESPONSES]
# Read by every page that shows a week: only the counts, not the row's bookkeeping.
READ = ["start", *MASKS, *SUMMED]
WEEK, MONTH = Summary.Span.WEEK, Summary.Span.MONTH
# The weeks of a journal that a write most often touches: this one and those before
# it up to this many (see settled_before).
RECENT = 4
ONE_WEEK = datetime.timedelta(weeks=1)


@dataclass
class Week:
    start: datetime.date | None
    entries: int = 0
    approachable: int = 0
    pressuring: int = 0
    practical: int = 0
    partner_initiated: int = 0
    me_initiated: int = 0
    space: int = 0
    mood_total: int = 0
    mood_count: int = 0
    approachable_mood_total: int = 0
    approachable_mood_count: int = 0
    pressuring_mood_total: int = 0
    pressuring_mood_count: int = 0
    late_started: int = 0
    late_started_warm: int = 0
    daytime_started: int = 0
    daytime_started_warm: int = 0
    pressuring_days: int = 0
    # Of one week (0 when added up): bit n is set when its day n had pressuring
    # contact, was a day of space, or the partner reached out.
    pressuring_mask: int = 0
    space_mask: int = 0
    partner_mask: int = 0
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

    def add(self, other: Week) -> None:
        """Count `other` in too: another week, or more of this one's entries."""
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.pressuring_days += other.pressuring_days
        for tactic, count in other.tactics.items():
            self.tactics[tactic] = self.tactics.get(tactic, 0) + count
        for approach, answers in other.responses.items():
            totals = self.responses.setdefault(approach, {})
            for response, count in answers.items():
                totals[response] = totals.get(response, 0) + count


# Below this many interactions a rate is shown as counts only, never as a percentage.
MIN_FOR_RATE = 5


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


def combine(weeks: list[Week]) -> Week:
    """Several weeks added up into one."""
    total = Week(start=weeks[0].start if weeks else None)
    for week in weeks:
        total.add(week)
    total.days = sum(week.days for week in weeks)
    return total


def tally(owner: User, entries: InteractionQuerySet) -> dict[tuple[datetime.date, bool], Week]:
    """The weeks of `entries` counted from the entries themselves, in two queries
    whatever their number: {(week start, shared): Week}, where the weeks with
    `shared` count only the entries that are not private."""
    weeks: dict[tuple[datetime.date, bool], Week] = {}

    def weeks_of(day: datetime.date, private: bool) -> list[Week]:
        start = owner.week_start_for(day)
        keys = [(start, False)] if private else [(start, False), (start, True)]
        return [weeks.setdefault(key, Week(start=start)) for key in keys]

    for row in _counts(owner.late_from).filter(pk__in=entries.values("pk")):
        day = row.pop("date")
        day_bit = 1 << (day - owner.week_start_for(day)).days
        counted = Week(
            start=None,
            pressuring_mask=day_bit if row.pop("pressured") else 0,
            space_mask=day_bit if row.pop("spaced") else 0,
            partner_mask=day_bit if row.pop("reached") else 0,
        )
        for name, (approach, response) in RESPONSES.items():
            if count := row.pop(name):
                counted.responses.setdefault(approach, {})[response] = count
        for name in COUNTS:
            setattr(counted, name, row[name] or 0)
        for week in weeks_of(day, row["is_private"]):
            lay(week, counted)
    for row in (
        InteractionTactic.objects.filter(interaction__in=entries.values("pk"))
        .values(day=F("interaction__date"), private=F("interaction__is_private"), name=F("tactic"))
        .annotate(count=Count("pk"))
        .order_by()
    ):
        for week in weeks_of(row["day"], row["private"]):
            week.tactics[row["name"]] = week.tactics.get(row["name"], 0) + row["count"]
    for week in weeks.values():
        week.pressuring_days = week.pressuring_mask.bit_count()
    return weeks


@functools.cache
def _counts(late_from: int) -> QuerySet:
    """What tally counts of each day's entries, private or not, as a query of every
    entry: built once for each late-night setting, as building it costs more than
    running it on a week's entries; tally picks the entries."""
    late = late_hours(late_from)
    started = Q(kind=Kind.CONTACT, initiator=Initiator.ME, time__isnull=False) & ~Q(response="")
    warm = Q(response=Response.WARM)
    return (
        Interaction.objects.values("date", "is_private")
        .annotate(
            **contact_tallies(),
            **{
                f"{approach}_mood_{name}": function(
                    "mood", filter=Q(kind=Kind.CONTACT, approach=approach)
                )
                for approach in (Approach.APPROACHABLE, Approach.PRESSURING)
                for name, function in [("total", Sum), ("count", Count)]
            },
            late_started=Count("pk", filter=started & late),
            late_started_warm=Count("pk", filter=started & late & warm),
            daytime_started=Count("pk", filter=started & ~late),
            daytime_started_warm=Count("pk", filter=started & ~late & warm),
            **{
                name: Count(
                    "pk", filter=Q(kind=Kind.CONTACT, approach=approach, response=response)
                )
                for name, (approach, response) in RESPONSES.items()
            },
            entries=Count("pk"),
            mood_total=Coalesce(Sum("mood"), 0),
            mood_count=Count("mood"),
            pressured=Count("pk", filter=PRESSURING),
            spaced=Count("pk", filter=Q(kind=Kind.SPACE)),
            reached=Count("pk", filter=Q(kind=Kind.CONTACT, initiator=Initiator.PARTNER)),
        )
        .order_by()
    )


def from_row(row: dict) -> Week:
    """A week from its summary row, or several weeks added up in SQL (no mask)."""
    week = Week(
        start=row.get("start"),
        **{name: row.get(name, 0) for name in MASKS},
        pressuring_days=row["pressuring_days"],
        tactics={tactic: row[tactic] for tactic in TACTICS if row[tactic]},
        **{name: row[name] for name in COUNTS},
    )
    for name, (approach, response) in RESPONSES.items():
        if row[name]:
            week.responses.setdefault(approach, {})[response] = row[name]
    return week


def added_up(rows: Iterable[tuple]) -> Week:
    """Summary rows read as READ names their columns, added up into one Week
    (several months into a quarter, say): a sum a column."""
    columns = zip(*rows, strict=True)
    next(columns)  # their starts
    return from_row(dict(zip(READ[1:], map(sum, columns), strict=True)))


def summaries_refresh(*, owner: User, dates: Iterable[datetime.date]) -> None:
    """Count the weeks holding `dates` again from their entries, and their months
    from their weeks, and move the journal's version on; in the caller's
    transaction, after its write."""
    starts = sorted({owner.week_start_for(day) for day in dates})
    if not starts:
        return
    months = sorted({start.replace(day=1) for start in starts})
    with transaction.atomic():
        in_months = Q()
        for month in months:
            in_months |= Q(start__gte=month, start__lt=month_after(month))
        # The weeks of those months as they are kept: the others add up to their
        # months with the weeks counted again, whose old days of pressure are here.
        kept = {
            (row["start"], row["shared"]): from_row(row)
            for row in Summary.objects.filter(in_months, owner=owner, span=WEEK).values(
                "shared", *READ
            )
        }
        counted = tally(owner, owner.interactions.in_weeks(starts))
        # Every summary of these weeks is written, an empty one too, so that none is
        # left from before the change; an empty row reads as a week with nothing.
        weeks = {
            (start, shared): counted.get((start, shared), Week(start=start))
            for start in starts
            for shared in (False, True)
        }
        pressure_moved = any(
            (kept[key].pressuring_mask if key in kept else 0) != week.pressuring_mask
            for key, week in weeks.items()
        )
        totals = _months({**kept, **weeks})
        Summary.objects.bulk_create(
            [
                *(
                    _row(owner, WEEK, start, shared, week)
                    for (start, shared), week in weeks.items()
                ),
                *(
                    _row(
                        owner, MONTH, month, shared, totals.get((month, shared), Week(start=month))
                    )
                    for month in months
                    for shared in (False, True)
                ),
            ],
            update_conflicts=True,
            unique_fields=["owner", "shared", "span", "start"],
            update_fields=[*MASKS, *SUMMED],
        )
        # A week more than the settled weeks: a change of time zone can move today,
        # and so the recent weeks, on by a week.
        settled_moved = starts[0] < settled_before(owner) + ONE_WEEK
        _versions_move(owner, pressure=pressure_moved, settled=settled_moved)


def summaries_rebuild(*, owner: User) -> None:
    """Every summary of the journal counted again from every entry (a change of week
    start, an import, or to mend any that were wrong)."""
    with transaction.atomic():
        Summary.objects.filter(owner=owner).delete()
        weeks = tally(owner, owner.interactions.all())
        Summary.objects.bulk_create(
            [
                *(
                    _row(owner, WEEK, start, shared, week)
                    for (start, shared), week in weeks.items()
                ),
                *(
                    _row(owner, MONTH, month, shared, week)
                    for (month, shared), week in _months(weeks).items()
                ),
            ],
            batch_size=500,
        )
        _versions_move(owner, pressure=True, settled=True)


def lay(week: Week, counted: Week) -> None:
    """Put `counted` (more of a week's entries, or a week counted on its own) into
    `week`, its place on a calendar: its counts added, its days marked."""
    week.add(counted)
    for name in MASKS:
        setattr(week, name, getattr(week, name) | getattr(counted, name))


def settled_before(owner: User) -> datetime.date:
    """The first of the journal's RECENT weeks (this one the last). The weeks before
    seldom change (an entry dated a month back, an import); what is computed from
    them alone is kept under `settled_version`, which only a change to them moves."""
    return owner.week_start_for(owner.today()) - RECENT * ONE_WEEK


def late_hours(late_from: int) -> Q:
    """Entries whose time is late at night (as rules.is_late has it)."""
    early = Q(time__lt=rules.EARLY)
    if late_from < rules.EARLY.hour:
        return early
    return Q(time__gte=datetime.time(late_from)) | early


def month_after(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _months(
    weeks: dict[tuple[datetime.date, bool], Week],
) -> dict[tuple[datetime.date, bool], Week]:
    """The weeks added up by the month each starts in."""
    months: dict[tuple[datetime.date, bool], Week] = {}
    for (start, shared), week in weeks.items():
        month = start.replace(day=1)
        months.setdefault((month, shared), Week(start=month)).add(week)
    return months


def summaries_missing_build() -> int:
    """Build the summaries of every journal that has entries but none; how many."""
    missing = User.objects.filter(interactions__isnull=False).exclude(
        pk__in=Summary.objects.values("owner")
    )
    owners = list(missing.distinct())
    for owner in owners:
        summaries_rebuild(owner=owner)
    return len(owners)


def summaries_differences(owner: User) -> list[str]:
    """How the kept summaries differ from a count of every entry: nothing when they
    are right."""
    weeks = tally(owner, owner.interactions.all())
    counted = {
        **{(WEEK, *key): _numbers(week) for key, week in weeks.items()},
        **{(MONTH, *key): _numbers(month) for key, month in _months(weeks).items()},
    }
    kept = {
        (row["span"], row["start"], row["shared"]): _numbers(from_row(row))
        for row in Summary.objects.filter(owner=owner).values("span", "shared", *READ)
    }
    said = []
    for key in sorted(set(counted) | set(kept)):
        right, found = counted.get(key), kept.get(key)
        if (right or None) != (found or None):
            span, start, shared = key
            which = "shared entries" if shared else "all entries"
            said.append(
                f"{owner}, {span} of {start:%Y-%m-%d} ({which}): kept {found}, counted {right}"
            )
    return said


def _numbers(week: Week) -> dict:
    """A week's numbers, without the empty ones: what two counts must agree on."""
    numbers = {name: getattr(week, name) for name in [*COUNTS, "pressuring_days", *MASKS]}
    numbers["tactics"] = week.tactics
    numbers["responses"] = week.responses
    return {name: value for name, value in numbers.items() if value}


def _row(owner: User, span: str, start: datetime.date, shared: bool, week: Week) -> Summary:
    return Summary(
        owner=owner,
        span=span,
        start=start,
        shared=shared,
        pressuring_days=week.pressuring_days,
        **{name: getattr(week, name) for name in MASKS},
        **{name: getattr(week, name) for name in COUNTS},
        **{tactic: week.tactics.get(tactic, 0) for tactic in TACTICS},
        **{
            name: week.responses.get(approach, {}).get(response, 0)
            for name, (approach, response) in RESPONSES.items()
        },
    )


def _versions_move(owner: User, *, pressure: bool, settled: bool) -> None:
    """Move the journal's version on (and the pressure's, and the settled weeks'):
    to the time in microseconds, or one more when that is not later, so that a
    version is never used twice, not even after the database is restored from a
    backup (with the versions in it)."""
    now = int(timezone.now().timestamp() * 1_000_000)
    names = [
        "journal_version",
        *(["pressure_version"] if pressure else []),
        *(["settled_version"] if settled else []),
    ]
    User.objects.filter(pk=owner.pk).update(
        **{name: Greatest(F(name) + 1, Value(now)) for name in names}
    )
    # The same, without reading it back: should the row be ahead of this clock, the
    # copy here only misses the caches, as no later version can equal it.
    for name in names:
        setattr(owner, name, max(getattr(owner, name) + 1, now))
