from __future__ import annotations

import calendar
import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from journal.access import Journal
from journal.models import AccessLog


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    try:
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404("No such month") from None
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


@login_required
@require_safe
def month(request: HttpRequest, year: int | None = None, month: int | None = None) -> HttpResponse:
    return render_month(request, Journal.own(request.user), year, month)


def render_month(
    request: HttpRequest, journal: Journal, year: int | None, month: int | None
) -> HttpResponse:
    owner = journal.owner
    today = owner.today()
    first, following = _month_bounds(year or today.year, month or today.month)
    days = {row["date"]: row for row in journal.entries.between(first, following).per_day()}
    weeks = calendar.Calendar(firstweekday=owner.week_start).monthdatescalendar(
        first.year, first.month
    )
    previous = first - datetime.timedelta(days=1)
    context = {
        "first": first,
        "today": today,
        "weekdays": [day.strftime("%a") for day in weeks[0]],
        "weeks": [[(day, days.get(day)) for day in week] for week in weeks],
        "previous": previous,
        "next": following if following <= today else None,
        **journal.context(),
    }
    journal.log(AccessLog.What.CALENDAR, f"{first:%Y-%m}")
    return render(request, "journal/calendar.html", context)
