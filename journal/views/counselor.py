"""A counselor's read-only view of the journals shared with them.

Each page finds the share with `get_share_for_counselor` (404 for anyone else,
403 once access has ended), refuses every method but GET with `read_only`, and
shows the client's journal through the same code as the owner's own pages, fed
only the entries the share lets the counselor see.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from guidance import views as guidance
from journal.access import Journal, get_share_for_counselor, read_only
from journal.models import AccessLog, Share
from journal.views import calendar, entries, reviews, trends


@login_required
@read_only
def clients(request: HttpRequest) -> HttpResponse:
    shares = Share.objects.for_counselor(request.user).select_related("owner")
    return render(request, "journal/clients.html", {"shares": shares})


def _journal(request: HttpRequest, share_id: int) -> Journal:
    return Journal.shared(get_share_for_counselor(request, share_id))


@login_required
@read_only
def client_entry_list(request: HttpRequest, share_id: int) -> HttpResponse:
    return entries.render_entry_list(request, _journal(request, share_id))


@login_required
@read_only
def client_entry_detail(request: HttpRequest, share_id: int, pk: int) -> HttpResponse:
    journal = _journal(request, share_id)
    entry = journal.entries.filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry")
    journal.log(AccessLog.What.ENTRY, entry.pk)
    return render(request, "journal/entry_detail.html", {"entry": entry, **journal.context()})


@login_required
@read_only
def client_calendar(request: HttpRequest, share_id: int) -> HttpResponse:
    return calendar.render_month(request, _journal(request, share_id), None, None)


@login_required
@read_only
def client_calendar_month(
    request: HttpRequest, share_id: int, year: int, month: int
) -> HttpResponse:
    return calendar.render_month(request, _journal(request, share_id), year, month)


@login_required
@read_only
def client_trends(request: HttpRequest, share_id: int) -> HttpResponse:
    return trends.render_trends(request, _journal(request, share_id))


@login_required
@read_only
def client_guidance_index(request: HttpRequest, share_id: int) -> HttpResponse:
    return guidance.render_index(request, _journal(request, share_id))


@login_required
@read_only
def client_guidance_principle(request: HttpRequest, share_id: int, slug: str) -> HttpResponse:
    return guidance.render_principle(request, _journal(request, share_id), slug)


def _journal_with_reviews(request: HttpRequest, share_id: int) -> Journal:
    journal = _journal(request, share_id)
    if not journal.share.include_reflections:
        raise Http404("The weekly reviews are not shared with you")
    return journal


@login_required
@read_only
def client_review_list(request: HttpRequest, share_id: int) -> HttpResponse:
    return reviews.render_review_list(request, _journal_with_reviews(request, share_id))


@login_required
@read_only
def client_review_week(request: HttpRequest, share_id: int, start: datetime.date) -> HttpResponse:
    journal = _journal_with_reviews(request, share_id)
    week = reviews.week_or_404(journal, start)
    if week != start:
        return redirect("journal:client-review-week", share_id, week)
    return reviews.render_review_week(request, journal, week)
