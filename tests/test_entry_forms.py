"""Every rule of the interaction forms refuses bad input with its message and saves nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from journal.models import Interaction, InteractionTactic
from tests.factories import InteractionFactory, UserFactory

TODAY = datetime.date(2026, 6, 15)


def _entry(**overrides) -> dict:
    data = {
        "kind": "contact",
        "date": "2026-06-10",
        "approach": "approachable",
        "initiator": "partner",
        "response": "warm",
        "channel": "call",
        "note": "We talked about the garden.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def _noon_in_paris():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)):
        yield


def _refused(response, field: str, message: str) -> None:
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert Interaction.objects.count() == 0
    assert InteractionTactic.objects.count() == 0


def test_a_complete_entry_is_saved_with_its_tactics(alice_client, alice):
    data = _entry(tactics=["listened", "good_memory"], mood="4", time="18:30", is_private="on")
    response = alice_client.post(reverse("journal:entry-create"), data)
    entry = Interaction.objects.get()
    assert response.status_code == 302
    assert response.url == entry.get_absolute_url()
    assert entry.owner == alice
    assert entry.date == datetime.date(2026, 6, 10)
    assert entry.time == datetime.time(18, 30)
    assert (entry.approach, entry.initiator, entry.response, entry.channel) == (
        "approachable",
        "partner",
        "warm",
        "call",
    )
    assert entry.mood == 4
    assert entry.is_private
    assert sorted(entry.tactics) == ["good_memory", "listened"]


def test_the_date_defaults_to_today_in_the_users_time_zone(alice_client):
    response = alice_client.get(reverse("journal:entry-create"))
    assert response.context["form"]["date"].value() == TODAY


def test_a_future_date_is_refused(alice_client):
    response = alice_client.post(reverse("journal:entry-create"), _entry(date="2026-06-16"))
    _refused(response, "date", "cannot be in the future")


def test_a_contact_without_an_approach_is_refused(alice_client):
    response = alice_client.post(reverse("journal:entry-create"), _entry(approach=None))
    _refused(response, "approach", "approachable, pressuring or practical")


def test_a_tactic_of_the_other_approach_is_refused(alice_client):
    response = alice_client.post(
        reverse("journal:entry-create"), _entry(approach="pressuring", tactics=["listened"])
    )
    _refused(response, "tactics", "“Listened” is approachable, but you chose pressuring")


def test_an_unknown_tactic_is_refused(alice_client):
    response = alice_client.post(reverse("journal:entry-create"), _entry(tactics=["bribery"]))
    _refused(response, "tactics", "Select a valid choice")


def test_a_date_before_1900_is_refused(alice_client):
    response = alice_client.post(reverse("journal:entry-create"), _entry(date="0001-01-01"))
    _refused(response, "date", "Choose a date after 1 January 1900")


def test_a_later_time_today_is_refused(alice_client):
    # It is 12:00 in Paris.
    response = alice_client.post(
        reverse("journal:entry-create"), _entry(date="2026-06-15", time="13:30")
    )
    _refused(response, "time", "cannot be later than now")


def test_in_the_hour_a_clock_turns_back_an_earlier_time_of_that_hour_is_accepted(db):
    """Paris turned its clocks back at 03:00 on 25 October 2026, to 02:00. At the
    second 02:10, an entry for the first 02:45 (an hour ago) is not in the future."""
    user = UserFactory(timezone="Europe/Paris", partner_name="Sam")
    client = Client()
    second_0210 = datetime.datetime(2026, 10, 25, 1, 10, tzinfo=datetime.UTC)
    with time_machine.travel(second_0210, tick=False):
        client.force_login(user)
        response = client.post(
            reverse("journal:entry-create"), _entry(date="2026-10-25", time="02:45")
        )
        assert response.status_code == 302
        later = client.post(
            reverse("journal:entry-create"), _entry(date="2026-10-25", time="02:50", note="")
        )
        assert later.status_code == 302  # the first 02:50 has passed too
        future = client.post(
            reverse("journal:entry-create"), _entry(date="2026-10-25", time="03:30")
        )
    assert "cannot be later than now" in " ".join(future.context["form"].errors["time"])
    assert Interaction.objects.filter(owner=user).count() == 2


def test_after_a_move_west_this_week_still_counts_an_entry_dated_ahead(db):
    """Logged on Thursday 3 December in Auckland, then moved to New York, where it
    is still Wednesday 2 December: the entry stays, and this week counts it."""
    user = UserFactory(timezone="Pacific/Auckland", partner_name="Sam")
    client = Client()
    moment = datetime.datetime(2026, 12, 2, 23, 0, tzinfo=datetime.UTC)  # Thu 12:00 in Auckland
    with time_machine.travel(moment, tick=False):
        client.force_login(user)
        client.post(
            reverse("journal:entry-quick"),
            {
                "kind": "contact",
                "approach": "approachable",
                "initiator": "partner",
                "response": "warm",
            },
        )
        user.timezone = "America/New_York"
        user.save()
        page = client.get(reverse("home"))
    assert Interaction.objects.get(owner=user).date == datetime.date(2026, 12, 3)
    week = page.context["week"]
    assert (week.approachable, week.partner_initiated) == (1, 1)


def test_the_same_tactic_twice_is_saved_once(alice_client):
    alice_client.post(reverse("journal:entry-create"), _entry(tactics=["listened", "listened"]))
    assert Interaction.objects.get().tactics == ["listened"]


def test_a_second_day_of_space_on_the_same_day_is_refused(alice_client, alice):
    InteractionFactory(owner=alice, date=datetime.date(2026, 6, 15), space=True)
    response = alice_client.post(reverse("journal:entry-quick"), {"kind": "space"})
    assert "already marked as a day of space" in str(response.context["quick_form"].errors)
    assert Interaction.objects.count() == 1


def test_contact_you_started_on_a_day_of_space_asks_what_happened(alice_client, alice):
    InteractionFactory(owner=alice, date=datetime.date(2026, 6, 10), space=True)
    response = alice_client.post(reverse("journal:entry-create"), _entry(initiator="me"))
    form = response.context["form"]
    assert form.asks_about_space
    # Asked as a question, not shown as an error: no red box above the form.
    assert list(form.non_field_errors()) == []
    page = response.content.decode()
    assert "alert-danger" not in page
    assert page.count("This day is marked as a day of space") == 1
    assert "Which was it?" in page
    assert 'name="space_answer" value="partner">Sam reached out first: keep both' in page
    assert Interaction.objects.count() == 1


def test_the_question_is_asked_only_when_a_day_of_space_is_in_the_way(alice_client, alice):
    page = alice_client.get(reverse("journal:entry-create")).content.decode()
    assert "Which was it?" not in page
    response = alice_client.post(reverse("journal:entry-create"), _entry(approach=""))
    assert "Which was it?" not in response.content.decode()


def test_answering_that_sam_reached_out_keeps_both(alice_client, alice):
    space = InteractionFactory(owner=alice, date=datetime.date(2026, 6, 10), space=True)
    data = _entry(initiator="me", space_answer="partner")
    assert alice_client.post(reverse("journal:entry-create"), data).status_code == 302
    contact = Interaction.objects.get(kind="contact")
    assert contact.initiator == "partner"
    assert Interaction.objects.filter(pk=space.pk).exists()


def test_answering_that_you_reached_out_puts_the_contact_in_the_space_days_place(
    alice_client, alice
):
    InteractionFactory(
        owner=alice,
        date=datetime.date(2026, 6, 10),
        space=True,
        note="Wanted to call, went for a walk.",
        mood=2,
        is_private=True,
    )
    data = _entry(initiator="me", space_answer="replace", mood=None)
    assert alice_client.post(reverse("journal:entry-create"), data).status_code == 302
    [contact] = Interaction.objects.all()
    assert (contact.kind, contact.initiator) == ("contact", "me")
    # Nothing written is lost: the note, the mood, and the privacy come along.
    assert contact.note == "We talked about the garden.\n\nWanted to call, went for a walk."
    assert (contact.mood, contact.is_private) == (2, True)


def test_the_quick_log_asks_too_and_one_tap_answers(alice_client, alice):
    InteractionFactory(owner=alice, date=TODAY, space=True)
    data = {"kind": "contact", "approach": "practical", "initiator": "me", "response": "cool"}
    page = alice_client.post(reverse("journal:entry-quick"), data).content.decode()
    assert "Which was it?" in page
    # The response was the tap that sent the form: the question carries it along.
    assert '<input type="hidden" name="response" value="cool">' in page
    answered = alice_client.post(
        reverse("journal:entry-quick"), {**data, "space_answer": "replace"}
    )
    assert answered.status_code == 302
    [contact] = Interaction.objects.all()
    assert (contact.approach, contact.response, contact.date) == ("practical", "cool", TODAY)


def test_the_partner_reaching_out_on_a_day_of_space_is_logged_beside_it(alice_client, alice):
    space = InteractionFactory(owner=alice, date=datetime.date(2026, 6, 10), space=True)
    response = alice_client.post(reverse("journal:entry-create"), _entry(initiator="partner"))
    assert response.status_code == 302
    assert set(Interaction.objects.values_list("kind", flat=True)) == {"space", "contact"}
    # The day of space now says what it was: a day on which you did not reach out.
    page = alice_client.get(reverse("journal:entry-list")).content.decode()
    assert "I did not reach out" in page
    assert Interaction.objects.filter(pk=space.pk).exists()


def test_a_day_of_space_on_a_day_with_contact_you_started_is_refused(alice_client, alice):
    InteractionFactory(owner=alice, date=datetime.date(2026, 6, 10), initiator="me")
    data = _entry(kind="space", approach="", initiator="", response="", channel="")
    response = alice_client.post(reverse("journal:entry-create"), data)
    assert "cannot also be a day of space" in " ".join(response.context["form"].non_field_errors())
    assert Interaction.objects.count() == 1


def test_a_day_of_space_after_the_partner_reached_out_is_kept(alice_client, alice):
    InteractionFactory(owner=alice, date=datetime.date(2026, 6, 10), initiator="partner")
    data = _entry(kind="space", approach="", initiator="", response="", channel="")
    assert alice_client.post(reverse("journal:entry-create"), data).status_code == 302
    assert Interaction.objects.count() == 2


def test_an_entry_a_new_time_zone_puts_ahead_of_today_can_still_be_edited(alice_client, alice):
    entry = InteractionFactory(owner=alice, date=datetime.date(2026, 6, 16))
    response = alice_client.post(
        reverse("journal:entry-update", args=[entry.public_id]),
        _entry(date="2026-06-16", note="kept"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.note == "kept"


def test_a_refused_edit_keeps_the_saved_date_in_the_heading(alice_client, alice):
    entry = InteractionFactory(owner=alice, date=datetime.date(2026, 6, 1))
    response = alice_client.post(
        reverse("journal:entry-update", args=[entry.public_id]),
        _entry(date="2026-06-02", approach=""),
    )
    assert b"Edit the entry of 1 June 2026" in response.content


def test_a_mood_outside_one_to_five_is_refused(alice_client):
    response = alice_client.post(reverse("journal:entry-create"), _entry(mood="9"))
    _refused(response, "mood", "Select a valid choice")


def test_a_day_of_space_with_contact_details_is_refused(alice_client):
    response = alice_client.post(reverse("journal:entry-create"), _entry(kind="space"))
    _refused(response, "__all__", "A day of space has no contact")


def test_a_day_of_space_with_tactics_is_refused(alice_client):
    data = _entry(kind="space", approach="", initiator="", response="", channel="")
    response = alice_client.post(reverse("journal:entry-create"), {**data, "tactics": ["guilt"]})
    _refused(response, "tactics", "A day of space has no tactics")


def test_a_day_of_space_is_saved_without_contact_details(alice_client):
    data = _entry(kind="space", approach="", initiator="", response="", channel="")
    alice_client.post(reverse("journal:entry-create"), data)
    entry = Interaction.objects.get()
    assert entry.is_space
    assert entry.approach == entry.initiator == entry.response == ""


def test_a_refused_form_keeps_what_was_typed(alice_client):
    response = alice_client.post(
        reverse("journal:entry-create"), _entry(date="2030-01-01", note="Every word I wrote")
    )
    assert b"Every word I wrote" in response.content
    assert b'value="listened"' in response.content


def test_editing_replaces_the_tactic_tags(alice_client, alice):
    entry = InteractionFactory(owner=alice, approach="pressuring")
    InteractionTactic.objects.create(interaction=entry, tactic="guilt")
    alice_client.post(
        reverse("journal:entry-update", args=[entry.public_id]),
        _entry(approach="approachable", tactics=["listened", "warmth"]),
    )
    entry.refresh_from_db()
    assert entry.approach == "approachable"
    assert sorted(entry.tactics) == ["listened", "warmth"]


def test_a_refused_edit_changes_nothing(alice_client, alice):
    entry = InteractionFactory(owner=alice, approach="pressuring", note="before")
    InteractionTactic.objects.create(interaction=entry, tactic="guilt")
    before = Interaction.objects.values().get(pk=entry.pk)
    response = alice_client.post(
        reverse("journal:entry-update", args=[entry.public_id]),
        _entry(approach="approachable", tactics=["guilt"], note="after"),
    )
    assert response.status_code == 200
    assert Interaction.objects.values().get(pk=entry.pk) == before
    assert entry.tactics == ["guilt"]


class TestQuickForm:
    def test_logs_a_contact_for_today_in_three_choices(self, alice_client, alice):
        response = alice_client.post(
            reverse("journal:entry-quick"),
            {
                "kind": "contact",
                "approach": "approachable",
                "initiator": "partner",
                "response": "warm",
            },
        )
        assert response.status_code == 302
        entry = Interaction.objects.get()
        assert (entry.owner, entry.date, entry.approach) == (alice, TODAY, "approachable")

    def test_logs_a_day_of_space(self, alice_client):
        alice_client.post(reverse("journal:entry-quick"), {"kind": "space"})
        entry = Interaction.objects.get()
        assert entry.is_space and entry.date == TODAY

    @pytest.mark.parametrize(
        "missing, message",
        [
            ("approach", "approachable, pressuring or practical"),
            ("initiator", "Choose who reached out first"),
            ("response", "Choose how Sam responded"),
        ],
    )
    def test_refuses_a_contact_missing_one_of_the_three(self, alice_client, missing, message):
        data = {"kind": "contact", "approach": "pressuring", "initiator": "me", "response": "cool"}
        del data[missing]
        response = alice_client.post(reverse("journal:entry-quick"), data)
        assert response.status_code == 200
        assert message in " ".join(response.context["quick_form"].errors[missing])
        assert Interaction.objects.count() == 0


class TestTimeZones:
    """Dates follow the user's own time zone, not the server's."""

    @time_machine.travel(datetime.datetime(2026, 6, 14, 11, 30, tzinfo=datetime.UTC))
    def test_a_user_at_utc_plus_13_logging_at_half_past_midnight_gets_their_today(
        self, db, client
    ):
        user = UserFactory(timezone="Pacific/Tongatapu")  # UTC+13, 00:30 on 15 June
        client.force_login(user)
        client.post(
            reverse("journal:entry-quick"),
            {"kind": "contact", "approach": "approachable", "initiator": "me", "response": "warm"},
        )
        assert Interaction.objects.get().date == datetime.date(2026, 6, 15)

    @time_machine.travel(datetime.datetime(2026, 6, 14, 11, 30, tzinfo=datetime.UTC))
    def test_the_same_date_is_in_the_future_for_a_user_at_utc_minus_10(self, db, client):
        user = UserFactory(timezone="Pacific/Honolulu")  # UTC−10, 01:30 on 14 June
        client.force_login(user)
        response = client.post(reverse("journal:entry-create"), _entry(date="2026-06-15"))
        _refused(response, "date", "cannot be in the future")
        assert user.today() == datetime.date(2026, 6, 14)

    @pytest.mark.parametrize(
        "week_start, expected",
        [(0, datetime.date(2026, 6, 15)), (6, datetime.date(2026, 6, 14))],
    )
    def test_weeks_start_on_the_users_chosen_day(self, db, week_start, expected):
        user = UserFactory(week_start=week_start)
        # 2026-06-17 is a Wednesday.
        assert user.week_start_for(datetime.date(2026, 6, 17)) == expected
        assert user.week_start_for(expected) == expected
