"""The production stack on this machine: gunicorn behind Caddy, over HTTPS.

    make serve                    # https://127.0.0.1:8443 until Ctrl-C (SERVE_PORT=… for another)
    make serve-check              # the same on free ports and a throwaway database, checked

`make serve` runs what the README's "Put it online" section sets up (DEBUG off,
collected static files, gunicorn with deploy/gunicorn.conf.py, Caddy with the
site's certificate from its own local authority) on the journal `make run` uses,
so it can be seen working before it is deployed. Its secret key and Caddy's
authority are kept in .serve/.

`make serve-check` starts the same stack and checks it over HTTPS as a browser
would: signs up, logs an entry and reads it back, and looks at the security
headers, cookies, static files, health check, 404 page and logs; then reads pages
while 50 slow clients trickle their requests a byte a second for 30 s. Exit
status 1 if anything is wrong.
"""

from __future__ import annotations

import argparse
import datetime
import re
import secrets
import socket
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.stack import (  # noqa: E402
    ROOT,
    Browser,
    caddy,
    free_port,
    gunicorn,
    prepare,
    production_env,
    running,
    stop_on_signals,
    throwaway_database,
)

# Connections that send a byte a second, against the production stack.
SLOW_CLIENTS = 50
SLOW_SECONDS = 30
STATIC_LINK = re.compile(rb'href="(/static/[^"]+\.css)"')
PASSWORD = "an evening walk by the river"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8443, help="the HTTPS port (make serve)")
    parser.add_argument("--check", action="store_true", help="check the stack, then stop")
    arguments = parser.parse_args()
    stop_on_signals()
    if arguments.check:
        return check()
    serve(arguments.port)
    return 0


def serve(port: int) -> None:
    state = ROOT / ".serve"
    state.mkdir(mode=0o700, exist_ok=True)
    secret = state / "secret_key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(50))
        secret.chmod(0o600)
    base_url = f"https://127.0.0.1:{port}"
    env = production_env(
        state / "static",
        SECRET_KEY=secret.read_text().strip(),
        BEHIND_PROXY="true",
        SITE_URL=base_url,
    )
    prepare(env)
    with ExitStack() as stack:
        upstream = free_port()
        app = gunicorn(state, port=upstream, env=env)
        stack.enter_context(running(app, Browser(f"http://127.0.0.1:{upstream}")))
        proxy, root_certificate = caddy(state, port=port, upstream=upstream)
        stack.enter_context(running(proxy, Browser(base_url, cafile=root_certificate)))
        print(
            f"\nReconnect is on {base_url} (gunicorn log: {app.log}).\n"
            f"Its certificate comes from Caddy's local authority, {root_certificate}:\n"
            "a browser warns until that certificate is trusted. Ctrl-C stops both servers.",
            flush=True,
        )
        while app.alive() and proxy.alive():
            time.sleep(1)
        raise SystemExit("A server stopped; its log is above.")


def check() -> int:
    with (
        tempfile.TemporaryDirectory(prefix="reconnect-serve-") as tmp,
        throwaway_database(Path(tmp)) as (database_url, description),
        ExitStack() as stack,
    ):
        state = Path(tmp)
        port, upstream = free_port(), free_port()
        base_url = f"https://127.0.0.1:{port}"
        env = production_env(
            state / "static", DATABASE_URL=database_url, BEHIND_PROXY="true", SITE_URL=base_url
        )
        print(f"Database: {description}.")
        prepare(env)
        app = gunicorn(state, port=upstream, env=env)
        stack.enter_context(running(app, Browser(f"http://127.0.0.1:{upstream}")))
        proxy, root_certificate = caddy(state, port=port, upstream=upstream)
        stack.enter_context(running(proxy, Browser(base_url, cafile=root_certificate)))
        print(f"gunicorn on 127.0.0.1:{upstream}, Caddy on {base_url}\n")
        problems = Checks(Browser(base_url, cafile=root_certificate), app.log, env).run()
        if problems:
            app.print_log()
    print("\nOK" if not problems else f"\nFAILED: {problems} check(s)")
    return 1 if problems else 0


class Checks:
    """What a person's browser would meet on the site, checked one by one."""

    def __init__(self, browser: Browser, app_log: Path, env: dict[str, str]) -> None:
        self.browser, self.app_log, self.env = browser, app_log, env
        self.note = f"Walked by the river with Sam {secrets.token_hex(4)}"
        self.search = f"river-{secrets.token_hex(4)}"
        self.bodies: list[bytes] = []

    def run(self) -> int:
        failures = 0
        for name, step in self.steps():
            try:
                step()
            except AssertionError as error:
                failures += 1
                print(f"  FAILED  {name}: {error}")
            else:
                print(f"  ok      {name}")
        return failures

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("/healthz answers 200 ok", self.health),
            ("HSTS, CSP and the other security headers", self.headers),
            ("sign up and start a journal", self.sign_up),
            ("the session cookie is Secure, HttpOnly and SameSite", self.cookies),
            ("log an entry and read it back", self.log_and_read),
            ("static files compressed and cached for a year", self.static_files),
            ("the app's own 404 page", self.not_found),
            ("no traceback in any page", self.no_traceback),
            ("the access log holds no health checks, searches or notes", self.access_log),
            (
                f"{SLOW_CLIENTS} slow clients trickling for {SLOW_SECONDS} s hold up no one",
                self.slow_clients,
            ),
        ]

    def get(self, path: str, data: dict | None = None, **headers: str):
        status, answer, body, _ = self.browser.open(path, data, headers)
        self.bodies.append(body)
        return status, answer, body

    def post_form(self, path: str, data: dict) -> tuple:
        status, answer, body, _ = self.browser.submit(path, data)
        self.bodies.append(body)
        return status, answer, body

    def health(self) -> None:
        status, _, body = self.get("/healthz")
        assert (status, body) == (200, b"ok\n"), f"{status} {body!r}"

    def headers(self) -> None:
        status, answer, _ = self.get("/accounts/login/")
        assert status == 200, f"the login page answered {status}"
        hsts = answer.get("Strict-Transport-Security", "")
        assert "max-age=31536000" in hsts, f"Strict-Transport-Security: {hsts!r}"
        csp = answer.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp, f"Content-Security-Policy: {csp!r}"
        assert answer.get("X-Content-Type-Options") == "nosniff"
        assert answer.get("X-Frame-Options") == "DENY"
        assert "Server" not in answer, f"Server: {answer.get('Server')}"

    def sign_up(self) -> None:
        status, answer, body, _ = self.browser.sign_up("serve@example.com", PASSWORD, self.env)
        self.bodies.append(body)
        assert (status, answer.get("Location")) == (302, "/welcome/"), f"sign-up: {status}"
        status, answer, _ = self.post_form(
            "/welcome/",
            {"partner_name": "Sam", "partner_pronouns": "they", "timezone": "UTC"}
            | {"week_start": "0"},
        )
        assert (status, answer.get("Location")) == (302, "/"), f"onboarding: {status}"

    def cookies(self) -> None:
        session = next((c for c in self.browser.jar if c.name == "sessionid"), None)
        assert session is not None, "no session cookie"
        assert session.secure, "the session cookie is not Secure"
        assert session.has_nonstandard_attr("HttpOnly"), "the session cookie is not HttpOnly"
        assert session.get_nonstandard_attr("SameSite") == "Lax"
        csrf = next((c for c in self.browser.jar if c.name == "csrftoken"), None)
        assert csrf is not None and csrf.secure, "the CSRF cookie is not Secure"

    def log_and_read(self) -> None:
        today = datetime.datetime.now(datetime.UTC).date().isoformat()
        status, answer, _ = self.post_form(
            "/journal/new/",
            {"kind": "contact", "date": today, "approach": "approachable", "note": self.note},
        )
        entry = answer.get("Location", "")
        assert status == 302 and re.fullmatch(r"/journal/[0-9a-f-]{36}/", entry), (
            f"saving: {status}"
        )
        for path in (entry, "/journal/", f"/journal/?q={self.search}", "/journal/?q=river"):
            status, _, page = self.get(path)
            assert status == 200, f"{path} answered {status}"
        assert self.note.encode() in self.get(entry)[2], "the entry does not show its note"
        # The search marks the words it found: read the list without the marks.
        found = re.sub(rb"</?mark>", b"", self.get("/journal/?q=river")[2])
        assert self.note.encode() in found, "the list misses it"

    def static_files(self) -> None:
        page = self.get("/accounts/password/reset/")[2]
        link = STATIC_LINK.search(page)
        assert link, "the page links no stylesheet"
        path = link[1].decode()
        status, answer, _ = self.get(path, None, **{"Accept-Encoding": "gzip"})
        assert status == 200, f"{path} answered {status}"
        assert answer.get("Content-Encoding") == "gzip", f"{path} is not compressed"
        cache = answer.get("Cache-Control", "")
        assert "max-age=315360000" in cache and "immutable" in cache, f"Cache-Control: {cache}"

    def not_found(self) -> None:
        status, _, page = self.get("/no-such-page/")
        assert status == 404, f"answered {status}"
        assert b"There is nothing here" in page, "not the app's own 404 page"
        assert b"DEBUG" not in page, "a debug page"

    def no_traceback(self) -> None:
        bad = [b for b in self.bodies if b"Traceback" in b or b"Server Error" in b]
        assert not bad, f"{len(bad)} page(s) show an error"
        log = self.app_log.read_text(errors="replace")
        assert "Traceback" not in log, "the app logged a traceback"

    def slow_clients(self) -> None:
        """Half the slow clients send their headers a byte a second, half a form's body.
        Straight to gunicorn, they take every thread and other pages time out; Caddy
        holds them, so everyone else's pages answer at once."""
        host, port = self.browser.base_url.removeprefix("https://").rsplit(":", 1)
        context = ssl.create_default_context(cafile=str(self.browser.cafile))
        stop = threading.Event()

        def trickle(n: int) -> None:
            with (
                socket.create_connection((host, int(port)), timeout=SLOW_SECONDS + 10) as raw,
                context.wrap_socket(raw, server_hostname=host) as tls,
            ):
                if n % 2:
                    tls.sendall(b"POST /accounts/login/ HTTP/1.1\r\nHost: localhost\r\n")
                    tls.sendall(b"Content-Length: 100\r\n\r\n")
                else:
                    tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                while not stop.wait(1):
                    try:
                        tls.sendall(b"a")
                    except OSError:
                        return  # Caddy gave up on it: fine too

        slow = [threading.Thread(target=trickle, args=(n,)) for n in range(SLOW_CLIENTS)]
        for thread in slow:
            thread.start()
        slowest = 0.0
        try:
            started = time.monotonic()
            while time.monotonic() - started < SLOW_SECONDS:
                for path in ("/", "/journal/", "/journal/trends/"):
                    status, _, _, ms = self.browser.open(path)
                    assert status == 200, f"{path} answered {status} beside the slow clients"
                    slowest = max(slowest, ms)
                time.sleep(0.5)
        finally:
            stop.set()
            for thread in slow:
                thread.join()
        assert slowest < 2000, f"a page took {slowest:.0f} ms beside the slow clients"

    def access_log(self) -> None:
        log = self.app_log.read_text(errors="replace")
        assert '"GET /journal/"' in log, "no access log"
        for secret in ("/healthz", self.search, "river", self.note):
            assert secret not in log, f"{secret!r} is in the access log"


if __name__ == "__main__":
    sys.exit(main())
