"""Weekly reviews, reflections and the weekly reminder."""

from __future__ import annotations

import datetime
import io
import re
import threading

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.models import Reflection, ReminderSent
from journal.reports.reviews import reflection_streak
from tests.factories import InteractionFactory, UserFactory, log

D = datetime.date
THIS_WEEK = D(2026, 11, 23)
ANSWERS = {"went_well": "We laughed once.", "where_pushed": "", "try_next": "Wait for Sam."}


pytestmark = pytest.mark.usefixtures("frozen")


def _week(client, start: D, **params):
    return client.get(reverse("journal:review-week", args=[start]), params)


class TestWeekPage:
    def test_compares_the_week_with_the_week_before(self, alice_client, alice):
        log(
            alice,
            D(2026, 11, 17),
            "pressuring",
            ["guilt", "pleading"],
            initiator="me",
            response="cool",
            mood=2,
        )
        log(
            alice,
            D(2026, 11, 17),
            "pressuring",
            ["guilt"],
            initiator="me",
            response="none",
            mood=2,
        )
        log(alice, D(2026, 11, 19), "approachable", initiator="partner", response="warm", mood=4)
        # About the children: counted on its own, outside the approachable share.
        log(
            alice, D(2026, 11, 20), "practical", initiator="partner", response="neutral", mood=None
        )
        log(
            alice,
            D(2026, 11, 10),
            "approachable",
            ["good_memory"],
            initiator="partner",
            response="warm",
            mood=5,
        )
        InteractionFactory(owner=alice, date=D(2026, 11, 12), space=True, mood=None)
        rows = {
            label: (now, then)
            for label, now, then in _week(alice_client, D(2026, 11, 16)).context["rows"]
        }
        assert rows["Approachable contacts"] == ("1", "1")
        assert rows["Pressuring contacts"] == ("2", "0")
        assert rows["Practical contacts"] == ("1", "0")
        assert rows["Approachable share"] == ("1 of 3", "1 of 1")
        assert rows["Times Sam reached out first"] == ("2", "1")
        assert rows["Days of space"] == ("0", "1")
        # The week before began on Monday 9th, the journal on Tuesday 10th.
        assert rows["Pressure-free days"] == ("6", "6")
        assert rows["Tactics tagged"] == (
            "Pleaded, Tried to make them feel guilty ×2",
            "Shared a good memory",
        )
        assert rows["Sam's responses after pressuring contact"] == ("1 cool, 1 no response", "–")
        assert rows["Sam's responses after approachable contact"] == ("1 warm", "1 warm")
        assert rows["Sam's responses after practical contact"] == ("1 neutral", "–")
        assert rows["My average mood (1 to 5)"] == ("2.7", "5.0")

    def test_an_empty_week_says_so(self, alice_client):
        response = _week(alice_client, D(2026, 11, 9))
        assert b"Nothing was logged this week." in response.content
        rows = dict((label, now) for label, now, _ in response.context["rows"])
        assert rows["Approachable contacts"] == "0"
        # No day of it is one the journal covers: none counts as pressure-free.
        assert rows["Pressure-free days"] == "0"

    def test_the_current_week_is_marked_in_progress_and_counts_only_the_days_so_far(
        self, alice_client, alice
    ):
        log(alice, THIS_WEEK - datetime.timedelta(days=3), "approachable")
        response = _week(alice_client, THIS_WEEK)
        assert response.context["in_progress"]
        assert response.context["next"] is None
        rows = dict((label, now) for label, now, _ in response.context["rows"])
        assert rows["Pressure-free days"] == "6"  # Monday to Saturday

    def test_shows_the_principles_that_fit_that_week(self, alice_client, alice):
        log(
            alice,
            D(2026, 11, 3),
            "pressuring",
            ["guilt", "jealousy", "obligation"],
            initiator="partner",
        )
        titles = [
            s.principle.slug for s in _week(alice_client, D(2026, 11, 2)).context["suggestions"]
        ]
        assert titles[0] == "stop-the-games"
        later = [
            s.principle.slug for s in _week(alice_client, D(2026, 11, 16)).context["suggestions"]
        ]
        assert "stop-the-games" not in later

    def test_lists_the_weeks_entries_only(self, alice_client, alice):
        log(alice, D(2026, 11, 17), note="inside the week")
        log(alice, D(2026, 11, 23), note="the week after")
        content = _week(alice_client, D(2026, 11, 16)).content
        assert b"inside the week" in content
        assert b"the week after" not in content

    def test_a_day_inside_a_week_leads_to_the_weeks_start(self, alice_client):
        response = _week(alice_client, D(2026, 11, 19))
        assert response.status_code == 302
        assert response.url == reverse("journal:review-week", args=[D(2026, 11, 16)])

    def test_a_week_that_has_not_begun_is_not_found(self, alice_client):
        assert _week(alice_client, D(2026, 11, 30)).status_code == 404

    def test_a_date_that_does_not_exist_is_not_found(self, alice_client):
        assert alice_client.get("/journal/reviews/2026-02-30/").status_code == 404

    @pytest.mark.parametrize("busy", [False, True])
    def test_the_number_of_queries_is_the_same_for_a_quiet_and_a_busy_week(
        self, alice_client, alice, busy
    ):
        log(alice, D(2026, 11, 18), "pressuring", ["guilt"])
        if busy:
            for day in range(16, 23):
                for approach in ("approachable", "pressuring"):
                    log(
                        alice,
                        D(2026, 11, day),
                        approach,
                        ["guilt"] if approach == "pressuring" else ["listened"],
                    )
        Reflection.objects.create(owner=alice, week_start=D(2026, 11, 16), went_well="x")
        with CaptureQueriesContext(connection) as queries:
            response = _week(alice_client, D(2026, 11, 16))
        assert response.status_code == 200
        # session, user, reflection, trends (first dates, summaries, days of pressure),
        # the last four moods (care comes before advice in a hard stretch), the week's
        # entries and their tactics, and the messages held back.
        assert len(queries) == 10


class TestWeekBoundaries:
    @pytest.mark.parametrize(
        "week_start, start, expected",
        [
            # Paris moves its clocks forward on Sunday 29 March 2026.
            (0, D(2026, 3, 23), 2),
            (0, D(2026, 3, 30), 1),
            (6, D(2026, 3, 22), 1),
            (6, D(2026, 3, 29), 2),
        ],
    )
    def test_across_a_daylight_saving_change(self, client, db, week_start, start, expected):
        user = UserFactory(timezone="Europe/Paris", week_start=week_start)
        for day in (28, 29, 30):
            log(user, D(2026, 3, day))
        client.force_login(user)
        rows = dict((label, now) for label, now, _ in _week(client, start).context["rows"])
        assert rows["Approachable contacts"] == str(expected)

    @time_machine.travel(datetime.datetime(2026, 11, 29, 11, 0, tzinfo=datetime.UTC), tick=False)
    def test_for_a_user_far_from_utc_the_new_week_begins_on_their_sunday(self, client, db):
        # 11:00 UTC on Sunday 29 November is 01:00 on Monday 30 November in Kiritimati (UTC+14).
        user = UserFactory(timezone="Pacific/Kiritimati", week_start=0)
        client.force_login(user)
        assert _week(client, D(2026, 11, 30)).context["in_progress"]
        assert not _week(client, D(2026, 11, 23)).context["in_progress"]


class TestReflection:
    def test_the_first_save_creates_it_and_a_second_edits_it(self, alice_client, alice):
        url = reverse("journal:review-week", args=[D(2026, 11, 16)])
        assert alice_client.post(url, ANSWERS).status_code == 302
        alice_client.post(url, {**ANSWERS, "try_next": "Give space at the weekend."})
        reflection = Reflection.objects.get()
        assert (reflection.owner, reflection.week_start) == (alice, D(2026, 11, 16))
        assert reflection.went_well == "We laughed once."
        assert reflection.try_next == "Give space at the weekend."
        assert b"Give space at the weekend." in alice_client.get(url).content

    def test_an_empty_reflection_is_refused(self, alice_client):
        url = reverse("journal:review-week", args=[D(2026, 11, 16)])
        response = alice_client.post(url, {"went_well": "  ", "where_pushed": "", "try_next": ""})
        assert response.status_code == 200
        assert (
            "Write at least one of the three answers."
            in response.context["form"].non_field_errors()
        )
        assert not Reflection.objects.exists()

    def test_a_reflection_is_found_after_the_week_start_changes(self, alice_client, alice):
        Reflection.objects.create(
            owner=alice, week_start=D(2026, 11, 16), went_well="Monday weeks"
        )
        alice.week_start = 6
        alice.save()
        url = reverse("journal:review-week", args=[D(2026, 11, 15)])
        assert b"Monday weeks" in alice_client.get(url).content
        alice_client.post(url, {**ANSWERS, "went_well": "Edited"})
        assert list(Reflection.objects.values_list("week_start", "went_well")) == [
            (D(2026, 11, 16), "Edited")
        ]

    def test_two_first_saves_at_once_make_one_reflection(self, transactional_db):
        user = UserFactory(partner_name="Sam")
        url = reverse("journal:review-week", args=[D(2026, 11, 16)])
        barrier = threading.Barrier(4)
        statuses = []

        def save(text: str) -> None:
            client = Client()
            client.force_login(user)
            barrier.wait()
            statuses.append(client.post(url, {**ANSWERS, "went_well": text}).status_code)
            connections.close_all()

        threads = [threading.Thread(target=save, args=(f"writer {n}",)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [302] * 4
        assert Reflection.objects.filter(owner=user).count() == 1


class TestReviewList:
    def test_lists_every_week_from_the_first_entry_newest_first(self, alice_client, alice):
        log(alice, D(2026, 11, 4), "pressuring", initiator="me")
        log(alice, D(2026, 11, 18), "approachable", initiator="partner")
        Reflection.objects.create(owner=alice, week_start=D(2026, 11, 16), went_well="x")
        rows = alice_client.get(reverse("journal:review-list")).context["rows"]
        assert [row["week"].start for row in rows] == [
            D(2026, 11, 23),
            D(2026, 11, 16),
            D(2026, 11, 9),
            D(2026, 11, 2),
        ]
        assert [row["current"] for row in rows] == [True, False, False, False]
        assert [row["reflected"] for row in rows] == [False, True, False, False]
        assert (
            rows[1]["summary"]
            == "1 approachable, 0 pressuring · Sam reached out first once · 1 of 1 approachable"
        )
        assert rows[2]["summary"] == "Nothing logged."

    def test_a_new_journal_lists_the_current_week(self, alice_client):
        rows = alice_client.get(reverse("journal:review-list")).context["rows"]
        assert [row["week"].start for row in rows] == [THIS_WEEK]

    def test_shows_the_streak(self, alice_client, alice):
        log(alice, D(2026, 10, 1))
        for start in (D(2026, 11, 16), D(2026, 11, 9), D(2026, 10, 26)):
            Reflection.objects.create(owner=alice, week_start=start, went_well="x")
        response = alice_client.get(reverse("journal:review-list"))
        assert response.context["streak"] == 2  # 2 November breaks it
        assert b"2 weeks in a row" in response.content

    def test_shows_one_year_at_a_time_this_one_first(self, alice_client, alice):
        log(alice, D(2024, 12, 31), "pressuring")  # a Tuesday: its week starts in 2024
        log(alice, D(2025, 6, 3), "approachable")
        response = alice_client.get(reverse("journal:review-list"))
        assert response.context["years"] == [2026, 2025, 2024]
        starts = [row["week"].start for row in response.context["rows"]]
        assert (starts[0], starts[-1], len(starts)) == (THIS_WEEK, D(2026, 1, 5), 47)
        assert 'href="?year=2025"' in response.content.decode()

        rows = alice_client.get(reverse("journal:review-list"), {"year": 2025}).context["rows"]
        assert (rows[0]["week"].start, rows[-1]["week"].start) == (D(2025, 12, 29), D(2025, 1, 6))
        assert [row["week"].approachable for row in rows].count(1) == 1

        rows = alice_client.get(reverse("journal:review-list"), {"year": 2024}).context["rows"]
        assert [(row["week"].start, row["week"].pressuring) for row in rows] == [
            (D(2024, 12, 30), 1)
        ]

    @pytest.mark.parametrize("year", ["2023", "2027", "last", ""])
    def test_a_year_without_weeks_shows_this_one(self, alice_client, alice, year):
        log(alice, D(2025, 6, 3))
        response = alice_client.get(reverse("journal:review-list"), {"year": year})
        assert response.status_code == 200
        assert response.context["year"] == 2026


def test_the_journals_first_week_counts_its_days_from_the_first_entry(alice_client, alice):
    log(alice, D(2026, 11, 26), "approachable")  # a Thursday
    rows = {
        label: (now, then) for label, now, then in _week(alice_client, THIS_WEEK).context["rows"]
    }
    # Thursday to Saturday (today); nothing before the journal began counts.
    assert rows["Pressure-free days"] == ("3", "0")


@pytest.mark.parametrize(
    "reflected, expected",
    [
        ({D(2026, 11, 23), D(2026, 11, 16)}, 2),
        ({D(2026, 11, 16), D(2026, 11, 9)}, 2),
        # The week just ended can still be reflected on: it does not break the streak yet.
        ({D(2026, 11, 9), D(2026, 11, 2)}, 2),
        ({D(2026, 11, 2)}, 0),
        (set(), 0),
    ],
)
def test_reflection_streak(reflected, expected):
    weeks = [D(2026, 11, 23), D(2026, 11, 16), D(2026, 11, 9), D(2026, 11, 2)]
    assert reflection_streak(weeks, reflected, current=D(2026, 11, 23)) == expected


class FailingEmailBackend:
    """An SMTP server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


class TestReminders:
    @pytest.fixture
    def opted_in(self, db):
        user = UserFactory(
            email="carla@example.com",
            partner_name="Sam",
            timezone="Europe/Paris",
            weekly_reminder=True,
        )
        log(user, D(2026, 11, 17), "approachable", initiator="partner")
        log(user, D(2026, 11, 18), "pressuring", initiator="me")
        return user

    def test_sends_the_summary_of_the_week_just_ended_with_links(self, opted_in, client):
        UserFactory(email="quiet@example.com", weekly_reminder=False)
        call_command("send_weekly_reminders", stdout=io.StringIO())
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["carla@example.com"]
        assert "16 November" in message.subject
        assert "1 approachable, 1 pressuring · Sam reached out first once" in message.body
        assert "http://127.0.0.1:8000/journal/reviews/2026-11-16/" in message.body
        assert ReminderSent.objects.get().week_start == D(2026, 11, 16)
        stop = re.search(r"http://127\.0\.0\.1:8000(/reminders/stop/\S+/)", message.body).group(1)
        assert b"Stop the reminders" in client.get(stop).content
        opted_in.refresh_from_db()
        assert opted_in.weekly_reminder
        client.post(stop)
        opted_in.refresh_from_db()
        assert not opted_in.weekly_reminder

    def test_an_unconfirmed_address_gets_nothing(self, opted_in):
        EmailAddress.objects.filter(user=opted_in).update(verified=False)
        call_command("send_weekly_reminders", stdout=io.StringIO())
        assert mail.outbox == []

    def test_running_twice_sends_once(self, opted_in):
        call_command("send_weekly_reminders", stdout=io.StringIO())
        call_command("send_weekly_reminders", stdout=io.StringIO())
        assert len(mail.outbox) == 1
        assert ReminderSent.objects.count() == 1

    @time_machine.travel(datetime.datetime(2026, 11, 30, 6, 0, tzinfo=datetime.UTC), tick=False)
    def test_waits_until_the_morning_where_the_user_lives(self, opted_in):
        # 07:00 on Monday in Paris: the week has ended, but it is early.
        call_command("send_weekly_reminders", stdout=io.StringIO())
        assert mail.outbox == []
        with time_machine.travel(
            datetime.datetime(2026, 11, 30, 8, 30, tzinfo=datetime.UTC), tick=False
        ):
            call_command("send_weekly_reminders", stdout=io.StringIO())
        assert len(mail.outbox) == 1
        assert ReminderSent.objects.get().week_start == D(2026, 11, 23)

    def test_a_failed_send_is_tried_again_next_time(self, opted_in, settings):
        settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
        call_command("send_weekly_reminders", stdout=io.StringIO(), stderr=io.StringIO())
        assert not ReminderSent.objects.exists()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("send_weekly_reminders", stdout=io.StringIO())
        assert len(mail.outbox) == 1

    def test_is_marked_sent_only_once_the_mail_went(self, opted_in):
        call_command("send_weekly_reminders", stdout=io.StringIO())
        reminder = ReminderSent.objects.get()
        assert reminder.sent_at is not None
        assert reminder.claimed_at <= reminder.sent_at

    @pytest.mark.parametrize(
        "claimed_minutes_ago, sent",
        [(20, True), (1, False)],
        ids=["left by a run that died: sent now", "another run is sending it: left alone"],
    )
    def test_an_unsent_claim_is_taken_again_only_once_it_is_stale(
        self, opted_in, claimed_minutes_ago, sent
    ):
        ReminderSent.objects.create(
            user=opted_in,
            week_start=D(2026, 11, 16),
            claimed_at=timezone.now() - datetime.timedelta(minutes=claimed_minutes_ago),
        )
        call_command("send_weekly_reminders", stdout=io.StringIO())
        assert len(mail.outbox) == int(sent)
        assert (ReminderSent.objects.get().sent_at is not None) is sent

    def test_a_tampered_stop_link_changes_nothing(self, opted_in, client):
        response = client.post(reverse("reminders-stop", args=[f"{opted_in.pk}:forged"]))
        assert response.status_code == 404
        opted_in.refresh_from_db()
        assert opted_in.weekly_reminder

    def test_the_reminder_can_be_turned_on_in_the_settings(self, alice_client, alice):
        form = {
            "partner_name": "Sam",
            "partner_pronouns": "they",
            "timezone": "Europe/Paris",
            "week_start": "0",
        }
        alice_client.post(reverse("profile"), {**form, "weekly_reminder": "on"})
        alice.refresh_from_db()
        assert alice.weekly_reminder


def test_concurrent_runs_send_one_reminder_per_user_and_week(transactional_db):
    users = [
        UserFactory(email=f"user{n}@example.com", timezone="Europe/Paris", weekly_reminder=True)
        for n in range(3)
    ]
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        call_command("send_weekly_reminders", stdout=io.StringIO())
        connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert ReminderSent.objects.count() == 3


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31"])
def test_a_week_before_the_journals_first_day_is_not_found(alice_client, carol, carol_share, day):
    assert alice_client.get(f"/journal/reviews/{day}/").status_code == 404
    counselor = Client()
    counselor.force_login(carol)
    assert (
        counselor.get(f"/journal/clients/{carol_share.public_id}/reviews/{day}/").status_code
        == 404
    )
    assert alice_client.get("/journal/reviews/1900-01-01/").status_code in (200, 302)
