"""The weekly summaries: whatever is written, they say what the entries say."""

from __future__ import annotations

import contextlib
import datetime
import io
from collections import Counter

import pytest
import time_machine
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.choices import Approach, Initiator, Kind, Response, Tactic, WeekStart
from journal.models import Interaction, Summary
from journal.reports.summaries import summaries_differences
from journal.reports.trends import trends_for
from journal.services import interaction_save, interactions_delete
from tests.factories import NOW, ShareFactory, UserFactory, log

D = datetime.date
TODAY = D(2026, 11, 28)
# Six weeks back, so that writes move entries between weeks and scopes.
DAYS = st.integers(min_value=0, max_value=41).map(lambda n: TODAY - datetime.timedelta(days=n))
CONTACT = st.fixed_dictionaries(
    {
        "kind": st.just(Kind.CONTACT),
        "approach": st.sampled_from(Approach.values),
        "initiator": st.sampled_from(["", *Initiator.values]),
        "response": st.sampled_from(["", *Response.values]),
    }
)
SPACE = st.fixed_dictionaries(
    {"kind": st.just(Kind.SPACE), "approach": st.just(""), "initiator": st.just("")}
)
ENTRY = st.tuples(
    st.one_of(CONTACT, SPACE),
    DAYS,
    st.one_of(st.none(), st.integers(1, 5)),  # mood
    st.booleans(),  # private
    st.lists(st.sampled_from(Tactic.values), max_size=3),
)
WRITES = st.lists(
    st.one_of(
        st.tuples(st.just("add"), ENTRY),
        st.tuples(st.just("edit"), st.integers(0, 50), ENTRY),
        st.tuples(st.just("delete"), st.integers(0, 50)),
    ),
    min_size=1,
    max_size=25,
)


def _write(owner, entry: Interaction, fields: tuple) -> None:
    details, day, mood, private, tactics = fields
    for name, value in details.items():
        setattr(entry, name, value)
    if entry.kind == Kind.SPACE:
        entry.response = entry.channel = ""
        tactics = []
    elif entry.approach != Approach.PRESSURING:
        tactics = [tactic for tactic in tactics if tactic == Tactic.GOOD_MEMORY]
    entry.date, entry.mood, entry.is_private = day, mood, private
    # Refused by the day's rules: nothing is written, and that is checked too.
    with contextlib.suppress(ValidationError):
        interaction_save(interaction=entry, tactics=tactics)


def _counted_by_hand(entries: list[Interaction]) -> dict:
    """What the trends must show, counted entry by entry in Python."""
    contacts = [entry for entry in entries if entry.kind == Kind.CONTACT]
    pressured = sorted({e.date for e in contacts if e.approach == Approach.PRESSURING})
    return {
        "entries": len(entries),
        **{
            approach: sum(e.approach == approach for e in contacts)
            for approach in ("approachable", "pressuring", "practical")
        },
        "partner_initiated": sum(e.initiator == Initiator.PARTNER for e in contacts),
        "me_initiated": sum(e.initiator == Initiator.ME for e in contacts),
        "space": len({e.date for e in entries if e.kind == Kind.SPACE}),
        "mood_total": sum(e.mood or 0 for e in entries),
        "mood_count": sum(e.mood is not None for e in entries),
        "pressuring_days": len(pressured),
        "tactics": dict(Counter(tag.tactic for e in entries for tag in e.tactic_tags.all())),
        "warm": sum(e.response == Response.WARM for e in contacts),
        "last_pressure": pressured[-1] if pressured else None,
    }


def _shown(trends) -> dict:
    totals = trends.totals
    current = trends.streak_current
    return {
        "entries": totals.entries,
        "approachable": totals.approachable,
        "pressuring": totals.pressuring,
        "practical": totals.practical,
        "partner_initiated": totals.partner_initiated,
        "me_initiated": totals.me_initiated,
        "space": totals.space,
        "mood_total": totals.mood_total,
        "mood_count": totals.mood_count,
        "pressuring_days": totals.pressuring_days,
        "tactics": totals.tactics,
        "warm": totals.warm_answers,
        "last_pressure": TODAY - datetime.timedelta(days=current)
        if totals.pressuring_days
        else None,
    }


@time_machine.travel(NOW)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=WRITES, since=st.one_of(st.none(), DAYS))
def test_after_any_writes_the_summaries_match_the_entries(db, writes, since):
    with transaction.atomic():
        caches["pages"].clear()
        owner = UserFactory(email="writer@example.com", week_start=WeekStart.MONDAY)
        share = ShareFactory(owner=owner, entries_since=since)
        for write in writes:
            entries = list(owner.interactions.order_by("pk"))
            if write[0] == "add":
                _write(owner, Interaction(owner=owner), write[1])
            elif entries and write[0] == "edit":
                _write(owner, entries[write[1] % len(entries)], write[2])
            elif entries:
                entry = entries[write[1] % len(entries)]
                interactions_delete(owner=owner, entries=owner.interactions.filter(pk=entry.pk))
            # Every write is seen at once, through the cache.
            entries = list(owner.interactions.prefetch_related("tactic_tags"))
            assert _shown(trends_for(owner, "all")) == _counted_by_hand(entries)
        assert summaries_differences(owner) == []
        visible = [e for e in entries if not e.is_private and (since is None or e.date >= since)]
        assert _shown(trends_for(owner, "all", share=share)) == _counted_by_hand(visible)
        transaction.set_rollback(True)


@pytest.fixture
def journal(frozen, alice):
    log(alice, D(2026, 11, 2), "pressuring", ["guilt"])
    log(alice, D(2026, 11, 8), "approachable", initiator="partner")  # a Sunday
    log(alice, D(2026, 11, 9), "approachable", is_private=True)
    return alice


def test_a_new_week_start_regroups_every_week(journal, alice_client):
    assert [w.approachable for w in trends_for(journal, "4w").weeks] == [1, 1, 0, 0]
    form = {"partner_name": "Sam", "partner_pronouns": "they", "timezone": journal.timezone}
    response = alice_client.post(reverse("profile"), {**form, "week_start": WeekStart.SUNDAY})
    assert response.status_code == 302
    journal.refresh_from_db()
    assert journal.week_start == WeekStart.SUNDAY
    # Sunday the 8th now opens the week of the entry on Monday the 9th.
    assert [w.approachable for w in trends_for(journal, "4w").weeks] == [0, 2, 0, 0]
    weeks = Summary.objects.filter(owner=journal, span="week")
    assert set(weeks.values_list("start", flat=True)) == {D(2026, 11, 1), D(2026, 11, 8)}
    assert summaries_differences(journal) == []


def test_a_counselor_from_mid_week_sees_nothing_from_before_it(journal):
    share = ShareFactory(owner=journal, entries_since=D(2026, 11, 4))
    trends = trends_for(journal, "all", share=share)
    # The week of the 2nd begins before the share does: only its entry of the 8th counts.
    assert [(w.start, w.pressuring, w.approachable) for w in trends.weeks] == [
        (D(2026, 11, 2), 0, 1),
        (D(2026, 11, 9), 0, 0),
        (D(2026, 11, 16), 0, 0),
        (D(2026, 11, 23), 0, 0),
    ]
    assert trends.totals.tactics == {}
    assert trends.streak_longest == (TODAY - D(2026, 11, 8)).days + 1


def test_the_trends_as_they_stood_at_the_end_of_a_past_week_day(journal):
    trends = trends_for(journal, "4w", end=D(2026, 11, 5))
    assert [w.pressuring for w in trends.weeks] == [0, 0, 0, 1]
    assert trends.totals.approachable == 0  # the 8th had not come yet


def test_the_check_finds_a_wrong_summary_and_the_rebuild_mends_it(journal):
    Summary.objects.filter(owner=journal, start=D(2026, 11, 2), shared=False).update(pressuring=7)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of the summaries differ"):
        call_command("summaries", "--check", stdout=out)
    assert "week of 2026-11-02 (all entries)" in out.getvalue()
    call_command("summaries", "--rebuild", "--email", journal.email, stdout=io.StringIO())
    out = io.StringIO()
    call_command("summaries", "--check", stdout=out)
    assert "match their entries" in out.getvalue()
    assert trends_for(journal, "4w").totals.pressuring == 1


def test_the_command_names_an_unknown_address(db):
    with pytest.raises(CommandError, match="No account"):
        call_command("summaries", "--check", "--email", "nobody@example.com")


def test_a_journal_that_has_entries_but_no_summaries_gets_them_on_migrate(journal):
    Summary.objects.filter(owner=journal).delete()
    call_command("migrate", verbosity=0)
    assert summaries_differences(journal) == []
    assert Summary.objects.filter(owner=journal).exists()
