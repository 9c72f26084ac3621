"""The rules of a journal, each in one place.

Pure functions of plain values: each returns the problems it finds, and callers
(the models' clean(), the forms, the importer, the admin through the models) show
them. A problem carries the field it belongs to and two wordings of one message:
`message` speaks to the person filling a form, `in_file` of a record in an export
file. Where the database can hold a rule too, a constraint in journal/models.py
does (named beside each rule).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from journal.choices import TACTIC_APPROACH, Approach, Initiator, Kind, Tactic

# Dates before this are typing mistakes; the calendar and weeks stop there too.
EARLIEST_DATE = datetime.date(1900, 1, 1)
NOTE_MAX_LENGTH = 200_000
# Late at night lasts until this time; the person chooses when it starts
# (User.late_from, an hour).
EARLY = datetime.time(5, 0)
# The details that describe a contact, which a day of space has none of.
CONTACT_DETAILS = ("channel", "initiator", "approach", "response")


@dataclass(frozen=True)
class Problem:
    field: str | None  # None: the entry as a whole
    message: str
    in_file: str = ""
    # For a problem a form answers with a question of its own (see CONTACT_ON_SPACE).
    code: str | None = None

    def __post_init__(self) -> None:
        if not self.in_file:
            object.__setattr__(self, "in_file", self.message)


def validation_error(problems: list[Problem]) -> ValidationError:
    """The problems as Django raises them from a model's or a form's clean()."""
    errors: dict[str, list[ValidationError]] = {}
    for problem in problems:
        error = ValidationError(problem.message, code=problem.code)
        errors.setdefault(problem.field or NON_FIELD_ERRORS, []).append(error)
    return ValidationError(errors)


def date_problems(day: datetime.date, today: datetime.date) -> list[Problem]:
    """An entry's date is neither in the future nor before EARLIEST_DATE."""
    if day > today:
        return [Problem("date", "The date cannot be in the future.")]
    if day < EARLIEST_DATE:
        return [Problem("date", f"Choose a date after {EARLIEST_DATE:%-d %B %Y}.")]
    return []


def contact_problems(kind: str, details: dict[str, str]) -> list[Problem]:
    """A contact says how it came across; a day of space describes no contact.

    The database holds both too: interaction_contact_has_approach and
    interaction_space_has_no_contact.
    """
    if kind == Kind.CONTACT and not details.get("approach"):
        return [
            Problem(
                "approach",
                "Choose how you came across: approachable, pressuring or practical.",
                "contact needs an approach: approachable, pressuring or practical.",
            )
        ]
    described = [name for name in CONTACT_DETAILS if details.get(name)]
    if kind == Kind.SPACE and described:
        return [
            Problem(
                None,
                "A day of space has no contact to describe: clear the contact's details, "
                "or choose that you were in contact.",
                f"a day of space has no contact to describe, but it has {', '.join(described)}.",
            )
        ]
    return []


def tactic_problems(kind: str, approach: str, tactics: Iterable[str]) -> list[Problem]:
    """A tactic belongs to one approach (guilt is pressuring, listening approachable),
    and a day of space has none."""
    tactics = list(tactics)
    if kind == Kind.SPACE and tactics:
        return [
            Problem(
                "tactics",
                "A day of space has no tactics: clear them, or choose contact.",
                "a day of space has no tactics.",
            )
        ]
    wrong = [Tactic(t) for t in tactics if TACTIC_APPROACH[Tactic(t)] != approach]
    if not approach or not wrong:
        return []
    chosen = Approach(approach).label.lower()
    if approach == Approach.PRACTICAL:
        return [
            Problem(
                "tactics",
                "A practical contact has no tactics: clear them, or choose approachable "
                "or pressuring if that is how it went.",
                "a practical contact has no tactics.",
            )
        ]
    labels = ", ".join(f"“{tactic.label}”" for tactic in wrong)
    named = (
        f"{labels} {'is' if len(wrong) == 1 else 'are'} {TACTIC_APPROACH[wrong[0]].label.lower()}"
    )
    return [
        Problem(
            "tactics",
            f"{named}, but you chose {chosen}. Change the approach or clear the tag.",
            f"{named}, but the entry is {chosen}.",
        )
    ]


# A run of low moods: this many of the last RECENT_MOODS logged at LOW_MOOD or under.
LOW_MOOD, RECENT_MOODS, LOW_IN_RECENT = 2, 4, 3


def hard_stretch(recent_moods: Iterable[int]) -> bool:
    """Whether the last moods logged (newest first, RECENT_MOODS of them) call for
    care before advice: Today then points to support and holds back the advice."""
    return sum(mood <= LOW_MOOD for mood in recent_moods) >= LOW_IN_RECENT


def breaks_space(kind: str, initiator: str) -> bool:
    """Whether an entry ends a day of space: contact the person started, or planned
    together. When the partner reaches out on a day of space, the day was still one
    on which the person did not reach out, and both are true."""
    return kind == Kind.CONTACT and initiator != Initiator.PARTNER


def day_allows(*, spaces: int, contacts: int) -> bool:
    """A day holds at most one day of space, and never a day of space beside contact
    the person started (`contacts` counts those: see breaks_space).

    The database holds the first half (interaction_one_space_a_day).
    """
    return spaces == 0 or (spaces == 1 and contacts == 0)


def day_problems(
    kind: str, initiator: str, *, spaces_that_day: int, contacts_that_day: int
) -> list[Problem]:
    """What stops an entry joining a day that already has these entries (contacts
    counted as in day_allows)."""
    spaces = spaces_that_day + (kind == Kind.SPACE)
    contacts = contacts_that_day + breaks_space(kind, initiator)
    if day_allows(spaces=spaces, contacts=contacts):
        return []
    # Not tied to the date field: the quick form has none to show it on.
    if kind == Kind.SPACE and spaces_that_day:
        return [Problem(None, "This day is already marked as a day of space.")]
    if kind == Kind.SPACE:
        return [
            Problem(
                None,
                "You reached out on this day, so it cannot also be a day of space. If you "
                "meant another day, change the date.",
            )
        ]
    return [
        Problem(
            None,
            "This day is marked as a day of space.",
            code=CONTACT_ON_SPACE,
        )
    ]


# Contact the person started, on a day of space: the forms ask what happened (the
# partner reached out after all, or this contact takes the day of space's place).
CONTACT_ON_SPACE = "contact_on_space"


@dataclass(frozen=True)
class Scope:
    """What a counselor may see: entries from a date on, reflections, until a day."""

    entries_since: datetime.date | None
    include_reflections: bool
    access_until: datetime.date | None


def scope_problems(before: Scope, after: Scope) -> list[Problem]:
    """A counselor's access can only narrow; widening it takes a new invitation."""
    problems = []
    if before.entries_since and (
        after.entries_since is None or after.entries_since < before.entries_since
    ):
        problems.append(
            Problem(
                "entries_since",
                f"Access can only narrow: choose {before.entries_since:%-d %B %Y} or a later day.",
            )
        )
    if after.include_reflections and not before.include_reflections:
        problems.append(
            Problem(
                "include_reflections",
                "Access can only narrow: to share your reflections again, send a new invitation.",
            )
        )
    if before.access_until and (
        after.access_until is None or after.access_until > before.access_until
    ):
        problems.append(
            Problem(
                "access_until",
                f"Access can only narrow: choose {before.access_until:%-d %B %Y} "
                "or an earlier day.",
            )
        )
    return problems


def is_late(at: datetime.time, late_from: int) -> bool:
    """Whether `at` is late at night: from the hour `late_from` until EARLY."""
    return at < EARLY or EARLY.hour <= late_from <= at.hour
