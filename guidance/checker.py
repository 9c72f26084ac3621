"""A message read before it is sent: what in it may come across as pressure, and
what reads as approachable, sentence by sentence.

The rules are a plain table of word patterns, in the project's own words, each
pointing to the principle of the article it comes from (guidance.principles; the
source is Leslie Cane's article). Nothing is sent anywhere and nothing is learned:
the same message always gets the same reading, and LIMITS says what it cannot see.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from journal import rules
from journal.choices import Approach, LateFrom

# A message longer than this is not quick to answer.
LONG = 280
# This many questions or more in one message feel like an interview.
MANY_QUESTIONS = 3


@dataclass(frozen=True)
class Pattern:
    key: str
    label: str
    pressuring: bool
    principle: str
    """The slug of the principle it points to."""
    words: re.Pattern
    instead: str
    """A gentler way, in general terms."""


def _words(*phrases: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


PATTERNS = [
    Pattern(
        "guilt",
        "May read as guilt",
        True,
        "stop-the-games",
        _words(
            r"after (?:all|everything) (?:i|i've|we)",
            r"you (?:made|make) me",
            r"because of you",
            r"how could you",
            r"you (?:left|abandoned|hurt) (?:me|us)",
            r"i (?:gave|sacrificed) (?:up )?(?:everything|so much)",
            r"you don'?t (?:even )?care",
            r"you never",
        ),
        "Say how you are without making it their doing: a feeling needs no one to blame.",
    ),
    Pattern(
        "obligation",
        "May read as duty or obligation",
        True,
        "stop-the-games",
        _words(
            r"you owe",
            r"you (?:should|must|have to|need to|ought to)",
            r"it'?s your (?:duty|responsibility|job)",
            r"for the (?:kids'?|children'?s?) sake",
            r"(?:you|we) promised",
            r"our vows",
        ),
        "Leave out what they ought to do; an invitation can be turned down, a duty cannot.",
    ),
    Pattern(
        "pleading",
        "May read as pleading",
        True,
        "back-off",
        _words(
            r"please",
            r"i'?m begging",
            r"(?:i )?beg you",
            r"(?:one more|another) chance",
            r"i can'?t live without",
            r"i need you",
            r"come (?:back|home)",
        ),
        "Keep the message about something other than getting back together, for now.",
    ),
    Pattern(
        "ultimatum",
        "May read as an ultimatum",
        True,
        "back-off",
        _words(
            r"or else",
            r"(?:last|final) chance",
            r"if you don'?t",
            r"now or never",
            r"i'?(?:ll| will) (?:leave|file|move on|be gone|give up)",
            r"this is it",
            r"by (?:tonight|tomorrow|friday|monday|the end of)",
        ),
        "Take out the deadline: a choice made under a clock rarely lasts.",
    ),
    Pattern(
        "jealousy",
        "May read as trying to make them jealous",
        True,
        "stop-the-games",
        _words(
            r"someone (?:new|else)",
            r"another (?:man|woman|guy|girl)",
            r"(?:went|going) out with",
            r"seeing someone",
            r"(?:asked|asking) me out",
            r"hitting on me",
            r"flirt(?:ed|ing) with me",
        ),
        "Leave other people out of it; share your day for its own sake.",
    ),
    Pattern(
        "indifference",
        "May read as pretending not to care",
        True,
        "stop-the-games",
        _words(
            r"i don'?t care",
            r"whatever",
            r"do what(?:ever)? you want",
            r"i'?m (?:so )?(?:over it|over you)",
            r"couldn'?t care less",
            r"doesn'?t matter to me",
        ),
        "You need not act cool; a short, honest, friendly line is enough.",
    ),
    Pattern(
        "pushing",
        "May read as pushing for an answer or a meeting",
        True,
        "back-off",
        _words(
            r"we need to talk",
            r"answer me",
            r"why (?:won'?t|aren'?t|don'?t|didn'?t) you (?:answer|reply|respond|call|text)",
            r"call me (?:back|now)",
            r"i need (?:an answer|to know)",
            r"when are you coming",
            r"we have to meet",
            r"tell me (?:now|today)",
            r"are you (?:coming back|still there|ignoring me)",
        ),
        "Leave the next step to them: something they can answer, or not, with ease.",
    ),
    Pattern(
        "warm",
        "Reads as light and warm",
        False,
        "positive-emotions",
        _words(
            r"hope (?:you|your)",
            r"have a (?:good|great|nice|lovely)",
            r"made me (?:think of you|smile|laugh)",
            r"thought (?:of you|you'?d like)",
            r"good luck",
            r"congrat\w*",
            r"happy birthday",
            r"glad",
            r"enjoy",
            r"thank(?:s| you)",
            r"remember when",
        ),
        "",
    ),
]

# What the reading cannot do, shown on the page beside it.
LIMITS = [
    "It reads words, not meaning: a polite “please” in a practical message "
    "(“please let me know when the children are ready”) is flagged as pleading.",
    "“You should see the garden” is flagged as duty, and “I don't care which day” "
    "as pretending not to care, though neither is pressure.",
    "It cannot hear tone, irony or a shared joke, and it reads English only.",
    "A message with no flag can still land badly, and a flagged one may be fine "
    "between the two of you. It is a second look, not a verdict.",
]


@dataclass
class Finding:
    pattern: Pattern
    words: str


@dataclass
class Sentence:
    text: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Reading:
    sentences: list[Sentence]
    # What the message as a whole does, beside its sentences: keys of OVERALL.
    overall: list[str]

    @property
    def whole(self) -> list[tuple[str, bool, str]]:
        """(what, whether it may read as pressure, the principle) of the whole message."""
        return [OVERALL[key] for key in self.overall]

    @property
    def pressuring(self) -> bool:
        return any(
            finding.pattern.pressuring for s in self.sentences for finding in s.findings
        ) or any(pressuring for _, pressuring, _ in self.whole)

    @property
    def approach(self) -> str:
        return Approach.PRESSURING if self.pressuring else Approach.APPROACHABLE

    @property
    def flags(self) -> set[str]:
        """The keys of every pattern found, and of what the whole message does."""
        found = {finding.pattern.key for s in self.sentences for finding in s.findings}
        return found | set(self.overall)


OVERALL = {
    "late": ("A long message late at night", True, "back-off"),
    "questions": ("Many questions at once", True, "back-off"),
    "again": ("A second message before any reply", True, "back-off"),
    "short": ("Short and easy to answer", False, "approachable"),
    "asks-nothing": ("Asks nothing of them", False, "approachable"),
}


def sentences_of(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?…])\s+|\n+", text.strip())
    return [part.strip() for part in parts if part.strip()]


def message_read(
    text: str,
    *,
    at: datetime.time | None = None,
    late_from: int = LateFrom.TEN,
    unanswered: bool = False,
) -> Reading:
    """The reading of `text`, written at `at` (the person's local time; late at night
    from the hour `late_from`), after a message of theirs that has had no reply yet
    if `unanswered`."""
    sentences = []
    for part in sentences_of(text):
        sentence = Sentence(part)
        # Phones type a curly apostrophe: "I’m" reads as "I'm".
        plain = part.replace("\u2019", "'")
        for pattern in PATTERNS:
            if match := pattern.words.search(plain):
                sentence.findings.append(Finding(pattern, match.group(0)))
        sentences.append(sentence)
    overall = []
    if at is not None and rules.is_late(at, late_from) and len(text) > LONG:
        overall.append("late")
    if text.count("?") >= MANY_QUESTIONS:
        overall.append("questions")
    if unanswered:
        overall.append("again")
    pressed = overall or any(f.pattern.pressuring for s in sentences for f in s.findings)
    # What makes a message easy to answer counts only when nothing in it presses.
    if not pressed and len(text) <= LONG:
        overall.append("short")
    if not pressed and "?" not in text:
        overall.append("asks-nothing")
    return Reading(sentences, overall)
