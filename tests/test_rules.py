"""The rules of a journal (journal/rules.py), each once; the callers' tests show they use them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from journal import rules
from journal.choices import Approach, Kind, Tactic

D = datetime.date
TODAY = D(2026, 11, 28)
NO_DETAILS = {"channel": "", "initiator": "", "approach": "", "response": ""}


@pytest.mark.parametrize(
    "day, message",
    [
        (D(2026, 11, 29), "The date cannot be in the future."),
        (D(1899, 12, 31), "Choose a date after 1 January 1900."),
    ],
)
def test_a_date_is_neither_in_the_future_nor_before_1900(day, message):
    assert rules.date_problems(day, TODAY) == [rules.Problem("date", message)]
    assert (
        rules.date_problems(TODAY, TODAY) == rules.date_problems(rules.EARLIEST_DATE, TODAY) == []
    )


def test_a_contact_says_how_it_came_across():
    (problem,) = rules.contact_problems(Kind.CONTACT, NO_DETAILS)
    assert problem.field == "approach"
    assert problem.in_file == "contact needs an approach: approachable, pressuring or practical."
    assert rules.contact_problems(Kind.CONTACT, {**NO_DETAILS, "approach": "pressuring"}) == []


def test_a_day_of_space_describes_no_contact():
    details = {**NO_DETAILS, "channel": "text", "response": "warm"}
    (problem,) = rules.contact_problems(Kind.SPACE, details)
    assert problem.field is None
    assert problem.message.startswith("A day of space has no contact to describe")
    assert problem.in_file.endswith("but it has channel, response.")
    assert rules.contact_problems(Kind.SPACE, NO_DETAILS) == []


def test_a_tactic_belongs_to_one_approach():
    (problem,) = rules.tactic_problems(
        Kind.CONTACT, Approach.APPROACHABLE, [Tactic.GUILT, Tactic.LISTENED, Tactic.PLEADING]
    )
    assert problem.field == "tactics"
    assert problem.message == (
        "“Tried to make them feel guilty”, “Pleaded” are pressuring, but you chose approachable. "
        "Change the approach or clear the tag."
    )
    assert (
        problem.in_file
        == "“Tried to make them feel guilty”, “Pleaded” are pressuring, but the entry is approachable."
    )
    assert rules.tactic_problems(Kind.CONTACT, Approach.PRESSURING, [Tactic.GUILT]) == []


def test_a_practical_contact_has_no_tactics():
    (problem,) = rules.tactic_problems(Kind.CONTACT, Approach.PRACTICAL, [Tactic.LISTENED])
    assert problem.message == (
        "A practical contact has no tactics: clear them, or choose approachable or pressuring "
        "if that is how it went."
    )
    assert problem.in_file == "a practical contact has no tactics."
    assert rules.tactic_problems(Kind.CONTACT, Approach.PRACTICAL, []) == []


def test_a_day_of_space_has_no_tactics():
    (problem,) = rules.tactic_problems(Kind.SPACE, "", [Tactic.GAVE_SPACE])
    assert problem.in_file == "a day of space has no tactics."
    assert rules.tactic_problems(Kind.SPACE, "", []) == []


@pytest.mark.parametrize(
    "spaces, contacts, allowed",
    [(0, 0, True), (0, 5, True), (1, 0, True), (1, 1, False), (2, 0, False)],
)
def test_a_day_holds_one_day_of_space_and_never_beside_contact(spaces, contacts, allowed):
    assert rules.day_allows(spaces=spaces, contacts=contacts) is allowed


@pytest.mark.parametrize(
    "kind, initiator, spaces, contacts, message",
    [
        (Kind.SPACE, "", 1, 0, "This day is already marked as a day of space."),
        (Kind.SPACE, "", 0, 2, "You reached out on this day, so it cannot also be"),
        (Kind.CONTACT, "me", 1, 0, "This day is marked as a day of space."),
        (Kind.CONTACT, "together", 1, 0, "This day is marked as a day of space."),
    ],
)
def test_an_entry_that_would_break_its_day_is_told_why(kind, initiator, spaces, contacts, message):
    (problem,) = rules.day_problems(
        kind, initiator, spaces_that_day=spaces, contacts_that_day=contacts
    )
    assert problem.message.startswith(message)
    assert rules.day_problems(Kind.CONTACT, "me", spaces_that_day=0, contacts_that_day=3) == []


def test_the_partner_reaching_out_never_breaks_a_day_of_space():
    assert not rules.breaks_space(Kind.CONTACT, "partner")
    assert (
        rules.day_problems(Kind.CONTACT, "partner", spaces_that_day=1, contacts_that_day=0) == []
    )


def test_a_counselors_access_can_only_narrow():
    before = rules.Scope(D(2026, 9, 1), False, D(2026, 12, 31))
    narrower = rules.Scope(D(2026, 10, 1), False, D(2026, 12, 1))
    assert rules.scope_problems(before, narrower) == []
    wider = rules.Scope(None, True, None)
    problems = rules.scope_problems(before, wider)
    assert [p.field for p in problems] == ["entries_since", "include_reflections", "access_until"]
    assert problems[0].message == "Access can only narrow: choose 1 September 2026 or a later day."


def test_problems_become_the_errors_of_their_fields():
    error = rules.validation_error(
        [rules.Problem("tactics", "No."), rules.Problem(None, "Not today.")]
    )
    assert error.message_dict == {"tactics": ["No."], NON_FIELD_ERRORS: ["Not today."]}
