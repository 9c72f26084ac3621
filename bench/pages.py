"""Every main page, right after a write and with warm caches, at 1 and 10 years.

    make bench                                      # SQLite, in a temporary file
    DATABASE_URL=postgres://user@127.0.0.1/x make bench   # PostgreSQL (user needs CREATEDB)
    BENCH_SIZE=small make bench                     # a quick run, as CI does

Two journals, of 1 year (about 1,500 entries) and of 10 years (about 15,000: some
4 a day), each shared with a counselor, in a throwaway database served as in
production (DEBUG off, the database cache). Each page is timed three ways, as the
median of REPEATS visits, each next to a visit to the floor (a minimal signed-in
page) so that every ratio compares times of the same moment:

- cold: right after a write (the full entry form posted through to its redirect,
  the entry deleted again after the visit so the journal keeps its length), in
  process through Django's whole stack;
- warm: visited again with nothing changed, in process;
- http: as cold, over HTTP to gunicorn with one worker, as a phone would.

The targets are on the http times at 10 years, against the floor of the same run:
every page at most 3 times the floor (the journal list 1.5), and at most 1.2 times
its time at 1 year; writing an entry at most 2 times the floor. On PostgreSQL the
ratios to the floor may be 1.5 times as high. SQL queries (of the cold visit) stay
at most 12 a page and the same at 1 and at 10 years. Exits with status 1 when a
target is missed; BENCH_SIZE=small checks the query counts and that every page
answers, but its times are too few to judge.
"""

from __future__ import annotations

import datetime
import io
import os
import secrets
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.stack import (  # noqa: E402
    CSRF_FIELD,
    Browser,
    free_port,
    gunicorn,
    on_loopback,
    running,
    stop_on_signals,
)

SMALL = os.environ.get("BENCH_SIZE") == "small"
# Years of journal and entries in them.
SIZES = [(1, 150), (10, 1_500)] if SMALL else [(1, 1_500), (10, 15_000)]
REPEATS = 3 if SMALL else int(os.environ.get("BENCH_REPEATS", 25))
FLOOR = "/accounts/password/change/"
MAX_QUERIES = 12
TARGET_FLOOR, TARGET_LIST, TARGET_WRITE, TARGET_GROWTH = 3.0, 1.5, 2.0, 1.2
# PostgreSQL answers each query over a socket: its ratios may be this much higher.
POSTGRES_SLACK = 1.5
PASSWORD = "reconnect-bench"  # generate_journal's
WRITE = "writing an entry"
MARK = "Written by the benchmark."


@dataclass
class Page:
    name: str
    url: str
    counselor: bool = False
    target: float = TARGET_FLOOR


@dataclass
class Timing:
    """Medians in milliseconds, and the queries of a cold visit."""

    floor: float
    cold: float
    warm: float = 0.0
    queries: int = 0


@dataclass
class Journal:
    years: int
    entries: int
    today: datetime.date
    pages: list[Page]
    owner_email: str
    counselor_email: str
    inproc: dict[str, Timing] = field(default_factory=dict)
    http: dict[str, Timing] = field(default_factory=dict)


def main() -> int:
    stop_on_signals()
    with on_loopback("bench", ALLOWED_HOSTS="127.0.0.1,localhost,testserver") as (
        tmp,
        env,
        description,
    ):
        os.environ.update(env)
        import django

        django.setup()
        journals = [journal_make(years, entries) for years, entries in SIZES]
        measure_in_process(journals)
        port = free_port()
        server = gunicorn(tmp, port=port, env=env, options=("--workers", "1", "--threads", "1"))
        with running(server, Browser(f"http://127.0.0.1:{port}")):
            measure_over_http(journals, port)
    return report(journals, description)


def journal_make(years: int, entries: int) -> Journal:
    """A journal of `years` with about `entries`, shared with a counselor; its pages."""
    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from journal.models import Share, User, token_hash

    email = f"bench-{years}y@example.com"
    call_command(
        "generate_journal", years=years, entries=entries, email=email, stdout=io.StringIO()
    )
    owner = User.objects.get(email=email)
    counselor = User.objects.create_user(
        email=f"counselor-{years}y@example.com", password=PASSWORD, partner_name=""
    )
    for user in (owner, counselor):
        # Signed in with a password and never locked: the benchmark is the only user.
        User.objects.filter(pk=user.pk).update(lock_after=0)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    share = Share.objects.create(
        owner=owner,
        email=counselor.email,
        token_hash=token_hash(secrets.token_urlsafe()),
        include_reflections=True,
        invitation_expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    share.accept(counselor)
    # What autovacuum (PostgreSQL) or a periodic ANALYZE would have done by now.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    week = owner.week_start_for(owner.today())
    entry = owner.interactions.order_by("-date", "-pk")[0]
    client = [share.public_id]
    return Journal(
        years=years,
        entries=owner.interactions.count(),
        today=owner.today(),
        owner_email=owner.email,
        counselor_email=counselor.email,
        pages=[
            Page("Today", reverse("home")),
            Page("journal list", reverse("journal:entry-list"), target=TARGET_LIST),
            Page("an entry", entry.get_absolute_url()),
            Page("calendar", reverse("journal:calendar")),
            *(
                Page(f"trends, {label}", reverse("journal:trends") + f"?range={key}")
                for key, label in [("4w", "4 weeks"), ("12w", "12 weeks"), ("1y", "1 year")]
            ),
            Page("trends, all time", reverse("journal:trends") + "?range=all"),
            Page("guidance index", reverse("guidance:index")),
            Page("a principle page", reverse("guidance:principle", args=["stop-the-games"])),
            Page("reviews list", reverse("journal:review-list")),
            Page("a week's review", reverse("journal:review-week", args=[week])),
            Page("counselor: journal", reverse("client:journal:entry-list", args=client), True),
            Page("counselor: trends", reverse("client:journal:trends", args=client), True),
        ],
    )


def entry_form(today: datetime.date) -> dict:
    """The full entry form as a person fills it in: a contact the partner started."""
    return {
        "kind": "contact",
        "date": today.isoformat(),
        "channel": "text",
        "initiator": "partner",
        "approach": "approachable",
        "response": "warm",
        "tactics": "light_conversation",
        "mood": "4",
        "note": MARK,
        "submission": str(uuid.uuid4()),
    }


def written_delete(email: str) -> None:
    """Take the benchmark's entry away again, as the delete button would."""
    from journal.models import User
    from journal.services import interactions_delete

    owner = User.objects.get(email=email)
    interactions_delete(owner=owner, entries=owner.interactions.filter(note=MARK))


def measure_in_process(journals: list[Journal]) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from journal.models import User

    clients = {}
    for journal in journals:
        for counselor, email in [(False, journal.owner_email), (True, journal.counselor_email)]:
            clients[journal.years, counselor] = Client()
            clients[journal.years, counselor].force_login(User.objects.get(email=email))

    def get(journal: Journal, counselor: bool, url: str) -> float:
        started = time.perf_counter()
        status = clients[journal.years, counselor].get(url).status_code
        return expect(status, 200, url, (time.perf_counter() - started) * 1000)

    def write(journal: Journal) -> float:
        started = time.perf_counter()
        answer = clients[journal.years, False].post("/journal/new/", entry_form(journal.today))
        return expect(
            answer.status_code, 302, "The entry form", (time.perf_counter() - started) * 1000
        )

    # The database cache's own queries are not the page's (another cache has none),
    # nor are the transactions around its writes.
    cache_table = f'"{settings.CACHES["default"].get("LOCATION", "")}"'

    def counted(sql: str) -> bool:
        return cache_table not in sql and sql.split()[0] not in ("BEGIN", "COMMIT")

    def queries(journal: Journal, page: Page) -> int:
        write(journal)
        with CaptureQueriesContext(connection) as captured:
            get(journal, page.counselor, page.url)
        written_delete(journal.owner_email)
        return sum(counted(query["sql"]) for query in captured)

    for journal, found in zip(journals, timings(journals, get, write, queries), strict=True):
        journal.inproc = found


def measure_over_http(journals: list[Journal], port: int) -> None:
    browsers, tokens = {}, {}
    for journal in journals:
        for counselor, email in [(False, journal.owner_email), (True, journal.counselor_email)]:
            browser = browsers[journal.years, counselor] = Browser(f"http://127.0.0.1:{port}")
            fields = {"login": email, "password": PASSWORD}
            expect(browser.submit("/accounts/login/", fields)[0], 302, f"Signing in as {email}", 0)
        # The form's token, as a page holds it: one for every write of the session.
        page = browsers[journal.years, False].open("/journal/new/")[2]
        if not (field := CSRF_FIELD.search(page)):
            raise SystemExit("The entry form came without its token")
        tokens[journal.years] = field[1].decode()

    def get(journal: Journal, counselor: bool, url: str) -> float:
        status, _, _, elapsed = browsers[journal.years, counselor].open(url)
        return expect(status, 200, f"{url} over HTTP", elapsed)

    def write(journal: Journal) -> float:
        form = {**entry_form(journal.today), "csrfmiddlewaretoken": tokens[journal.years]}
        status, _, _, elapsed = browsers[journal.years, False].open("/journal/new/", form)
        return expect(status, 302, "The entry form over HTTP", elapsed)

    found = timings(journals, get, write, lambda journal, page: 0)
    for journal, each in zip(journals, found, strict=True):
        journal.http = each


def expect(status: int | str, expected: int, what: str, elapsed: float) -> float:
    """`elapsed`, if the answer was the one expected; else the benchmark stops."""
    if status != expected:
        raise SystemExit(f"{what} answered {status}, not {expected}")
    return elapsed


def timings(
    journals: list[Journal],
    get: Callable[[Journal, bool, str], float],
    write: Callable[[Journal], float],
    queries: Callable[[Journal, Page], int],
) -> list[dict[str, Timing]]:
    """Each journal's pages' medians: cold (each visit right after a write, whose
    entry is deleted once the visit is over) and warm (visited again), each visit
    next to one to the floor. The journals take turns, visit by visit, so that what
    else the machine does weighs on them alike."""
    for journal in journals:  # every page drawn once, as a server that has been up a while
        for page in journal.pages:
            get(journal, page.counselor, page.url)
    found: list[dict[str, Timing]] = [{} for _ in journals]
    writes: list[list[float]] = [[] for _ in journals]
    every_floor: list[list[float]] = [[] for _ in journals]
    for n, page in enumerate(journals[0].pages):
        floors: list[list[float]] = [[] for _ in journals]
        cold: list[list[float]] = [[] for _ in journals]
        warm: list[list[float]] = [[] for _ in journals]
        for _ in range(REPEATS):
            for i, journal in enumerate(journals):
                url = journal.pages[n].url
                floors[i].append(get(journal, page.counselor, FLOOR))
                writes[i].append(write(journal))
                cold[i].append(get(journal, page.counselor, url))
                written_delete(journal.owner_email)
        for _ in range(REPEATS):
            for i, journal in enumerate(journals):
                floors[i].append(get(journal, page.counselor, FLOOR))
                warm[i].append(get(journal, page.counselor, journal.pages[n].url))
        for i, journal in enumerate(journals):
            every_floor[i] += floors[i]
            found[i][page.name] = Timing(
                statistics.median(floors[i]),
                statistics.median(cold[i]),
                statistics.median(warm[i]),
                queries(journal, journal.pages[n]),
            )
    for i in range(len(journals)):
        found[i][WRITE] = Timing(statistics.median(every_floor[i]), statistics.median(writes[i]))
    return found


def report(journals: list[Journal], description: str) -> int:
    """The table, and whether every target is met (0) or not (1)."""
    first, last = journals
    slack = POSTGRES_SLACK if description.startswith("PostgreSQL") else 1.0
    print(f"\n{description}. {first.years} year: {first.entries:,} entries; ", end="")
    print(f"{last.years} years: {last.entries:,} entries. Medians of {REPEATS}, in ms.")
    print("Over HTTP to gunicorn with one worker, right after a write (× floor: to the floor")
    print(
        f"of the same run, {last.http[WRITE].floor:.1f} ms at {last.years} years); "
        "then in process, cold and warm.\n"
    )
    print(
        "| page | queries | 1 y | 10 y | 10 y × floor | 10 y / 1 y | target "
        "| in process, cold | warm | warm × floor |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    missed = []
    for page in [*last.pages, Page(WRITE, "", target=TARGET_WRITE)]:
        small, large = first.http[page.name], last.http[page.name]
        inproc, before = last.inproc[page.name], first.inproc[page.name]
        ratio, growth = large.cold / large.floor, large.cold / small.cold
        target = page.target * slack
        growth_target = TARGET_GROWTH if page.name != WRITE else None
        queries = "" if page.name == WRITE else str(inproc.queries)
        if page.name != WRITE and (
            inproc.queries > MAX_QUERIES or inproc.queries != before.queries
        ):
            missed.append(f"{page.name}: {before.queries} then {inproc.queries} queries")
        if not SMALL and ratio > target:
            missed.append(f"{page.name}: {ratio:.1f} × floor")
        if not SMALL and growth_target and growth > growth_target:
            missed.append(f"{page.name}: {growth:.2f} × its time at 1 year")
        goal = f"≤ {target:g}×" + (f", ≤ {growth_target:g}" if growth_target else "")
        warm = (
            f"{inproc.warm:.1f} | {inproc.warm / inproc.floor:.1f}" if page.name != WRITE else "|"
        )
        print(
            f"| {page.name} | {queries} | {small.cold:.1f} | {large.cold:.1f} | {ratio:.1f} "
            f"| {growth:.2f} | {goal} | {inproc.cold:.1f} | {warm} |"
        )
    print()
    if missed:
        print("Missed:", *missed, sep="\n  ")
        return 1
    print("Every target met." if not SMALL else "Every page answered; query counts as targeted.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
