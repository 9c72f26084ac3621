"""The page of a request that failed: drawn without the database, which may be why."""

from __future__ import annotations

import sys

from django.db import InternalError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: a 503 when the database cannot store anything (a full
    disk, a read-only file or server, a server that does not answer), a 500 otherwise.

    Called while the failure is being handled, so sys.exc_info() holds it.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InternalError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
