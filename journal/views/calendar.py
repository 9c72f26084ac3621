from __future__ import annotations

import calendar
import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from journal.access import Journal, SignedInRequest, journal_page, read_only
from journal.models import AccessLog
from journal.rules import EARLIEST_DATE


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    if not (EARLIEST_DATE.year <= year < 9999 and 1 <= month <= 12):
        raise Http404("No such month")
    first = datetime.date(year, month, 1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


@journal_page
@read_only
def month(
    request: SignedInRequest, journal: Journal, year: int | None = None, month: int | None = None
) -> HttpResponse:
    owner = journal.owner
    today = owner.today()
    if year is None or month is None:
        year, month = today.year, today.month
    first, following = _month_bounds(year, month)
    if first > today:
        raise Http404("This month has not begun yet")
    grid = calendar.Calendar(firstweekday=owner.week_start).monthdatescalendar(
        first.year, first.month
    )

    def counted() -> list[list[tuple]]:
        # The days of the months around it that the grid shows are counted too.
        shown = journal.entries.between(grid[0][0], grid[-1][-1] + datetime.timedelta(days=1))
        days = {row["date"]: row for row in shown.per_day()}
        return [[(day, days.get(day)) for day in week] for week in grid]

    previous = first - datetime.timedelta(days=1)
    context = {
        "first": first,
        "today": today,
        "weekdays": [day.strftime("%a") for day in grid[0]],
        # Counted only when the template's cache (keyed by state) has no copy of the grid.
        "weeks": SimpleLazyObject(counted),
        "state": journal.state(),
        "previous": previous if previous >= EARLIEST_DATE else None,
        "next": following if following <= today else None,
        **journal.context(),
    }
    journal.log(AccessLog.What.CALENDAR, f"{first:%B %Y}")
    return render(request, "journal/calendar.html", context)


@journal_page
@read_only
def day(request: SignedInRequest, journal: Journal, date: datetime.date) -> HttpResponse:
    """One day: its entries, and (for the owner) a way to add one for it."""
    today = journal.owner.today()
    if not EARLIEST_DATE <= date <= today:
        raise Http404("No such day")
    one_day = datetime.timedelta(days=1)
    context = {
        "day": date,
        "entries": journal.entries.filter(date=date).for_list(),
        "previous": date - one_day if date > EARLIEST_DATE else None,
        "next": date + one_day if date < today else None,
        **journal.context(),
    }
    journal.log(AccessLog.What.CALENDAR, f"{date:%-d %B %Y}")
    return render(request, "journal/calendar_day.html", context)
