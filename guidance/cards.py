"""A principle beside the user's own numbers: what the guidance pages and the dashboard show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guidance.principles import Principle
from guidance.signals import SIGNALS, Signal
from journal.access import Journal
from journal.models import Interaction
from journal.reports.charts import Chart, sparkline
from journal.reports.trends import Trends

# Related entries are picked from this many of the newest entries.
RECENT_WINDOW = 60


@dataclass
class Card:
    principle: Principle
    signal: Signal
    chart: Chart
    entries: list[Interaction]
    reason: str = ""


def principle_cards(
    *, journal: Journal, trends: Trends, principles: Sequence[Principle], related: int = 0
) -> list[Card]:
    """One card per principle, with up to `related` recent entries that relate to it."""
    recent = []
    if related:
        recent = list(journal.entries.for_list()[:RECENT_WINDOW])
    # Drawn from the week of the first entry: a young journal's chart is not mostly blank.
    weeks = trends.since_first_entry
    cards = []
    for principle in principles:
        signal = SIGNALS[principle.signal](trends, journal.owner, journal.voice)
        series = signal.series[len(trends.weeks) - len(weeks) :]
        cards.append(
            Card(
                principle=principle,
                signal=signal,
                chart=sparkline(signal.series_label, series, weeks, percent=signal.percent),
                entries=[entry for entry in recent if principle.relates_to(entry)][:related],
            )
        )
    return cards
