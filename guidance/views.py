from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from guidance.cards import principle_cards
from guidance.principles import BY_SLUG, PRINCIPLES, SOURCE
from journal.access import Journal, SignedInRequest, journal_page, read_only
from journal.models import AccessLog


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
    (card,) = principle_cards(
        journal=journal,
        trends=journal.trends(),
        principles=[BY_SLUG[slug]],
        related=5,
    )
    context = {"card": card, "principle": card.principle, "source": SOURCE, **journal.context()}
    journal.log(AccessLog.What.GUIDANCE, slug)
    return render(request, "guidance/principle.html", context)
