"""The pages of what the entries add up to: trends and weekly reviews, and the link
that stops the reminders."""

from __future__ import annotations

import datetime
from typing import cast

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods

from journal.access import Journal, SignedInRequest, journal_page, read_only
from journal.forms import ReflectionForm, SummaryRangeForm
from journal.models import AccessLog, Reflection, UnsentMessage, User
from journal.reports.charts import charts_for
from journal.reports.insights import AFTER, MIN_CASES
from journal.reports.reminders import REMINDER_SALT
from journal.reports.reviews import comparison_rows, reflection_streak, summary_line
from journal.reports.trends import DEFAULT_RANGE, ENOUGH, RANGES, Trends, combine
from journal.services import reflection_save, submit_once

ONE_DAY = datetime.timedelta(days=1)
ONE_WEEK = datetime.timedelta(days=7)


def _reflected_weeks(journal: Journal) -> set[datetime.date]:
    """The weeks reflected on, as they fall now, even if the week start has changed since."""
    days = journal.reflections.values_list("week_start", flat=True)
    return {journal.owner.week_start_for(day) for day in days}


def _reflection_in(journal: Journal, week: datetime.date) -> Reflection | None:
    return journal.reflections.filter(week_start__gte=week, week_start__lt=week + ONE_WEEK).first()


def _reviews_shown(journal: Journal) -> None:
    if not journal.has_reviews:
        raise Http404("The weekly reviews are not shared with you")


@journal_page
@read_only
def review_list(request: SignedInRequest, journal: Journal) -> HttpResponse:
    """The weeks of one year, newest first: this year's, or an earlier one's."""
    _reviews_shown(journal)
    owner = journal.owner
    today = owner.today()
    current = owner.week_start_for(today)
    first_entry = journal.entries.order_by("date").values_list("date", flat=True).first()
    first_week = owner.week_start_for(first_entry) if first_entry else current
    # A week belongs to the year it starts in.
    years = list(range(current.year, first_week.year - 1, -1))
    year = _chosen_year(request.GET.get("year"), years)
    year_starts = owner.week_start_for(datetime.date(year, 1, 1))
    if year_starts.year < year:
        year_starts += ONE_WEEK
    last = min(owner.week_start_for(datetime.date(year, 12, 31)) + ONE_WEEK - ONE_DAY, today)
    weeks = journal.trends(start=max(year_starts, first_week), end=last).weeks
    reflected = _reflected_weeks(journal)
    rows = [
        {
            "week": week,
            "summary": summary_line(week, owner.partner),
            "reflected": week.start in reflected,
            "current": week.start == current,
        }
        for week in reversed(weeks)
    ]
    every_week = [current - n * ONE_WEEK for n in range((current - first_week).days // 7 + 1)]
    context = {
        "rows": rows,
        "year": year,
        "years": years,
        "first_week": first_week == current,
        "streak": reflection_streak(every_week, reflected, current),
        **journal.context(),
    }
    journal.log(AccessLog.What.REVIEWS, str(year))
    return render(request, "journal/review_list.html", context)


def _chosen_year(asked: str | None, years: list[int]) -> int:
    """The year asked for if the journal has weeks in it, else the current one."""
    try:
        year = int(asked or "")
    except ValueError:
        return years[0]
    return year if year in years else years[0]


@journal_page
@require_http_methods(["GET", "POST"])
def review_week(request: SignedInRequest, journal: Journal, start: datetime.date) -> HttpResponse:
    _reviews_shown(journal)
    week = week_or_404(journal, start)
    if week != start:
        return redirect(journal.url("journal:review-week", week))
    if journal.share:
        return render_review_week(request, journal, week)
    reflection = _reflection_in(journal, week)
    form = ReflectionForm(request.POST or None, instance=reflection)

    def write() -> None:
        answers = {name: form.cleaned_data[name] for name in ReflectionForm.Meta.fields}
        week_start = reflection.week_start if reflection else week
        reflection_save(owner=request.user, week_start=week_start, answers=answers)

    if request.method == "POST" and (
        saved := submit_once(
            request, request.user, reverse("journal:review-week", args=[week]), write, form=form
        )
    ):
        messages.success(request, "Your reflection is saved.")
        return redirect(saved)
    return render_review_week(request, journal, week, form=form)


def week_or_404(journal: Journal, start: datetime.date) -> datetime.date:
    """The first day of the week holding `start`; a week that has not begun is not found."""
    week = journal.owner.week_start_for(start)
    if week > journal.owner.today():
        raise Http404("This week has not begun yet")
    return week


def render_review_week(
    request: HttpRequest,
    journal: Journal,
    week: datetime.date,
    form: ReflectionForm | None = None,
) -> HttpResponse:
    """A week's review; `form` is the owner's reflection form, absent for a counselor."""
    owner = journal.owner
    today = owner.today()
    last_day = week + datetime.timedelta(days=6)
    state = journal.state()
    # Computed only when the template's cache (keyed by state) has no copy of the numbers.
    trends = cast(
        Trends,
        SimpleLazyObject(lambda: journal.trends("12w", end=min(last_day, today), state=state)),
    )
    context = {
        "week": week,
        "last_day": last_day,
        "in_progress": last_day >= today,
        "rows": SimpleLazyObject(
            lambda: comparison_rows(
                trends.weeks[-1], trends.weeks[-2], owner.partner, journal.voice
            )
        ),
        "trends": trends,
        "state": state,
        "entries": journal.entries.in_week(week).for_list(),
        # Unsent messages are the person's alone: a counselor's review has no such line.
        "held_back": None if journal.share else _held_back(owner, week),
        "form": form,
        "reflection": None if form else _reflection_in(journal, week),
        "previous": week - ONE_WEEK,
        "next": week + ONE_WEEK if last_day < today else None,
        **journal.context(),
    }
    journal.log(AccessLog.What.REVIEW, f"{week:%-d %B %Y}")
    return render(request, "journal/review_week.html", context)


def _held_back(owner: User, week: datetime.date) -> int:
    """Messages checked and kept unsent in the week, by the person's own clock."""
    begins = datetime.datetime.combine(week, datetime.time.min, tzinfo=owner.tzinfo)
    return UnsentMessage.objects.filter(
        owner=owner, created_at__gte=begins, created_at__lt=begins + ONE_WEEK
    ).count()


@require_http_methods(["GET", "POST"])
def reminders_stop(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every reminder: stops them without signing in, after a confirmation."""
    try:
        user = User.objects.get(pk=signing.loads(token, salt=REMINDER_SALT))
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "journal/reminders_stop.html", {"invalid": True}, status=404)
    if request.method == "POST":
        user.weekly_reminder = False
        user.save(update_fields=["weekly_reminder"])
        return render(request, "journal/reminders_stop.html", {"stopped": True})
    return render(request, "journal/reminders_stop.html", {})


@journal_page
@read_only
def trends(request: SignedInRequest, journal: Journal) -> HttpResponse:
    owner = journal.owner
    key = request.GET.get("range", DEFAULT_RANGE)
    if key not in RANGES:
        key = DEFAULT_RANGE
    state = journal.state()
    result = journal.trends(key, state=state)
    context = {
        "trends": result,
        "range": key,
        "ranges": [(value, label) for value, (label, _) in RANGES.items()],
        "enough": result.entries >= ENOUGH,
        "insights": journal.insights(state=state) if result.entries >= ENOUGH else None,
        "after": AFTER,
        "min_cases": MIN_CASES,
        # Drawn only when the template's cache (keyed by state) has no copy.
        "charts": SimpleLazyObject(lambda: charts_for(result, owner.partner, journal.voice)),
        "state": state,
        **journal.context(),
    }
    journal.log(AccessLog.What.TRENDS, RANGES[key][0])
    return render(request, "journal/trends.html", context)


@journal_page
@read_only
def summary(request: SignedInRequest, journal: Journal) -> HttpResponse:
    """The weeks of a chosen range in numbers, with the reflections on them where the
    journal shares them: a page to print before a session."""
    owner = journal.owner
    form = SummaryRangeForm(request.GET, owner=owner)
    context: dict[str, object] = {"form": form, **journal.context()}
    if chosen := form.range():
        since, until = chosen
        first_week = owner.week_start_for(since)
        weeks = journal.trends(start=since, end=until).weeks
        reflections = (
            journal.reflections.filter(week_start__gte=first_week, week_start__lte=until).order_by(
                "week_start"
            )
            if journal.has_reviews
            else []
        )
        context.update(
            since=since, until=until, weeks=weeks, totals=combine(weeks), reflections=reflections
        )
        journal.log(AccessLog.What.SUMMARY, f"{since:%-d %B %Y} to {until:%-d %B %Y}")
    return render(request, "journal/summary.html", context)
