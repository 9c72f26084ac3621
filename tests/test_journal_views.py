from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.models import Interaction, InteractionTactic
from journal.services import interaction_save, interactions_delete
from tests.factories import InteractionFactory, InteractionTacticFactory


def _notes(response) -> list[str]:
    return [entry.note for entry in response.context["page"]]


class TestJournalList:
    def test_shows_entries_newest_first(self, alice_client, alice):
        for day, note in [(3, "third"), (1, "first"), (2, "second")]:
            InteractionFactory(owner=alice, date=datetime.date(2026, 3, day), note=note)
        response = alice_client.get(reverse("journal:entry-list"))
        assert _notes(response) == ["third", "second", "first"]

    def test_an_empty_journal_says_how_to_start(self, alice_client):
        response = alice_client.get(reverse("journal:entry-list"))
        assert b"Your journal is empty" in response.content

    def test_a_filter_with_no_match_offers_to_clear_it(self, alice_client, alice_entry):
        response = alice_client.get(reverse("journal:entry-list"), {"q": "no such words"})
        assert b"No entries match these filters" in response.content

    @pytest.mark.parametrize(
        "params, expected",
        [
            ({"approach": "pressuring"}, ["p-call-me"]),
            ({"channel": "text"}, ["a-text-partner"]),
            ({"initiator": "partner"}, ["a-text-partner"]),
            ({"response": "cool"}, ["p-call-me"]),
            ({"tactic": "guilt"}, ["p-call-me"]),
            ({"private": "yes"}, ["a-text-partner"]),
            ({"private": "no"}, ["space", "p-call-me"]),
            ({"kind": "space"}, ["space"]),
            ({"q": "CALL"}, ["p-call-me"]),
            ({"date_from": "2026-03-02", "date_to": "2026-03-02"}, ["p-call-me"]),
            ({"date_from": "2026-03-02"}, ["space", "p-call-me"]),
            ({"approach": "approachable", "initiator": "me"}, []),
        ],
    )
    def test_filters_combine(self, alice_client, alice, params, expected):
        InteractionFactory(
            owner=alice,
            date="2026-03-01",
            approach="approachable",
            channel="text",
            initiator="partner",
            response="warm",
            is_private=True,
            note="a-text-partner",
        )
        pressured = InteractionFactory(
            owner=alice,
            date="2026-03-02",
            approach="pressuring",
            channel="call",
            initiator="me",
            response="cool",
            note="p-call-me",
        )
        InteractionTacticFactory(interaction=pressured, tactic="guilt")
        InteractionFactory(owner=alice, date="2026-03-03", space=True, note="space")
        response = alice_client.get(reverse("journal:entry-list"), params)
        assert _notes(response) == expected

    def test_an_invalid_date_range_is_reported_and_not_applied(self, alice_client, alice):
        InteractionFactory(owner=alice, date="2026-03-02")
        InteractionFactory(owner=alice, date="2026-03-10")
        response = alice_client.get(
            reverse("journal:entry-list"), {"date_from": "2026-03-05", "date_to": "2026-03-01"}
        )
        assert "before the start date" in " ".join(response.context["filters"].errors["date_to"])
        assert b"before the start date" in response.content
        assert len(response.context["page"]) == 2

    def test_pages_keep_the_filters(self, alice_client, alice):
        InteractionFactory.create_batch(25, owner=alice, approach="pressuring")
        response = alice_client.get(reverse("journal:entry-list"), {"approach": "pressuring"})
        assert len(response.context["page"]) == 20
        assert b'href="?approach=pressuring&amp;page=2"' in response.content
        second = alice_client.get(
            reverse("journal:entry-list"), {"approach": "pressuring", "page": 2}
        )
        assert len(second.context["page"]) == 5

    @pytest.mark.parametrize("size", [5, 200])
    def test_the_number_of_queries_does_not_grow_with_the_journal(self, alice_client, alice, size):
        entries = InteractionFactory.create_batch(size, owner=alice, approach="pressuring")
        for entry in entries:
            InteractionTacticFactory(interaction=entry)
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.get(reverse("journal:entry-list"))
        assert response.status_code == 200
        # session, user, count, page, tactics of the page
        assert len(queries) == 5


class TestEntryDelete:
    def test_asks_for_confirmation_first(self, alice_client, alice_entry):
        response = alice_client.get(reverse("journal:entry-delete", args=[alice_entry.public_id]))
        assert b"cannot be undone" in response.content
        assert Interaction.objects.filter(pk=alice_entry.pk).exists()

    def test_deletes_the_entry_and_its_tags(self, alice_client, alice_entry):
        InteractionTacticFactory(interaction=alice_entry, tactic="listened")
        response = alice_client.post(reverse("journal:entry-delete", args=[alice_entry.public_id]))
        assert response.status_code == 302
        assert not Interaction.objects.filter(pk=alice_entry.pk).exists()
        assert not InteractionTactic.objects.exists()


class TestCalendar:
    def test_each_day_shows_its_counts_and_days_of_space(self, alice_client, alice):
        InteractionFactory.create_batch(2, owner=alice, date="2026-02-10", approach="approachable")
        InteractionFactory(owner=alice, date="2026-02-10", approach="pressuring")
        InteractionFactory(owner=alice, date="2026-02-11", space=True)
        response = alice_client.get(reverse("journal:calendar-month", args=[2026, 2]))
        days = {day: counts for week in response.context["weeks"] for day, counts in week}
        assert days[datetime.date(2026, 2, 10)]["approachable"] == 2
        assert days[datetime.date(2026, 2, 10)]["pressuring"] == 1
        assert days[datetime.date(2026, 2, 11)]["space"] == 1
        assert days[datetime.date(2026, 2, 12)] is None
        page = response.content.decode()
        # Each day leads to its own page; its contacts by shape and number, not colour alone.
        assert (
            f'href="{reverse("journal:calendar-day", args=[datetime.date(2026, 2, 10)])}"' in page
        )
        assert (
            '<span aria-hidden="true">●</span>2<span class="visually-hidden"> approachable,'
            in page
        )
        assert (
            '<span aria-hidden="true">▲</span>1<span class="visually-hidden"> pressuring,' in page
        )

    def test_a_day_has_its_own_page_with_its_entries_and_a_way_to_add_one(
        self, alice_client, alice
    ):
        InteractionFactory(
            owner=alice, date="2026-02-10", approach="approachable", note="ON-THE-DAY"
        )
        InteractionFactory(
            owner=alice, date="2026-02-11", approach="approachable", note="NEXT-DAY"
        )
        day = datetime.date(2026, 2, 10)
        response = alice_client.get(reverse("journal:calendar-day", args=[day]))
        page = response.content.decode()
        assert '<h1 class="h3 mb-0">Tuesday 10 February 2026</h1>' in page
        assert "ON-THE-DAY" in page and "NEXT-DAY" not in page
        add = f"{reverse('journal:entry-create')}?date=2026-02-10"
        assert add in page
        form = alice_client.get(add).context["form"]
        assert form["date"].value() == day

    def test_a_day_in_the_future_or_before_the_calendar_is_not_found(self, alice_client, alice):
        tomorrow = alice.today() + datetime.timedelta(days=1)
        for day in (tomorrow, datetime.date(1899, 12, 31)):
            url = reverse("journal:calendar-day", args=[day])
            assert alice_client.get(url).status_code == 404

    def test_weeks_start_on_the_users_day(self, alice_client, alice):
        alice.week_start = 6
        alice.save()
        response = alice_client.get(reverse("journal:calendar-month", args=[2026, 2]))
        first_day = response.context["weeks"][0][0][0]
        assert first_day.weekday() == 6

    @time_machine.travel(datetime.datetime(2026, 5, 20, 12, tzinfo=datetime.UTC))
    def test_opens_on_this_month_and_links_to_the_one_before(self, alice_client):
        response = alice_client.get(reverse("journal:calendar"))
        assert response.context["first"] == datetime.date(2026, 5, 1)
        assert response.context["next"] is None
        assert reverse("journal:calendar-month", args=[2026, 4]).encode() in response.content

    @pytest.mark.parametrize(
        "year, month", [(2026, 13), (2026, 0), (0, 1), (1, 1), (9999, 12), (10**20, 1)]
    )
    def test_a_month_outside_the_calendar_is_not_found(self, alice_client, year, month):
        assert alice_client.get(f"/journal/calendar/{year}/{month}/").status_code == 404

    def test_days_of_the_months_around_are_counted_too(self, alice_client, alice):
        InteractionFactory(owner=alice, date="2026-01-31", approach="approachable")
        response = alice_client.get(reverse("journal:calendar-month", args=[2026, 2]))
        days = {day: counts for week in response.context["weeks"] for day, counts in week}
        assert days[datetime.date(2026, 1, 31)]["approachable"] == 1


def test_an_entry_shows_its_tactics_by_name_and_whether_it_is_private(alice_client, alice):
    entry = InteractionFactory(owner=alice, approach="approachable", is_private=False)
    InteractionTacticFactory(interaction=entry, tactic="good_memory")
    response = alice_client.get(reverse("journal:entry-detail", args=[entry.public_id]))
    assert b"Shared a good memory" in response.content
    assert b"good_memory" not in response.content
    assert b"never shown to a counselor" not in response.content


def test_the_list_shows_the_start_of_a_long_note(alice_client, alice):
    InteractionFactory(owner=alice, note="word " * 1000)
    InteractionFactory(owner=alice, note="short and whole")
    content = alice_client.get(reverse("journal:entry-list")).content.decode()
    assert "short and whole</p>" in content
    assert "word " * 40 + "…" in content
    assert "word " * 41 not in content


class TestListCache:
    """The cached list never shows a stale page."""

    def test_an_edit_shows_at_once(self, alice_client, alice_entry):
        assert (
            b"alice&#x27;s private words"
            in alice_client.get(reverse("journal:entry-list")).content
        )
        alice_entry.note = "rewritten"
        interaction_save(interaction=alice_entry, tactics=[])
        content = alice_client.get(reverse("journal:entry-list")).content
        assert b"rewritten" in content
        assert b"private words" not in content

    def test_a_deletion_shows_at_once(self, alice_client, alice, alice_entry):
        InteractionFactory(owner=alice, note="stays")
        alice_client.get(reverse("journal:entry-list"))
        interactions_delete(owner=alice, entries=alice.interactions.filter(pk=alice_entry.pk))
        content = alice_client.get(reverse("journal:entry-list")).content
        assert b"private words" not in content
        assert b"stays" in content

    def test_a_new_partner_name_shows_at_once(self, alice_client, alice):
        InteractionFactory(owner=alice, initiator="partner", kind="contact")
        assert b"Sam reached out" in alice_client.get(reverse("journal:entry-list")).content
        alice.partner_name = "Kim"
        alice.save()
        assert b"Kim reached out" in alice_client.get(reverse("journal:entry-list")).content

    def test_another_users_page_is_their_own(self, alice_client, bob_client, alice_entry):
        alice_client.get(reverse("journal:entry-list"))
        assert b"private words" not in bob_client.get(reverse("journal:entry-list")).content


def test_a_month_that_has_not_begun_is_not_found_and_the_first_has_no_month_before(
    alice_client, alice
):
    today = alice.today()
    following = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    url = reverse("journal:calendar-month", args=[following.year, following.month])
    assert alice_client.get(url).status_code == 404
    first = alice_client.get(reverse("journal:calendar-month", args=[1900, 1]))
    assert first.status_code == 200 and "← December" not in first.content.decode()


def test_an_empty_past_day_opens_its_page_to_be_written_up(alice_client, alice):
    today = alice.today()
    page = alice_client.get(reverse("journal:calendar")).content.decode()
    assert f'href="{reverse("journal:calendar-day", args=[today])}"' in page
