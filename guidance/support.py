"""Where to find help now: crisis and support lines, by the country a person chose.

Compiled on the date below from each service's own published numbers (the website
named beside each, shown as text: the page asks nothing of another host). Numbers
change rarely, but they can; the page says when the table was compiled, and the
emergency number always works.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from journal.choices import Country

COMPILED = datetime.date(2026, 12, 2)


@dataclass(frozen=True)
class Line:
    name: str
    how: str  # what to do, in words: "Call or text 988"
    tel: str  # the number to dial from the page, or "" for a text-only line
    what: str  # who it is for
    source: str  # where the number is published


@dataclass(frozen=True)
class Support:
    place: str
    emergency: str  # in words
    emergency_tel: str  # to dial from the page, or ""
    lines: tuple[Line, ...]


SAMARITANS_116_123 = "116 123 (free, day and night)"

SUPPORT: dict[str, Support] = {
    Country.US: Support(
        "the United States",
        "911",
        "911",
        (
            Line(
                "988 Suicide & Crisis Lifeline",
                "Call or text 988, or chat at 988lifeline.org",
                "988",
                "Anyone in emotional distress, day and night, free and confidential.",
                "988lifeline.org",
            ),
            Line(
                "Crisis Text Line",
                "Text HOME to 741741",
                "",
                "A trained volunteer by text, day and night.",
                "crisistextline.org",
            ),
            Line(
                "National Domestic Violence Hotline",
                "Call 1-800-799-7233, or text START to 88788",
                "18007997233",
                "If a partner frightens, hurts or controls you.",
                "thehotline.org",
            ),
        ),
    ),
    Country.GB: Support(
        "the United Kingdom",
        "999",
        "999",
        (
            Line(
                "Samaritans",
                f"Call {SAMARITANS_116_123}",
                "116123",
                "Anyone struggling to cope, about anything.",
                "samaritans.org",
            ),
            Line(
                "Shout",
                "Text SHOUT to 85258",
                "",
                "A trained volunteer by text, day and night.",
                "giveusashout.org",
            ),
            Line(
                "National Domestic Abuse Helpline (Refuge)",
                "Call 0808 2000 247 (free, day and night)",
                "08082000247",
                "If a partner frightens, hurts or controls you.",
                "nationaldahelpline.org.uk",
            ),
        ),
    ),
    Country.IE: Support(
        "Ireland",
        "112 or 999",
        "112",
        (
            Line(
                "Samaritans Ireland",
                f"Call {SAMARITANS_116_123}",
                "116123",
                "Anyone struggling to cope, about anything.",
                "samaritans.org",
            ),
            Line(
                "Pieta",
                "Call 1800 247 247, or text HELP to 51444",
                "1800247247",
                "If you are thinking of suicide or self-harm.",
                "pieta.ie",
            ),
            Line(
                "Women's Aid",
                "Call 1800 341 900 (free, day and night)",
                "1800341900",
                "If a partner frightens, hurts or controls you.",
                "womensaid.ie",
            ),
        ),
    ),
    Country.CA: Support(
        "Canada",
        "911",
        "911",
        (
            Line(
                "9-8-8 Suicide Crisis Helpline",
                "Call or text 988",
                "988",
                "Anyone thinking of suicide or worried about someone, day and night.",
                "988.ca",
            ),
            Line(
                "ShelterSafe",
                "Find the shelter and crisis line of your province at sheltersafe.ca",
                "",
                "If a partner frightens, hurts or controls you.",
                "sheltersafe.ca",
            ),
        ),
    ),
    Country.AU: Support(
        "Australia",
        "000",
        "000",
        (
            Line(
                "Lifeline",
                "Call 13 11 14, or text 0477 13 11 14",
                "131114",
                "Anyone in crisis, day and night.",
                "lifeline.org.au",
            ),
            Line(
                "Beyond Blue",
                "Call 1300 22 4636",
                "1300224636",
                "Anxiety, depression, and hard times.",
                "beyondblue.org.au",
            ),
            Line(
                "1800RESPECT",
                "Call 1800 737 732",
                "1800737732",
                "If a partner frightens, hurts or controls you.",
                "1800respect.org.au",
            ),
        ),
    ),
    Country.NZ: Support(
        "New Zealand",
        "111",
        "111",
        (
            Line(
                "Need to talk? 1737",
                "Call or text 1737 (free, day and night)",
                "1737",
                "A trained counsellor, about anything.",
                "1737.org.nz",
            ),
            Line(
                "Lifeline Aotearoa",
                "Call 0800 543 354, or text 4357",
                "0800543354",
                "Anyone in crisis, day and night.",
                "lifeline.org.nz",
            ),
            Line(
                "Women's Refuge",
                "Call 0800 733 843 (free, day and night)",
                "0800733843",
                "If a partner frightens, hurts or controls you.",
                "womensrefuge.org.nz",
            ),
        ),
    ),
    Country.EU: Support(
        "the European Union",
        "112",
        "112",
        (
            Line(
                "Emotional support line 116 123",
                "Call 116 123 in most EU countries (free)",
                "116123",
                "Someone to talk to when things are hard. Where it is not in service yet, "
                "your country's crisis line is listed at findahelpline.com.",
                "digital-strategy.ec.europa.eu (the harmonised 116 numbers)",
            ),
        ),
    ),
}

FALLBACK = Support(
    "",
    "your local emergency number",
    "",
    (
        Line(
            "Find A Helpline",
            "Look up your country at findahelpline.com",
            "",
            "Free, confidential crisis lines in many countries, by phone, text or chat.",
            "findahelpline.com",
        ),
    ),
)


def support_for(country: str) -> Support:
    """The lines for a country's code; the fallback for any other or none."""
    return SUPPORT.get(country, FALLBACK)
