"""The quick log without a connection.

A phone keeps a quick log made offline (static/js/offline.js) and sends it here
once it is online again. Each log carries a key the phone chose, saved with the
entry (`Interaction.device_key`, unique per owner), so a log sent twice is saved
once. The service worker keeps the offline page and its files, never a journal
page.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from journal.access import SignedInRequest, device_account
from journal.forms import QuickInteractionForm
from journal.models import Interaction, User
from journal.services import interaction_save

# The files the offline page needs, which the service worker keeps beside it.
SHELL_FILES = [
    "js/theme.js",
    "vendor/bootstrap/bootstrap.min.css",
    "css/app.css",
    "js/offline.js",
    "icons/icon-192.png",
]
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# A log kept on a phone for longer is not sent on its own: by then the person may
# remember the day differently, and the full form lets them say so.
KEPT_AT_MOST = datetime.timedelta(days=30)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site's root so that it looks after every page.
    Its version is a digest of what it keeps: a change to any of it makes a new
    worker, which replaces the old copies."""
    page = _shell_page()
    files = [static(name) for name in SHELL_FILES]
    shell = {
        "version": _digest(page),
        "page": reverse("offline"),
        "files": files,
        "quickLog": reverse("journal:entry-quick"),
    }
    script = render_to_string("journal/sw.js", {"shell": json.dumps(shell)})
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    # Asked again on every visit, so that a new version is found at once.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows when the network cannot be reached."""
    return HttpResponse(_shell_page())


def _shell_page() -> str:
    """The offline page, the same for everyone: drawn without the request, so it
    holds no name, no token and nothing of a journal, since the phone keeps it. Its
    quick log names no partner (an unsaved User says "your partner")."""
    form = QuickInteractionForm(user=User())
    # No key from this form: offline.js gives each log its own.
    del form.fields["submission"]
    form.helper.disable_csrf = True
    return render_to_string("journal/offline.html", {"form": form})


def _digest(page: str) -> str:
    """A digest of the offline page and of its files' contents."""
    digest = hashlib.sha256(page.encode())
    for name in SHELL_FILES:
        path = finders.find(name)
        assert isinstance(path, str), f"{name} is not among the static files"
        with open(path, "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()[:16]


@login_required
@require_http_methods(["GET", "POST"])
def entry_sync(request: SignedInRequest) -> HttpResponse:
    """GET: which account is signed in, and a CSRF token (the offline page holds
    none). POST: one log a phone kept, saved once for its key, whatever the number
    of times it is sent. Each answer says what happened, and why if it was
    refused."""
    user = request.user
    if not user.is_onboarded:
        return _answer("refused", "This account keeps no journal to save the log in.", 403)
    if request.method == "GET":
        return JsonResponse({"account": device_account(user), "csrf": get_token(request)})
    try:
        key = uuid.UUID(request.POST.get("key", ""))
    except ValueError:
        return _refused("This log has no key the journal can read, so it was not saved.")
    if _saved_before(user, key):
        return _already_saved()
    logged_at = _logged_at(request.POST.get("logged_at", ""))
    if problem := _time_problem(logged_at):
        return _refused(problem)
    form = QuickInteractionForm(request.POST, user=user, logged_at=logged_at)
    form.instance.device_key = key
    try:
        problem = _save(form)
    except IntegrityError:
        # The same log, sent twice at once: the other request saved it first.
        if not _saved_before(user, key):
            raise
        return _already_saved()
    if not problem:
        return _answer("saved", "Saved in your journal.", 201)
    # Sent twice at once, the other request may have saved the log while this one was
    # checked, and the day's rules then take this one for a second day of space.
    return _already_saved() if _saved_before(user, key) else _refused(problem)


def _save(form: QuickInteractionForm) -> str:
    """Save the form's log by the quick log's rules; why they refuse it, or ""."""
    if not form.is_valid():
        return _form_problems(form)
    try:
        interaction_save(interaction=form.instance, tactics=[])
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _saved_before(user: User, key: uuid.UUID) -> bool:
    return Interaction.objects.for_owner(user).filter(device_key=key).exists()


def _logged_at(text: str) -> datetime.datetime | None:
    """When the phone says the log was made; None unless it is a moment with its
    offset from UTC (without one, it could be any of a day's hours)."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _time_problem(logged_at: datetime.datetime | None) -> str:
    """What keeps a log's time from being saved as it is, or ""."""
    now = timezone.now()
    if logged_at is None:
        return "This log has no time the journal can read, so it was not saved."
    if logged_at > now + CLOCK_SKEW:
        return (
            "This log's time is later than now, so this phone's clock may be wrong. It "
            "was not saved: log it with the full form, where you choose the day and time."
        )
    if logged_at < now - KEPT_AT_MOST:
        return (
            f"This log waited on this phone for more than {KEPT_AT_MOST.days} days, so "
            "it was not saved on its own. If you still want it in your journal, log it "
            "with the full form."
        )
    return ""


def _form_problems(form: QuickInteractionForm) -> str:
    """Why the quick log's rules refuse the log, in one paragraph."""
    if form.asks_about_space:
        return (
            "That day is marked as a day of space, and this contact was one you started. "
            "It was not saved: log it with the full form, which asks what happened."
        )
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def _answer(status: str, reason: str, code: int) -> JsonResponse:
    return JsonResponse({"status": status, "reason": reason}, status=code)


def _refused(reason: str) -> JsonResponse:
    return _answer("refused", reason, 400)


def _already_saved() -> JsonResponse:
    return _answer("already saved", "This log is already in your journal.", 200)
