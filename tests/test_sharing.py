"""Sharing with a counselor: invitations, scope, revocation, the access log, and what
a counselor sees (never a private or out-of-scope entry, not even in a count)."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from journal.models import AccessLog, Interaction, Share, entry_words
from journal.reports.trends import trends_for
from journal.sharing.services import INVITATIONS_A_DAY
from tests.factories import (
    NOW,
    InteractionFactory,
    InteractionTacticFactory,
    ReflectionFactory,
    ShareFactory,
    UserFactory,
)

D = datetime.date


pytestmark = pytest.mark.usefixtures("frozen")


def _invite(client, **data) -> str:
    """Invite through the sharing page; returns the link shown once."""
    form = {"email": "carol@example.com", "include_reflections": "on", **data}
    response = client.post(reverse("journal:sharing"), form)
    assert response.status_code == 302, response.context["form"].errors
    # Sent, then shown on a page of its own: a reload sends nothing again.
    return client.get(response.url).context["link"]


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


class TestInvitation:
    def test_is_emailed_shown_once_and_stored_only_as_a_hash(
        self, alice_client, alice, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            link = _invite(alice_client)
        token = link.rstrip("/").rsplit("/", 1)[1]
        share = Share.objects.get()
        assert (share.owner, share.email, share.state) == (alice, "carol@example.com", "pending")
        assert mail.outbox[0].to == ["carol@example.com"]
        # The email's link is made from SITE_URL, the page's from the request.
        assert _path(link) in mail.outbox[0].body
        assert f"http://127.0.0.1:8000{_path(link)}" in mail.outbox[0].body
        assert share.token_hash != token
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM journal_share")
            assert token not in repr(cursor.fetchall())
        assert link.encode() not in alice_client.get(reverse("journal:sharing")).content

    def test_a_new_counselor_signs_up_from_the_link_and_accepts_it(
        self, alice_client, alice, client
    ):
        path = _path(_invite(alice_client))
        assert b"Create an account" in client.get(path).content
        password = "a long walk on the beach"
        client.post(
            reverse("account_signup") + f"?next={path}",
            {
                "email": "carol@example.com",
                "password1": password,
                "password2": password,
                "next": path,
            },
        )
        # The code mailed to the new address, then straight back to the invitation.
        code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M).group(1)
        response = client.post(reverse("account_email_verification_sent"), {"code": code})
        assert response.url == path
        assert b"Accept as carol@example.com" in client.get(path).content
        response = client.post(path)
        share = Share.objects.get()
        assert share.state == "active"
        assert share.counselor.email == "carol@example.com"
        assert response.url == reverse("client:journal:entry-list", args=[share.public_id])

    def test_can_be_used_once(self, alice_client, client):
        path = _path(_invite(alice_client))
        client.force_login(UserFactory(email="carol@example.com"))
        client.post(path)
        other = Client()
        other.force_login(UserFactory(email="mallory@example.com"))
        response = other.post(path)
        assert response.status_code == 410
        assert b"has been used already" in response.content
        assert Share.objects.filter(counselor__email="mallory@example.com").count() == 0

    def test_expires_after_fourteen_days(self, alice_client, client):
        path = _path(_invite(alice_client))
        client.force_login(UserFactory(email="carol@example.com"))
        with time_machine.travel(NOW + datetime.timedelta(days=14, minutes=1), tick=False):
            response = client.post(path)
        assert response.status_code == 410
        assert b"It has expired." in response.content
        assert Share.objects.get(email="carol@example.com").counselor is None

    def test_can_be_cancelled_before_it_is_used(self, alice_client, client):
        path = _path(_invite(alice_client))
        share = Share.objects.get(email="carol@example.com")
        alice_client.post(reverse("journal:share-cancel", args=[share.public_id]))
        client.force_login(UserFactory(email="carol@example.com"))
        response = client.post(path)
        assert response.status_code == 410
        assert b"It was cancelled." in response.content
        share.refresh_from_db()
        assert (share.state, share.counselor) == ("cancelled", None)

    def test_a_wrong_token_grants_nothing(self, client, db):
        client.force_login(UserFactory(email="carol@example.com"))
        response = client.post(reverse("journal:invitation", args=["not-a-real-token"]))
        assert response.status_code == 404
        assert b"This invitation link does not work" in response.content

    def test_the_journaler_cannot_accept_their_own(self, alice_client):
        path = _path(_invite(alice_client))
        assert alice_client.post(path).status_code == 403
        assert Share.objects.get().state == "pending"

    def test_the_link_shown_is_on_the_address_the_page_was_opened_at(self, alice_client):
        response = alice_client.post(
            reverse("journal:sharing"),
            {"email": "carol@example.com"},
            HTTP_HOST="localhost:8766",
            follow=True,
        )
        assert re.search(
            rb'value="http://localhost:8766/journal/invitations/[\w-]+/"', response.content
        )
        assert b"127.0.0.1:8000" not in response.content

    def test_the_email_waits_until_the_invitation_is_saved(
        self, alice_client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            _invite(alice_client)
        assert mail.outbox == []
        assert len(callbacks) == 1
        callbacks[0]()
        assert mail.outbox[0].to == ["carol@example.com"]

    def test_inviting_the_same_address_twice_is_refused(
        self, alice_client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            _invite(alice_client)
            response = alice_client.post(
                reverse("journal:sharing"),
                {"email": "Carol@example.com", "include_reflections": "on"},
            )
        assert "invited this address already" in " ".join(response.context["form"].errors["email"])
        assert Share.objects.count() == 1
        assert len(mail.outbox) == 1

    @pytest.mark.parametrize(
        "data, field, message",
        [
            ({"email": "alice@example.com"}, "email", "your own address"),
            ({"email": "not an address"}, "email", "valid email"),
            ({"entries_since": "2026-12-01"}, "entries_since", "today or an earlier day"),
            ({"access_until": "2026-11-01"}, "access_until", "today or a later day"),
        ],
    )
    def test_bad_input_is_refused(self, alice_client, data, field, message):
        form = {"email": "carol@example.com", "include_reflections": "on", **data}
        response = alice_client.post(reverse("journal:sharing"), form)
        assert message in " ".join(response.context["form"].errors[field])
        assert not Share.objects.exists()
        assert mail.outbox == []


class TestSharingAsksFirst:
    def test_reflections_are_shared_only_when_ticked(self, alice_client):
        page = alice_client.get(reverse("journal:sharing")).content.decode()
        assert re.search(r'<input type="checkbox" name="include_reflections"[^>]*>', page)
        assert "checked" not in re.search(r'<input[^>]*name="include_reflections"[^>]*>', page)[0]
        _invite(alice_client, include_reflections="")
        assert Share.objects.get().include_reflections is False

    def test_the_link_and_its_qr_code_are_shown_once(self, alice_client):
        link = _invite(alice_client)
        share = Share.objects.get()
        again = alice_client.get(reverse("journal:share-invited", args=[share.public_id]))
        assert again.context["link"] == ""
        assert link.encode() not in again.content
        assert b"is in the email to carol@example.com" in again.content

    def test_the_qr_code_is_drawn_here_dark_on_white(self, alice_client):
        response = alice_client.post(
            reverse("journal:sharing"), {"email": "carol@example.com"}, follow=True
        )
        svg = response.context["qr"]
        assert svg.startswith("<svg") and '<path fill="#fff"' in svg and 'stroke="#000"' in svg
        assert "http" not in svg.replace(response.context["link"], "")

    @pytest.mark.parametrize(
        "action, state, heading",
        [
            ("journal:share-revoke", "active", "Revoke the access of carol@example.com?"),
            ("journal:share-cancel", "pending", "Cancel the invitation to carol@example.com?"),
        ],
    )
    def test_ending_access_asks_first_and_changes_nothing_until_confirmed(
        self, alice_client, alice, action, state, heading
    ):
        if state == "pending":
            share = ShareFactory(
                owner=alice, counselor=None, accepted_at=None, email="carol@example.com"
            )
        else:
            share = ShareFactory(
                owner=alice, email="carol@example.com", counselor__email="carol@example.com"
            )
        url = reverse(action, args=[share.public_id])
        page = alice_client.get(url)
        assert heading in page.content.decode()
        share.refresh_from_db()
        assert share.state == state
        assert alice_client.post(url).status_code == 302
        share.refresh_from_db()
        assert share.state in ("revoked", "cancelled")

    def test_the_counselor_sees_the_name_the_client_chose(self, alice_client, alice, carol):
        share = Share.objects.get(counselor=carol)
        share.client_name = "Alice M."
        share.save()
        client = Client()
        client.force_login(carol)
        listed = client.get(reverse("journal:clients")).content.decode()
        assert "Alice M." in listed and "alice@example.com" not in listed
        journal = client.get(reverse("client:journal:entry-list", args=[share.public_id]))
        assert "Alice M.'s journal" in journal.content.decode()


class TestScope:
    def test_can_narrow(self, alice_client, carol_share):
        response = alice_client.post(
            reverse("journal:share-scope", args=[carol_share.public_id]),
            {"entries_since": "2026-10-01", "access_until": "2026-12-31"},
        )
        assert response.status_code == 302
        carol_share.refresh_from_db()
        assert carol_share.entries_since == D(2026, 10, 1)
        assert not carol_share.include_reflections
        assert carol_share.access_until == D(2026, 12, 31)

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"entries_since": "2026-09-01", "include_reflections": "on"}, "entries_since"),
            ({"entries_since": "", "include_reflections": "on"}, "entries_since"),
            (
                {
                    "entries_since": "2026-10-01",
                    "include_reflections": "on",
                    "access_until": "2027-01-31",
                },
                "access_until",
            ),
            (
                {"entries_since": "2026-10-01", "include_reflections": "on", "access_until": ""},
                "access_until",
            ),
        ],
    )
    def test_cannot_widen(self, alice_client, alice, field, data):
        share = ShareFactory(
            owner=alice, entries_since=D(2026, 10, 1), access_until=D(2026, 12, 31)
        )
        response = alice_client.post(reverse("journal:share-scope", args=[share.public_id]), data)
        assert "can only narrow" in " ".join(response.context["form"].errors[field])
        share.refresh_from_db()
        assert (share.entries_since, share.access_until) == (D(2026, 10, 1), D(2026, 12, 31))

    def test_reflections_once_withdrawn_cannot_be_shared_again(self, alice_client, alice):
        share = ShareFactory(owner=alice, include_reflections=False)
        response = alice_client.post(
            reverse("journal:share-scope", args=[share.public_id]), {"include_reflections": "on"}
        )
        assert "send a new invitation" in " ".join(
            response.context["form"].errors["include_reflections"]
        )


@pytest.fixture
def journal(alice):
    """alice's journal: shared entries, a private one, and one before the scope."""
    InteractionFactory(
        owner=alice,
        date=D(2026, 11, 17),
        approach="approachable",
        initiator="partner",
        response="warm",
        note="SHARED-NOTE",
        is_private=False,
    )
    InteractionFactory(owner=alice, date=D(2026, 11, 16), approach="practical", is_private=False)
    InteractionFactory(owner=alice, date=D(2026, 11, 19), approach="practical", is_private=True)
    hidden = InteractionFactory(
        owner=alice,
        date=D(2026, 11, 18),
        approach="pressuring",
        initiator="me",
        response="cool",
        note="PRIVATE-NOTE",
        is_private=True,
    )
    InteractionTacticFactory(interaction=hidden, tactic="ultimatum")
    old = InteractionFactory(
        owner=alice,
        date=D(2026, 9, 1),
        approach="pressuring",
        initiator="partner",
        response="warm",
        note="OLD-NOTE",
        is_private=False,
    )
    InteractionTacticFactory(interaction=old, tactic="jealousy")
    ReflectionFactory(owner=alice, week_start=D(2026, 11, 16), went_well="SHARED-REFLECTION")
    ReflectionFactory(owner=alice, week_start=D(2026, 8, 31), went_well="OLD-REFLECTION")
    return alice


def _client_urls(share) -> list[str]:
    args = [share.public_id]
    private = Interaction.objects.get(note="PRIVATE-NOTE").public_id
    return [
        reverse("client:journal:entry-list", args=args),
        reverse("client:journal:entry-list", args=args) + "?q=NOTE",
        reverse("client:journal:calendar", args=args),
        reverse("client:journal:calendar-month", args=[share.public_id, 2026, 9]),
        *(
            reverse("client:journal:trends", args=args) + f"?range={key}"
            for key in ("4w", "12w", "1y", "all")
        ),
        reverse("client:guidance:index", args=args),
        reverse("client:guidance:principle", args=[share.public_id, "stop-the-games"]),
        reverse("client:journal:review-list", args=args),
        reverse("client:journal:review-week", args=[share.public_id, D(2026, 11, 16)]),
        reverse("client:journal:review-week", args=[share.public_id, D(2026, 8, 31)]),
        reverse("client:journal:entry-detail", args=[share.public_id, private]),
    ]


class TestWhatACounselorSees:
    @pytest.fixture
    def share(self, journal, carol_share):
        carol_share.entries_since = D(2026, 10, 1)
        carol_share.save()
        return carol_share

    def test_never_a_private_or_out_of_scope_entry_on_any_page(self, share, carol):
        client = Client()
        client.force_login(carol)
        seen = ""
        for url in _client_urls(share):
            response = client.get(url)
            assert response.status_code in (200, 404), url
            seen += response.content.decode()
        assert "SHARED-NOTE" in seen and "SHARED-REFLECTION" in seen
        for hidden in ("PRIVATE-NOTE", "OLD-NOTE", "OLD-REFLECTION"):
            assert hidden not in seen, hidden

    def test_the_trends_count_only_the_visible_entries(self, share, carol, alice):
        client = Client()
        client.force_login(carol)
        response = client.get(
            reverse("client:journal:trends", args=[share.public_id]), {"range": "all"}
        )
        shown = response.context["trends"]
        everything = trends_for(alice, "all")
        # From the week of the first visible entry (16 November) to this one.
        assert [(w.start, w.approachable, w.pressuring, w.practical) for w in shown.weeks] == [
            (D(2026, 11, 16), 1, 0, 1),
            (D(2026, 11, 23), 0, 0, 0),
        ]
        assert (shown.totals.approachable, shown.totals.pressuring) == (1, 0)
        assert (everything.totals.approachable, everything.totals.pressuring) == (1, 2)
        assert (shown.totals.practical, everything.totals.practical) == (1, 2)
        assert shown.totals.tactics == {}
        assert everything.totals.tactics == {"ultimatum": 1, "jealousy": 1}
        # No pressuring entry is visible: the run is every day from 16 to 28 November.
        assert (shown.streak_current, shown.streak_longest) == (13, 13)
        assert (everything.streak_current, everything.streak_longest) == (10, 77)

    def test_the_calendar_and_review_numbers_leave_out_the_private_entry(self, share, carol):
        client = Client()
        client.force_login(carol)
        calendar = client.get(reverse("client:journal:calendar", args=[share.public_id]))
        days = {day: counts for week in calendar.context["weeks"] for day, counts in week}
        assert days[D(2026, 11, 18)] is None
        review = client.get(
            reverse("client:journal:review-week", args=[share.public_id, D(2026, 11, 16)])
        )
        rows = {label: now for label, now, _ in review.context["rows"]}
        assert rows["Pressuring contacts"] == "0"
        assert rows["Pressure-free days"] == "7"

    def test_reviews_are_not_shown_without_the_reflections(self, share, carol):
        share.include_reflections = False
        share.save()
        client = Client()
        client.force_login(carol)
        assert (
            client.get(reverse("client:journal:review-list", args=[share.public_id])).status_code
            == 404
        )
        assert (
            b"Weekly reviews"
            not in client.get(reverse("client:journal:entry-list", args=[share.public_id])).content
        )

    def test_the_page_says_whose_journal_and_offers_no_changes(self, share, carol):
        client = Client()
        client.force_login(carol)
        entry = Interaction.objects.get(note="SHARED-NOTE")
        for url in _client_urls(share)[:-1] + [
            reverse("client:journal:entry-detail", args=[share.public_id, entry.public_id])
        ]:
            content = client.get(url).content.decode()
            assert "alice@example.com's journal" in content, url
            assert "read-only" in content
            main = content.split('<main id="main"', 1)[1]
            assert "<form" not in main or 'method="get"' in main, url
            assert "/edit/" not in main and "/delete/" not in main


class TestAccessLog:
    def test_records_what_the_counselor_opened_without_any_text(
        self, journal, carol_share, carol, alice_client
    ):
        client = Client()
        client.force_login(carol)
        entry = Interaction.objects.get(note="SHARED-NOTE")
        client.get(reverse("client:journal:entry-list", args=[carol_share.public_id]))
        client.get(
            reverse("client:journal:entry-detail", args=[carol_share.public_id, entry.public_id])
        )
        client.get(reverse("client:journal:trends", args=[carol_share.public_id]))
        client.get(
            reverse("client:journal:review-week", args=[carol_share.public_id, D(2026, 11, 16)])
        )
        log = list(AccessLog.objects.values_list("what", "target"))
        # In words, never by an id.
        assert log == [
            ("review", "16 November 2026"),
            ("trends", "Last 12 weeks"),
            ("entry", entry_words(entry)),
            ("journal", ""),
        ]
        assert entry_words(entry).startswith("17 November 2026")
        page = alice_client.get(reverse("journal:sharing")).content.decode()
        assert page.count("carol@example.com") >= 5
        assert f"Entry of {entry_words(entry)}" in page and "Week of 16 November 2026" in page

    def test_the_owners_own_visits_are_not_logged(self, journal, alice_client):
        alice_client.get(reverse("journal:entry-list"))
        alice_client.get(reverse("journal:trends"))
        assert not AccessLog.objects.exists()

    def test_survives_revocation(self, journal, carol_share, carol, alice_client):
        client = Client()
        client.force_login(carol)
        client.get(reverse("client:journal:trends", args=[carol_share.public_id]))
        alice_client.post(reverse("journal:share-revoke", args=[carol_share.public_id]))
        assert (
            client.get(reverse("client:journal:trends", args=[carol_share.public_id])).status_code
            == 403
        )
        assert AccessLog.objects.count() == 1
        assert b"the trends" in alice_client.get(reverse("journal:sharing")).content.lower()


def test_one_account_can_journal_and_counsel(carol_share, carol):
    """carol keeps her own journal too; her clients never see it, she sees both."""
    client = Client()
    client.force_login(carol)
    InteractionFactory(owner=carol, note="CAROL-OWN")
    InteractionFactory(owner=carol_share.owner, note="ALICE-SHARED", is_private=False)
    own = client.get(reverse("journal:entry-list")).content
    theirs = client.get(reverse("client:journal:entry-list", args=[carol_share.public_id])).content
    assert b"CAROL-OWN" in own and b"ALICE-SHARED" not in own
    assert b"ALICE-SHARED" in theirs and b"CAROL-OWN" not in theirs
    assert b"alice@example.com" in client.get(reverse("journal:clients")).content


def test_two_accounts_accepting_one_invitation_at_once_get_one_share(transactional_db):
    owner = UserFactory(email="owner@example.com", partner_name="Sam")
    inviter = Client()
    inviter.force_login(owner)
    path = _path(_invite(inviter))
    rounds, winners = 4, []
    for round_ in range(rounds):
        share = Share.objects.get()
        Share.objects.filter(pk=share.pk).update(counselor=None, accepted_at=None)
        people = [UserFactory(email=f"c{round_}{n}@example.com") for n in range(2)]
        barrier = threading.Barrier(len(people))
        statuses: dict[str, int] = {}

        def accept(person, barrier: threading.Barrier, statuses: dict[str, int]) -> None:
            client = Client()
            client.force_login(person)
            barrier.wait()
            statuses[person.email] = client.post(path).status_code
            connections.close_all()

        threads = [
            threading.Thread(target=accept, args=[person, barrier, statuses]) for person in people
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses.values()) == [302, 410], statuses
        winner = next(email for email, status in statuses.items() if status == 302)
        assert Share.objects.get().counselor.email == winner
        winners.append(winner)
    assert len(winners) == rounds


def test_a_counselors_searches_and_filters_are_in_the_access_log(carol, carol_share, alice_client):
    client = Client()
    client.force_login(carol)
    url = reverse("client:journal:entry-list", args=[carol_share.public_id])
    for words in ("lawyer", "divorce", "affair"):
        client.get(url, {"q": words})
    client.get(url, {"approach": "pressuring", "date_from": "2026-11-01"})
    targets = list(AccessLog.objects.order_by("pk").values_list("target", flat=True))
    assert targets == [
        "searched “lawyer”",
        "searched “divorce”",
        "searched “affair”",
        "approach: Pressuring; from 1 Nov 2026",
    ]
    page = alice_client.get(reverse("journal:sharing")).content.decode()
    assert "The journal: searched “affair”" in page


def test_the_whole_access_log_can_be_paged_through(alice_client, carol_share):
    oldest = AccessLog.objects.create(share=carol_share, what="entry", target="1 October 2026")
    oldest.viewed_at = NOW - datetime.timedelta(days=30)
    oldest.save()
    AccessLog.objects.bulk_create(
        AccessLog(share=carol_share, what="journal", viewed_at=NOW - datetime.timedelta(minutes=n))
        for n in range(120)
    )
    first = alice_client.get(reverse("journal:sharing")).content.decode()
    assert "1 October 2026" not in first
    assert "Page 1 of 3" in first
    last = alice_client.get(reverse("journal:sharing"), {"log": 3}).content.decode()
    assert "Entry of 1 October 2026" in last


def test_a_reflection_on_a_week_that_began_before_the_scope_is_not_shared(alice, carol_share):
    # alice's weeks start on Monday; she shares from Thursday 19 November on.
    carol_share.entries_since = datetime.date(2026, 11, 19)
    carol_share.save()
    ReflectionFactory(owner=alice, week_start=datetime.date(2026, 11, 16))
    later = ReflectionFactory(owner=alice, week_start=datetime.date(2026, 11, 23))
    assert list(carol_share.visible_reflections()) == [later]


@pytest.mark.usefixtures("frozen")
def test_an_account_sends_a_handful_of_invitations_a_day(alice_client, alice):
    for n in range(INVITATIONS_A_DAY):
        _invite(alice_client, email=f"counselor{n}@example.com")
    response = alice_client.post(
        reverse("journal:sharing"), {"email": "one-more@example.com", "include_reflections": "on"}
    )
    assert "the most Reconnect sends in a day" in " ".join(
        response.context["form"].errors["email"]
    )
    assert Share.objects.filter(owner=alice).count() == INVITATIONS_A_DAY
    with time_machine.travel(NOW + datetime.timedelta(days=1, minutes=1), tick=False):
        alice_client.force_login(alice)
        _invite(alice_client, email="one-more@example.com")
