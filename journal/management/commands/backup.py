"""Write a consistent snapshot of the SQLite database while the app keeps serving.

    python manage.py backup /var/backups/reconnect-2026-05-01.sqlite3

SQLite's online backup API copies the database inside one read transaction from a
connection of its own: in WAL mode writers carry on meanwhile, and the snapshot
holds exactly what was committed when the copy began. A file copy would not: it
can catch a page half-written or miss what is still in the -wal file. PostgreSQL
has pg_dump for this.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from journal.models import Interaction

# How long to wait for a lock, as the app does (reconnect/settings.py).
BUSY_TIMEOUT_SECONDS = 20


class Command(BaseCommand):
    help = "Write a consistent snapshot of the SQLite database to PATH while the app runs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Where to write the snapshot.")
        parser.add_argument(
            "--force", action="store_true", help="Replace PATH if it already exists."
        )

    def handle(self, *args, path: Path, force: bool, **options) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(
                f"The database is {connection.vendor}, not SQLite: back it up with pg_dump, "
                'e.g. pg_dump --format=custom --file=reconnect.dump "$DATABASE_URL", '
                "and restore it with pg_restore (see the README)."
            )
        if connection.is_in_memory_db():  # type: ignore[attr-defined]
            raise CommandError("The database is in memory; there is no file to back up.")
        source = Path(connection.settings_dict["NAME"]).resolve()
        path = path.resolve()
        if path == source:
            raise CommandError(f"{path} is the live database itself; choose another path.")
        if path.exists() and not force:
            raise CommandError(f"{path} already exists; use --force to replace it.")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a directory.")

        # Written beside PATH and moved into place only once checked, so PATH never
        # holds a partial or damaged snapshot, even when --force replaces an old one.
        fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(fd)
        try:
            snapshot(source, Path(partial))
            result = integrity_check(Path(partial))
            if result != "ok":
                raise CommandError(f"The snapshot failed SQLite's integrity check: {result}")
            rows = count_rows(Path(partial), Interaction._meta.db_table)
            os.replace(partial, path)
        except sqlite3.Error as error:
            raise CommandError(f"Backup of {source} failed: {error}") from error
        finally:
            Path(partial).unlink(missing_ok=True)

        size = path.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {source} to {path}: ")
            + f"{size:,} bytes ({size / 1_048_576:.1f} MiB), {rows:,} interactions; "
            "integrity check ok."
        )


def snapshot(source: Path, target: Path) -> None:
    """Copy `source` to `target` with the online backup API, in one step."""
    # Read-only, so a wrong path fails instead of creating an empty database.
    src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        dst = sqlite3.connect(target)
        try:
            # pages=-1 (the default) copies everything inside a single read
            # transaction: one consistent state, however many writes go on meanwhile.
            src.backup(dst)
            # The copy keeps the live file's WAL mode; a snapshot is one self-contained
            # file instead. The app turns WAL back on when it opens a restored copy.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def integrity_check(path: Path) -> str:
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute("PRAGMA integrity_check").fetchall()
    finally:
        db.close()
    return "\n".join(row[0] for row in rows)


def count_rows(path: Path, table: str) -> int:
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    finally:
        db.close()
