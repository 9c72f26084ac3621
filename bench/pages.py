"""Response time and SQL queries of the main pages, at 1 and at 10 years of journal.

    make bench                       # SQLite in a temporary file
    DATABASE_URL=postgres://… make bench

For each page, through Django's full stack (middleware, views, templates; no
network): the SQL queries and time of a first visit with nothing cached, the
median over repeated visits, and its ratio to the median of a minimal signed-in
page (the floor) measured in alternation with it.
"""

from __future__ import annotations

import io
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
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from journal.models import User  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", 30))
# The smallest signed-in page: a form of three fields.
FLOOR = "/accounts/password/change/"
PAGES = [
    ("dashboard", "/"),
    ("journal list", "/journal/"),
    ("trends, 4 weeks", "/journal/trends/?range=4w"),
    ("trends, 12 weeks", "/journal/trends/?range=12w"),
    ("trends, 1 year", "/journal/trends/?range=1y"),
    ("trends, all", "/journal/trends/?range=all"),
    ("guidance", "/guidance/"),
    ("settings", "/profile/"),
]
# Each page's median may be at most this many times the floor's (at 10 years).
TARGETS = {"journal list": 2.0}
DEFAULT_TARGET = 5.0


def timed_get(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def measure(client: Client, url: str) -> dict:
    """A first visit with nothing cached, then repeated visits alternating with the floor."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        first = timed_get(client, url)
    # Counted now: the captured list is read from the connection's log, which the
    # next request clears.
    count = len(queries)
    floor, page = [], []
    for _ in range(REPEATS):
        floor.append(timed_get(client, FLOOR))
        page.append(timed_get(client, url))
    return {
        "first": first,
        "queries": count,
        "median": statistics.median(page),
        "floor": statistics.median(floor),
    }


def main() -> int:
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor}. First visit with an empty cache, then the median of")
    print(f"{REPEATS} visits, each after a visit to the floor (a minimal signed-in page).\n")
    failures = []
    for years in (1, 10):
        email = f"bench-{years}y@example.com"
        call_command("generate_journal", years=years, email=email, stdout=io.StringIO())
        # What autovacuum (PostgreSQL) or a periodic ANALYZE would have done by now.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        floor = measure(client, FLOOR)
        print(f"{years} year{'s' if years > 1 else ''}, {user.interactions.count()} entries")
        print(
            f"  {'page':<18}{'queries':>8}{'first ms':>10}{'median ms':>11}"
            f"{'floor ms':>10}{'x floor':>9}{'target':>8}"
        )
        print(
            f"  {'floor':<18}{floor['queries']:>8}{floor['first']:>10.1f}{floor['median']:>11.1f}"
        )
        for name, url in PAGES:
            result = measure(client, url)
            ratio = result["median"] / result["floor"]
            target = TARGETS.get(name, DEFAULT_TARGET)
            over = years == 10 and ratio > target
            if over:
                failures.append(name)
            print(
                f"  {name:<18}{result['queries']:>8}{result['first']:>10.1f}"
                f"{result['median']:>11.1f}{result['floor']:>10.1f}{ratio:>9.1f}"
                f"{target:>7.0f}x{'  <-- over target' if over else ''}"
            )
        print()
    if failures:
        print("Over target at 10 years:", ", ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
