from __future__ import annotations

from django.http import HttpRequest


def journal(request: HttpRequest) -> dict:
    """Whose journal a page shows: the signed-in user's own, unless a counselor's
    view puts a client's `owner` and `share` in its context instead."""
    user = getattr(request, "user", None)
    return {"owner": user if user and user.is_authenticated else None, "share": None}
