"""How long an import takes: reading (checking) a file, then writing it.

    .venv/bin/python bench/imports.py [ENTRIES]     # 20000 by default; SQLite in a temporary file

Builds an export file of ENTRIES minimal entries, three a day, and prints its size,
the time `read_export` takes to check it (no transaction open) and the time
`journal_import` takes to write it (one transaction, which holds SQLite's write
lock for that long).
"""

from __future__ import annotations

import datetime
import json
import os
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

from journal.models import User  # noqa: E402
from journal.portability.files import SCHEMA, VERSION, journal_import, read_export  # noqa: E402


def export_file(entries: int) -> bytes:
    first = datetime.date(1950, 1, 1)
    records: list[dict[str, object]] = [
        {
            "date": (first + datetime.timedelta(days=n // 3)).isoformat(),
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
            "created_at": f"2026-01-01T00:00:{n % 60:02d}.{n:06d}+00:00",
        }
        for n in range(entries)
    ]
    profile = {
        "partner_name": "Sam",
        "partner_pronouns": "they",
        "timezone": "UTC",
        "week_start": 0,
        "separation_date": None,
        "weekly_reminder": False,
    }
    data = {"schema": SCHEMA, "version": VERSION, "profile": profile}
    return json.dumps({**data, "interactions": records, "reflections": []}).encode()


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("imports@example.com", "benchmark-password", timezone="UTC")
    raw = export_file(entries)
    started = time.perf_counter()
    parsed = read_export(ContentFile(raw, name="export.json"), user=user)
    read = time.perf_counter() - started
    started = time.perf_counter()
    result = journal_import(user=user, data=parsed)
    written = time.perf_counter() - started
    print(f"{entries} entries, {len(raw) / 2**20:.1f} MB")
    print(f"  read and checked  {read:6.2f} s   (no transaction open)")
    print(f"  written           {written:6.2f} s   (one transaction)")
    print(f"  added {result.entries_added}")


if __name__ == "__main__":
    main()
