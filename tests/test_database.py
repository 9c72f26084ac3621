"""The database is set up for several writers at once, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from journal.models import Interaction
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
