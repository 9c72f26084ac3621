from __future__ import annotations

from django.http import HttpRequest

from journal.access import device_account
from journal.words import OWN


def journal(request: HttpRequest) -> dict:
    """Whose journal a page shows: the signed-in user's own, unless a counselor's
    view puts a client's `owner`, `share` and `voice` (journal.words) in its context
    instead. `device_account` marks the logs a phone keeps while offline."""
    user = getattr(request, "user", None)
    owner = user if user and user.is_authenticated else None
    return {
        "owner": owner,
        "share": None,
        "voice": OWN,
        "search": "",
        "device_account": device_account(owner) if owner else "",
    }
