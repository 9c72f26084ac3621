from __future__ import annotations

import calendar
import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from journal.models import Interaction


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    try:
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404("No such month") from None
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


@login_required
def month(request: HttpRequest, year: int | None = None, month: int | None = None) -> HttpResponse:
    user = request.user
    today = user.today()
    first, following = _month_bounds(year or today.year, month or today.month)
    days = {
        row["date"]: row
        for row in Interaction.objects.for_owner(user).between(first, following).per_day()
    }
    weeks = calendar.Calendar(firstweekday=user.week_start).monthdatescalendar(
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
    }
    return render(request, "journal/calendar.html", context)
