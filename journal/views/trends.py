from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from journal.access import Journal, SignedInRequest, journal_page
from journal.charts import charts_for
from journal.models import AccessLog
from journal.trends import DEFAULT_RANGE, RANGES

# Below this many entries the page explains what will appear instead of drawing empty axes.
MIN_ENTRIES = 3


@journal_page
@require_safe
def trends(request: SignedInRequest, journal: Journal) -> HttpResponse:
    owner = journal.owner
    key = request.GET.get("range", DEFAULT_RANGE)
    if key not in RANGES:
        key = DEFAULT_RANGE
    state = journal.state()
    result = journal.trends(key, state=state)
    context = {
        "trends": result,
        "range": key,
        "ranges": [(value, label) for value, (label, _) in RANGES.items()],
        "enough": result.entries >= MIN_ENTRIES,
        # Drawn only when the template's cache (keyed by state) has no copy.
        "charts": SimpleLazyObject(lambda: charts_for(result, owner.partner)),
        "state": state,
        **journal.context(),
    }
    journal.log(AccessLog.What.TRENDS, key)
    return render(request, "journal/trends.html", context)
