"""The counselor's desk: its navigation, the clients list, the client spoken of in
the third person, the access log in words, and a summary to print for a session."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from journal.models import AccessLog
from tests.factories import ReflectionFactory, UserFactory, log

D = datetime.date
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def carol_client(carol) -> Client:
    client = Client()
    client.force_login(carol)
    return client


def _client_url(share, name: str, *args) -> str:
    return reverse(f"client:{name}", args=[share.public_id, *args])


def _nav(page: str) -> str:
    return re.search(r'<nav class="navbar[^"]*" aria-label="Main">(.*?)</nav>', page, re.S)[1]


def test_a_client_page_shows_the_counselors_navigation_and_not_their_own(
    carol_client, carol_share
):
    nav = _nav(carol_client.get(_client_url(carol_share, "journal:trends")).content.decode())
    for page in ("journal:entry-list", "journal:calendar", "journal:trends", "guidance:index"):
        assert f'href="{_client_url(carol_share, page)}"' in nav
    assert f'href="{reverse("journal:clients")}"' in nav
    # Nothing of carol's own journal: no Today, no log, no sharing of her own.
    for own in ("home", "journal:entry-create", "journal:sharing", "journal:trends"):
        assert f'href="{reverse(own)}"' not in nav
    assert ">Log<" not in nav


def test_the_clients_list_is_in_the_main_navigation_of_anyone_who_counsels(
    carol_client, alice_client, carol
):
    carol.partner_name = "Lee"  # carol keeps a journal of her own, too
    carol.save()
    assert f'href="{reverse("journal:clients")}"' in _nav(
        carol_client.get(reverse("home")).content.decode()
    )
    # A journaler with no clients sees no such link, not even in the footer.
    page = alice_client.get(reverse("home")).content.decode()
    assert reverse("journal:clients") not in page


def test_a_counselor_without_a_journal_of_their_own_is_offered_one(db):
    counselor = UserFactory(email="new@example.com", partner_name="", counsels=True)
    client = Client()
    client.force_login(counselor)
    nav = _nav(client.get(reverse("journal:clients")).content.decode())
    assert "Start my own journal" in nav and ">Today<" not in nav


def test_the_clients_list_names_each_client_with_their_scope_and_latest(
    carol_client, carol_share, alice
):
    carol_share.client_name = "Alice M."
    carol_share.entries_since = D(2026, 11, 1)
    carol_share.save()
    log(alice, D(2026, 11, 20), "approachable")
    log(alice, D(2026, 11, 26), "pressuring", is_private=True)  # never counted for carol
    log(alice, D(2026, 10, 30), "approachable")  # before the scope
    ReflectionFactory(owner=alice, week_start=D(2026, 11, 16))
    page = carol_client.get(reverse("journal:clients")).content.decode()
    assert "Alice M." in page and "alice@example.com" not in page
    assert "Entries from 1 November 2026" in page
    assert "Last entry: 20 November 2026" in page
    assert "Last reflection: week of 16 November 2026" in page


def test_the_clients_list_says_nothing_of_reflections_that_are_not_shared(
    carol_client, carol_share, alice
):
    carol_share.include_reflections = False
    carol_share.save()
    ReflectionFactory(owner=alice, week_start=D(2026, 11, 16))
    page = carol_client.get(reverse("journal:clients")).content.decode()
    assert "Last reflection" not in page and "16 November" not in page


def test_the_clients_list_takes_one_query_for_any_number_of_clients(
    carol, django_assert_max_num_queries
):
    from tests.factories import ShareFactory

    for n in range(5):
        client_user = UserFactory(email=f"client{n}@example.com")
        log(client_user, D(2026, 11, 20), "approachable")
        ShareFactory(owner=client_user, counselor=carol, email=carol.email)
    client = Client()
    client.force_login(carol)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("journal:clients"))
    assert response.content.decode().count("Last entry: 20 November 2026") == 5


def test_a_counselor_reads_of_the_client_in_the_third_person(carol_client, carol_share, alice):
    carol_share.client_name = "Alice"
    carol_share.save()
    log(alice, D(2026, 11, 17), "approachable", initiator="me", mood=4)
    week = D(2026, 11, 16)
    review = carol_client.get(_client_url(carol_share, "journal:review-week", week))
    labels = [label for label, _, _ in review.context["rows"]]
    # By name where the client's own words say "I", never to be taken for Sam.
    assert "Times Alice reached out first" in labels
    assert "Alice's average mood (1 to 5)" in labels
    assert not [label for label in labels if re.search(r"\b(I|my|My)\b", label)]
    trends = carol_client.get(_client_url(carol_share, "journal:trends")).content.decode()
    assert "Their trends will appear here" in trends
    main = trends.split('id="main"')[1].split("<footer")[0]
    assert "your" not in re.sub(r"<[^>]+>", " ", main).lower()


def test_the_owner_reads_of_themself_as_before(alice_client, alice):
    log(alice, D(2026, 11, 17), "approachable", initiator="me")
    rows = alice_client.get(reverse("journal:review-week", args=[D(2026, 11, 16)])).context["rows"]
    assert "Times I reached out first" in [label for label, _, _ in rows]


class TestSummary:
    def test_lays_out_the_weeks_chosen_with_the_shared_reflections(
        self, carol_client, carol_share, alice
    ):
        log(alice, D(2026, 11, 3), "pressuring")
        log(alice, D(2026, 11, 18), "approachable", initiator="partner")
        log(alice, D(2026, 11, 19), "practical")
        log(alice, D(2026, 11, 20), "approachable", is_private=True)
        ReflectionFactory(owner=alice, week_start=D(2026, 11, 16), went_well="SHARED-WORDS")
        url = _client_url(carol_share, "journal:summary")
        response = carol_client.get(url, {"since": "2026-11-16", "until": "2026-11-28"})
        weeks = response.context["weeks"]
        assert [week.start for week in weeks] == [D(2026, 11, 16), D(2026, 11, 23)]
        first = weeks[0]
        # Private entries are never counted for a counselor.
        assert (first.approachable, first.pressuring, first.practical) == (1, 0, 1)
        assert first.partner_initiated == 1
        assert "SHARED-WORDS" in response.content.decode()
        visit = AccessLog.objects.get(what="summary")
        assert visit.description == (
            "A summary for a session: 16 November 2026 to 28 November 2026"
        )

    def test_leaves_out_the_reflections_a_share_does_not_include(
        self, carol_client, carol_share, alice
    ):
        carol_share.include_reflections = False
        carol_share.save()
        ReflectionFactory(owner=alice, week_start=D(2026, 11, 16), went_well="KEPT-WORDS")
        page = carol_client.get(_client_url(carol_share, "journal:summary")).content.decode()
        assert "KEPT-WORDS" not in page
        assert "The weekly reflections are not shared." in page

    def test_covers_the_last_four_weeks_unless_told_otherwise(self, alice_client):
        response = alice_client.get(reverse("journal:summary"))
        assert (response.context["since"], response.context["until"]) == (
            D(2026, 11, 2),
            D(2026, 11, 28),
        )

    def test_lists_every_week_of_the_range_before_the_first_entry_too(self, alice_client, alice):
        log(alice, D(2026, 11, 25), "approachable")
        response = alice_client.get(
            reverse("journal:summary"), {"since": "2026-11-02", "until": "2026-11-28"}
        )
        weeks = response.context["weeks"]
        assert [week.start for week in weeks] == [D(2026, 11, n) for n in (2, 9, 16, 23)]
        assert [week.approachable for week in weeks] == [0, 0, 0, 1]

    @pytest.mark.parametrize(
        "since, until, field, message",
        [
            ("1899-12-01", "1899-12-31", "since", "Choose a day after 1 January 1900."),
            ("", "2026-11-10", "since", "Choose the first day."),
            ("2026-11-20", "2026-11-10", "since", "Choose a day before the last one."),
            ("2026-11-01", "2026-12-10", "until", "Choose today or an earlier day."),
            ("2025-01-01", "2026-11-10", "since", "A summary covers a year at most"),
            ("not a day", "2026-11-10", "since", "Enter a valid date."),
        ],
    )
    def test_a_range_that_cannot_be_is_refused_with_its_reason(
        self, alice_client, since, until, field, message
    ):
        response = alice_client.get(reverse("journal:summary"), {"since": since, "until": until})
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert "weeks" not in response.context


def test_each_entry_link_is_named_by_its_date_approach_and_response(alice_client, alice):
    for approach, response in [("approachable", "warm"), ("pressuring", "none")]:
        log(alice, D(2026, 11, 25), approach, response=response, time=None)
    page = alice_client.get(reverse("journal:entry-list")).content.decode()
    names = [
        re.sub(r"<[^>]+>", "", name)
        for name in re.findall(r'<a class="fw-semibold" href="[^"]+">(.*?)</a>', page)
    ]
    assert sorted(names) == [
        "Wed 25 Nov 2026: approachable, warm response",
        "Wed 25 Nov 2026: pressuring, no response",
    ]


class TestSearch:
    @pytest.fixture
    def entries(self, alice):
        plain = {"channel": "text", "response": "warm"}
        tagged = log(alice, D(2026, 11, 20), "pressuring", ["guilt"], note="We argued.", **plain)
        call = log(
            alice, D(2026, 11, 21), "approachable", note="Short.", **{**plain, "channel": "call"}
        )
        cool = log(
            alice, D(2026, 11, 22), "approachable", note="Quiet.", **{**plain, "response": "cool"}
        )
        noted = log(alice, D(2026, 11, 23), "approachable", note="I felt guilty all day.", **plain)
        return tagged, call, cool, noted

    @pytest.mark.parametrize(
        "words, found",
        [
            ("guilt", {0, 3}),  # the tag "Tried to make them feel guilty", and a note
            ("phone", {1}),  # the channel "Phone call"
            ("COOL", {2}),  # the response, whatever the case
            ("quiet", {2}),  # the note
        ],
    )
    def test_finds_notes_tactics_channels_and_responses(self, alice_client, entries, words, found):
        response = alice_client.get(reverse("journal:entry-list"), {"q": words})
        shown = {entry.pk for entry in response.context["page"]}
        assert shown == {entries[n].pk for n in found}

    def test_marks_the_words_found_and_escapes_the_rest(self, alice_client, alice):
        log(alice, D(2026, 11, 20), "approachable", note="<b>Guilt</b> & a walk")
        page = alice_client.get(reverse("journal:entry-list"), {"q": "guilt"}).content.decode()
        assert "&lt;b&gt;<mark>Guilt</mark>&lt;/b&gt; &amp; a walk" in page

    def test_never_marks_inside_an_escape(self, alice_client, alice):
        log(alice, D(2026, 11, 20), "approachable", note="Sam didn't text.")
        page = alice_client.get(reverse("journal:entry-list"), {"q": "x"}).content.decode()
        assert "Sam didn&#x27;t te<mark>x</mark>t." in page

    def test_a_counselor_finds_nothing_private_by_its_tag(self, carol_client, carol_share, alice):
        log(alice, D(2026, 11, 20), "pressuring", ["ultimatum"], is_private=True)
        response = carol_client.get(
            _client_url(carol_share, "journal:entry-list"), {"q": "ultimatum"}
        )
        assert list(response.context["page"]) == []


def test_a_private_contact_never_shows_through_a_shared_day_of_space(
    carol_client, carol_share, alice, alice_client
):
    from tests.factories import InteractionFactory

    space = InteractionFactory(owner=alice, date=D(2026, 11, 25), space=True)
    log(alice, D(2026, 11, 25), "approachable", initiator="partner", is_private=True)
    for url in (
        _client_url(carol_share, "journal:entry-list"),
        _client_url(carol_share, "journal:calendar-day", D(2026, 11, 25)),
        _client_url(carol_share, "journal:entry-detail", space.public_id),
    ):
        page = carol_client.get(url).content.decode()
        assert "Gave space" in page and "did not reach out" not in page, url
    # alice, who sees the private contact, reads the day as it was.
    assert (
        "I did not reach out" in alice_client.get(reverse("journal:entry-list")).content.decode()
    )


def test_the_counselors_filters_name_the_client_and_the_log_keeps_their_case(
    carol_client, carol_share, alice_client
):
    carol_share.client_name = "Alice"
    carol_share.save()
    url = _client_url(carol_share, "journal:entry-list")
    page = carol_client.get(url).content.decode()
    assert ">Alice did<" in page and ">Alice gave space (no contact on purpose)<" in page
    assert ">I did<" not in page and "I gave space" not in page
    carol_client.get(url, {"initiator": "partner"})
    visit = AccessLog.objects.order_by("-pk").first()
    assert visit.description == "The journal: who reached out: Sam did"


def test_the_guidance_says_to_a_counselor_whom_its_advice_is_written_to(carol_client, carol_share):
    carol_share.client_name = "Alice"
    carol_share.save()
    for url in (
        _client_url(carol_share, "guidance:index"),
        _client_url(carol_share, "guidance:principle", "back-off"),
    ):
        page = carol_client.get(url).content.decode()
        assert "The advice here is written to Alice, as they read it" in page, url
