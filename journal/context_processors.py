from __future__ import annotations

from django.http import HttpRequest

from journal.words import OWN


def journal(request: HttpRequest) -> dict:
    """Whose journal a page shows: the signed-in user's own, unless a counselor's
    view puts a client's `owner`, `share` and `voice` (journal.words) in its context
    instead."""
    user = getattr(request, "user", None)
    owner = user if user and user.is_authenticated else None
    return {"owner": owner, "share": None, "voice": OWN, "search": ""}
