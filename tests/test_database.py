"""The database is set up for several writers at once, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
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
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
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
