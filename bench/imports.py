"""How long an import takes, and how long it holds up someone else's save.

    .venv/bin/python bench/imports.py [ENTRIES]    # the most that fit the cap by default

SQLite in a temporary file, as the app runs it. Builds an export file of ENTRIES
minimal entries, four a day (the largest file under the size cap unless ENTRIES is
given), and imports it into one account while, in another process (as another
server worker would), a second account saves an entry every second. Prints the file's size,
the time to check it and to write it, and the second account's saves: how many,
how many failed, and how long the slowest one waited.
"""

from __future__ import annotations

import datetime
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/imports.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reconnect.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from journal.models import Interaction, User  # noqa: E402
from journal.portability.files import (  # noqa: E402
    MAX_IMPORT_BYTES,
    SCHEMA,
    VERSION,
    journal_import,
    read_export,
)
from journal.services import interaction_save  # noqa: E402

FIRST_DAY = datetime.date(1930, 1, 1)


def entry(n: int) -> dict[str, object]:
    return {
        "date": (FIRST_DAY + datetime.timedelta(days=n // 4)).isoformat(),
        "time": None,
        "kind": "contact",
        "channel": "",
        "initiator": "",
        "approach": "approachable",
        "response": "",
        "mood": None,
        "tactics": [],
        "note": "",
        "is_private": False,
        "created_at": f"2026-01-01T00:00:{n % 60:02d}.{n % 1_000_000:06d}+00:00",
    }


def export_file(entries: int | None = None) -> bytes:
    """An export of `entries` entries, or of as many as fit under the size cap."""
    profile = {
        "partner_name": "Sam",
        "partner_pronouns": "they",
        "timezone": "UTC",
        "week_start": 0,
        "separation_date": None,
        "weekly_reminder": False,
    }
    head = {"schema": SCHEMA, "version": VERSION, "profile": profile, "reflections": []}
    if entries is None:
        each = len(json.dumps(entry(999_999))) + 2
        entries = (MAX_IMPORT_BYTES - len(json.dumps(head)) - 100) // each
    return json.dumps({**head, "interactions": [entry(n) for n in range(entries)]}).encode()


def write_every_second(user_pk: int, stop, results) -> None:
    """Another account saving an entry every second until `stop` is set; each save's
    time, or its error, goes into `results`."""
    user = User.objects.get(pk=user_pk)
    while not stop.wait(1.0):
        started = time.perf_counter()
        try:
            interaction_save(
                interaction=Interaction(
                    owner=user, date=datetime.date(2026, 1, 1), approach="approachable"
                ),
                tactics=[],
            )
        except Exception as error:  # noqa: BLE001 (every failure is the finding)
            results.put(repr(error))
        else:
            results.put(time.perf_counter() - started)


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else None
    call_command("migrate", verbosity=0)
    importer = User.objects.create_user("imports@example.com", "benchmark-password")
    other = User.objects.create_user("other@example.com", "benchmark-password")
    raw = export_file(entries)
    connections.close_all()  # the writer's process opens its own
    context = multiprocessing.get_context("fork")
    stop, results = context.Event(), context.Queue()
    writer = context.Process(target=write_every_second, args=(other.pk, stop, results))
    writer.start()
    try:
        started = time.perf_counter()
        parsed = read_export(ContentFile(raw, name="export.json"), user=importer)
        read = time.perf_counter() - started
        started = time.perf_counter()
        result = journal_import(user=importer, data=parsed)
        written = time.perf_counter() - started
    finally:
        stop.set()
        writer.join()
    saves = []
    while not results.empty():
        saves.append(results.get())
    waits = [save for save in saves if isinstance(save, float)] or [0.0]
    errors = [save for save in saves if isinstance(save, str)]
    print(f"{result.entries_added} entries added, {len(raw) / 2**20:.1f} MB")
    print(f"  read and checked  {read:6.2f} s   (no transaction open)")
    print(f"  written           {written:6.2f} s   (a chunk at a time)")
    print(
        f"  the other account: {len(saves)} saves, {len(errors)} failed, "
        f"median {statistics.median(waits) * 1000:.0f} ms, slowest {max(waits) * 1000:.0f} ms"
    )
    for error in errors[:3]:
        print(f"    {error}")


if __name__ == "__main__":
    main()
