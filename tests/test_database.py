"""The database is set up for several writers at once, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal.choices import Kind
from journal.models import Interaction
from journal.services import interaction_save
from tests.factories import UserFactory

WRITERS = 8


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_durable_commits(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
    assert connection.transaction_mode == "IMMEDIATE"


def test_concurrent_quick_logs_all_land(transactional_db):
    user = UserFactory(partner_name="Sam")
    barrier = threading.Barrier(WRITERS)
    statuses = []

    def log_one() -> None:
        client = Client()
        client.force_login(user)
        barrier.wait()
        response = client.post(
            reverse("journal:entry-quick"),
            {"kind": "contact", "approach": "approachable", "initiator": "me", "response": "warm"},
        )
        statuses.append(response.status_code)
        connections.close_all()

    threads = [threading.Thread(target=log_one) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * WRITERS
    assert Interaction.objects.filter(owner=user).count() == WRITERS


def test_the_database_keeps_one_day_of_space_a_day(db):
    user = UserFactory()
    Interaction.objects.create(owner=user, kind=Kind.SPACE, date=datetime.date(2026, 11, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.create(owner=user, kind=Kind.SPACE, date=datetime.date(2026, 11, 2))
    Interaction.objects.create(owner=user, kind=Kind.SPACE, date=datetime.date(2026, 11, 3))
    Interaction.objects.create(
        owner=UserFactory(), kind=Kind.SPACE, date=datetime.date(2026, 11, 2)
    )


def test_a_day_of_space_saved_meanwhile_elsewhere_is_refused_with_the_rules_words(db):
    user = UserFactory()
    day = datetime.date(2026, 11, 2)
    Interaction.objects.create(owner=user, kind=Kind.SPACE, date=day)
    # Checked before the other request saved its day: now only the database knows.
    late = Interaction(owner=user, kind=Kind.SPACE, date=day)
    with pytest.raises(ValidationError, match="already marked as a day of space"):
        interaction_save(interaction=late, tactics=[])
    assert Interaction.objects.filter(owner=user, kind=Kind.SPACE).count() == 1


def test_the_migration_merges_days_of_space_saved_twice(transactional_db):
    executor = MigrationExecutor(connection)
    before = [("journal", "0006_reminder_claim")]
    after = [("journal", "0008_one_space_a_day_constraint")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    User = apps.get_model("journal", "User")
    Interaction = apps.get_model("journal", "Interaction")
    owner = User.objects.create(email="twice@example.com")
    day = datetime.date(2026, 11, 2)
    first = Interaction.objects.create(owner=owner, kind="space", date=day, note="A walk.")
    Interaction.objects.create(owner=owner, kind="space", date=day, note="", mood=2)
    Interaction.objects.create(owner=owner, kind="space", date=day, note="Slept.", is_private=True)
    Interaction.objects.create(owner=owner, kind="contact", approach="approachable", date=day)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    spaces = Interaction.objects.filter(owner=owner.pk, kind="space")
    assert [(e.pk, e.note, e.mood, e.is_private) for e in spaces] == [
        (first.pk, "A walk.\n\nSlept.", 2, True)
    ]
    assert Interaction.objects.filter(owner=owner.pk).count() == 2
    executor.loader.build_graph()
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_gives_every_entry_and_share_its_own_public_id(transactional_db):
    executor = MigrationExecutor(connection)
    before = [("journal", "0009_access_log_searches")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    User = apps.get_model("journal", "User")
    Interaction = apps.get_model("journal", "Interaction")
    Share = apps.get_model("journal", "Share")
    owner = User.objects.create(email="numbered@example.com")
    for day in range(1, 6):
        Interaction.objects.create(
            owner=owner, kind="contact", approach="approachable", date=datetime.date(2026, 11, day)
        )
    now = timezone.now()
    for n in range(3):
        Share.objects.create(
            owner=owner, email=f"c{n}@example.com", token_hash=str(n), invitation_expires_at=now
        )
    after = [("journal", "0010_public_ids")]
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    for name, count in (("Interaction", 5), ("Share", 3)):
        rows = apps.get_model("journal", name).objects.filter(owner=owner.pk)
        ids = list(rows.values_list("public_id", flat=True))
        assert None not in ids
        assert len(set(ids)) == len(ids) == count
    executor.loader.build_graph()
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def test_the_migrations_write_the_access_log_in_words_and_mark_the_counselors(transactional_db):
    executor = MigrationExecutor(connection)
    before = [("journal", "0024_share_client_name")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    User = apps.get_model("journal", "User")
    Interaction = apps.get_model("journal", "Interaction")
    Share = apps.get_model("journal", "Share")
    AccessLog = apps.get_model("journal", "AccessLog")
    owner = User.objects.create(email="client@example.com")
    counselor = User.objects.create(email="counselor@example.com")
    bystander = User.objects.create(email="someone@example.com")
    entry = Interaction.objects.create(
        owner=owner,
        kind="contact",
        approach="approachable",
        date=datetime.date(2026, 11, 2),
        time=datetime.time(18, 30),
    )
    share = Share.objects.create(
        owner=owner,
        email=counselor.email,
        counselor=counselor,
        token_hash="t",
        invitation_expires_at=timezone.now(),
    )
    for what, target in [
        ("entry", str(entry.pk)),
        ("entry", "999999"),
        ("review", "2026-11-16"),
        ("calendar", "2026-11"),
        ("trends", "12w"),
        ("guidance", "back-off"),
        ("journal", "searched “lawyer”"),
    ]:
        AccessLog.objects.create(share=share, what=what, target=target)
    after = [("journal", "0027_access_log_in_words")]
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    log = apps.get_model("journal", "AccessLog").objects.order_by("pk")
    assert list(log.values_list("target", flat=True)) == [
        "2 November 2026, 18:30",
        "",  # an entry since deleted
        "16 November 2026",
        "November 2026",
        "Last 12 weeks",
        "Ease off the pressure",
        "searched “lawyer”",
    ]
    users = apps.get_model("journal", "User").objects
    assert users.get(pk=counselor.pk).counsels and not users.get(pk=bystander.pk).counsels
    executor.loader.build_graph()
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


DAYS = 6


def test_two_tabs_saving_space_and_contact_on_one_day_leave_one(transactional_db):
    """Each day, one tab saves a day of space and another a contact at the same
    moment: the rule is checked again inside each write, so one of them is refused
    with the rule's words and the day keeps the rules."""
    user = UserFactory(partner_name="Sam")
    answers = []

    def post(data: dict, barrier: threading.Barrier) -> None:
        client = Client()
        client.force_login(user)
        barrier.wait()
        response = client.post(reverse("journal:entry-create"), data)
        answers.append((response.status_code, response.content.decode()))
        connections.close_all()

    contact = {
        "kind": "contact",
        "approach": "approachable",
        "initiator": "me",
        "response": "warm",
    }
    for day in range(1, DAYS + 1):
        date = f"2026-11-{day:02d}"
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=post, args=({"kind": "space", "date": date}, barrier)),
            threading.Thread(target=post, args=({**contact, "date": date}, barrier)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    kinds = {}
    for date, kind in Interaction.objects.filter(owner=user).values_list("date", "kind"):
        kinds.setdefault(date, []).append(kind)
    assert len(kinds) == DAYS
    assert all(len(day) == 1 for day in kinds.values()), kinds
    refused = [content for status, content in answers if status == 200]
    assert len(refused) == DAYS
    rule = ("day of space", "logged contact on this day")
    assert all(any(words in content for words in rule) for content in refused)


def _clashing_days(Interaction, owner) -> None:
    """Days saved before the rule was checked inside each write: bypassing it."""
    first = timezone.now() - datetime.timedelta(hours=5)
    for day, kind, note, hours in [
        (1, "space", "A long walk.", 0),
        (1, "contact", "She called.", 1),
        (1, "contact", "I texted back.", 2),
        (2, "contact", "", 0),
        (3, "space", "Quiet.", 0),
    ]:
        Interaction.objects.create(
            owner=owner,
            kind=kind,
            date=datetime.date(2026, 11, day),
            note=note,
            approach="approachable" if kind == "contact" else "",
            created_at=first + datetime.timedelta(hours=hours),
        )


def _notes(Interaction, owner) -> list:
    return sorted(Interaction.objects.filter(owner=owner).values_list("date__day", "kind", "note"))


MENDED = [
    (1, "contact", "I texted back."),
    (1, "contact", "She called.\n\nA long walk."),
    (2, "contact", ""),
    (3, "space", "Quiet."),
]


def test_mend_days_folds_a_day_of_space_into_the_first_contact(db):
    owner = UserFactory(email="mend@example.com")
    _clashing_days(Interaction, owner)
    out = io.StringIO()
    call_command("mend_days", "--email", "MEND@example.com", stdout=out)
    assert _notes(Interaction, owner) == MENDED
    assert out.getvalue().splitlines() == [
        f"Account {owner.pk}, 2026-11-01: 1 day(s) of space folded into the contact logged "
        "first, with their notes.",
        "1 day(s) mended.",
    ]
    out = io.StringIO()
    call_command("mend_days", stdout=out)
    assert out.getvalue() == "Every day keeps the rules.\n"


def test_the_migration_mends_the_days_two_tabs_broke(transactional_db, capsys):
    executor = MigrationExecutor(connection)
    before = [("journal", "0012_submissions")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Interaction = apps.get_model("journal", "Interaction")
    owner = apps.get_model("journal", "User").objects.create(email="tabs@example.com")
    _clashing_days(Interaction, owner)
    executor = MigrationExecutor(connection)
    executor.migrate([("journal", "0013_mend_days")])
    assert _notes(Interaction, owner) == MENDED
    assert "2026-11-01: 1 day(s) of space folded into the contact" in capsys.readouterr().out
    executor.loader.build_graph()
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
