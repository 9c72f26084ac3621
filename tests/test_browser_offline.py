"""The quick log with no signal, in a real browser on a phone-sized screen: kept on
the phone while offline, the offline page still there on a reload, and each log in
the journal exactly once when the connection returns."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from journal.choices import Approach, Initiator, Response
from journal.models import Interaction
from tests.factories import UserFactory, log
from tests.test_browser import (  # noqa: F401 (the fixtures are used by name)
    assert_only_the_live_server_was_contacted,
    browser,
    choose,
    log_in,
    page,
    requested_urls,
)

pytestmark = pytest.mark.browser

SAVED_HERE = "Saved on this phone, will be sent when you are online."


def quick_log(tab: Page, approach: str, who: str, response: str) -> None:
    choose(tab, "How did I come across?", approach)
    choose(tab, "Who reached out first?", who)
    tab.get_by_role("group", name=re.compile(r"^How did .+ respond\?$")).get_by_role(
        "button", name=response
    ).tap()


def waiting(tab: Page):
    return tab.get_by_role("list", name="Waiting on this phone").get_by_role("listitem")


def controlled_by_the_service_worker(tab: Page) -> None:
    """Wait until the service worker has kept the offline tab and looks after this one."""
    tab.wait_for_function(
        "navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)"
    )


@pytest.fixture
def jo(page: Page):  # noqa: F811
    """Jo, signed in on Today, with the service worker looking after the page."""
    user = UserFactory(email="jo@example.com", partner_name="Sam", timezone="Pacific/Auckland")
    log_in(page, "jo@example.com")
    page.goto("/")
    controlled_by_the_service_worker(page)
    return user


def test_logs_made_with_no_signal_reach_the_journal_once_each(
    page: Page,  # noqa: F811
    jo,
    live_server,
    requested_urls: list[str],  # noqa: F811
):
    # No signal: two contacts logged on Today stay on the phone.
    page.context.set_offline(True)
    quick_log(page, "Approachable", "Sam did", "Warm")
    expect(page.get_by_role("status").filter(has_text=SAVED_HERE)).to_be_visible()
    expect(waiting(page)).to_have_count(1)
    quick_log(page, "Pressuring", "I did", "No response")
    expect(waiting(page)).to_have_count(2)
    expect(waiting(page).nth(0)).to_contain_text("approachable, Sam reached out, response warm")
    expect(waiting(page).nth(1)).to_contain_text("pressuring, you reached out, no response")
    assert not Interaction.objects.exists()

    # Reloaded with no signal, the offline page stands in, and lists them still.
    page.reload()
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=SAVED_HERE)).to_be_visible()
    expect(waiting(page)).to_have_count(2)
    expect(page.get_by_text("Sam")).to_have_count(0)
    assert not Interaction.objects.exists()

    # The signal returns: each is sent, and saved once.
    page.context.set_offline(False)
    expect(page.get_by_text("Sent: 2 logs are in your journal now.")).to_be_visible()
    expect(waiting(page)).to_have_count(0)
    entries = Interaction.objects.for_owner(jo).order_by("time", "pk")
    assert [(e.approach, e.initiator, e.response) for e in entries] == [
        (Approach.APPROACHABLE, Initiator.PARTNER, Response.WARM),
        (Approach.PRESSURING, Initiator.ME, Response.NONE),
    ]
    assert all(e.date == jo.today() and e.device_key for e in entries)

    # The journal lists each exactly once.
    page.get_by_role("link", name="See them in your journal").tap()
    cards = page.get_by_role("article")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Sam reached out")).to_have_count(1)
    expect(cards.filter(has_text="I reached out")).to_have_count(1)

    # Sent again (a retry whose answer was lost), a log's key saves nothing new.
    key = str(entries[0].device_key)
    answer = page.evaluate(
        """async (key) => {
            const asked = await (await fetch("/journal/sync/")).json();
            const log = {key, logged_at: new Date().toISOString(), kind: "contact",
                         approach: "approachable", initiator: "partner", response: "warm"};
            const sent = await fetch("/journal/sync/", {method: "POST",
                body: new URLSearchParams(log), headers: {"X-CSRFToken": asked.csrf}});
            return [sent.status, (await sent.json()).status];
        }""",
        key,
    )
    assert answer == [200, "already saved"]
    assert Interaction.objects.for_owner(jo).count() == 2
    assert_only_the_live_server_was_contacted(requested_urls, live_server)


def test_a_log_whose_post_the_network_fails_to_take_is_kept_on_the_phone(page: Page, jo):  # noqa: F811
    """The phone believes it is online, but nothing gets through: the service worker
    hands the log to the offline page, which keeps it."""
    page.context.set_offline(True)
    page.evaluate("Object.defineProperty(navigator, 'onLine', {get: () => true})")
    quick_log(page, "Practical", "Planned together", "Neutral")

    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=SAVED_HERE)).to_be_visible()
    expect(waiting(page)).to_have_count(1)
    expect(waiting(page)).to_contain_text("practical, planned together, response neutral")
    # Not left on the address of a post, which a reload would send again.
    expect(page).to_have_url(re.compile(r"/$"))
    assert not Interaction.objects.exists()

    page.context.set_offline(False)
    expect(page.get_by_text("Sent: 1 log is in your journal now.")).to_be_visible()
    entry = Interaction.objects.for_owner(jo).get()
    assert (entry.approach, entry.initiator, entry.response) == (
        Approach.PRACTICAL,
        Initiator.TOGETHER,
        Response.NEUTRAL,
    )


def test_a_refused_log_stays_with_its_reason_until_it_is_removed(page: Page, jo):  # noqa: F811
    page.context.set_offline(True)
    quick_log(page, "Pressuring", "I did", "Cool")
    expect(waiting(page)).to_have_count(1)
    # Meanwhile, from another device, today became a day of space.
    log(jo, jo.today(), approach="", kind="space", initiator="", response="", channel="")

    page.context.set_offline(False)
    expect(page.get_by_text("1 log was not saved: the reason is with each below.")).to_be_visible()
    expect(waiting(page)).to_contain_text(
        "Not saved in your journal: That day is marked as a day of space"
    )
    assert Interaction.objects.for_owner(jo).count() == 1
    # Still there on the next visit: never dropped without the person knowing.
    page.reload()
    expect(waiting(page)).to_have_count(1)
    page.get_by_role("button", name="Remove it from this phone").tap()
    expect(page.get_by_role("status").filter(has_text="Removed from this phone.")).to_be_visible()
    expect(waiting(page)).to_have_count(0)
    assert Interaction.objects.for_owner(jo).count() == 1


def test_signing_out_asks_first_and_kept_logs_wait_for_their_own_account(page: Page, jo):  # noqa: F811
    UserFactory(email="bo@example.com", partner_name="Kim", timezone="Pacific/Auckland")
    page.context.set_offline(True)
    quick_log(page, "Approachable", "Sam did", "Warm")
    # Back online, but the journal cannot be reached: the log waits.
    page.route("**/journal/sync/", lambda route: route.abort())
    page.context.set_offline(False)
    expect(page.get_by_role("status").filter(has_text=SAVED_HERE)).to_be_visible()

    open_menu(page)
    page.get_by_role("button", name="Log out").tap()
    question = page.get_by_role("dialog")
    expect(question).to_contain_text(
        "1 log is waiting on this phone to be sent. Keep them for when you sign in again, "
        "or remove them?"
    )
    question.get_by_role("button", name="Cancel").tap()
    expect(question).to_have_count(0)
    expect(page.get_by_role("heading", name="Log today's contact with Sam")).to_be_visible()

    # The menu is still open.
    page.get_by_role("button", name="Log out").tap()
    page.get_by_role("dialog").get_by_role("button", name="Keep them").tap()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.unroute("**/journal/sync/")

    # Someone else signs in on this phone: jo's log is neither shown nor sent.
    log_in(page, "bo@example.com")
    page.goto("/")
    expect(page.get_by_role("heading", name="Log today's contact with Kim")).to_be_visible()
    expect(waiting(page)).to_have_count(0)
    open_menu(page)
    page.get_by_role("button", name="Log out").tap()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert not Interaction.objects.exists()

    # jo again: it is sent from Today, where signing in leads.
    log_in(page, "jo@example.com")
    expect(page.get_by_text("Sent: 1 log is in your journal now.")).to_be_visible()
    assert Interaction.objects.for_owner(jo).count() == 1
    assert Interaction.objects.count() == 1


def open_menu(tab: Page) -> None:
    tab.get_by_role("button", name="Menu").tap()
    expect(tab.locator("#nav-menu")).to_have_class(re.compile(r"\bcollapse show\b"))
