"""In a real browser at a phone's width and a computer's: the counselor's navigation,
a focus ring that shows in either scheme, print that reads from a dark screen, and
chart summaries that say which way things went."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from journal.choices import ColorScheme
from tests.factories import PASSWORD, ReflectionFactory, ShareFactory, UserFactory, log
from tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    browser,
    csp_refusals,
    field,
)

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture(params=list(SIZES))
def sized(request, browser: Browser, live_server) -> Iterator[Page]:  # noqa: F811
    width, height = SIZES[request.param]
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    refused = csp_refusals(page)
    yield page
    context.close()
    assert refused == []


def _log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    field(page, "Email address").fill(email)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(n) for n in re.findall(r"[\d.]+", css)[:3])


def _contrast(one: str, other: str) -> float:
    def luminance(color: tuple[float, ...]) -> float:
        def channel(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in color)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(_rgb(one)), luminance(_rgb(other))), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def client_journal(db):
    alice = UserFactory(email="alice@example.com", partner_name="Sam", timezone="UTC")
    today = alice.today()
    start = alice.week_start_for(today) - datetime.timedelta(weeks=11)
    for week in range(12):
        day = start + datetime.timedelta(weeks=week)
        # Pressure early on, approachable later: a share that rises.
        approach = "pressuring" if week < 4 else "approachable"
        log(alice, day, approach, response="warm", mood=3)
        log(alice, day + datetime.timedelta(days=1), "approachable", response="neutral")
    ReflectionFactory(owner=alice, week_start=alice.week_start_for(today))
    carol = UserFactory(email="carol@example.com", partner_name="")
    share = ShareFactory(owner=alice, counselor=carol, client_name="Alice")
    return alice, carol, share


def test_a_counselor_reads_a_client_with_their_own_navigation(sized: Page, client_journal):
    alice, carol, share = client_journal
    _log_in(sized, "carol@example.com")
    sized.goto(f"/journal/clients/{share.public_id}/trends/")
    if sized.get_by_role("button", name="Menu").is_visible():
        sized.get_by_role("button", name="Menu").click()
        expect(sized.locator("#nav-menu")).to_have_class(re.compile(r"\bshow\b"))
    nav = sized.get_by_role("navigation", name="Main")
    for theirs in ("Clients", "Journal", "Calendar", "Trends", "Guidance", "Reviews", "Summary"):
        expect(nav.get_by_role("link", name=theirs, exact=True)).to_be_visible()
    for own in ("Today", "Log an interaction", "Log", "Sharing"):
        expect(nav.get_by_role("link", name=own, exact=True)).to_have_count(0)
    # The chart's summary says which way the approachable share went, and by how much.
    summary = sized.get_by_role("figure", name=re.compile("^Contacts per week")).locator("p")
    expect(summary.first).to_contain_text(
        "The approachable share rose from 50% in the first 4 weeks to 100% in the last 4."
    )


@pytest.mark.parametrize("scheme", [ColorScheme.LIGHT, ColorScheme.DARK])
def test_the_focus_ring_stands_out_in_either_scheme(sized: Page, client_journal, scheme):
    alice, _, _ = client_journal
    alice.color_scheme = scheme
    alice.save()
    _log_in(sized, "alice@example.com")
    sized.goto("/journal/")
    sized.keyboard.press("Tab")  # the skip link
    sized.keyboard.press("Tab")
    focused = sized.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return [style.outlineStyle, style.outlineWidth, style.outlineColor,
                    getComputedStyle(document.body).backgroundColor];
        }"""
    )
    outline_style, width, color, background = focused
    assert outline_style == "solid" and float(width.rstrip("px")) >= 2
    assert _contrast(color, background) >= 3, (color, background)


def test_a_review_prints_dark_on_white_from_a_dark_screen(sized: Page, client_journal):
    alice, _, _ = client_journal
    alice.color_scheme = ColorScheme.DARK
    alice.save()
    _log_in(sized, "alice@example.com")
    week = alice.week_start_for(alice.today()) - datetime.timedelta(weeks=1)
    sized.goto(f"/journal/reviews/{week:%Y-%m-%d}/")
    sized.emulate_media(media="print")
    colors = sized.evaluate(
        """() => {
            const body = getComputedStyle(document.body);
            const badge = document.querySelector(".badge");
            const cell = getComputedStyle(document.querySelector("table td"));
            return [body.color, body.backgroundColor, cell.color,
                    badge ? getComputedStyle(badge).backgroundColor : "rgb(255, 255, 255)",
                    badge ? getComputedStyle(badge).borderTopStyle : "solid"];
        }"""
    )
    text, background, cell, badge_fill, badge_border = colors
    assert _rgb(background) == (255, 255, 255)
    assert max(_rgb(text)) <= 60 and max(_rgb(cell)) <= 60, colors
    assert _rgb(badge_fill) == (255, 255, 255) and badge_border == "solid"


def test_search_finds_entries_by_their_tactic_and_marks_it(sized: Page, client_journal):
    alice, _, _ = client_journal
    log(alice, alice.today(), "pressuring", ["guilt"], note="I went on about the holidays.")
    _log_in(sized, "alice@example.com")
    sized.goto("/journal/")
    sized.get_by_text("Search and filter").click()
    field(sized, "Search").fill("guilt")
    sized.get_by_role("button", name="Apply filters").click()
    expect(sized.get_by_text("1 entry matches these filters.")).to_be_visible()
    expect(sized.locator("article mark")).to_have_text("guilt")
