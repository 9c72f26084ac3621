"""Small SVG charts drawn on the server (no script, no request to another host).

The template `journal/_chart.html` lays out a chart; the repetitive marks (bars,
ticks, table rows) are joined here, since a long range has hundreds of them and
rendering each through the template engine cost more than the rest of the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify

from journal.choices import PRESSURING_TACTICS, Tactic

WIDTH = 600
HEIGHT = 160
LABEL_SPACE = 18


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass
class Chart:
    title: str
    summary: str
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    top: int
    points: str = ""
    # The table alternative: one row per label, one column per series.
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = HEIGHT - LABEL_SPACE

    @property
    def slug(self) -> str:
        return slugify(self.title)

    def marks(self) -> SafeString:
        """The bars, line and axis labels inside the <svg>."""
        bars = format_html_join(
            "",
            '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
            ((b.css, b.x, b.y, b.width, b.height, b.title) for b in self.bars),
        )
        line = format_html('<polyline class="chart-line" points="{}"></polyline>', self.points)
        ticks = format_html_join(
            "",
            '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
            ((x, self.height - 3, label) for x, label in self.ticks),
        )
        return bars + (line if self.points else "") + ticks

    def table_rows(self) -> SafeString:
        """The <tbody> rows of the table alternative."""
        return format_html_join(
            "",
            '<tr><th scope="row">{}</th>{}</tr>',
            (
                (row[0], format_html_join("", "<td>{}</td>", ((value,) for value in row[1:])))
                for row in self.rows
            ),
        )


def stacked_bars(
    title: str,
    summary: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
) -> Chart:
    """One bar per label, each made of the series' values stacked bottom up.

    `series` is a list of (name, css class, values); values line up with labels.
    """
    count = max(len(labels), 1)
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    top = max(max(totals, default=0), 1)
    plot = HEIGHT - LABEL_SPACE
    slot = WIDTH / count
    bars = []
    for i, label in enumerate(labels):
        y = plot
        for name, css, values in series:
            if not values[i]:
                continue
            height = values[i] / top * (plot - 4)
            y -= height
            bars.append(
                Bar(
                    x=round(i * slot + slot * 0.1, 2),
                    y=round(y, 2),
                    width=round(max(slot * 0.8, 1), 2),
                    height=round(height, 2),
                    css=css,
                    title=f"{label}: {values[i]:g} {name}",
                )
            )
    columns = [name for name, _, _ in series]
    rows = [[label, *(values[i] for _, _, values in series)] for i, label in enumerate(labels)]
    legend = [(name, css) for name, css, _ in series] if len(series) > 1 else []
    return Chart(
        title, summary, bars, _ticks(labels, slot), top, columns=columns, rows=rows, legend=legend
    )


def line(
    title: str,
    summary: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    low: float,
    high: float,
) -> Chart:
    """A line through the values that exist; gaps are skipped."""
    count = max(len(labels), 1)
    slot = WIDTH / count
    plot = HEIGHT - LABEL_SPACE
    points = [
        f"{i * slot + slot / 2:.1f},{plot - 4 - (value - low) / (high - low) * (plot - 8):.1f}"
        for i, value in enumerate(values)
        if value is not None
    ]
    rows = [
        [label, "–" if value is None else f"{value:.1f}"]
        for label, value in zip(labels, values, strict=True)
    ]
    return Chart(
        title,
        summary,
        [],
        _ticks(labels, slot),
        int(high),
        points=" ".join(points),
        columns=[title],
        rows=rows,
    )


def _ticks(labels: Sequence[str], slot: float) -> list[tuple[float, str]]:
    """At most about eight evenly spread labels, so they never overlap."""
    step = max(1, -(-len(labels) // 8))
    return [(round(i * slot + slot / 2, 1), label) for i, label in enumerate(labels)][::step]


def charts_for(trends, partner: str) -> list[Chart]:
    """The charts of the trends page, each with its summary and table."""
    weeks = trends.weeks
    labels = [f"{week.start:%-d %b}" for week in weeks]
    totals = trends.totals
    moods = [week.mood for week in weeks]
    known = [mood for mood in moods if mood is not None]
    return [
        stacked_bars(
            "Approachable and pressuring contacts per week",
            f"{totals.approachable} approachable and {totals.pressuring} pressuring contacts "
            f"in {len(weeks)} weeks.",
            labels,
            [
                ("approachable", "bar-approachable", [w.approachable for w in weeks]),
                ("pressuring", "bar-pressuring", [w.pressuring for w in weeks]),
            ],
        ),
        stacked_bars(
            "Pressuring tactics per week",
            f"{sum(totals.tactics.get(t, 0) for t in PRESSURING_TACTICS)} pressuring tactic tags "
            f"in {len(weeks)} weeks.",
            labels,
            [
                (Tactic(t).label.lower(), f"bar-tactic-{t}", [w.tactics.get(t, 0) for w in weeks])
                for t in PRESSURING_TACTICS
            ],
        ),
        stacked_bars(
            f"Contacts {partner} started per week",
            f"{partner} reached out first {totals.partner_initiated} times in {len(weeks)} weeks.",
            labels,
            [("started by " + partner, "bar-partner", [w.partner_initiated for w in weeks])],
        ),
        stacked_bars(
            "Shared good memories per week",
            f"{totals.good_memories} shared good memories in {len(weeks)} weeks.",
            labels,
            [("good memories", "bar-memory", [w.good_memories for w in weeks])],
        ),
        line(
            "Average mood per week (1 to 5)",
            f"Mood recorded in {len(known)} of {len(weeks)} weeks"
            + (f", from {min(known):.1f} to {max(known):.1f}." if known else "."),
            labels,
            moods,
            low=1,
            high=5,
        ),
    ]


def sparkline(label: str, values: Sequence[float | None], weeks) -> Chart:
    """A small one-series bar chart for a guidance card."""
    labels = [f"{week.start:%-d %b}" for week in weeks]
    chart = stacked_bars(label, label, labels, [(label, "bar-main", [v or 0 for v in values])])
    chart.ticks = []  # too small for axis labels; the card's text gives the numbers
    return chart
