"""Response time and SQL queries of the main pages, at 1 and at 10 years of journal.

    make bench                       # SQLite in a temporary file
    DATABASE_URL=postgres://… make bench

For each page: the median over repeated requests through Django's full stack
(middleware, views, templates; no network), the number of SQL queries, and the
ratio to a minimal signed-in page, the floor.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reconnect.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from journal.models import User  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", 15))
FLOOR = ("floor (password changed page)", "/accounts/password_change/done/")
PAGES = [
    ("dashboard", "/"),
    ("journal list", "/journal/"),
    ("trends, 4 weeks", "/journal/trends/?range=4w"),
    ("trends, 12 weeks", "/journal/trends/?range=12w"),
    ("trends, 1 year", "/journal/trends/?range=1y"),
    ("trends, all", "/journal/trends/?range=all"),
    ("guidance", "/guidance/"),
]
# The floor must be at least this big a share of each target (journal list 2x, others 5x).
TARGETS = {"journal list": 2.0}
DEFAULT_TARGET = 5.0


def measure(client: Client, url: str) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # Counted now: the captured list is read from the connection's log, which the
    # next request clears.
    count = len(queries)
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, count


def main() -> int:
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor}; {REPEATS} requests per page, median shown.\n")
    failures = []
    for years in (1, 10):
        email = f"bench-{years}y@example.com"
        call_command("generate_journal", years=years, email=email, stdout=open(os.devnull, "w"))
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        floor_ms, floor_queries = measure(client, FLOOR[1])
        print(f"{years} year(s), {user.interactions.count()} entries")
        print(f"  {'page':<32}{'median ms':>10}{'queries':>9}{'x floor':>9}{'target':>8}")
        print(f"  {FLOOR[0]:<32}{floor_ms:>10.1f}{floor_queries:>9}{1:>9.1f}{'':>8}")
        for name, url in PAGES:
            ms, queries = measure(client, url)
            ratio = ms / floor_ms
            target = TARGETS.get(name, DEFAULT_TARGET)
            flag = "" if ratio <= target or years == 1 else "  <-- over target"
            if flag:
                failures.append(name)
            print(f"  {name:<32}{ms:>10.1f}{queries:>9}{ratio:>9.1f}{target:>7.0f}x{flag}")
        print()
    if failures:
        print("Over target at 10 years:", ", ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
