"""What a weekly review says about a week, in words and rows, from the trends."""

from __future__ import annotations

import datetime

from journal.choices import Approach, Response, Tactic
from journal.reports.trends import Week, share
from journal.words import OWN, Voice, capfirst, counted, times


def summary_line(week: Week, partner: str) -> str:
    """One line for the reviews list and the reminder email."""
    if not week.contacts and not week.space:
        return "Nothing logged."
    parts = [f"{week.approachable} approachable, {week.pressuring} pressuring"]
    if week.practical:
        parts[0] += f", {week.practical} practical"
    if week.space:
        parts.append(f"{counted(week.space, 'day')} of space")
    if week.partner_initiated:
        parts.append(f"{capfirst(partner)} reached out first {times(week.partner_initiated)}")
    else:
        parts.append(f"{capfirst(partner)} did not reach out first")
    if week.relational:
        parts.append(f"{share(week.approachable, week.relational)} approachable")
    return " · ".join(parts)


def responses_text(week: Week, approach: str) -> str:
    answers = week.responses.get(approach, {})
    if not answers:
        return "–"
    return ", ".join(
        f"{answers[response]} {Response(response).label.lower()}"
        for response in Response
        if answers.get(response)
    )


def tactics_text(week: Week) -> str:
    used = [(Tactic(t).label, n) for t, n in week.tactics.items() if n]
    return ", ".join(f"{label} ×{n}" if n > 1 else label for label, n in sorted(used)) or "–"


def comparison_rows(
    this: Week, before: Week, partner: str, voice: Voice = OWN
) -> list[tuple[str, str, str]]:
    """(what, this week, the week before) for the review's table."""

    def mood(week: Week) -> str:
        return f"{week.mood:.1f}" if week.mood is not None else "–"

    def approachable_share(week: Week) -> str:
        return share(week.approachable, week.relational) if week.relational else "–"

    rows = [
        ("Approachable contacts", this.approachable, before.approachable),
        ("Pressuring contacts", this.pressuring, before.pressuring),
        ("Practical contacts", this.practical, before.practical),
        ("Approachable share", approachable_share(this), approachable_share(before)),
        (f"Times {partner} reached out first", this.partner_initiated, before.partner_initiated),
        (f"Times {voice.I} reached out first", this.me_initiated, before.me_initiated),
        ("Days of space", this.space, before.space),
        ("Pressure-free days", this.pressure_free_days, before.pressure_free_days),
        ("Tactics tagged", tactics_text(this), tactics_text(before)),
    ]
    for approach in Approach:
        rows.append(
            (
                f"{capfirst(partner)}'s responses after {approach.label.lower()} contact",
                responses_text(this, approach),
                responses_text(before, approach),
            )
        )
    rows.append((f"{voice.My} average mood (1 to 5)", mood(this), mood(before)))
    return [(label, str(now), str(then)) for label, now, then in rows]


def reflection_streak(
    weeks: list[datetime.date], reflected: set[datetime.date], current: datetime.date
) -> int:
    """Consecutive weeks reflected on, counting back from the latest.

    `weeks` are week starts, newest first. The current week and the one just
    ended can still be reflected on: they count when they are, and do not break
    the streak when they are not yet.
    """
    pending = {current, current - datetime.timedelta(days=7)}
    streak = 0
    for week in weeks:
        if week in reflected:
            streak += 1
        elif week not in pending:
            break
    return streak
