"""The quick log without a connection: what a phone sends once it is online again
is saved once per key, or refused with its reason; the service worker keeps nothing
of a journal."""

from __future__ import annotations

import datetime
import json
import re
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from journal.access import device_account
from journal.choices import Approach, Initiator, Kind, Response
from journal.models import Interaction
from journal.views import offline
from tests.factories import NOW, InteractionFactory

SYNC = reverse("journal:entry-sync")
# Made on the phone at 12:40 UTC, 13:40 in Paris where alice lives.
LOGGED_AT = "2026-11-28T11:40:00.000Z"


def _log(**changes: str) -> dict[str, str]:
    """A quick log as offline.js sends it."""
    return {
        "key": str(uuid.uuid4()),
        "logged_at": LOGGED_AT,
        "kind": "contact",
        "approach": "approachable",
        "initiator": "partner",
        "mood": "3",
        "response": "warm",
        **changes,
    }


def _sent(client: Client, log: dict[str, str]) -> tuple[int, dict]:
    response = client.post(SYNC, log)
    return response.status_code, response.json()


def test_a_kept_log_is_saved_once_at_the_time_the_phone_logged_it(alice_client, alice, frozen):
    log = _log()
    assert _sent(alice_client, log) == (
        201,
        {"status": "saved", "reason": "Saved in your journal."},
    )
    entry = Interaction.objects.get()
    assert entry.owner == alice
    assert entry.device_key == uuid.UUID(log["key"])
    # In alice's time zone, not the server's nor the phone's.
    assert (entry.date, entry.time) == (datetime.date(2026, 11, 28), datetime.time(12, 40))
    assert (entry.approach, entry.initiator, entry.response, entry.mood) == (
        Approach.APPROACHABLE,
        Initiator.PARTNER,
        Response.WARM,
        3,
    )


def test_the_day_is_the_one_where_the_person_lives(alice_client, frozen):
    # 23:30 UTC on the 27th is already the 28th in Paris.
    assert _sent(alice_client, _log(logged_at="2026-11-27T23:30:00+00:00"))[0] == 201
    entry = Interaction.objects.get()
    assert (entry.date, entry.time) == (datetime.date(2026, 11, 28), datetime.time(0, 30))


def test_a_replayed_key_creates_nothing_new(alice_client, frozen):
    log = _log()
    assert _sent(alice_client, log)[0] == 201
    first = Interaction.objects.values().get()
    already = (200, {"status": "already saved", "reason": "This log is already in your journal."})
    assert _sent(alice_client, log) == already
    # Sent again with other answers, the key still names the log saved.
    assert _sent(alice_client, {**log, "approach": "pressuring", "response": "cool"}) == already
    assert list(Interaction.objects.values()) == [first]


def test_a_key_is_each_owners_own(alice_client, bob_client, alice, bob, frozen):
    log = _log()
    assert _sent(alice_client, log)[0] == 201
    assert _sent(bob_client, log)[0] == 201
    assert sorted(Interaction.objects.values_list("owner", flat=True)) == sorted(
        [alice.pk, bob.pk]
    )


@pytest.mark.parametrize("key", ["", "not-a-key", "1234", "' OR 1=1 --", "0" * 33])
def test_a_log_without_a_readable_key_is_refused_with_its_reason(alice_client, frozen, key):
    assert _sent(alice_client, _log(key=key)) == (
        400,
        {
            "status": "refused",
            "reason": "This log has no key the journal can read, so it was not saved.",
        },
    )
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    "logged_at",
    ["", "yesterday", "2026-11-28T12:40:00", "2026-13-01T00:00:00Z", "1e9"],
)
def test_a_log_without_a_readable_time_is_refused_with_its_reason(alice_client, frozen, logged_at):
    status, answer = _sent(alice_client, _log(logged_at=logged_at))
    assert status == 400
    assert answer["reason"] == "This log has no time the journal can read, so it was not saved."
    assert not Interaction.objects.exists()


def test_a_time_ahead_of_the_servers_clock_is_refused_past_a_few_minutes(alice_client, frozen):
    ahead = NOW + offline.CLOCK_SKEW + datetime.timedelta(seconds=1)
    status, answer = _sent(alice_client, _log(logged_at=ahead.isoformat()))
    assert status == 400
    assert "this phone's clock may be wrong" in answer["reason"]
    assert not Interaction.objects.exists()
    # A phone a little ahead is not refused.
    slightly = NOW + datetime.timedelta(minutes=2)
    assert _sent(alice_client, _log(logged_at=slightly.isoformat()))[0] == 201


def test_a_log_kept_too_long_is_refused_with_its_reason(alice_client, frozen):
    old = NOW - offline.KEPT_AT_MOST - datetime.timedelta(minutes=1)
    status, answer = _sent(alice_client, _log(logged_at=old.isoformat()))
    assert status == 400
    assert answer["reason"].startswith("This log waited on this phone for more than 30 days")
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"approach": "sneaky"}, "Select a valid choice. sneaky is not one of the available"),
        ({"kind": "meeting"}, "Select a valid choice. meeting is not one of the available"),
        ({"mood": "9"}, "Select a valid choice. 9 is not one of the available choices."),
        ({"approach": ""}, "Choose how you came across: approachable, pressuring or practical."),
        ({"initiator": ""}, "Choose who reached out first."),
        ({"response": ""}, "Choose how Sam responded."),
    ],
)
def test_a_tampered_or_incomplete_log_is_refused_with_its_reason(
    alice_client, frozen, changes, reason
):
    status, answer = _sent(alice_client, _log(**changes))
    assert status == 400
    assert answer["status"] == "refused"
    assert reason in answer["reason"]
    assert not Interaction.objects.exists()


def test_a_log_the_days_rules_refuse_says_why_and_how_to_log_it(alice_client, alice, frozen):
    """A contact alice started, on a day she marked as one of space: the quick log would
    ask what happened; a log sent later cannot, so the full form can."""
    space = {"kind": Kind.SPACE, "approach": "", "initiator": "", "response": "", "channel": ""}
    InteractionFactory(owner=alice, date=datetime.date(2026, 11, 28), **space)
    status, answer = _sent(alice_client, _log(initiator="me"))
    assert status == 400
    assert answer["reason"].startswith("That day is marked as a day of space")
    assert "full form" in answer["reason"]
    assert Interaction.objects.count() == 1
    # Sam reaching out on a day of space is the truth, and is saved.
    assert _sent(alice_client, _log(initiator="partner"))[0] == 201


def test_a_day_of_space_kept_offline_is_saved_once(alice_client, alice, frozen):
    log = {"key": str(uuid.uuid4()), "logged_at": LOGGED_AT, "kind": "space"}
    assert _sent(alice_client, log)[0] == 201
    assert _sent(alice_client, log)[0] == 200
    entry = Interaction.objects.get()
    assert (entry.kind, entry.date, entry.time) == (Kind.SPACE, datetime.date(2026, 11, 28), None)


def test_the_same_log_sent_twice_at_once_is_saved_once(alice_client, alice, frozen, monkeypatch):
    """The second request looked before the first had saved, and finds the database's
    constraint in its way: it says the log is saved, not a server error."""
    log = _log()
    assert _sent(alice_client, log)[0] == 201
    looks = iter([False, True])
    monkeypatch.setattr(offline, "_saved_before", lambda user, key: next(looks))
    assert _sent(alice_client, log) == (
        200,
        {"status": "already saved", "reason": "This log is already in your journal."},
    )
    assert next(looks, "both looks used") == "both looks used"
    assert Interaction.objects.count() == 1


def test_a_day_of_space_sent_twice_at_once_is_saved_once(alice_client, frozen, monkeypatch):
    """Here the day's rule stops the second one first (one day of space a day)."""
    log = {"key": str(uuid.uuid4()), "logged_at": LOGGED_AT, "kind": "space"}
    assert _sent(alice_client, log)[0] == 201
    looks = iter([False, True])
    monkeypatch.setattr(offline, "_saved_before", lambda user, key: next(looks))
    assert _sent(alice_client, log)[1]["status"] == "already saved"
    assert Interaction.objects.count() == 1


def test_signed_out_nothing_is_saved_and_the_phone_keeps_the_log(client, alice, frozen):
    response = client.post(SYNC, _log())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Interaction.objects.exists()


def test_locked_nothing_is_saved_and_the_phone_keeps_the_log(alice_client, frozen):
    session = alice_client.session
    session["locked"] = True
    session.save()
    response = alice_client.post(SYNC, _log())
    assert response.status_code == 302
    assert response.url.startswith(reverse("lock"))
    assert not Interaction.objects.exists()


def test_an_account_that_keeps_no_journal_saves_nothing(alice, carol_share, frozen):
    """A counselor who only reads clients' journals: nothing is written, to anyone."""
    carol = carol_share.counselor
    carol.partner_name = ""
    carol.save()
    client = Client()
    client.force_login(carol)
    status, answer = _sent(client, _log())
    assert status == 403
    assert answer["status"] == "refused"
    assert not Interaction.objects.exists()


def test_a_counselors_or_a_strangers_log_never_lands_in_alices_journal(
    alice, bob_client, carol_share, frozen
):
    """Whatever they send, a log goes to the sender's own journal."""
    carol = Client()
    carol.force_login(carol_share.counselor)
    aimed = {"owner": str(alice.pk), "share_id": str(carol_share.public_id)}
    for client in (carol, bob_client):
        assert _sent(client, _log(**aimed))[0] == 201
    assert not Interaction.objects.filter(owner=alice).exists()
    assert Interaction.objects.count() == 2


def test_the_token_comes_fresh_from_the_sync_address(alice, frozen):
    """The offline page holds no token: the phone asks for one before it sends."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(SYNC, _log()).status_code == 403
    assert not Interaction.objects.exists()
    asked = client.get(SYNC).json()
    assert asked["account"] == device_account(alice)
    response = client.post(SYNC, _log(), HTTP_X_CSRFTOKEN=asked["csrf"])
    assert response.status_code == 201


def test_each_account_has_its_own_mark_on_every_page(alice_client, bob_client, alice, bob, client):
    alices, bobs = device_account(alice), device_account(bob)
    assert alices != bobs
    assert f'data-account="{alices}"' in alice_client.get(reverse("home")).content.decode()
    assert f'data-account="{bobs}"' in bob_client.get(reverse("home")).content.decode()
    # Signed out, a page says nobody is signed in.
    assert 'data-account=""' in client.get(reverse("account_login")).content.decode()


def test_the_service_worker_looks_after_every_page_and_is_asked_for_each_time(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "script-src 'self'" in policy


def _shell(client: Client) -> dict:
    script = client.get("/sw.js").content.decode()
    found = re.search(r"^const SHELL = (.*);$", script, re.MULTILINE)
    assert found
    return json.loads(found[1])


def test_the_service_worker_keeps_the_offline_page_and_static_files_only(client):
    shell = _shell(client)
    assert shell["page"] == "/offline/"
    assert shell["files"]
    assert all(path.startswith("/static/") for path in shell["files"])
    assert shell["quickLog"] == reverse("journal:entry-quick")


def test_a_new_offline_page_makes_a_new_service_worker(client, monkeypatch):
    before = _shell(client)["version"]
    assert _shell(client)["version"] == before
    drawn = offline._shell_page
    monkeypatch.setattr(offline, "_shell_page", lambda: drawn().replace("offline", "Offline"))
    assert _shell(client)["version"] != before


def test_the_offline_page_holds_nothing_private(alice_client, alice, client, frozen):
    InteractionFactory(owner=alice, note="alice's private words")
    signed_in = alice_client.get(reverse("offline"))
    anonymous = client.get(reverse("offline"))
    assert signed_in.status_code == anonymous.status_code == 200
    # The same page for everyone: nothing of alice's, and no token of her session.
    assert signed_in.content == anonymous.content
    html = signed_in.content.decode()
    for private in ("Sam", alice.email, "alice's private words", "csrfmiddlewaretoken"):
        assert private not in html
    assert "Log a contact with your partner" in html
    assert "How did your partner respond?" in html


def test_the_worker_and_the_offline_page_open_while_locked(alice_client):
    session = alice_client.session
    session["locked"] = True
    session.save()
    assert alice_client.get("/sw.js").status_code == 200
    assert alice_client.get(reverse("offline")).status_code == 200
    assert alice_client.get(reverse("home")).status_code == 302


def test_the_sync_address_does_not_answer_other_methods(alice_client):
    for method in ("put", "patch", "delete"):
        assert getattr(alice_client, method)(SYNC).status_code == 405


def test_a_kept_log_on_the_last_allowed_moment_is_saved(alice_client):
    with time_machine.travel(NOW, tick=False):
        edge = NOW - offline.KEPT_AT_MOST + datetime.timedelta(minutes=1)
        assert _sent(alice_client, _log(logged_at=edge.isoformat()))[0] == 201


def test_a_log_is_refused_with_reasons_not_a_server_error_whatever_it_holds(alice_client, frozen):
    for junk in ({}, {"key": str(uuid.uuid4())}, {"logged_at": LOGGED_AT}, {"key": "x" * 10_000}):
        response = alice_client.post(SYNC, junk)
        assert response.status_code == 400
        assert response.json()["reason"]
    assert not Interaction.objects.exists()
