"""GET /healthz: whether this app server can serve, for a proxy or a monitor.

Answered before any other middleware, so a check every few seconds opens no
session, passes no host check or HTTPS redirect (the proxy asks over plain HTTP on
loopback) and writes no log line. A failure is logged, once per check.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

PATH = "/healthz"
logger = logging.getLogger(__name__)


def problem() -> str | None:
    """What keeps the app from serving: the database or the cache; None when both work."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"database: {error}"
    # A key of its own, as other servers may be checking the same shared cache.
    value = secrets.token_hex(8)
    key = f"healthz:{value}"
    try:
        cache.set(key, value, timeout=10)
        works = cache.get(key) == value
        cache.delete(key)
    except Exception as error:  # each cache backend raises errors of its own
        return f"cache: {error}"
    return None if works else "cache: a value just set could not be read back"


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != PATH or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        found = problem()
        if found is None:
            response = HttpResponse("ok\n", content_type="text/plain")
        else:
            logger.error("Health check failed: %s", found)
            response = HttpResponse("unavailable\n", content_type="text/plain", status=503)
        response["Cache-Control"] = "no-store"
        return response
