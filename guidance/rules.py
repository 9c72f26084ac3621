"""Which principles a user's recent weeks call for, and why.

The rules, in order of priority (the dashboard shows the first two that apply):

1. Three or more different strategies (pressuring tactics) in this week or last
   week: the "tried everything" pattern → Set down the strategies.
2. The pressuring share of contacts in the last two weeks is at least ten points
   higher than in the four weeks before (at least three approachable or pressuring
   contacts in each) → Ease off the pressure.
3. No contact started by the partner in the last four weeks, with at least three
   contacts in them → Encourage, don't try to make.
4. Warm answers are rarer after pressuring contact than after approachable contact
   (at least five of each in the range) → Leave good feelings behind.
5. No shared good memory in the last four weeks, with at least three contacts in
   them → Bring back how easy it was.

When none applies, the article's central advice is shown: Leave good feelings behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from guidance.principles import BY_SLUG, GAME_TACTICS, Principle
from journal.choices import Tactic
from journal.models import User
from journal.reports.trends import Trends, combine, share
from journal.words import OWN, Voice, capfirst

MIN_CONTACTS = 3
# A rise of the pressuring share smaller than this is a wobble, not a change.
MIN_RISE = 0.10


@dataclass
class Suggestion:
    principle: Principle
    reason: str


def _tried_everything(trends: Trends, user: User, voice: Voice) -> str | None:
    for week in reversed(trends.weeks[-2:]):
        games = [Tactic(t).label.lower() for t in GAME_TACTICS if week.tactics.get(t)]
        if len(games) >= 3:
            # Said of the week in view (this week on Today, the week reviewed on its
            # review) or the one before it, never by a date that reads as another week.
            when = "This week" if week is trends.weeks[-1] else "The week before"
            return (
                f"{when} {voice.you} tried {len(games)} different strategies "
                f"({', '.join(games)}). "
                f"Reaching for them is understandable when {voice.you} are hurting; the article "
                "notes that one after another they tend to come across as pressure."
            )
    return None


def _pressure_rose(trends: Trends, user: User, voice: Voice) -> str | None:
    recent, before = combine(trends.weeks[-2:]), combine(trends.weeks[-6:-2])
    # Practical contacts (children, money, the house) are neither, so left out.
    if recent.relational < MIN_CONTACTS or before.relational < MIN_CONTACTS:
        return None
    if recent.pressuring / recent.relational - before.pressuring / before.relational < MIN_RISE:
        return None
    return (
        f"Pressuring contact rose to {share(recent.pressuring, recent.relational)} in the last "
        f"two weeks, from {share(before.pressuring, before.relational)} in the four weeks before."
    )


def _no_initiative(trends: Trends, user: User, voice: Voice) -> str | None:
    recent = trends.recent()
    if recent.contacts < MIN_CONTACTS or recent.partner_initiated:
        return None
    return (
        f"{capfirst(user.partner)} has not reached out first in the last four weeks, across "
        f"{recent.contacts} contacts. That can take time; this principle is about leaving "
        "room for it."
    )


def _cooler_after_pressure(trends: Trends, user: User, voice: Voice) -> str | None:
    after_ok, after_push = trends.warm_after_approachable, trends.warm_after_pressuring
    if after_ok.value is None or after_push.value is None or after_push.value >= after_ok.value:
        return None
    return (
        f"{capfirst(user.partner)} answered warmly {after_push} of the time after pressuring "
        "contact, "
        f"against {after_ok} after approachable contact."
    )


def _no_good_memories(trends: Trends, user: User, voice: Voice) -> str | None:
    recent = trends.recent()
    if recent.relational < MIN_CONTACTS or recent.good_memories:
        return None
    return (
        f"None of {voice.your} {recent.relational} approachable or pressuring contacts in "
        "the last four weeks shared a good memory."
    )


RULES = [
    (_tried_everything, "stop-the-games"),
    (_pressure_rose, "back-off"),
    (_no_initiative, "encourage"),
    (_cooler_after_pressure, "positive-emotions"),
    (_no_good_memories, "effortless"),
]
FALLBACK = (
    "positive-emotions",
    "Nothing in {your} recent weeks stands out, so here is the article's central advice.",
)


def suggestions_for(
    trends: Trends, user: User, limit: int = 2, voice: Voice = OWN
) -> list[Suggestion]:
    """The principles the weeks call for, each with its reason, said to the owner or,
    in a client's `voice`, of them to their counselor."""
    chosen: list[Suggestion] = []
    for rule, slug in RULES:
        reason = rule(trends, user, voice)
        if reason and all(s.principle.slug != slug for s in chosen):
            chosen.append(Suggestion(BY_SLUG[slug], reason))
    if not chosen:
        chosen.append(Suggestion(BY_SLUG[FALLBACK[0]], FALLBACK[1].format(your=voice.your)))
    return chosen[:limit]
