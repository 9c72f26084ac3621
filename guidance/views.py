from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from guidance.cards import principle_cards
from guidance.principles import BY_SLUG, PRINCIPLES, SOURCE
from journal.trends import state_key, trends_for


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    state = state_key(user)
    # Built only when the template's cache (keyed by state) has no copy of the cards.
    cards = SimpleLazyObject(
        lambda: principle_cards(
            user=user, trends=trends_for(user, state=state), principles=PRINCIPLES, related=2
        )
    )
    return render(
        request, "guidance/index.html", {"cards": cards, "source": SOURCE, "state": state}
    )


@login_required
def principle(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in BY_SLUG:
        raise Http404("No such principle")
    (card,) = principle_cards(
        user=request.user, trends=trends_for(request.user), principles=[BY_SLUG[slug]], related=5
    )
    return render(
        request,
        "guidance/principle.html",
        {"card": card, "principle": card.principle, "source": SOURCE},
    )
