from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from journal.models import Device, User


class UserTimezoneMiddleware:
    """Show every date and time in the signed-in user's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            timezone.activate(request.user.tzinfo)
        else:
            timezone.deactivate()
        return self.get_response(request)


# How often an active session's expiry is pushed forward, and its last use noted
# for the lock; between two pushes a request writes nothing.
SESSION_REFRESH_SECONDS = 60


class SlidingSessionMiddleware:
    """Close a session after SESSION_COOKIE_AGE without use, not after a fixed time.

    Each save moves the session's expiry forward; saving at most once a minute keeps
    that without a database write on every request. A locked session is not moved.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Not on the lock's own pages: using them is no use of the journal, and a
        # session saved there could undo a lock set at the same moment.
        if request.user.is_authenticated and not request.path.startswith(UNLOCKED_PATHS):
            now = int(time.time())
            if request.session.get("locked"):
                return response
            if now - request.session.get("seen", 0) >= SESSION_REFRESH_SECONDS:
                # Read again: a lock set meanwhile by another request (Lock now, while
                # this page was on its way) must not be written over.
                if type(request.session)(request.session.session_key).get("locked"):
                    return response
                request.session["seen"] = now
                devices = Device.objects.filter(session_key=request.session.session_key)
                devices.update(last_seen=timezone.now())
        return response


# Pages the lock never stands in front of: itself, signing out, the blank page, the
# support lines (nothing of the journal, and needed most when someone is struggling),
# the offline page (nothing of the journal either, and kept by the phone),
# and what a browser asks for on its own (an icon, the service worker), which must
# not open the lock page anew behind the person's back (a new page would change a
# passkey's challenge).
UNLOCKED_PATHS = (
    "/lock/",
    "/accounts/logout/",
    "/blank/",
    "/support/",
    "/offline/",
    "/static/",
    "/favicon.ico",
    "/sw.js",
)


def _opens_the_lock(request: HttpRequest) -> bool:
    """The lock's own pages, and the passkey's answer from the lock page."""
    if request.path.startswith(UNLOCKED_PATHS):
        return True
    return request.method == "POST" and request.path == reverse("mfa_reauthenticate_webauthn")


def _sent_from(request: HttpRequest) -> str:
    """Where a form sent while the journal was locked came from, to go back to once
    it is unlocked (Today if that is not known). Nothing of it was saved: the session
    says so, and the lock page tells the person."""
    request.session["unsent"] = True
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        if parts.path.startswith("/") and not parts.path.startswith(UNLOCKED_PATHS):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


class JournalLockMiddleware:
    """After `User.lock_after` minutes unused (within a minute: see
    SESSION_REFRESH_SECONDS), or once locked by hand, every page asks for the
    password again before it shows anything; the lock page sends the person back to
    the page they asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User):
            session = request.session
            idle = int(time.time()) - session.get("seen", int(time.time()))
            if user.lock_after and idle > user.lock_after * 60 and not session.get("locked"):
                # Decided whatever the page, so that no page can count as a use.
                session["locked"] = time.time()
            if session.get("locked") and not _opens_the_lock(request):
                wanted = (
                    request.get_full_path() if request.method == "GET" else _sent_from(request)
                )
                return redirect(f"{reverse('lock')}?{urlencode({'next': wanted})}")
        response = self.get_response(request)
        if isinstance(user, User) and not response.has_header("Cache-Control"):
            # Not kept by the browser: Back after a lock asks the server again.
            add_never_cache_headers(response)
        return response


@receiver(user_logged_in)
def _session_starts_fresh(sender, request: HttpRequest, user: User, **kwargs) -> None:
    # Logging in saves the session anyway; noting the time spares the next request.
    if request is not None and hasattr(request, "session"):
        request.session["seen"] = int(time.time())
        if request.session.session_key is None:
            # Flushed by login() (someone else was signed in here): give it its key now.
            request.session.save()
        Device.note(request, user)


@receiver(user_logged_out)
def _device_forgotten(sender, request: HttpRequest, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        Device.objects.filter(session_key=request.session.session_key).delete()
