"""What a durable commit costs: saving entries with SQLite's synchronous=FULL,
which the app uses, against NORMAL, which can lose the last commits on power loss.

    .venv/bin/python bench/durability.py [SAVES]      # 300 by default

Saves SAVES entries one by one (each its own transaction, as a request makes
them) into a SQLite file in WAL mode in a temporary folder, once per setting,
and prints the median and 95th percentile time of a save. The temporary folder
is on the same disk as /tmp: point TMPDIR at the disk the database will live on.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/durability.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reconnect.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from journal.models import Interaction, User  # noqa: E402
from journal.services import interaction_save  # noqa: E402


def timed_saves(user: User, saves: int) -> list[float]:
    times = []
    for n in range(saves):
        entry = Interaction(
            owner=user, date=datetime.date(2026, 1, 1), approach="approachable", note=f"{n}"
        )
        started = time.perf_counter()
        interaction_save(interaction=entry, tactics=[])
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    saves = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("durable@example.com", "benchmark-password")
    print(f"{saves} saves, one transaction each, SQLite in WAL mode")
    for setting in ("NORMAL", "FULL"):
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={setting}")
        times = sorted(timed_saves(user, saves))
        p95 = times[int(len(times) * 0.95)]
        median = statistics.median(times)
        print(f"  synchronous={setting:<7} median {median:5.2f} ms   p95 {p95:5.2f} ms")


if __name__ == "__main__":
    main()
