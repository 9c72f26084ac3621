from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from journal.choices import TACTIC_APPROACH, Approach, Initiator, Kind
from journal.demo import journal_generate
from journal.models import Interaction, InteractionTactic, User
from tests.factories import UserFactory

START = datetime.date(2024, 1, 1)
END = START + datetime.timedelta(days=89)


def _snapshot(user: User) -> list[tuple]:
    rows = Interaction.objects.for_owner(user).order_by("date", "time", "pk")
    return [
        (
            row.date,
            row.time,
            row.kind,
            row.channel,
            row.initiator,
            row.approach,
            row.response,
            row.mood,
            row.note,
            row.is_private,
            tuple(row.tactics),
        )
        for row in rows.with_tactics()
    ]


def test_the_same_seed_gives_the_same_journal_and_another_seed_a_different_one(alice):
    journal_generate(user=alice, start=START, end=END, seed=7)
    first = _snapshot(alice)
    Interaction.objects.for_owner(alice).delete()
    journal_generate(user=alice, start=START, end=END, seed=7)
    again = _snapshot(alice)
    Interaction.objects.for_owner(alice).delete()
    journal_generate(user=alice, start=START, end=END, seed=8)
    other = _snapshot(alice)

    assert first
    assert again == first
    assert other != first


def test_the_count_returned_is_the_number_of_interactions_made(alice, bob):
    journal_generate(user=bob, start=START, end=END)

    made = journal_generate(user=alice, start=START, end=END)

    assert made == Interaction.objects.for_owner(alice).count()
    assert made > 0


def test_every_tactic_tag_belongs_to_its_entrys_approach(alice):
    journal_generate(user=alice, start=START, end=END)

    tags = InteractionTactic.objects.filter(interaction__owner=alice).select_related("interaction")
    assert tags.count() > 20
    mismatched = [tag for tag in tags if TACTIC_APPROACH[tag.tactic] != tag.interaction.approach]
    assert mismatched == []


def test_pressuring_entries_use_one_or_two_tactics_mostly(alice):
    # A year, so that the share is not down to the luck of a few draws.
    journal_generate(user=alice, start=START, end=START + datetime.timedelta(days=364))

    pressuring = Interaction.objects.for_owner(alice).filter(approach=Approach.PRESSURING)
    sizes = [len(row.tactics) for row in pressuring.with_tactics()]
    assert sum(1 for size in sizes if size in (1, 2)) > 0.8 * len(sizes)
    assert max(sizes) <= 3


def test_some_contacts_are_practical_and_say_what_they_were_about(alice):
    journal_generate(user=alice, start=START, end=END)

    practical = Interaction.objects.for_owner(alice).filter(approach=Approach.PRACTICAL)
    assert 0.05 < practical.count() / Interaction.objects.for_owner(alice).count() < 0.25
    assert all(row.note and not row.tactics for row in practical.with_tactics())


def test_space_days_have_no_contact_fields_no_tags_and_no_contacts_beside_them(alice):
    journal_generate(user=alice, start=START, end=END)

    entries = Interaction.objects.for_owner(alice)
    space = entries.filter(kind=Kind.SPACE)
    assert space.exists()
    assert [(row.channel, row.initiator, row.approach, row.response) for row in space] == [
        ("", "", "", "")
    ] * space.count()
    assert not InteractionTactic.objects.filter(interaction__in=space).exists()
    space_dates = set(space.values_list("date", flat=True))
    contact_dates = set(entries.filter(kind=Kind.CONTACT).values_list("date", flat=True))
    assert space_dates.isdisjoint(contact_dates)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_entries_stay_within_the_dates_asked_for(alice, seed):
    start, end = datetime.date(2024, 3, 10), datetime.date(2024, 3, 24)

    journal_generate(user=alice, start=start, end=end, seed=seed)

    dates = Interaction.objects.for_owner(alice).values_list("date", flat=True)
    assert min(dates) >= start
    assert max(dates) <= end


def test_nothing_is_dated_after_the_users_today(alice):
    today = alice.today()

    journal_generate(
        user=alice,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=30),
    )

    entries = Interaction.objects.for_owner(alice)
    assert entries.filter(date__gt=today - datetime.timedelta(days=7)).exists()
    assert not entries.filter(date__gt=today).exists()


def test_a_range_that_ends_before_it_starts_makes_nothing(alice):
    assert journal_generate(user=alice, start=END, end=START) == 0
    assert not Interaction.objects.for_owner(alice).exists()


def test_ninety_days_hold_both_approaches_partner_contacts_space_and_private_entries(alice):
    journal_generate(user=alice, start=START, end=END)

    entries = Interaction.objects.for_owner(alice)
    counts = entries.counts()
    assert counts["approachable"] > 0
    assert counts["pressuring"] > 0
    assert counts["partner_initiated"] > 0
    assert counts["space"] > 0
    assert entries.filter(is_private=True).exists()
    assert entries.filter(initiator=Initiator.TOGETHER).exists()
    # Some days are not journaled at all, so the calendar has gaps to show.
    assert entries.values("date").distinct().count() < 90


def test_notes_name_the_partner(alice):
    journal_generate(user=alice, start=START, end=END)

    notes = Interaction.objects.for_owner(alice).exclude(note="").values_list("note", flat=True)
    assert sum(1 for note in notes if "Sam" in note) > len(notes) / 3
    assert not any("lorem" in note.lower() for note in notes)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_story_improves_from_the_first_month_to_the_last(alice, seed):
    journal_generate(user=alice, start=START, end=END, seed=seed)

    entries = Interaction.objects.for_owner(alice)
    early = entries.between(START, START + datetime.timedelta(days=28)).counts()
    late = entries.between(END - datetime.timedelta(days=27), END + datetime.timedelta(days=1))
    late = late.counts()
    assert early["pressuring"] > early["approachable"]
    assert late["approachable"] > late["pressuring"]
    assert late["partner_initiated"] > early["partner_initiated"]
    # Trying one game after another is what the article warns about.
    first_fortnight = InteractionTactic.objects.filter(
        interaction__in=entries.between(START, START + datetime.timedelta(days=14)),
        interaction__approach=Approach.PRESSURING,
    )
    assert len(set(first_fortnight.values_list("tactic", flat=True))) >= 3


def test_the_demo_command_creates_a_journaler_who_can_sign_in(db):
    out = StringIO()

    call_command("demo", stdout=out)

    user = User.objects.get(email="demo@example.com")
    assert user.check_password("reconnect-demo")
    assert user.partner_name == "Sam"
    assert user.timezone == "Europe/London"
    today = user.today()
    assert 110 <= (today - user.separation_date).days <= 130
    dates = Interaction.objects.for_owner(user).values_list("date", flat=True)
    assert today - datetime.timedelta(days=89) <= min(dates) <= today - datetime.timedelta(days=80)
    assert today - datetime.timedelta(days=7) <= max(dates) <= today
    assert "http://127.0.0.1:8000/" in out.getvalue()
    assert "reconnect-demo" in out.getvalue()


def test_the_demo_command_takes_an_email_and_a_password(db):
    call_command(
        "demo", "--email", "Other@Example.org", "--password", "s3cret-demo", stdout=StringIO()
    )

    user = User.objects.get(email="other@example.org")
    assert user.check_password("s3cret-demo")
    assert Interaction.objects.for_owner(user).exists()


def test_running_the_demo_command_twice_leaves_one_user_with_one_journal(db):
    call_command("demo", stdout=StringIO())
    first = Interaction.objects.for_owner(User.objects.get(email="demo@example.com")).count()

    call_command("demo", stdout=StringIO())

    assert User.objects.filter(email="demo@example.com").count() == 1
    user = User.objects.get(email="demo@example.com")
    assert Interaction.objects.for_owner(user).count() == first
    assert Interaction.objects.count() == first


def test_the_demo_command_will_not_replace_a_real_account_unless_forced(db):
    real = UserFactory(email="sam@real-mail.net", partner_name="Robin")
    journal_generate(user=real, start=START, end=END)
    kept = Interaction.objects.for_owner(real).count()

    with pytest.raises(CommandError):
        call_command("demo", "--email", "sam@real-mail.net", stdout=StringIO())

    real.refresh_from_db()
    assert real.partner_name == "Robin"
    assert Interaction.objects.for_owner(real).count() == kept

    call_command("demo", "--email", "sam@real-mail.net", "--force", stdout=StringIO())
    assert User.objects.get(email="sam@real-mail.net").partner_name == "Sam"


def test_the_demo_has_a_counselor_who_can_read_it(db):
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    counselor = User.objects.get(email="counselor@example.com")
    assert counselor.check_password("reconnect-demo")
    (share,) = counselor.client_shares.all()
    assert share.is_active
    assert share.owner.email == "demo@example.com"
