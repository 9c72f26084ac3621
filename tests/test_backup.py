"""`manage.py backup`: a consistent SQLite snapshot taken while the app keeps writing."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from journal.choices import Approach, Initiator, Kind, Response, Tactic
from journal.management.commands import backup
from journal.models import Interaction
from journal.services import interaction_save
from tests.factories import InteractionFactory, UserFactory

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="backs up SQLite only")
WRITERS = 4
# Every writer stops by then, whatever happens to the test.
WRITE_SECONDS = 20
# Committed before the backup starts; enough that the snapshot has something to check.
ROWS_BEFORE = 100
# Each entry is written with these tags in one transaction: an entry in the snapshot
# without exactly these tags would be a partial write.
TACTICS = [Tactic.GUILT, Tactic.PLEADING]


def read_snapshot(path: Path) -> tuple[str, dict[int, tuple], dict[int, set[str]]]:
    """The integrity check, the interactions and the tags of each, straight from the file."""
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT id, kind, approach, initiator, response, note FROM journal_interaction"
            )
        }
        tags: dict[int, set[str]] = {}
        for interaction_id, tactic in db.execute(
            "SELECT interaction_id, tactic FROM journal_interactiontactic"
        ):
            tags.setdefault(interaction_id, set()).add(tactic)
    finally:
        db.close()
    return check, rows, tags


@sqlite_only
def test_backup_while_others_write_holds_every_committed_row_and_no_partial_one(
    transactional_db, tmp_path
):
    user = UserFactory(partner_name="Sam")
    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        deadline = time.monotonic() + WRITE_SECONDS
        try:
            n = 0
            while not stop.is_set() and time.monotonic() < deadline:
                n += 1
                interaction = Interaction(
                    owner=user,
                    kind=Kind.CONTACT,
                    date=user.today(),
                    approach=Approach.PRESSURING,
                    initiator=Initiator.ME,
                    response=Response.COOL,
                    note=f"{threading.current_thread().name} #{n} " + "x" * 2000,
                )
                interaction_save(interaction=interaction, tactics=TACTICS)
        except BaseException as error:  # reported by the test, not lost in a thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, name=f"writer-{i}") for i in range(WRITERS)]

    def wait_for_rows(count: int) -> None:
        while Interaction.objects.count() < count:
            assert all(thread.is_alive() for thread in threads), errors
            time.sleep(0.01)

    path = tmp_path / "snapshot.sqlite3"
    for thread in threads:
        thread.start()
    try:
        wait_for_rows(ROWS_BEFORE)
        committed = set(Interaction.objects.values_list("pk", flat=True))
        call_command("backup", str(path))
        check, rows, tags = read_snapshot(path)
        # The writers carry on past the snapshot: the backup blocked none of them.
        wait_for_rows(len(rows) + WRITERS)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors

    assert check == "ok"
    assert committed <= rows.keys()
    for pk, (kind, approach, initiator, response, note) in rows.items():
        assert (kind, approach, initiator, response) == ("contact", "pressuring", "me", "cool")
        assert note.endswith("x" * 2000), pk
        assert tags.get(pk) == set(TACTICS), pk
    assert tags.keys() <= rows.keys()


@sqlite_only
def test_backup_reports_size_and_interactions(transactional_db, tmp_path, capsys):
    InteractionFactory.create_batch(3)
    path = tmp_path / "snapshot.sqlite3"

    call_command("backup", str(path))

    out = capsys.readouterr().out
    assert f"{path.stat().st_size:,} bytes" in out
    assert "3 interactions" in out
    assert "integrity check ok" in out
    # One self-contained file: no -wal beside it to copy along.
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()


@sqlite_only
def test_backup_refuses_to_overwrite_a_file_without_force(transactional_db, tmp_path):
    path = tmp_path / "snapshot.sqlite3"
    path.write_text("an older snapshot")

    with pytest.raises(CommandError, match="already exists; use --force"):
        call_command("backup", str(path))
    assert path.read_text() == "an older snapshot"

    call_command("backup", str(path), "--force")
    assert read_snapshot(path)[0] == "ok"


@sqlite_only
def test_backup_refuses_to_write_over_the_live_database(transactional_db):
    live = connection.settings_dict["NAME"]
    with pytest.raises(CommandError, match="is the live database itself"):
        call_command("backup", str(live), "--force")
    assert Interaction.objects.count() == 0  # still a working database


@sqlite_only
def test_backup_that_fails_the_integrity_check_leaves_nothing_behind(
    transactional_db, tmp_path, monkeypatch
):
    monkeypatch.setattr(backup, "integrity_check", lambda path: "*** in database main ***")
    path = tmp_path / "snapshot.sqlite3"

    with pytest.raises(CommandError, match="failed SQLite's integrity check"):
        call_command("backup", str(path))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's refusal")
def test_backup_on_postgresql_points_to_pg_dump(db, tmp_path):
    path = tmp_path / "snapshot.sqlite3"
    with pytest.raises(CommandError, match="not SQLite: back it up with pg_dump"):
        call_command("backup", str(path))
    assert not path.exists()
