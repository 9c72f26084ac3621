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
UNITS_OF_ONE = {"contacts": "contact", "tags": "tag", "memories": "memory"}


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
    # What the vertical axis counts ("contacts"), named beside its top value.
    unit: str = ""
    percent: bool = False

    @property
    def is_empty(self) -> bool:
        """Nothing to draw: the page says so instead of showing bare axes."""
        return not self.bars and not self.segments

    @property
    def baseline(self) -> int:
        return self.height - LABEL_SPACE

    @property
    def slug(self) -> str:
        return slugify(self.title)

    def marks(self) -> SafeString:
        """The bars, lines, points and axis labels inside the <svg>."""
        # "1 contact", "3 contacts": the unit is given in the plural.
        unit = self.unit if self.top != 1 else UNITS_OF_ONE.get(self.unit, self.unit)
        top = f"{self.top:g}{'%' if self.percent else ''} {unit}".strip()
        bottom = self.bottom_label or ("0%" if self.percent else "0")
        parts = [
            f'<text class="chart-tick" x="2" y="14">{escape(top)}</text>',
            f'<text class="chart-tick" x="2" y="{self.baseline - 4}">{bottom}</text>',
        ]
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
        last = len(self.ticks) - 1
        for n, (x, label) in enumerate(self.ticks):
            # The first and last labels lean inward, so that no narrow screen cuts them.
            anchor, x = (
                ("start", 2) if n == 0 else ("end", self.width - 2) if n == last else ("middle", x)
            )
            parts.append(
                f'<text class="chart-tick" x="{x}" y="{self.height - 3}" text-anchor="{anchor}">'
                f"{escape(label)}</text>"
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
    unit: str = "",
    percent: bool = False,
) -> Chart:
    """One bar per label, each made of the series' values stacked bottom up.

    `series` is a list of (name, css class, values); values line up with labels. A
    `percent` chart's values are shares from 0 to 1, drawn on an axis to 100 %.
    """
    count = max(len(labels), 1)
    if percent:
        series = [(name, css, [v * 100 for v in values]) for name, css, values in series]
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    top = 100 if percent else max(max(totals, default=0), 1)
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
                    title=f"{label}: {values[i]:g}{'%' if percent else ''} {name}",
                )
            )
    columns = [name for name, _, _ in series]
    rows = [
        [label, *(f"{values[i]:.0f}%" if percent else values[i] for _, _, values in series)]
        for i, label in enumerate(labels)
    ]
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
        unit=unit,
        percent=percent,
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
        unit="mood",
    )


def _ticks(labels: Sequence[str], slot: float) -> list[tuple[float, str]]:
    """At most about eight evenly spread labels, so they never overlap."""
    step = max(1, -(-len(labels) // 8))
    return [(round(i * slot + slot / 2, 1), label) for i, label in enumerate(labels)][::step]


QUARTERS = ["Jan–Mar", "Apr–Jun", "Jul–Sep", "Oct–Dec"]


def label_of(period, unit: str) -> str:
    """A bar's label: its week, month or quarter (the one its first week starts in)."""
    if unit == "week":
        return f"{period.start:%-d %b}"
    if unit == "month":
        return f"{period.start:%b %Y}"
    return f"{QUARTERS[(period.start.month - 1) // 3]} {period.start.year}"


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
    """The charts of the trends page from the week of the first entry, each with its
    summary (the totals, and which way things went) and its table."""
    unit = trends.unit
    weeks = trends.since_first_entry
    labels = [label_of(week, unit) for week in weeks]
    span = counted(len(weeks), unit)
    totals = combine(weeks)
    moods = [week.mood for week in weeks]
    known = [mood for mood in moods if mood is not None]
    pressure_tags = [week.pressuring_tactics for week in weeks]

    def moved(what: str, values: list) -> str:
        said = change(f"{what} a {unit}", values, unit)
        return f" {said}" if said else ""

    shares = change(
        "the approachable share",
        [w.approachable for w in weeks],
        unit,
        wholes=[w.relational for w in weeks],
        percent=True,
    )
    charts = [
        stacked_bars(
            f"Contacts per {unit}, by how {voice.I} came across",
            _approach_summary(totals, span) + (f" {shares}" if shares else ""),
            labels,
            [
                ("approachable", "bar-approachable", [w.approachable for w in weeks]),
                ("pressuring", "bar-pressuring", [w.pressuring for w in weeks]),
                ("practical", "bar-practical", [w.practical for w in weeks]),
            ],
            unit="contacts",
        ),
        stacked_bars(
            f"Pressuring tactics per {unit}",
            f"{counted(sum(pressure_tags), 'pressuring tactic tag')} in {span}."
            + moved("pressuring tactic tags", pressure_tags),
            labels,
            [
                (Tactic(t).label.lower(), f"bar-tactic-{t}", [w.tactics.get(t, 0) for w in weeks])
                for t in PRESSURING_TACTICS
            ],
            unit="tags",
        ),
        stacked_bars(
            f"Contacts {partner} started per {unit}",
            f"{capfirst(partner)} reached out first {times(totals.partner_initiated)} in {span}."
            + moved(f"contacts {partner} started", [w.partner_initiated for w in weeks]),
            labels,
            [("started by " + partner, "bar-partner", [w.partner_initiated for w in weeks])],
            unit="contacts",
        ),
        stacked_bars(
            f"Shared good memories per {unit}",
            f"{counted(totals.good_memories, 'shared good memory', 'shared good memories')} "
            f"in {span}." + moved("shared good memories", [w.good_memories for w in weeks]),
            labels,
            [("good memories", "bar-memory", [w.good_memories for w in weeks])],
            unit="memories",
        ),
        line(
            f"Average mood per {unit} (1 to 5)",
            f"Mood recorded in {len(known)} of {span}."
            + (f" {said}" if (said := change("the average mood", moods, unit)) else ""),
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


def sparkline(
    label: str, values: Sequence[float | None], weeks, *, percent: bool = False
) -> Chart:
    """A small one-series bar chart for a guidance card: its first and last weeks
    labelled, its change said in words, its table too."""
    labels = [f"{week.start:%-d %b}" for week in weeks]
    numbers = [v or 0 for v in values]
    chart = stacked_bars(
        label,
        change(label, values, "week", percent=percent),
        labels,
        [(label, "bar-main", numbers)],
        height=SPARK_HEIGHT,
        percent=percent,
    )
    if labels:
        slot = WIDTH / len(labels)
        chart.ticks = [(slot / 2, labels[0]), (WIDTH - slot / 2, labels[-1])][: len(labels)]
    return chart


def change(
    what: str,
    values: Sequence[float | None],
    unit: str,
    *,
    wholes: Sequence[float] | None = None,
    percent: bool = False,
) -> str:
    """How `what` moved, the first third of the periods against the last third, in
    words: "The approachable share rose from 20% in the first 4 weeks to 83% in the
    last 4." With `wholes`, each third's value is its values' sum over theirs (a
    share); otherwise the mean of the values it has. "" when there is too little."""
    k = len(values) // 3

    def third(part: slice) -> float | None:
        if wholes is not None:
            whole = sum(wholes[part])
            return sum(v or 0 for v in values[part]) / whole if whole else None
        known = [v for v in values[part] if v is not None]
        return sum(known) / len(known) if known else None

    if k < 1 or (a := third(slice(0, k))) is None or (b := third(slice(-k, None))) is None:
        return ""
    shown = f"{a:.0%}" if percent else f"{a:.1f}", f"{b:.0%}" if percent else f"{b:.1f}"
    first, last = (
        (f"the first {unit}", "the last")
        if k == 1
        else (
            f"the first {counted(k, unit)}",
            f"the last {k}",
        )
    )
    if shown[0] == shown[1]:
        return f"{capfirst(what)} held at {shown[0]} from {first} to {last}."
    moved = "rose" if b > a else "fell"
    return f"{capfirst(what)} {moved} from {shown[0]} in {first} to {shown[1]} in {last}."
