from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from guidance.cards import principle_cards
from guidance.principles import BY_SLUG, PRINCIPLES, SOURCE
from guidance.support import COMPILED, support_for
from journal.access import Journal, SignedInRequest, journal_page, read_only
from journal.choices import Country
from journal.models import AccessLog, User


@journal_page
@read_only
def index(request: SignedInRequest, journal: Journal) -> HttpResponse:
    state = journal.state()
    # Built only when the template's cache (keyed by state) has no copy of the cards.
    cards = SimpleLazyObject(
        lambda: principle_cards(
            journal=journal,
            trends=journal.trends(state=state),
            principles=PRINCIPLES,
            related=2,
        )
    )
    context = {"cards": cards, "source": SOURCE, "state": state, **journal.context()}
    journal.log(AccessLog.What.GUIDANCE)
    return render(request, "guidance/index.html", context)


@journal_page
@read_only
def principle(request: SignedInRequest, journal: Journal, slug: str) -> HttpResponse:
    if slug not in BY_SLUG:
        raise Http404("No such principle")
    principle = BY_SLUG[slug]
    state = journal.state()
    # Built only when the template's cache (keyed by state) has no copy of the numbers.
    card = SimpleLazyObject(
        lambda: principle_cards(
            journal=journal,
            trends=journal.trends(state=state),
            principles=[principle],
            related=5,
        )[0]
    )
    context = {
        "card": card,
        "principle": principle,
        "source": SOURCE,
        "state": state,
        **journal.context(),
    }
    journal.log(AccessLog.What.GUIDANCE, principle.title)
    return render(request, "guidance/principle.html", context)


@require_safe
def support(request: HttpRequest) -> HttpResponse:
    """If you are struggling: the lines of the country chosen (in Settings, or here),
    for anyone, signed in or not, locked or not."""
    chosen = request.GET.get("country", "")
    if chosen not in Country.values and isinstance(request.user, User):
        chosen = request.user.country
    context = {
        "support": support_for(chosen),
        "chosen": chosen,
        "countries": Country.choices,
        "compiled": COMPILED,
    }
    return render(request, "guidance/support.html", context)
