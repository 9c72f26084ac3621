"""Each form writes once: a second post of the same form (a double tap, Back and send
again, a retry after an answer that never came) writes nothing and gets the first
post's answer."""

from __future__ import annotations

import datetime
import re
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client, RequestFactory
from django.urls import reverse

from journal.models import Interaction, Reflection, Share, Submission, token_hash
from journal.portability.views import IMPORTED_ALREADY
from journal.services import STEPS_ABANDONED, SUBMISSION_KEPT, _digest
from journal.sharing.services import INVITATIONS_A_DAY, share_invite
from tests.factories import NOW, InteractionFactory, ShareFactory, SubmissionFactory, UserFactory
from tests.test_portability import _file, _imported_entry, _upload

pytestmark = pytest.mark.usefixtures("frozen")

QUICK = reverse("journal:entry-quick")
NEW = reverse("journal:entry-create")
CONTACT = {"kind": "contact", "approach": "approachable", "initiator": "me", "response": "warm"}
FULL = {**CONTACT, "date": "2026-11-27", "note": "We talked about the garden."}


def _twice(client: Client, url: str, data: dict) -> tuple:
    """Post the same form twice, as a double tap does."""
    data = {**data, "submission": str(uuid.uuid4())}
    return client.post(url, data), client.post(url, data)


def _said_each_time(client: Client, url: str, data: dict, said: str) -> None:
    """Post the same form twice, and find `said` on the page each post leads to."""
    data = {**data, "submission": str(uuid.uuid4())}
    for _ in range(2):
        response = client.post(url, data)
        assert response.status_code == 302
        assert said in _messages(client, response)


def _messages(client: Client, response) -> str:
    return client.get(response.url).content.decode()


@pytest.mark.parametrize("data", [CONTACT, {"kind": "space"}], ids=["a contact", "a day of space"])
def test_a_double_tap_on_the_quick_log_saves_once(alice_client, alice, data):
    first, second = _twice(alice_client, QUICK, data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("home")
    assert Interaction.objects.for_owner(alice).count() == 1


def test_back_and_send_again_saves_once_and_leads_to_the_same_entry(alice_client, alice):
    first, second = _twice(alice_client, NEW, FULL)
    entry = Interaction.objects.get(owner=alice)
    assert first.url == second.url == entry.get_absolute_url()
    assert "Entry saved." in _messages(alice_client, second)


def test_a_form_drawn_again_after_a_refusal_keeps_its_key_and_can_be_sent(alice_client, alice):
    key = str(uuid.uuid4())
    refused = alice_client.post(NEW, {**FULL, "approach": "", "submission": key})
    assert refused.status_code == 200
    assert f'value="{key}"' in refused.content.decode()
    saved = alice_client.post(NEW, {**FULL, "submission": key})
    assert saved.status_code == 302
    assert Interaction.objects.for_owner(alice).count() == 1


def test_a_write_cut_off_midway_leaves_the_key_free(alice_client, alice, monkeypatch):
    key = str(uuid.uuid4())

    def cut_off(**kwargs):
        raise RuntimeError("the server stopped")

    with monkeypatch.context() as patch:
        patch.setattr("journal.views.entries.interaction_save", cut_off)
        with pytest.raises(RuntimeError):
            alice_client.post(NEW, {**FULL, "submission": key})
    assert not Submission.objects.exists()
    assert alice_client.post(NEW, {**FULL, "submission": key}).status_code == 302
    assert Interaction.objects.for_owner(alice).count() == 1


def test_a_post_without_a_key_still_saves(alice_client, alice):
    alice_client.post(QUICK, CONTACT)
    alice_client.post(QUICK, CONTACT)
    assert Interaction.objects.for_owner(alice).count() == 2


def test_a_key_is_one_persons_own(alice_client, bob_client, alice, bob):
    data = {**CONTACT, "submission": str(uuid.uuid4())}
    alice_client.post(QUICK, data)
    bob_client.post(QUICK, data)
    assert Interaction.objects.for_owner(alice).count() == 1
    assert Interaction.objects.for_owner(bob).count() == 1


def test_a_key_is_forgotten_after_a_day(alice_client, alice):
    old = SubmissionFactory(owner=alice)
    Submission.objects.filter(pk=old.pk).update(created_at=NOW - SUBMISSION_KEPT * 2)
    alice_client.post(QUICK, {**CONTACT, "submission": str(uuid.uuid4())})
    assert list(Submission.objects.values_list("owner", flat=True)) == [alice.pk]
    assert not Submission.objects.filter(pk=old.pk).exists()


def test_a_second_tap_on_delete_says_deleted_not_missing(alice_client, alice):
    entry = InteractionFactory(owner=alice)
    url = reverse("journal:entry-delete", args=[entry.public_id])
    _said_each_time(alice_client, url, {}, "Entry deleted.")
    assert not Interaction.objects.exists()


def test_a_second_tap_on_a_reflection_saves_it_once(alice_client, alice):
    url = reverse("journal:review-week", args=[datetime.date(2026, 11, 23)])
    first, second = _twice(alice_client, url, {"went_well": "I listened."})
    assert first.url == second.url == url
    assert Reflection.objects.get(owner=alice).went_well == "I listened."


def test_a_second_tap_on_send_the_invitation_sends_one(alice_client, alice, mailoutbox):
    form = {"email": "carol@example.com", "include_reflections": "on"}
    first, second = _twice(alice_client, reverse("journal:sharing"), form)
    share = Share.objects.get(owner=alice)
    assert first.url == reverse("journal:share-invited", args=[share.public_id])
    assert second.url == reverse("journal:sharing")
    assert "That invitation is sent already" in _messages(alice_client, second)
    assert Share.objects.filter(owner=alice).count() == 1


@pytest.mark.parametrize(
    "action, state, said",
    [
        ("journal:share-cancel", {"counselor": None, "accepted_at": None}, "is cancelled"),
        ("journal:share-revoke", {}, "can no longer see your journal"),
    ],
)
def test_a_second_tap_on_cancel_or_revoke_says_it_is_done(
    alice_client, alice, action, state, said
):
    share = ShareFactory(owner=alice, email="carol@example.com", **state)
    _said_each_time(alice_client, reverse(action, args=[share.public_id]), {}, said)


def test_a_second_tap_on_accept_goes_to_the_journal(alice, carol):
    share = ShareFactory(owner=alice, counselor=None, accepted_at=None, email="lee@example.com")
    token = "an-invitation-token"
    Share.objects.filter(pk=share.pk).update(token_hash=token_hash(token))
    client = Client()
    client.force_login(carol)
    first, second = _twice(client, reverse("journal:invitation", args=[token]), {})
    journal = reverse("client:journal:entry-list", args=[share.public_id])
    assert first.url == second.url == journal
    assert Share.objects.get(pk=share.pk).counselor == carol


def test_a_second_post_of_an_import_imports_nothing_more(alice_client, alice):
    key = str(uuid.uuid4())
    responses = [
        alice_client.post(
            reverse("journal:data-import"),
            {"file": _upload(_file([_imported_entry()])), "submission": key},
        )
        for _ in range(2)
    ]
    assert [r.status_code for r in responses] == [302, 302]
    assert IMPORTED_ALREADY in _messages(alice_client, responses[1])
    assert Interaction.objects.for_owner(alice).count() == 1


def test_two_posts_of_one_form_at_the_same_moment_save_one_entry(transactional_db):
    """Threads on the file database (SQLite) or PostgreSQL, each its own connection."""
    user = UserFactory(partner_name="Sam")
    data = {**FULL, "submission": str(uuid.uuid4())}
    barrier = threading.Barrier(4)
    answers = []

    def post() -> None:
        client = Client()
        client.force_login(user)
        barrier.wait()
        response = client.post(NEW, data)
        answers.append((response.status_code, response.get("Location")))
        connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entry = Interaction.objects.get(owner=user)
    assert answers == [(302, entry.get_absolute_url())] * 4


WRITE_FORMS = [
    ("home", {}),
    ("journal:entry-create", {}),
    ("journal:entry-update", {"entry": True}),
    ("journal:entry-delete", {"entry": True}),
    ("journal:review-week", {"start": datetime.date(2026, 11, 23)}),
    ("journal:sharing", {}),
    ("journal:share-scope", {"share": True}),
    ("journal:data-import", {}),
]


@pytest.mark.parametrize("name, kwargs", WRITE_FORMS)
def test_every_form_that_writes_carries_a_key(alice_client, alice, name, kwargs):
    alice.partner_name = "Sam"
    alice.save()
    entry = InteractionFactory(owner=alice)
    ShareFactory(owner=alice, email="carol@example.com")
    share = Share.objects.get(owner=alice)
    values = {"entry": {"public_id": entry.public_id}, "share": {"public_id": share.public_id}}
    args = {}
    for key, value in kwargs.items():
        args.update(values[key] if value is True else {key: value})
    html = alice_client.get(reverse(name, kwargs=args)).content.decode()
    forms = re.findall(r'<form[^>]*method="post".*?</form>', html, re.S)
    # Signing out, locking and hiding change no journal: a second tap does no harm.
    writes = [form for form in forms if not re.search(r'action="/(accounts/logout|lock)/', form)]
    assert writes
    for form in writes:
        assert re.search(r'name="submission" value="[0-9a-f-]{36}"', form), form[:200]


def test_the_same_form_sent_again_with_other_answers_is_a_post_of_its_own(alice_client, alice):
    """Back, a typo mended, Save: the mended note is saved, not dropped."""
    entry = InteractionFactory(owner=alice, date=datetime.date(2026, 11, 27))
    url = reverse("journal:entry-update", args=[entry.public_id])
    key = str(uuid.uuid4())
    alice_client.post(url, {**FULL, "note": "We talked abuot it.", "submission": key})
    alice_client.post(url, {**FULL, "note": "We talked about it.", "submission": key})
    assert Interaction.objects.get(pk=entry.pk).note == "We talked about it."


def test_an_import_cut_off_midway_can_be_sent_again_later(alice_client, alice):
    """A claim left unanswered by a process that stopped midway is taken back."""
    drawn, url = uuid.uuid4(), reverse("journal:data-import")
    content = _file([_imported_entry()])
    # The key the first post claimed: the form's, for these answers.
    sent = RequestFactory().post(url, {"file": _upload(content), "submission": str(drawn)})
    key = uuid.uuid5(drawn, _digest(sent))
    cut_off = SubmissionFactory(owner=alice, key=key, answer="")
    Submission.objects.filter(pk=cut_off.pk).update(created_at=NOW - STEPS_ABANDONED * 2)
    response = alice_client.post(url, {"file": _upload(content), "submission": str(drawn)})
    assert not Submission.objects.filter(pk=cut_off.pk).exists()
    assert response.status_code == 302
    assert Interaction.objects.for_owner(alice).count() == 1


def test_invitations_sent_at_once_keep_to_the_days_limit(alice):
    """Counted again inside the write, with the account locked."""
    for n in range(INVITATIONS_A_DAY):
        ShareFactory(owner=alice, email=f"c{n}@example.com")
    with pytest.raises(ValidationError):
        share_invite(share=Share(email="late@example.com"), owner=alice)
    assert Share.objects.filter(owner=alice).count() == INVITATIONS_A_DAY
