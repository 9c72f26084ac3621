"""Guidance on the journal's own pages: the journal leaves the place, guidance fills it.

So the journal's code never imports guidance; guidance reads the journal.
"""

from __future__ import annotations

from django import template

from guidance.cards import principle_cards
from guidance.principles import SOURCE
from guidance.rules import Suggestion, suggestions_for
from journal.access import Journal
from journal.models import User
from journal.reports.trends import Trends
from journal.words import Voice

register = template.Library()


@register.inclusion_tag("guidance/_focus.html")
def principles_for_today(owner: User, trends: Trends) -> dict:
    """Today's one principle: why, in the person's own numbers, and one thing to try."""
    suggestions = suggestions_for(trends, owner, limit=1)
    cards = principle_cards(
        journal=Journal.own(owner), trends=trends, principles=[s.principle for s in suggestions]
    )
    for card, suggestion in zip(cards, suggestions, strict=True):
        card.reason = suggestion.reason
    return {"cards": cards, "trends": trends, "source": SOURCE, "owner": owner}


@register.simple_tag
def principles_for_week(trends: Trends, owner: User, voice: Voice) -> list[Suggestion]:
    """The principles the week that `trends` ends with calls for."""
    return suggestions_for(trends, owner, voice=voice)
