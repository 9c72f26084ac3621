"""The user's own numbers that go with each principle, from one `Trends`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from guidance.principles import GAME_TACTICS
from journal.choices import Tactic
from journal.models import User
from journal.reports.trends import Trends, Week, share
from journal.words import Voice, capfirst, counted, times


@dataclass
class Signal:
    text: str
    series_label: str
    series: list[float | None]
    # A share from 0 to 1 each week, drawn on an axis to 100 %.
    percent: bool = False


def _games(week: Week) -> int:
    return sum(week.tactics.get(t, 0) for t in GAME_TACTICS)


def _span(trends: Trends) -> str:
    return f"the last {len(trends.weeks)} weeks"


def games(trends: Trends, user: User, voice: Voice) -> Signal:
    recent, before = trends.recent(), trends.before_recent()
    used = [Tactic(t).label.lower() for t in GAME_TACTICS if recent.tactics.get(t)]
    now = _games(recent)
    text = (
        f"{counted(now, 'strategy', 'strategies')} tagged in the last four weeks"
        + (f" ({', '.join(used)})" if used else "")
        + f"; the four weeks before: {_games(before)}."
    )
    return Signal(text, "Strategies tagged per week", [_games(w) for w in trends.weeks])


def reaching_out(trends: Trends, user: User, voice: Voice) -> Signal:
    recent, before = trends.recent(), trends.before_recent()
    text = (
        f"{voice.You} reached out first {times(recent.me_initiated)} in the last four weeks "
        f"(the four weeks before: {times(before.me_initiated)}). Fewer moves made for a "
        "reaction can be part of the change."
    )
    return Signal(
        text, f"Contacts {voice.you} started per week", [w.me_initiated for w in trends.weeks]
    )


def approachable_share(trends: Trends, user: User, voice: Voice) -> Signal:
    recent, before = trends.recent(), trends.before_recent()
    if not recent.relational:
        text = "No approachable or pressuring contact logged in the last four weeks."
    else:
        earlier = share(before.approachable, before.relational) if before.relational else "none"
        text = (
            f"Approachable in the last four weeks: {share(recent.approachable, recent.relational)}"
            f" of {voice.your} approachable and pressuring contacts; the four weeks before: "
            f"{earlier}."
        )
    return Signal(
        text,
        "Approachable share per week",
        [w.approachable_share for w in trends.weeks],
        percent=True,
    )


def good_memories(trends: Trends, user: User, voice: Voice) -> Signal:
    total, recent = trends.totals.good_memories, trends.recent().good_memories
    text = (
        f"{counted(total, 'shared good memory', 'shared good memories')} in {_span(trends)}; "
        f"{recent} in the last four weeks."
    )
    return Signal(text, "Shared good memories per week", [w.good_memories for w in trends.weeks])


def pressure(trends: Trends, user: User, voice: Voice) -> Signal:
    text = (
        f"Pressure-free for {counted(trends.streak_current, 'day')} now; "
        f"{voice.your} longest run is {counted(trends.streak_longest, 'day')}."
    )
    return Signal(text, "Pressuring contacts per week", [w.pressuring for w in trends.weeks])


def warmth(trends: Trends, user: User, voice: Voice) -> Signal:
    text = (
        f"{capfirst(user.partner)} answered warmly after approachable contact: "
        f"{trends.warm_after_approachable}; after pressuring contact: "
        f"{trends.warm_after_pressuring}."
    )
    return Signal(
        text,
        f"Warm answers from {user.partner} per week",
        [w.warm_answers for w in trends.weeks],
    )


def initiative(trends: Trends, user: User, voice: Voice) -> Signal:
    recent, before = trends.recent(), trends.before_recent()
    text = (
        f"{capfirst(user.partner)} reached out first {times(recent.partner_initiated)} in the "
        f"last four weeks (the four weeks before: {times(before.partner_initiated)})."
    )
    return Signal(
        text,
        f"Contacts {user.partner} started per week",
        [w.partner_initiated for w in trends.weeks],
    )


def playfulness(trends: Trends, user: User, voice: Voice) -> Signal:
    totals = trends.totals
    ploys = totals.tactics.get(Tactic.SEDUCTION, 0)
    light = totals.tactics.get(Tactic.LIGHT_CONVERSATION, 0)
    text = (
        f"In {_span(trends)}: used closeness to change their mind {times(ploys)}, "
        f"kept it light {times(light)}."
    )
    return Signal(
        text,
        "Closeness used to change their mind, per week",
        [w.tactics.get(Tactic.SEDUCTION, 0) for w in trends.weeks],
    )


def persistence(trends: Trends, user: User, voice: Voice) -> Signal:
    kept = sum(1 for w in trends.weeks if w.contacts or w.space)
    warm = trends.totals.warm_answers
    text = (
        f"{voice.You} kept {voice.your} journal in {kept} of {_span(trends)}, and noted "
        f"{counted(warm, 'warm answer')} from {user.partner}: small signs are easy to miss "
        "on a hard day."
    )
    return Signal(text, "Entries per week", [w.contacts + w.space for w in trends.weeks])


SIGNALS: dict[str, Callable[[Trends, User, Voice], Signal]] = {
    "games": games,
    "reaching_out": reaching_out,
    "approachable_share": approachable_share,
    "good_memories": good_memories,
    "pressure": pressure,
    "warmth": warmth,
    "initiative": initiative,
    "playfulness": playfulness,
    "persistence": persistence,
}
