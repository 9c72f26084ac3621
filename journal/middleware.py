from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


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


# How often an active session's expiry is pushed forward; between two pushes a
# request writes nothing.
SESSION_REFRESH_SECONDS = 300


class SlidingSessionMiddleware:
    """Close a session after SESSION_COOKIE_AGE without use, not after a fixed time.

    Each save moves the session's expiry forward; saving at most every few minutes
    keeps that without a database write on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("seen", 0) >= SESSION_REFRESH_SECONDS:
                request.session["seen"] = now
        return response


@receiver(user_logged_in)
def _session_starts_fresh(sender, request: HttpRequest, **kwargs) -> None:
    # Logging in saves the session anyway; noting the time spares the next request.
    if request is not None and hasattr(request, "session"):
        request.session["seen"] = int(time.time())
