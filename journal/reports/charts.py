"""Small SVG charts drawn on the server (no script, no request to another host).

The template `journal/_chart.html` lays out a chart; the repetitive marks (bars,
ticks, table rows) are joined here with plain string formatting, every text
escaped: a long range has thousands of them, and rendering each through the
template engine or format_html cost more than the rest of the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from journal.choices import PRESSURING_TACTICS, Tactic
from journal.reports.trends import combine, share
from journal.words import OWN, Voice, capfirst, counted, times

WIDTH = 600
HEIGHT = 200
SPARK_HEIGHT = 90
LABEL_SPACE = 22


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
    top: float
    # A line chart's points, in runs broken where a value is missing.
    segments: list[list[tuple[float, float]]] = field(default_factory=list)
    # Bars start at zero, so only a line's lowest value is labelled.
    bottom_label: str = ""
    # The table alternative: one row per label, one column per series.
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    row_header: str = "Week of"
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> int:
        return self.height - LABEL_SPACE

    @property
    def slug(self) -> str:
        return slugify(self.title)

    def marks(self) -> SafeString:
        """The bars, lines, points and axis labels inside the <svg>."""
        parts = [
            f'<text class="chart-tick" x="2" y="14">{self.top:g}</text>',
        ]
        if self.bottom_label:
            y = self.baseline - 4
            parts.append(f'<text class="chart-tick" x="2" y="{y}">{self.bottom_label}</text>')
        parts.extend(
            f'<rect class="{b.css}" x="{b.x}" y="{b.y}" width="{b.width}" height="{b.height}">'
            f"<title>{escape(b.title)}</title></rect>"
            for b in self.bars
        )
        for segment in self.segments:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            parts.append(f'<polyline class="chart-line" points="{points}"></polyline>')
            parts.extend(
                f'<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="4"></circle>'
                for x, y in segment
            )
        parts.extend(
            f'<text class="chart-tick" x="{x}" y="{self.height - 3}" text-anchor="middle">'
            f"{escape(label)}</text>"
            for x, label in self.ticks
        )
        # Safe: numbers, and every text escaped above.
        return mark_safe("".join(parts))

    def table_rows(self) -> SafeString:
        """The <tbody> rows of the table alternative, every cell escaped."""
        return mark_safe(
            "".join(
                f'<tr><th scope="row">{escape(row[0])}</th>'
                + "".join(f"<td>{escape(str(value))}</td>" for value in row[1:])
                + "</tr>"
                for row in self.rows
            )
        )


def stacked_bars(
    title: str,
    summary: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    height: int = HEIGHT,
) -> Chart:
    """One bar per label, each made of the series' values stacked bottom up.

    `series` is a list of (name, css class, values); values line up with labels.
    """
    count = max(len(labels), 1)
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    top = max(max(totals, default=0), 1)
    plot = height - LABEL_SPACE
    slot = WIDTH / count
    bars = []
    for i, label in enumerate(labels):
        y: float = plot
        for name, css, values in series:
            if not values[i]:
                continue
            size = values[i] / top * (plot - 20)
            y -= size
            bars.append(
                Bar(
                    x=round(i * slot + slot * 0.1, 2),
                    y=round(y, 2),
                    width=round(max(slot * 0.8, 1), 2),
                    height=round(size, 2),
                    css=css,
                    title=f"{label}: {values[i]:g} {name}",
                )
            )
    columns = [name for name, _, _ in series]
    rows = [[label, *(values[i] for _, _, values in series)] for i, label in enumerate(labels)]
    legend = [(name, css) for name, css, _ in series] if len(series) > 1 else []
    return Chart(
        title,
        summary,
        bars,
        _ticks(labels, slot),
        top,
        columns=columns,
        rows=rows,
        legend=legend,
        height=height,
    )


def line(
    title: str,
    summary: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    low: float,
    high: float,
) -> Chart:
    """A line through the values that exist, broken where one is missing."""
    count = max(len(labels), 1)
    slot = WIDTH / count
    plot = HEIGHT - LABEL_SPACE
    segments: list[list[tuple[float, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            segments.append([])
            continue
        y = plot - 4 - (value - low) / (high - low) * (plot - 24)
        segments[-1].append((i * slot + slot / 2, y))
    rows = [
        [label, "–" if value is None else f"{value:.1f}"]
        for label, value in zip(labels, values, strict=True)
    ]
    return Chart(
        title,
        summary,
        [],
        _ticks(labels, slot),
        high,
        segments=[segment for segment in segments if segment],
        bottom_label=f"{low:g}",
        columns=[title],
        rows=rows,
    )


def _ticks(labels: Sequence[str], slot: float) -> list[tuple[float, str]]:
    """At most about eight evenly spread labels, so they never overlap."""
    step = max(1, -(-len(labels) // 8))
    return [(round(i * slot + slot / 2, 1), label) for i, label in enumerate(labels)][::step]


# Beyond two years, one bar a week is under a pixel wide: the charts go monthly.
MONTHLY_AFTER_WEEKS = 104


def periods_of(trends) -> tuple[str, list]:
    """The trends' weeks, or for a long range the same weeks added up by month.

    A week belongs to the month it starts in.
    """
    if len(trends.weeks) <= MONTHLY_AFTER_WEEKS:
        return "week", [(f"{w.start:%-d %b}", w) for w in trends.weeks]
    months: dict[tuple[int, int], list] = {}
    for week in trends.weeks:
        months.setdefault((week.start.year, week.start.month), []).append(week)
    return "month", [(f"{group[0].start:%b %Y}", combine(group)) for group in months.values()]


def _approach_summary(totals, span: str) -> str:
    """ "3 approachable and 1 pressuring contact in 4 weeks: 3 of 4 approachable.", with
    the practical contacts named and set aside from the share when there are any."""
    counts = f"{totals.approachable} approachable"
    if totals.practical:
        counts += f", {totals.pressuring} pressuring and "
        counts += counted(totals.practical, "practical contact")
    else:
        counts += f" and {counted(totals.pressuring, 'pressuring contact')}"
    if not totals.relational:
        return f"{counts} in {span}."
    aside = ", practical ones aside" if totals.practical else ""
    return (
        f"{counts} in {span}: {share(totals.approachable, totals.relational)} approachable{aside}."
    )


def charts_for(trends, partner: str, voice: Voice = OWN) -> list[Chart]:
    """The charts of the trends page, each with its summary and table."""
    unit, periods = periods_of(trends)
    labels = [label for label, _ in periods]
    weeks = [period for _, period in periods]
    span = counted(len(weeks), unit)
    totals = trends.totals
    moods = [week.mood for week in weeks]
    known = [mood for mood in moods if mood is not None]
    pressure_tags = sum(totals.tactics.get(t, 0) for t in PRESSURING_TACTICS)
    charts = [
        stacked_bars(
            f"Contacts per {unit}, by how {voice.I} came across",
            _approach_summary(totals, span),
            labels,
            [
                ("approachable", "bar-approachable", [w.approachable for w in weeks]),
                ("pressuring", "bar-pressuring", [w.pressuring for w in weeks]),
                ("practical", "bar-practical", [w.practical for w in weeks]),
            ],
        ),
        stacked_bars(
            f"Pressuring tactics per {unit}",
            f"{counted(pressure_tags, 'pressuring tactic tag')} in {span}.",
            labels,
            [
                (Tactic(t).label.lower(), f"bar-tactic-{t}", [w.tactics.get(t, 0) for w in weeks])
                for t in PRESSURING_TACTICS
            ],
        ),
        stacked_bars(
            f"Contacts {partner} started per {unit}",
            f"{capfirst(partner)} reached out first {times(totals.partner_initiated)} in {span}.",
            labels,
            [("started by " + partner, "bar-partner", [w.partner_initiated for w in weeks])],
        ),
        stacked_bars(
            f"Shared good memories per {unit}",
            f"{counted(totals.good_memories, 'shared good memory', 'shared good memories')} "
            f"in {span}.",
            labels,
            [("good memories", "bar-memory", [w.good_memories for w in weeks])],
        ),
        line(
            f"Average mood per {unit} (1 to 5)",
            f"Mood recorded in {len(known)} of {span}"
            + (f", from {min(known):.1f} to {max(known):.1f}." if known else "."),
            labels,
            moods,
            low=1,
            high=5,
        ),
    ]
    # The share is what the approachable chart is about; the table spells it out.
    charts[0].columns.append("approachable share")
    for row, week in zip(charts[0].rows, weeks, strict=True):
        row.append(share(week.approachable, week.relational) if week.relational else "–")
    for chart in charts:
        chart.row_header = f"{unit.capitalize()} of"
    return charts


def sparkline(label: str, values: Sequence[float | None], weeks) -> Chart:
    """A small one-series bar chart for a guidance card."""
    labels = [f"{week.start:%-d %b}" for week in weeks]
    chart = stacked_bars(
        label, "", labels, [(label, "bar-main", [v or 0 for v in values])], height=SPARK_HEIGHT
    )
    chart.ticks = []  # too small for dates; the card's text gives the numbers
    return chart
