"""The user's own numbers that go with each principle, from one `Trends`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from guidance.principles import GAME_TACTICS
from journal.choices import Tactic
from journal.models import User
from journal.trends import Trends, share


@dataclass
class Signal:
    text: str
    series_label: str
    series: list[float | None]


def _games(trends: Trends, user: User) -> Signal:
    recent, before = trends.recent(), trends.before_recent()
    used = [Tactic(t).label.lower() for t in GAME_TACTICS if recent.tactics.get(t)]
    earlier = sum(before.tactics.get(t, 0) for t in GAME_TACTICS)
    now = sum(recent.tactics.get(t, 0) for t in GAME_TACTICS)
    if not now:
        text = f"No game tactics tagged in the last four weeks (the four weeks before: {earlier})."
    else:
        text = (
            f"{now} game tactic tag{'s' if now != 1 else ''} in the last four weeks "
            f"({', '.join(used)}); the four weeks before: {earlier}."
        )
    return Signal(
        text, "Pressuring tactics tagged per week", [w.pressuring_tactics for w in trends.weeks]
    )


def _approachable_share(trends: Trends, user: User) -> Signal:
    recent, before = trends.recent(), trends.before_recent()
    if not recent.contacts:
        text = "No contact logged in the last four weeks."
    else:
        text = (
            f"Approachable in the last four weeks: {share(recent.approachable, recent.contacts)}"
            f" of your contacts; the four weeks before: "
            f"{share(before.approachable, before.contacts) if before.contacts else 'no contact'}."
        )
    return Signal(
        text, "Approachable share per week", [w.approachable_share for w in trends.weeks]
    )


def _good_memories(trends: Trends, user: User) -> Signal:
    total = trends.totals.good_memories
    recent = trends.recent().good_memories
    text = (
        f"{total} shared good memor{'y' if total == 1 else 'ies'} since "
        f"{trends.start:%-d %B}; {recent} in the last four weeks."
    )
    return Signal(text, "Shared good memories per week", [w.good_memories for w in trends.weeks])


def _pressure(trends: Trends, user: User) -> Signal:
    text = (
        f"Pressure-free for {trends.streak_current} day{'s' if trends.streak_current != 1 else ''}"
        f" now; your longest run is {trends.streak_longest}."
    )
    return Signal(text, "Pressuring contacts per week", [w.pressuring for w in trends.weeks])


def _warmth(trends: Trends, user: User) -> Signal:
    text = (
        f"{user.partner} answered warmly after approachable contact: "
        f"{trends.warm_after_approachable}; after pressuring contact: "
        f"{trends.warm_after_pressuring}."
    )
    return Signal(
        text, "Approachable share per week", [w.approachable_share for w in trends.weeks]
    )


def _initiative(trends: Trends, user: User) -> Signal:
    recent, before = trends.recent(), trends.before_recent()
    text = (
        f"{user.partner} reached out first {recent.partner_initiated} time"
        f"{'s' if recent.partner_initiated != 1 else ''} in the last four weeks "
        f"(the four weeks before: {before.partner_initiated})."
    )
    return Signal(
        text,
        f"Contacts {user.partner} started per week",
        [w.partner_initiated for w in trends.weeks],
    )


def _playfulness(trends: Trends, user: User) -> Signal:
    totals = trends.totals
    ploys = totals.tactics.get(Tactic.SEDUCTION, 0)
    light = totals.tactics.get(Tactic.LIGHT_CONVERSATION, 0)
    text = (
        f"Since {trends.start:%-d %B}: seduction as a ploy tagged {ploys} time"
        f"{'s' if ploys != 1 else ''}, light conversation {light}."
    )
    return Signal(
        text,
        "Seduction as a ploy per week",
        [w.tactics.get(Tactic.SEDUCTION, 0) for w in trends.weeks],
    )


SIGNALS: dict[str, Callable[[Trends, User], Signal]] = {
    "games": _games,
    "approachable_share": _approachable_share,
    "good_memories": _good_memories,
    "pressure": _pressure,
    "warmth": _warmth,
    "initiative": _initiative,
    "playfulness": _playfulness,
}
