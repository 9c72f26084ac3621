"""The production stack started on this machine: gunicorn, Caddy, a throwaway database.

Used by `make serve` (deploy/serve.py), the load test and the two-host check
(bench/). Every server runs in a process group of its own, is waited for through
its health check, and is stopped, with its whole group, when its block ends.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTUP_SECONDS = 30
REQUEST_TIMEOUT_SECONDS = 30


def free_port() -> int:
    """A port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(static_root: Path, **overrides: str) -> dict[str, str]:
    """This process's environment with the production settings, as the README has
    them; the static files collected into `static_root`."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "reconnect.settings",
        "STATIC_ROOT": str(static_root),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)


def prepare(env: dict[str, str]) -> None:
    """What a deployment does before serving: migrate, the cache table, static files."""
    manage("migrate", "--noinput", "-v0", env=env)
    manage("createcachetable", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)


@contextmanager
def on_loopback(name: str, **overrides: str) -> Iterator[tuple[Path, dict[str, str], str]]:
    """A temporary folder and a throwaway database (see `throwaway_database`), with
    the production settings for them over plain HTTP on loopback, prepared: the
    folder, that environment, and what the database is."""
    with (
        tempfile.TemporaryDirectory(prefix=f"reconnect-{name}-") as tmp,
        throwaway_database(Path(tmp)) as (database_url, description),
    ):
        env = production_env(
            Path(tmp) / "static",
            DATABASE_URL=database_url,
            SECURE_SSL_REDIRECT="false",
            SECURE_COOKIES="false",
            **overrides,
        )
        prepare(env)
        yield Path(tmp), env, description


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as it is: it is the answer being looked at."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


class Browser:
    """A client with its own cookie jar that does not follow redirects.

    Over HTTPS it trusts `cafile` and sends the Origin a browser would, which
    Django's CSRF check requires of a form posted over HTTPS.
    """

    def __init__(
        self, base_url: str, cookies: CookieJar | None = None, cafile: Path | None = None
    ) -> None:
        self.base_url, self.cafile = base_url, cafile
        self.jar = CookieJar()
        for cookie in cookies or ():
            self.jar.set_cookie(cookie)
        self.opener: urllib.request.OpenerDirector | None = None

    def _opener(self) -> urllib.request.OpenerDirector:
        # Made at first use: Caddy writes its certificate only once it has started.
        if self.opener is None:
            handlers: list = [urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect]
            if self.cafile is not None:
                context = ssl.create_default_context(cafile=str(self.cafile))
                handlers.append(urllib.request.HTTPSHandler(context=context))
            self.opener = urllib.request.build_opener(*handlers)
        return self.opener

    def open(
        self, path: str, data: dict | None = None, headers: dict | None = None
    ) -> tuple[int | str, dict[str, str], bytes, float]:
        """(status, headers, body, milliseconds); the status is the error's name when none came."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, body, headers or {})
        if body is not None:
            request.add_header("Origin", self.base_url)
            request.add_header("Referer", self.base_url + path)
        started = time.perf_counter()
        try:
            with self._opener().open(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
                status, answer, content = response.status, response.headers, response.read()
        except HTTPError as error:
            status, answer, content = error.code, error.headers, error.read()
        except (URLError, OSError) as error:
            status, answer, content = type(getattr(error, "reason", error)).__name__, {}, b""
        return status, dict(answer), content, (time.perf_counter() - started) * 1000

    def request(self, path: str, data: dict | None = None) -> tuple[int | str, str, float]:
        """(status, body as text, milliseconds)."""
        status, _, content, ms = self.open(path, data)
        return status, content.decode(errors="replace"), ms

    def sign_up(self, email: str, password: str, env: dict[str, str]) -> tuple:
        """Sign up through the form, then confirm the address with the code mailed to
        it, as its owner would: the answer to the code."""
        fields = {"email": email, "password1": password, "password2": password}
        self.submit("/accounts/signup/", fields)
        return self.submit("/accounts/confirm-email/", {"code": mailed_code(env)})

    def submit(self, path: str, data: dict) -> tuple[int | str, dict[str, str], bytes, float]:
        """Open the form at `path` and send it with `data`, as a person would: the answer."""
        status, _, page, _ = self.open(path)
        token = CSRF_FIELD.search(page)
        if status != 200 or not token:
            raise RuntimeError(f"{path} answered {status} without a form")
        return self.open(path, {**data, "csrfmiddlewaretoken": token[1].decode()})


# The code that confirms an address, in the mail that carries it.
MAILED_CODE = re.compile(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", re.M)


def mailed_code(env: dict[str, str]) -> str:
    """The code in the newest mail of the outbox (production keeps mail there until
    the timer sends it)."""
    newest = (
        "from journal.models import OutgoingMail; print(OutgoingMail.objects.latest('pk').body)"
    )
    command = [sys.executable, str(ROOT / "manage.py"), "shell", "-c", newest]
    body = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    if not (code := MAILED_CODE.search(body)):
        raise RuntimeError("The newest mail holds no code")
    return code[1]


class Server:
    """A server process in a group of its own, its output in `log`."""

    def __init__(self, name: str, command: list[str], *, env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "w") as output:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_until_healthy(self, browser: Browser) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.name} stopped before it was healthy")
            status = browser.request("/healthz")[0]
            if status == 200:
                return
            time.sleep(0.2)  # not listening yet, or its upstream is not
        raise RuntimeError(f"{self.name} was not healthy within {STARTUP_SECONDS} s")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL, to the server's own process group."""
        if self.process is None or not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def print_log(self, lines: int = 60) -> None:
        tail = self.log.read_text(errors="replace").splitlines()[-lines:]
        print(f"--- {self.name} log, last lines:", *tail, "---", sep="\n", flush=True)


@contextmanager
def running(server: Server, browser: Browser) -> Iterator[Server]:
    """The server started and healthy; its log printed if anything goes wrong; then stopped."""
    try:
        server.start()
        server.wait_until_healthy(browser)
        yield server
    except BaseException:
        server.print_log()
        raise
    finally:
        server.stop()


def gunicorn(
    log_dir: Path, *, port: int, env: dict[str, str], options: tuple[str, ...] = ()
) -> Server:
    """gunicorn with the production configuration (deploy/gunicorn.conf.py)."""
    command = [
        *(sys.executable, "-m", "gunicorn", "reconnect.wsgi"),
        *("--config", str(DEPLOY / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}"),
        *options,
    ]
    return Server(
        f"gunicorn on port {port}", command, env=env, log=log_dir / f"gunicorn-{port}.log"
    )


def caddy(state: Path, *, port: int, upstream: int) -> tuple[Server, Path]:
    """Caddy with deploy/Caddyfile.local in front of gunicorn on `upstream`.

    Returns the server and the root certificate of Caddy's local authority, which
    signs the site's certificate (the file exists once Caddy has started).
    """
    env = {
        **os.environ,
        "RECONNECT_SERVE_PORT": str(port),
        "RECONNECT_UPSTREAM": f"127.0.0.1:{upstream}",
        "RECONNECT_CADDY_STORAGE": str(state / "caddy"),
        # Caddy's own configuration and data stay in `state`, not in $HOME.
        "XDG_CONFIG_HOME": str(state / "config"),
        "XDG_DATA_HOME": str(state / "data"),
    }
    command = [
        "caddy",
        "run",
        "--config",
        str(DEPLOY / "Caddyfile.local"),
        "--adapter",
        "caddyfile",
    ]
    server = Server(f"Caddy on port {port}", command, env=env, log=state / "caddy.log")
    return server, state / "caddy" / "pki" / "authorities" / "local" / "root.crt"


@contextmanager
def throwaway_database(tmp: Path) -> Iterator[tuple[str, str]]:
    """A SQLite file in `tmp`, or a new database beside the PostgreSQL one in DATABASE_URL."""
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith(("postgres://", "postgresql://")):
        if given:
            raise SystemExit("DATABASE_URL must be a PostgreSQL URL, or unset for SQLite.")
        yield f"sqlite:///{tmp / 'throwaway.sqlite3'}", "SQLite, in a temporary file"
        return

    import psycopg

    name = f"reconnect_tmp_{secrets.token_hex(4)}"
    url = urllib.parse.urlsplit(given)
    # Created and dropped from the maintenance database, as Django's test runner
    # does: the database DATABASE_URL names need not exist and is never touched.
    try:
        with psycopg.connect(given, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        raise SystemExit(f"Cannot create a throwaway database: {error}") from error
    try:
        yield url._replace(path=f"/{name}").geturl(), f"PostgreSQL, new database {name}"
    finally:
        with psycopg.connect(given, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP end the script as Ctrl-C does, so every server is stopped."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, frame: sys.exit(128 + signum))
