"""The quick log: logged with the time, a mood if tapped, and a mis-tap taken back."""

from __future__ import annotations

import datetime

import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from journal.models import Interaction
from tests.factories import InteractionFactory, UserFactory

QUICK = {"kind": "contact", "approach": "approachable", "initiator": "partner", "response": "warm"}
# 21:40 in Paris, where alice lives.
EVENING = datetime.datetime(2026, 12, 2, 20, 40, 30, tzinfo=datetime.UTC)


def _said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_quick_log_has_the_time_and_a_mood_if_tapped(alice_client, alice):
    with time_machine.travel(EVENING, tick=False):
        response = alice_client.post(reverse("journal:entry-quick"), {**QUICK, "mood": "2"})
    entry = Interaction.objects.get()
    assert (entry.time, entry.mood) == (datetime.time(21, 40), 2)
    assert _said(response) == ["Logged at 21:40: approachable, Sam reached out, response warm."]


def test_the_mood_can_be_left_out(alice_client):
    alice_client.post(reverse("journal:entry-quick"), QUICK)
    assert Interaction.objects.get().mood is None


def test_today_offers_undo_and_a_note_for_the_entry_just_logged(alice_client):
    alice_client.post(reverse("journal:entry-quick"), QUICK)
    entry = Interaction.objects.get()
    page = alice_client.get(reverse("home")).content.decode()
    assert reverse("journal:entry-undo", args=[entry.public_id]) in page
    assert reverse("journal:entry-update", args=[entry.public_id]) in page


def test_undo_takes_back_a_mis_tap_and_a_second_tap_changes_nothing(alice_client):
    alice_client.post(reverse("journal:entry-quick"), QUICK)
    undo = reverse("journal:entry-undo", args=[Interaction.objects.get().public_id])
    assert _said(alice_client.post(undo))[-1] == "Undone: that entry is gone."
    assert not Interaction.objects.exists()
    again = alice_client.post(undo)
    assert again.url == reverse("home")
    assert "nothing to undo" in _said(again)[-1]


def test_undo_is_offered_for_five_minutes_only(alice_client):
    with time_machine.travel(EVENING, tick=False) as traveller:
        alice_client.post(reverse("journal:entry-quick"), QUICK)
        entry = Interaction.objects.get()
        traveller.shift(datetime.timedelta(minutes=6))
        page = alice_client.get(reverse("home")).content.decode()
        assert reverse("journal:entry-undo", args=[entry.public_id]) not in page
        response = alice_client.post(reverse("journal:entry-undo", args=[entry.public_id]))
    assert "more than 5 minutes old" in _said(response)[0]
    assert Interaction.objects.filter(pk=entry.pk).exists()


def test_an_entry_changed_since_it_was_logged_is_not_undone(alice_client):
    alice_client.post(reverse("journal:entry-quick"), QUICK)
    entry = Interaction.objects.get()
    edit = {**QUICK, "date": entry.date.isoformat(), "note": "Sam asked about my sister."}
    assert (
        alice_client.post(
            reverse("journal:entry-update", args=[entry.public_id]), edit
        ).status_code
        == 302
    )
    # The note just added would go with it: Undo is no longer offered, nor done.
    page = alice_client.get(reverse("home")).content.decode()
    assert reverse("journal:entry-undo", args=[entry.public_id]) not in page
    response = alice_client.post(reverse("journal:entry-undo", args=[entry.public_id]))
    assert "changed already" in _said(response)[0]
    assert Interaction.objects.get().note == "Sam asked about my sister."


def test_a_contact_that_took_a_day_of_spaces_place_offers_no_undo(alice_client, alice):
    InteractionFactory(owner=alice, date=alice.today(), space=True, note="A long walk.")
    data = {**QUICK, "initiator": "me", "space_answer": "replace"}
    response = alice_client.post(reverse("journal:entry-quick"), data)
    assert _said(response)[0].endswith("It takes the place of today's day of space.")
    entry = Interaction.objects.get()
    assert entry.note == "A long walk."
    page = alice_client.get(reverse("home")).content.decode()
    assert reverse("journal:entry-undo", args=[entry.public_id]) not in page
    alice_client.post(reverse("journal:entry-undo", args=[entry.public_id]))
    assert Interaction.objects.get().note == "A long walk."


def test_a_quick_form_sent_back_shows_its_problem_not_the_last_entrys_undo(alice_client):
    alice_client.post(reverse("journal:entry-quick"), QUICK)
    entry = Interaction.objects.get()
    refused = alice_client.post(reverse("journal:entry-quick"), {**QUICK, "approach": ""})
    assert reverse("journal:entry-undo", args=[entry.public_id]) not in refused.content.decode()
    # The form's own address, opened again (a reload, or after the lock), is Today.
    assert alice_client.get(reverse("journal:entry-quick")).url == reverse("home")


def test_no_one_undoes_someone_elses_entry(alice_client, db):
    bobs = InteractionFactory(owner=UserFactory(email="bob@example.com"))
    response = alice_client.post(reverse("journal:entry-undo", args=[bobs.public_id]))
    assert "nothing to undo" in _said(response)[0]
    assert Interaction.objects.filter(pk=bobs.pk).exists()


def test_i_gave_space_today_goes_once_the_day_is_logged(alice_client, alice):
    assert "I gave space today" in alice_client.get(reverse("home")).content.decode()
    alice_client.post(reverse("journal:entry-quick"), {"kind": "space"})
    assert "I gave space today" not in alice_client.get(reverse("home")).content.decode()


def test_the_partner_reaching_out_leaves_i_gave_space_today(alice_client, alice):
    alice_client.post(reverse("journal:entry-quick"), QUICK)
    assert "I gave space today" in alice_client.get(reverse("home")).content.decode()
