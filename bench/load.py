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
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WRITES = 200
CONCURRENCY = 32
READERS = 4
WORKERS = 3
THREADS = 4
DEADLINE_SECONDS = 120
STARTUP_SECONDS = 30
REQUEST_TIMEOUT_SECONDS = 30
EMAIL = "load@example.com"
PASSWORD = "load-test-password-" + secrets.token_hex(8)
# Production settings, except plain HTTP on loopback.
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "load-test",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "LOG_LEVEL": "WARNING",
}
# The project's settings with the static files collected into the temporary
# folder rather than the working tree.
SETTINGS_SHIM = """\
from reconnect.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
"""
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as it is: it is the answer being measured."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


class Browser:
    """A client with its own cookie jar that does not follow redirects."""

    def __init__(self, base_url: str, cookies: CookieJar | None = None) -> None:
        self.base_url = base_url
        self.jar = CookieJar()
        for cookie in cookies or ():
            self.jar.set_cookie(cookie)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int | str, str, float]:
        """(status, body, milliseconds); the status is the error's name when none came."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base_url + path, body, REQUEST_TIMEOUT_SECONDS) as response:
                status, text = response.status, response.read().decode()
        except HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except (URLError, OSError) as error:
            status, text = type(getattr(error, "reason", error)).__name__, str(error)
        return status, text, (time.perf_counter() - started) * 1000


def main() -> int:
    # Stopping the script by a signal still stops the server and cleans up.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, frame: sys.exit(128 + signum))
    with (
        tempfile.TemporaryDirectory(prefix="reconnect-load-") as tmp,
        throwaway_database(Path(tmp)) as (database_url, description),
    ):
        (Path(tmp) / "load_settings.py").write_text(
            SETTINGS_SHIM.format(static_root=str(Path(tmp) / "static"))
        )
        sys.path.insert(0, tmp)
        os.environ.update(
            SERVER_ENV,
            DATABASE_URL=database_url,
            DJANGO_SETTINGS_MODULE="load_settings",
            PYTHONPATH=os.pathsep.join(filter(None, [tmp, os.environ.get("PYTHONPATH")])),
        )
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from journal.models import Interaction, User

        try:
            call_command("migrate", verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
            User.objects.create_user(EMAIL, PASSWORD, partner_name="Sam", timezone="UTC")
            print(f"Database: {description}.")
            with gunicorn(Path(tmp)) as base_url:
                writes, reads, seconds = load(base_url)
            failed = report(writes, reads, seconds, stored=Interaction.objects.count())
            if writes.server_errors or reads.server_errors:
                print_log(Path(tmp))
        finally:
            # The PostgreSQL database can only be dropped once nobody is connected.
            connections.close_all()
    return 1 if failed else 0


@contextmanager
def throwaway_database(tmp: Path) -> Iterator[tuple[str, str]]:
    """A SQLite file in `tmp`, or a new database beside the PostgreSQL one in DATABASE_URL."""
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith(("postgres://", "postgresql://")):
        if given:
            raise SystemExit("DATABASE_URL must be a PostgreSQL URL, or unset for SQLite.")
        yield f"sqlite:///{tmp / 'load.sqlite3'}", "SQLite, in a temporary file"
        return

    import psycopg

    name = f"reconnect_load_{secrets.token_hex(4)}"
    url = urllib.parse.urlsplit(given)
    # Created and dropped from the maintenance database, as Django's test runner
    # does: the database DATABASE_URL names need not exist and is never touched.
    try:
        with psycopg.connect(given, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        raise SystemExit(f"Cannot create a database for the load test: {error}") from error
    try:
        yield url._replace(path=f"/{name}").geturl(), f"PostgreSQL, new database {name}"
    finally:
        with psycopg.connect(given, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def gunicorn(tmp: Path) -> Iterator[str]:
    """Serve the app on a free loopback port until the block ends, then stop the server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp / "gunicorn.log"
    command = [
        *(sys.executable, "-m", "gunicorn", "reconnect.wsgi"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--threads", str(THREADS)),
        *("--chdir", str(ROOT), "--graceful-timeout", "5"),
        # No control socket: it would go in $HOME, shared with any other gunicorn.
        "--no-control-socket",
    ]
    print(f"gunicorn: {WORKERS} workers x {THREADS} threads on {base_url}")
    with open(log_path, "w") as log:
        # A session of its own, so the whole group (master and workers) can be stopped.
        server = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_serving(server, base_url)
        yield base_url
    except BaseException:
        print_log(tmp)
        raise
    finally:
        stop(server)


def print_log(tmp: Path) -> None:
    lines = (tmp / "gunicorn.log").read_text().splitlines()
    print("--- gunicorn log, last lines:", *lines[-60:], "---", sep="\n", flush=True)


def wait_until_serving(server: subprocess.Popen, base_url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        status = Browser(base_url).request("/accounts/login/")[0]
        if status == 200:
            return
        if isinstance(status, int):
            raise RuntimeError(f"The login page answered {status}")
        time.sleep(0.2)  # not listening yet
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL to the server's own process group."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def log_in(base_url: str) -> tuple[CookieJar, str]:
    """Sign in through the login form; the session cookie and the form's CSRF token."""
    browser = Browser(base_url)
    status, page, _ = browser.request("/accounts/login/")
    token = CSRF_FIELD.search(page)
    if status != 200 or not token:
        raise RuntimeError(f"The login page answered {status} without a CSRF token")
    # One attempt only: django-axes locks the account out after a few failures.
    status, _, _ = browser.request(
        "/accounts/login/",
        {"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
    )
    if status != 302:
        raise RuntimeError(f"Logging in answered {status}, not a redirect")
    # Logging in rotates the CSRF token; take the new one from the quick-log form.
    status, page, _ = browser.request("/")
    token = CSRF_FIELD.search(page)
    if status != 200 or 'id="quick-log"' not in page or not token:
        raise RuntimeError(f"The dashboard answered {status} without its quick-log form")
    return browser.jar, token[1]


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
