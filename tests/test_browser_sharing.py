"""A journaler shares her journal with a counselor, in two real browsers, and ends it.

Like tests/test_browser.py this drives the Debian Chromium through Playwright
against pytest-django's live server; run it alone with `pytest -m browser`.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from journal.choices import Approach
from journal.models import AccessLog, Share
from tests.factories import PASSWORD, InteractionFactory, UserFactory
from tests.test_browser import (  # noqa: F401 (the fixtures are used by name)
    NEW_PASSWORD,
    PHONE,
    assert_only_the_live_server_was_contacted,
    browser,
    confirm_the_address,
    field,
    log_in,
    open_menu_item,
    page,
    requested_urls,
)

pytestmark = pytest.mark.browser

PRIVATE_NOTE = "Cried in the car after the school run; nobody else needs to read this."
SHARED_NOTE = "Sam showed me the garden she planted; I asked about the tomatoes."


def test_alice_shares_with_carol_who_reads_until_alice_revokes(
    browser: Browser,  # noqa: F811
    page: Page,  # noqa: F811
    live_server,
    requested_urls: list[str],  # noqa: F811
    mailoutbox,
    settings,
):
    # Links in emails are built from SITE_URL; here the site is the live server.
    settings.SITE_URL = live_server.url
    alice = UserFactory(email="alice@example.com", partner_name="Sam", password=PASSWORD)
    today = alice.today()
    # Today: one approachable and one pressuring contact she shares, and a private
    # approachable one she never does.
    shared = InteractionFactory(
        owner=alice, date=today, approach=Approach.APPROACHABLE, note=SHARED_NOTE
    )
    InteractionFactory(owner=alice, date=today, approach=Approach.PRESSURING)
    InteractionFactory(
        owner=alice, date=today, approach=Approach.APPROACHABLE, note=PRIVATE_NOTE, is_private=True
    )
    InteractionFactory(owner=alice, date=today - datetime.timedelta(days=3))

    # alice invites carol: every entry, reflections included.
    log_in(page, "alice@example.com")
    open_menu_item(page, "Sharing")
    expect(page.get_by_role("heading", name="Sharing with a counselor")).to_be_visible()
    field(page, "Counselor's email address").fill("carol@example.com")
    field(page, "Your name as your counselor sees it").fill("Alice")
    expect(field(page, "Share entries from")).to_have_value("")
    # Nothing more is shared than alice chooses: the reflections wait for a tick.
    expect(page.get_by_label("Share my weekly reflections")).not_to_be_checked()
    page.get_by_label("Share my weekly reflections").check()
    page.get_by_role("button", name="Send the invitation").tap()
    expect(
        page.get_by_role("heading", name="Invitation sent to carol@example.com")
    ).to_be_visible()
    link = page.locator("#invitation-link").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/journal/invitations/[\w-]+/", link)
    expect(page.get_by_role("img", name="QR code of the link")).to_be_visible()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").tap()
    expect(page.get_by_role("status")).to_have_text("Copied. Paste it into a message to them.")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["carol@example.com"]
    assert "Alice (alice@example.com) invites you" in email.subject
    assert link in email.body
    # A reload sends nothing again, and the link is not shown a second time.
    page.reload()
    expect(page.locator("#invitation-link")).to_have_count(0)
    assert len(mailoutbox) == 1
    page.get_by_role("link", name="Back to sharing").tap()
    invited = page.get_by_role("article", name="carol@example.com")
    expect(invited).to_contain_text("Invitation pending")
    expect(invited).to_contain_text("All entries, never private ones · reflections shared")

    # carol opens the link in her own browser, signs up, and accepts.
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    carol_urls: list[str] = []
    carol = context.new_page()
    carol.on("request", lambda request: carol_urls.append(request.url))
    try:
        carol.goto(link)
        expect(
            carol.get_by_role(
                "heading", name="Alice (alice@example.com) invites you to read their journal"
            )
        ).to_be_visible()
        carol.get_by_role("link", name="Create an account").tap()
        expect(carol).to_have_url(re.compile(r"/accounts/signup/\?next="))
        field(carol, "Email address").fill("carol@example.com")
        field(carol, "Password").fill(NEW_PASSWORD)
        field(carol, "The same password again").fill(NEW_PASSWORD)
        carol.get_by_role("button", name="Create my account").tap()
        confirm_the_address(carol)
        expect(carol).to_have_url(link)
        expect(carol.get_by_text("their weekly reviews")).to_be_visible()
        carol.get_by_role("button", name="Accept as carol@example.com").tap()

        # She lands on alice's journal, read-only, without the private entry.
        share = Share.objects.get(owner=alice)
        expect(carol).to_have_url(re.compile(rf"/journal/clients/{share.public_id}/$"))
        expect(carol.get_by_text("You can now read the journal of Alice.")).to_be_visible()
        banner = carol.get_by_role("region", name="Whose journal this is")
        expect(banner).to_contain_text("Alice's journal")
        expect(banner).to_contain_text("read-only")
        # The counselor's navigation: the client's pages, never carol's own journal.
        main_nav = carol.get_by_role("navigation", name="Main")
        carol.get_by_role("button", name="Menu").tap()
        expect(carol.locator("#nav-menu")).to_have_class(re.compile(r"\bcollapse show\b"))
        for own in ("Today", "Sharing", "Log an interaction", "Log"):
            expect(main_nav.get_by_role("link", name=own, exact=True)).to_have_count(0)
        for theirs in (
            "Clients",
            "Journal",
            "Calendar",
            "Trends",
            "Guidance",
            "Reviews",
            "Summary",
        ):
            expect(main_nav.get_by_role("link", name=theirs, exact=True)).to_have_count(1)
        carol.get_by_role("button", name="Menu").tap()
        expect(carol.locator("#nav-menu")).not_to_have_class(re.compile(r"\bshow\b"))
        expect(carol.get_by_text("3 entries.")).to_be_visible()
        expect(carol.get_by_text(SHARED_NOTE)).to_be_visible()
        expect(carol.get_by_text("school run")).to_have_count(0)
        expect(carol.get_by_text("Private", exact=True)).to_have_count(0)
        expect(carol.get_by_role("link", name="Log an interaction")).to_have_count(0)

        # Searching for the private words finds nothing; the shared ones are found.
        carol.get_by_text("Search and filter").tap()
        field(carol, "Search").fill("school run")
        carol.get_by_role("button", name="Apply filters").tap()
        expect(carol.get_by_text("No entries match these filters.")).to_be_visible()
        expect(carol.get_by_text("school run")).to_have_count(0)
        field(carol, "Search").fill("tomatoes")
        carol.get_by_role("button", name="Apply filters").tap()
        expect(carol.get_by_text("1 entry matches these filters.")).to_be_visible()

        # The calendar counts today's two shared contacts, not the private one.
        open_menu_item(carol, "Calendar")
        expect(carol.get_by_role("heading", name=f"{today:%B %Y}")).to_be_visible()
        expect(
            carol.get_by_role(
                "link",
                name=f"{today.day} {today:%B}: 1 approachable, 1 pressuring,",
                exact=True,
            )
        ).to_be_visible()

        # The shared entry opens, with nothing to change it.
        open_menu_item(carol, "Journal")
        carol.get_by_role("article").filter(has_text=SHARED_NOTE).get_by_role("link").tap()
        expect(carol).to_have_url(
            re.compile(rf"/journal/clients/{share.public_id}/{shared.public_id}/$")
        )
        expect(carol.locator(".entry-note")).to_have_text(SHARED_NOTE)
        expect(carol.get_by_role("link", name="Edit")).to_have_count(0)
        expect(carol.get_by_role("link", name="Delete…")).to_have_count(0)

        # alice ends carol's access.
        page.reload()
        card = page.get_by_role("article", name="carol@example.com")
        expect(card).to_contain_text("Active")
        card.get_by_role("link", name="Revoke access…").tap()
        # Asked first, with what will happen; nothing changes until the answer.
        expect(
            page.get_by_role("heading", name="Revoke the access of carol@example.com?")
        ).to_be_visible()
        assert Share.objects.get(pk=share.pk).state == Share.State.ACTIVE
        page.get_by_role("button", name="Revoke access").tap()
        expect(
            page.get_by_text("carol@example.com can no longer see your journal.")
        ).to_be_visible()
        expect(card).to_contain_text("Revoked")

        # carol's next click is refused.
        open_menu_item(carol, "Trends")
        expect(carol.get_by_role("heading", name="You can't do that here")).to_be_visible()
        expect(carol.get_by_text("Access to this journal has ended.")).to_be_visible()
        expect(carol.get_by_text(SHARED_NOTE)).to_have_count(0)
    finally:
        context.close()

    # alice sees every page carol opened, and nothing after the revocation.
    page.reload()
    log = page.get_by_role("table", name="Counselors' visits to your journal")
    rows = log.locator("tbody tr")
    expect(rows.filter(has_text="carol@example.com").first).to_be_visible()
    expect(rows.filter(has_text="The journal")).to_have_count(4)
    expect(rows.filter(has_text=f"Entry of {shared.date:%-d %B %Y}")).to_have_count(1)
    expect(rows.filter(has_text=f"The calendar: {today:%B %Y}")).to_have_count(1)
    expect(rows.filter(has_text="The trends")).to_have_count(0)
    expect(rows.filter(has_not_text="carol@example.com")).to_have_count(0)
    assert AccessLog.objects.filter(share=share).count() == 6

    assert_only_the_live_server_was_contacted(requested_urls, live_server)
    assert_only_the_live_server_was_contacted(carol_urls, live_server)
