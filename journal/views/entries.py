from __future__ import annotations

import contextlib
import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from journal import rules
from journal.access import Journal, SignedInRequest, journal_page, read_only
from journal.choices import Initiator, Kind, Response
from journal.forms import EntryFilterForm, InteractionForm, QuickInteractionForm
from journal.models import (
    AccessLog,
    Interaction,
    InteractionQuerySet,
    Share,
    User,
    entry_words,
)
from journal.reports.trends import trends_for
from journal.services import interaction_save, interactions_delete, submit_once

PAGE_SIZE = 20


def _get_entry(entries: InteractionQuerySet, **lookup: object) -> Interaction:
    """The entry found by `lookup` among `entries`: the owner's, or those a share lets
    through. Any other, private or someone else's, answers exactly as an id that does
    not exist: nothing can be counted or dated."""
    entry = entries.filter(**lookup).first()
    if entry is None:
        raise Http404("No such entry")
    return entry


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return render(request, "landing.html")
    if not user.is_onboarded:
        # Someone who came as a counselor goes to their clients, not to set up a journal.
        if Share.objects.for_counselor(user).exists():
            return redirect("journal:clients")
        return redirect("onboarding")
    return _render_home(request, QuickInteractionForm(user=user))


def _render_home(request: HttpRequest, quick_form: QuickInteractionForm) -> HttpResponse:
    """Today; with a quick form sent back, its problem instead of the last Undo."""
    user = quick_form.instance.owner
    trends = trends_for(user)
    context = {
        "quick_form": quick_form,
        "owner": user,
        "week": trends.weeks[-1],
        "trends": trends,
        "recent": Interaction.objects.for_owner(user).for_list()[:5],
        "hard_stretch": Interaction.objects.for_owner(user).hard_stretch(),
        "space_today_open": _space_today_open(user),
        "just_logged": None if quick_form.is_bound else _just_logged(request, user),
    }
    return render(request, "journal/home.html", context)


def _space_today_open(user: User) -> bool:
    """Whether "I gave space today" still fits today: no day of space logged yet, and
    no contact the person started."""
    today = Interaction.objects.for_owner(user).filter(date=user.today())
    return not any(
        kind == Kind.SPACE or rules.breaks_space(kind, initiator)
        for kind, initiator in today.values_list("kind", "initiator")
    )


def _just_logged(request: HttpRequest, user: User) -> Interaction | None:
    """The entry the quick log just saved, while it can still be undone."""
    if not (public_id := request.session.get(JUST_LOGGED)):
        return None
    return _undoable(user).filter(public_id=public_id).first()


def _undoable(user: User) -> InteractionQuerySet:
    """The user's entries still young enough for Undo."""
    cutoff = timezone.now() - datetime.timedelta(minutes=UNDO_MINUTES)
    return Interaction.objects.for_owner(user).filter(created_at__gte=cutoff)


@login_required
@require_http_methods(["GET", "POST"])
def entry_quick(request: SignedInRequest) -> HttpResponse:
    if request.method == "GET":
        # The address of a quick form sent back (reloaded, or returned to after the
        # lock): the form is on Today.
        return redirect("home")
    form = QuickInteractionForm(request.POST, user=request.user)
    if not _saved(request, form, then=reverse("home")):
        return _render_home(request, form)
    entry = form.instance
    if entry.pk is None:
        # A second tap of the same form: the first logged it, and said so.
        return redirect("home")
    if entry.is_space:
        messages.success(request, "Logged today as a day of space.")
    else:
        who = {
            Initiator.ME: "you reached out",
            Initiator.PARTNER: f"{request.user.partner} reached out",
            Initiator.TOGETHER: "planned together",
        }[Initiator(entry.initiator)]
        answer = (
            "no response"
            if entry.response == Response.NONE
            else f"response {entry.get_response_display().lower()}"
        )
        said = (
            f"Logged at {entry.time:%H:%M}: {entry.get_approach_display().lower()}, {who}, "
            f"{answer}."
        )
        if entry.replaces_space:
            # Undo would take the day of space's note with it: the entry's page can
            # change or delete it instead.
            messages.success(request, f"{said} It takes the place of today's day of space.")
            return redirect("home")
        messages.success(request, said)
    # Undo and "Add a note" stand beside it on Today for a few minutes.
    request.session[JUST_LOGGED] = str(entry.public_id)
    return redirect("home")


# How long the quick log's Undo is offered: time enough to see a mis-tap.
UNDO_MINUTES = 5
# The entry the quick log just saved, in the session, for Undo and Add a note.
JUST_LOGGED = "just_logged"
NOTHING_TO_UNDO = (
    "There is nothing to undo here: it was undone or changed already, or it is more "
    f"than {UNDO_MINUTES} minutes old (open the entry to change or delete it)."
)


@login_required
@require_POST
def entry_undo(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    """Take back the entry the quick log just saved, while it is as logged. A second
    tap, an entry since edited, someone else's or a late one: nothing to undo, said
    so, nothing changed."""

    def write() -> None:
        if request.session.get(JUST_LOGGED) != str(public_id):
            raise ValidationError(NOTHING_TO_UNDO)
        entry = _undoable(request.user).filter(public_id=public_id)
        if not interactions_delete(owner=request.user, entries=entry):
            raise ValidationError(NOTHING_TO_UNDO)

    try:
        submit_once(request, request.user, reverse("home"), write)
    except ValidationError:
        messages.info(request, NOTHING_TO_UNDO)
    else:
        messages.success(request, "Undone: that entry is gone.")
    request.session.pop(JUST_LOGGED, None)
    return redirect("home")


@journal_page
@read_only
def entry_list(request: SignedInRequest, journal: Journal) -> HttpResponse:
    filters = EntryFilterForm(request.GET, user=journal.owner, voice=journal.voice)
    entries = filters.filter(journal.entries)
    paginator = Paginator(entries.for_list(), PAGE_SIZE)
    if not filters.is_filtered:
        paginator.count = journal.count()
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "state": journal.state(),
        # Marked in the entries shown (see the highlight filter).
        "search": filters.cleaned_data.get("q", ""),
        **journal.context(),
    }
    if not paginator.count and filters.is_filtered:
        context["has_any"] = journal.entries.exists()
    journal.log(AccessLog.What.JOURNAL, filters.described())
    return render(request, "journal/entry_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: SignedInRequest) -> HttpResponse:
    # A link may choose the kind ("I gave space") or the day (a calendar day's page).
    initial: dict[str, object] = {}
    if request.GET.get("kind") in Kind.values:
        initial["kind"] = request.GET["kind"]
    with contextlib.suppress(ValueError):
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
        if rules.EARLIEST_DATE <= day <= request.user.today():
            initial["date"] = day
    form = InteractionForm(request.POST or None, user=request.user, initial=initial)
    if saved := _saved(request, form):
        messages.success(request, "Entry saved.")
        return redirect(saved)
    return render(request, "journal/entry_form.html", {"form": form})


def _saved(
    request: SignedInRequest, form: InteractionForm | QuickInteractionForm, then: str = ""
) -> str:
    """Where to go once the form's entry is saved (by this post, or by an earlier
    post of the same form): `then`, or the entry's page. Empty if the form was not
    valid or the entry could not be saved; the form says why."""
    entry = form.instance
    return submit_once(
        request,
        request.user,
        then or entry.get_absolute_url(),
        lambda: interaction_save(interaction=entry, tactics=form.cleaned_data.get("tactics", [])),
        form=form,
    )


@journal_page
@read_only
def entry_detail(request: SignedInRequest, journal: Journal, public_id: uuid.UUID) -> HttpResponse:
    entry = _get_entry(journal.entries.with_day(), public_id=public_id)
    journal.log(AccessLog.What.ENTRY, entry_words(entry))
    return render(request, "journal/entry_detail.html", {"entry": entry, **journal.context()})


@login_required
@read_only
def entry_moved(request: SignedInRequest, pk: int, then: str) -> HttpResponse:
    """An entry's address by its internal id, from before entries had public ids."""
    entry = _get_entry(Interaction.objects.for_owner(request.user), pk=pk)
    return redirect(entry.get_absolute_url() + then)


@login_required
@require_http_methods(["GET", "POST"])
def entry_update(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    entry = _get_entry(Interaction.objects.for_owner(request.user), public_id=public_id)
    saved_date = entry.date  # the form may change the instance before it is saved
    form = InteractionForm(request.POST or None, instance=entry, user=request.user)
    if saved := _saved(request, form):
        messages.success(request, "Entry updated.")
        # Changed since it was logged: Undo would take the change with it.
        if request.session.get(JUST_LOGGED) == str(entry.public_id):
            del request.session[JUST_LOGGED]
        return redirect(saved)
    return render(
        request,
        "journal/entry_form.html",
        {"form": form, "entry": entry, "saved_date": saved_date},
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    entries = Interaction.objects.for_owner(request.user)
    if request.method == "POST":

        def write() -> None:
            # Inside the write: a second tap finds its key used, not a 404.
            if not interactions_delete(
                owner=request.user, entries=entries.filter(public_id=public_id)
            ):
                raise Http404("No such entry")

        listed = submit_once(request, request.user, reverse("journal:entry-list"), write)
        messages.success(request, "Entry deleted.")
        return redirect(listed)
    entry = _get_entry(entries.for_list(), public_id=public_id)
    return render(request, "journal/entry_confirm_delete.html", {"entry": entry})
