"""Load test: the real server under many writers and readers at once.

    make load                                                # SQLite, in a temporary file
    DATABASE_URL=postgres://user@127.0.0.1:5432/x make load  # PostgreSQL (user needs CREATEDB)

Sets up a throwaway database (a SQLite file in a temporary folder, or a new
database on the PostgreSQL server DATABASE_URL points at, dropped at the end; the
database the URL names is never touched), serves the app with gunicorn on loopback
as in production (DEBUG off, collected static files, several workers with several
threads), signs in over HTTP like a browser and posts WRITES quick logs from
CONCURRENCY clients at once, while READERS clients keep loading the dashboard.
Fails (exit status 1) on any 5xx or otherwise unexpected answer, or unless exactly
WRITES entries are in the database afterwards; prints throughput and latency
percentiles. Sends nothing more after DEADLINE_SECONDS, and always stops the
server and removes what it made.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
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

WRITES = 200
CONCURRENCY = 32
READERS = 4
WORKERS = 3
THREADS = 4
DEADLINE_SECONDS = 120
EMAIL = "load@example.com"
PASSWORD = "load-test-password-" + secrets.token_hex(8)
QUICK_LOGS = [
    {"approach": "approachable", "initiator": "me", "response": "warm"},
    {"approach": "pressuring", "initiator": "me", "response": "cool"},
    {"approach": "approachable", "initiator": "partner", "response": "neutral"},
    {"approach": "approachable", "initiator": "together", "response": "none"},
]


@dataclass
class Tally:
    """Latencies of the answers that were as expected, and what went wrong."""

    ok_ms: list[float] = field(default_factory=list)
    server_errors: int = 0
    unexpected: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int | str, expected: int, ms: float) -> None:
        with self.lock:
            if status == expected:
                self.ok_ms.append(ms)
                return
            if isinstance(status, int) and status >= 500:
                self.server_errors += 1
            self.unexpected[str(status)] = self.unexpected.get(str(status), 0) + 1

    @property
    def failures(self) -> int:
        return sum(self.unexpected.values())


def main() -> int:
    stop_on_signals()
    with on_loopback("load") as (tmp, env, description):
        os.environ.update(env)
        import django

        django.setup()
        from allauth.account.models import EmailAddress
        from django.db import connections

        from journal.models import Interaction, User

        try:
            user = User.objects.create_user(EMAIL, PASSWORD, partner_name="Sam", timezone="UTC")
            # Confirmed, as if its owner had entered the mailed code.
            EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)
            print(f"Database: {description}.")
            port = free_port()
            base_url = f"http://127.0.0.1:{port}"
            options = ("--workers", str(WORKERS), "--threads", str(THREADS))
            server = gunicorn(tmp, port=port, env=env, options=options)
            print(f"gunicorn: {WORKERS} workers x {THREADS} threads on {base_url}")
            with running(server, Browser(base_url)):
                writes, reads, seconds = load(base_url)
                if writes.server_errors or reads.server_errors:
                    server.print_log()
            failed = report(writes, reads, seconds, stored=Interaction.objects.count())
        finally:
            # The PostgreSQL database can only be dropped once nobody is connected.
            connections.close_all()
    return 1 if failed else 0


def log_in(base_url: str) -> tuple[CookieJar, str]:
    """Sign in through the login form; the session cookie and the form's CSRF token."""
    browser = Browser(base_url)
    # One attempt only: wrong ones lock the account out after a few failures.
    status = browser.submit("/accounts/login/", {"login": EMAIL, "password": PASSWORD})[0]
    if status != 302:
        raise RuntimeError(f"Logging in answered {status}, not a redirect")
    # Logging in rotates the CSRF token; take the new one from the quick-log form.
    status, _, page, _ = browser.open("/")
    token = CSRF_FIELD.search(page)
    if status != 200 or b'id="quick-log"' not in page or not token:
        raise RuntimeError(f"The dashboard answered {status} without its quick-log form")
    return browser.jar, token[1].decode()


def load(base_url: str) -> tuple[Tally, Tally, float]:
    """WRITES quick logs from CONCURRENCY clients while READERS clients load the dashboard."""
    cookies, token = log_in(base_url)
    writes, reads = Tally(), Tally()
    deadline = time.monotonic() + DEADLINE_SECONDS
    done = threading.Event()
    # One browser per thread (each its own cookies, so one client's flash messages
    # do not pile up in another's), all signed in to the same session.
    local = threading.local()

    def browser() -> Browser:
        if not hasattr(local, "browser"):
            local.browser = Browser(base_url, cookies)
        return local.browser

    def write(n: int) -> None:
        if time.monotonic() > deadline:
            writes.record("skipped after the deadline", 302, 0)
            return
        data = {"kind": "contact", **QUICK_LOGS[n % len(QUICK_LOGS)], "csrfmiddlewaretoken": token}
        status, _, ms = browser().request("/journal/quick/", data)
        writes.record(status, 302, ms)

    def read() -> None:
        while not done.is_set() and time.monotonic() < deadline:
            status, _, ms = browser().request("/")
            reads.record(status, 200, ms)

    print(f"{WRITES} quick logs from {CONCURRENCY} clients, {READERS} reading the dashboard")
    readers = [threading.Thread(target=read) for _ in range(READERS)]
    started = time.perf_counter()
    for thread in readers:
        thread.start()
    pool = ThreadPoolExecutor(CONCURRENCY)
    try:
        list(pool.map(write, range(WRITES)))
    finally:
        # Interrupted: drop the writes not yet started rather than wait for them.
        pool.shutdown(cancel_futures=True)
        seconds = time.perf_counter() - started
        done.set()
        for thread in readers:
            thread.join()
    return writes, reads, seconds


def report(writes: Tally, reads: Tally, seconds: float, *, stored: int) -> bool:
    """Print the figures and what failed; whether anything did."""
    print(f"\n{seconds:.1f} s under load\n")
    print(
        f"  {'':<8}{'ok':>6}{'failed':>8}{'per s':>8}"
        f"{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for name, tally in (("writes", writes), ("reads", reads)):
        ms = sorted(tally.ok_ms)
        line = f"  {name:<8}{len(ms):>6}{tally.failures:>8}{len(ms) / seconds:>8.1f}"
        if len(ms) >= 2:
            cuts = statistics.quantiles(ms, n=100, method="inclusive")
            line += "".join(f"{value:>9.0f}" for value in (cuts[49], cuts[89], cuts[98], ms[-1]))
        print(line)
    print()
    problems = []
    for name, tally in (("write", writes), ("read", reads)):
        if tally.server_errors:
            problems.append(f"{tally.server_errors} {name}s answered with a 5xx")
        if tally.unexpected:
            answers = ", ".join(f"{status} x{count}" for status, count in tally.unexpected.items())
            problems.append(f"unexpected {name} answers: {answers}")
    if not reads.ok_ms:
        problems.append("no read succeeded")
    if stored != WRITES:
        problems.append(f"{stored} interactions in the database, not {WRITES}")
    print(f"5xx answers: {writes.server_errors + reads.server_errors}")
    print(f"Interactions in the database: {stored} (expected {WRITES})")
    for problem in problems:
        print(f"FAILED: {problem}")
    if not problems:
        print("OK")
    return bool(problems)


if __name__ == "__main__":
    sys.exit(main())
