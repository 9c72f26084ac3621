"""Pictures of the main pages for the README: `make screenshots`.

Makes a demo journal in a throwaway database, serves it on a free loopback port,
and has the Debian Chromium render each page at phone and desktop width into
PNG files beside this script.
"""

from __future__ import annotations

import datetime
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = Path(__file__).resolve().parent
PASSWORD = "reconnect-demo"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def pages(today: datetime.date) -> list[tuple[str, str]]:
    last_week = today - datetime.timedelta(days=today.weekday() + 7)
    return [
        ("dashboard", "/"),
        ("journal", "/journal/"),
        ("calendar", "/journal/calendar/"),
        ("trends", "/journal/trends/"),
        ("guidance", "/guidance/"),
        ("weekly-review", f"/journal/reviews/{last_week.isoformat()}/"),
        ("support", "/support/"),
        ("calendar-day", f"/journal/calendar/{today.isoformat()}/"),
        ("entry-form", "/journal/new/"),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3", "PORT": "0"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*manage, "demo"], env=env, check=True, capture_output=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/accounts/login/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            shoot(base)
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(base: str) -> None:
    today = datetime.date.today()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for kind, (width, height) in WIDTHS.items():
            journaler = signed_in(browser, base, "demo@example.com", width, height)
            for name, path in pages(today):
                journaler.goto(base + path)
                journaler.screenshot(path=DOCS / f"{name}-{kind}.png", full_page=kind == "phone")
            counselor = signed_in(browser, base, "counselor@example.com", width, height)
            counselor.goto(base + "/journal/clients/")
            counselor.screenshot(path=DOCS / f"clients-{kind}.png", full_page=kind == "phone")
            counselor.get_by_role("link", name="Jo", exact=True).click()
            counselor.screenshot(path=DOCS / f"counselor-{kind}.png", full_page=kind == "phone")
            counselor.goto(counselor.url + "summary/")
            counselor.screenshot(path=DOCS / f"summary-{kind}.png", full_page=kind == "phone")
        phone = signed_in(browser, base, "demo@example.com", *WIDTHS["phone"])
        message_check(phone, base)
        phone.goto(base + "/journal/trends/")
        phone.locator("section[aria-labelledby=insights-title]").screenshot(
            path=DOCS / "insights-phone.png"
        )
        offline_log(signed_in(browser, base, "demo@example.com", *WIDTHS["phone"]), base)
        hard_stretch(signed_in(browser, base, "demo@example.com", *WIDTHS["phone"]), base)
        browser.close()
    print(f"Screenshots written to {DOCS}")


def message_check(page, base: str) -> None:
    """A message read before it is sent: what may press, and what reads as warm."""
    page.goto(base + "/guidance/check/")
    page.get_by_label("The message you are about to send").fill(
        "Hope the new job is going well! We need to talk, you owe me that much. "
        "Why won't you answer me?"
    )
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    page.screenshot(path=DOCS / "message-check-phone.png", full_page=True)


def offline_log(page, base: str) -> None:
    """A quick log with no signal, kept on the phone; then the page reloaded offline."""
    page.goto(base + "/")
    page.wait_for_function(
        "navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)"
    )
    page.context.set_offline(True)
    for question, answer in [
        ("How did I come across?", "Approachable"),
        ("Who reached out first?", "I did"),
    ]:
        page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()
    page.locator("#quick-log").get_by_role("button", name="Warm").click()
    page.get_by_text("Saved on this phone").wait_for()
    page.reload()
    page.get_by_role("heading", name="You are offline").wait_for()
    page.screenshot(path=DOCS / "offline-phone.png", full_page=True)
    page.context.set_offline(False)


def hard_stretch(page, base: str) -> None:
    """The quick log at a hard moment: a practical contact logged with its Undo, then
    three more at a very low mood, after which Today puts care before advice."""
    page.goto(base + "/")
    for approach, mood in [("Practical", "1 · very low"), *[("Pressuring", "1 · very low")] * 2]:
        for question, answer in [
            ("How did I come across?", approach),
            ("How are you feeling? (optional)", mood),
        ]:
            page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()
        page.get_by_role("group", name="Who reached out first?").get_by_text("I did").click()
        page.locator("#quick-log").get_by_role("button", name="No response").click()
        page.wait_for_load_state()
        replace = page.get_by_role("button", name=re.compile("^I reached out after all"))
        if replace.count():  # the demo's today can be a day of space
            page.screenshot(path=DOCS / "space-question-phone.png")
            replace.click()
            page.wait_for_load_state()
        if approach == "Practical":
            page.screenshot(path=DOCS / "quick-log-phone.png")
    page.screenshot(path=DOCS / "hard-stretch-phone.png", full_page=True)


def signed_in(browser, base: str, email: str, width: int, height: int):
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


if __name__ == "__main__":
    main()
