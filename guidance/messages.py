"""Before you send: a message read against the article's patterns of pressure
(guidance.checker), and the messages the person chose to keep unsent."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guidance.checker import LIMITS, PATTERNS, Reading, message_read
from guidance.principles import SOURCE
from journal.access import SignedInRequest
from journal.choices import Channel, Initiator, Kind, Response
from journal.forms import InteractionForm, MessageCheckForm
from journal.models import Interaction, UnsentMessage, User
from journal.services import submit_once

# A message of the person's that has had no reply for this long is still waiting.
WAITING = datetime.timedelta(days=2)


@login_required
@require_http_methods(["GET", "POST"])
def message_check(request: SignedInRequest) -> HttpResponse:
    """The check: nothing is stored, whatever is written here."""
    form = MessageCheckForm(request.POST or None)
    reading = None
    if request.method == "POST" and form.is_valid():
        reading = _reading(request.user, form.cleaned_data["text"])
    return _check_page(request, form, reading)


def _check_page(
    request: SignedInRequest, form: MessageCheckForm, reading: Reading | None = None
) -> HttpResponse:
    context = {
        "form": form,
        "reading": reading,
        "limits": LIMITS,
        "patterns": PATTERNS,
        "source": SOURCE,
    }
    return render(request, "guidance/message_check.html", context)


def _reading(user: User, text: str) -> Reading:
    now = timezone.localtime(timezone=user.tzinfo)
    return message_read(
        text,
        at=now.time(),
        late_from=user.late_from,
        unanswered=_waiting_for_reply(user, now.date()),
    )


def _waiting_for_reply(user: User, today: datetime.date) -> bool:
    """Whether the person's last contact was a message of theirs with no reply yet."""
    last = Interaction.objects.for_owner(user).filter(kind=Kind.CONTACT).first()
    return (
        last is not None
        and last.initiator == Initiator.ME
        and last.response == Response.NONE
        and last.date >= today - WAITING
    )


@login_required
@require_POST
def message_sent(request: SignedInRequest) -> HttpResponse:
    """ "I sent it": the full entry form, filled in from the message, private unless
    the person changes it. Nothing is saved until they save the entry."""
    form = MessageCheckForm(request.POST)
    if not form.is_valid():
        return _check_page(request, form)
    text = form.cleaned_data["text"]
    initial = {
        "kind": Kind.CONTACT,
        "channel": Channel.TEXT,
        "initiator": Initiator.ME,
        "approach": _reading(request.user, text).approach,
        "note": text,
        "is_private": True,
    }
    entry_form = InteractionForm(user=request.user, initial=initial)
    entry_form.helper.form_action = reverse("journal:entry-create")
    return render(request, "journal/entry_form.html", {"form": entry_form})


@login_required
@require_POST
def unsent_save(request: SignedInRequest) -> HttpResponse:
    """Keep a checked message, unsent, for the person alone."""
    form = MessageCheckForm(request.POST)
    if not form.is_valid():
        return _check_page(request, form)
    text = form.cleaned_data["text"]

    def write() -> None:
        approach = _reading(request.user, text).approach
        UnsentMessage.objects.create(owner=request.user, text=text, approach=approach)

    listed = submit_once(request, request.user, reverse("guidance:unsent-list"), write)
    messages.success(request, "Kept here, unsent. Only you can see it.")
    return redirect(listed)


@login_required
@require_safe
def unsent_list(request: SignedInRequest) -> HttpResponse:
    kept = UnsentMessage.objects.filter(owner=request.user)
    return render(request, "guidance/unsent_list.html", {"unsent": kept})


@login_required
@require_http_methods(["GET", "POST"])
def unsent_delete(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    kept = UnsentMessage.objects.filter(owner=request.user, public_id=public_id)
    if request.method == "POST":

        def write() -> None:
            # Looked up inside the write: a second tap finds its key used, not a 404.
            if not kept.delete()[0]:
                raise Http404("No such message")

        listed = submit_once(request, request.user, reverse("guidance:unsent-list"), write)
        messages.success(request, "The unsent message is deleted.")
        return redirect(listed)
    message = kept.first()
    if message is None:
        raise Http404("No such message")
    return render(request, "guidance/unsent_delete.html", {"message": message})
