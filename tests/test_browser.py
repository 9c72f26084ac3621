"""End-to-end journeys in a real browser, on a phone-sized screen.

These drive the Debian Chromium through Playwright against pytest-django's
live server. Run them alone with `pytest -m browser`.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect, sync_playwright

from guidance.rules import suggestions_for
from journal.choices import Approach, Initiator, Pronouns, Response, Tactic, WeekStart
from journal.demo import journal_generate
from journal.models import Interaction, User
from journal.reports.trends import trends_for
from tests.factories import PASSWORD, UserFactory, log

# Playwright's sync API runs an asyncio event loop in the test's own thread.
# Django sees that running loop and refuses synchronous ORM calls from this
# thread (SynchronousOnlyOperation), both in the tests and in pytest-django's
# database teardown. Nothing async touches the ORM here: the loop only talks to
# the browser, and the live server answers requests in its own thread. So the
# check is a false alarm and it is safe to switch it off.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    # The browser says it is in Auckland; onboarding should pick that up.
    "timezone_id": "Pacific/Auckland",
}
NEW_PASSWORD = "a quiet walk by the river"
# What the quick log says once it has logged an approachable contact Sam started.
LOGGED_WARM = re.compile(r"^Logged at \d\d:\d\d: approachable, Sam reached out, response warm\.$")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(
                f"Chromium not found at {CHROMIUM}, but REQUIRE_BROWSER_TESTS is set: "
                "install it (apt-get install chromium) so the browser tests run."
            )
        pytest.skip("Chromium not found")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def csp_refusals(page: Page) -> list[str]:
    """What the Content Security Policy refused on `page`, as the browser said it:
    whatever a page runs must run under it."""
    refused: list[str] = []

    def heard(message) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", heard)
    return refused


@pytest.fixture
def requested_urls() -> list[str]:
    """Every URL the page asks for, filled in by the `page` fixture."""
    return []


@pytest.fixture
def page(browser: Browser, live_server, requested_urls: list[str]) -> Iterator[Page]:
    """A phone-sized page in Auckland that records every request it makes."""
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("request", lambda request: requested_urls.append(request.url))
    refused = csp_refusals(page)
    yield page
    context.close()
    assert refused == []


def assert_only_the_live_server_was_contacted(urls: list[str], live_server) -> None:
    """The app must never make the browser talk to another host."""
    server = urlsplit(live_server.url).netloc
    # data: and blob: URLs are built inside the browser and never leave it.
    elsewhere = [
        url
        for url in urls
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != server
    ]
    assert urls, "the page made no requests at all"
    assert elsewhere == []


def field(page: Page, label: str):
    """The form field with this label; crispy adds a "*" to required ones."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def choose(page: Page, question: str, answer: str) -> None:
    """Tap an answer drawn as a toggle button, the way a person would."""
    group = page.get_by_role("group", name=question)
    group.get_by_text(answer, exact=True).tap()
    expect(group.get_by_label(answer, exact=True)).to_be_checked()


def detail(page: Page, term: str):
    """The value shown next to a term on an entry's page."""
    return page.locator(f'dt:text-is("{term}") + dd')


def open_menu_item(page: Page, name: str) -> None:
    """On a phone the main navigation folds away behind the Menu button."""
    page.get_by_role("button", name="Menu").tap()
    # Wait for the menu to finish opening: a tap during the slide can land on the
    # item that is passing under the finger.
    expect(page.locator("#nav-menu")).to_have_class(re.compile(r"\bcollapse show\b"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).tap()


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    field(page, "Email address").fill(email)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("button", name="Menu")).to_be_visible()


def confirm_the_address(page: Page) -> None:
    """Enter the code just mailed, as its owner would from their inbox."""
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M)
    assert code, mail.outbox[-1].body
    field(page, "Code").fill(code[1])
    page.get_by_role("button", name="Confirm").tap()


def test_a_new_journaler_signs_up_logs_edits_and_deletes_an_entry_on_a_phone(
    page: Page, live_server, requested_urls: list[str]
):
    # Sign up.
    page.goto("/")
    page.get_by_role("link", name="Sign up").tap()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    field(page, "Email address").fill("Jo@Example.com")
    field(page, "Password").fill(NEW_PASSWORD)
    field(page, "The same password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").tap()
    confirm_the_address(page)

    # Onboarding: the time zone is already the browser's.
    expect(page.get_by_role("heading", name="Set up your journal")).to_be_visible()
    field(page, "What do you call your partner?").fill("Sam")
    choose(page, "Partner's pronouns", "she / her")
    expect(field(page, "Your time zone")).to_have_value("Pacific/Auckland")
    choose(page, "Weeks start on", "Sunday")
    page.get_by_role("button", name="Start my journal").tap()

    # Home.
    expect(page.get_by_text("Your journal is ready.")).to_be_visible()
    expect(page.get_by_role("heading", name="Log today's contact with Sam")).to_be_visible()
    user = User.objects.get()
    assert user.email == "jo@example.com"
    assert user.partner_name == "Sam"
    assert user.partner_pronouns == Pronouns.SHE
    assert user.timezone == "Pacific/Auckland"
    assert user.week_start == WeekStart.SUNDAY

    # Log today's contact in a few taps.
    choose(page, "How did I come across?", "Approachable")
    choose(page, "Who reached out first?", "Sam did")
    # Three taps: the third answer logs it.
    page.get_by_role("group", name="How did Sam respond?").get_by_role("button", name="Warm").tap()
    expect(page.get_by_text(LOGGED_WARM)).to_be_visible()
    entry = Interaction.objects.get()
    assert (entry.approach, entry.initiator, entry.response) == (
        Approach.APPROACHABLE,
        Initiator.PARTNER,
        Response.WARM,
    )
    assert entry.date == user.today()
    day = entry.date

    # The journal lists it.
    open_menu_item(page, "Journal")
    expect(page.get_by_role("heading", name="Journal", exact=True)).to_be_visible()
    expect(page.get_by_text("1 entry.")).to_be_visible()
    card = page.get_by_role("article")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Approachable")
    expect(card).to_contain_text("Sam reached out")
    expect(card).to_contain_text("Response: warm")

    # The calendar counts it on today.
    open_menu_item(page, "Calendar")
    expect(page.get_by_role("heading", name=f"{day:%B %Y}")).to_be_visible()
    today_link = page.get_by_role("link", name=f"{day.day} {day:%B}: 1 approachable,", exact=True)
    expect(today_link).to_contain_text("●1")
    expect(today_link).not_to_contain_text("▲")

    # Open the day from the calendar, then the entry, and edit it.
    today_link.tap()
    expect(page.get_by_role("heading", name=f"{day:%A} {day.day} {day:%B %Y}")).to_be_visible()
    expect(page.get_by_role("link", name="Add an entry for this day")).to_be_visible()
    page.get_by_role("link", name=f"{day:%a} {day.day} {day:%b %Y}").tap()
    expect(page).to_have_url(re.compile(rf"/journal/{entry.public_id}/$"))
    expect(page.get_by_text("No note.")).to_be_visible()
    page.get_by_role("link", name="Edit").tap()
    note = "Sam laughed about the dog. I mostly listened."
    field(page, "Note").fill(note)
    page.get_by_label("Listened").check()
    page.get_by_role("button", name="Save entry").tap()
    expect(page.get_by_text("Entry updated.")).to_be_visible()
    expect(page.locator(".entry-note")).to_have_text(note)
    expect(detail(page, "Tactics")).to_have_text("Listened")
    expect(detail(page, "Private")).to_have_text("No")
    entry.refresh_from_db()
    assert entry.note == note
    assert entry.tactics == [Tactic.LISTENED]

    # Delete it, through the confirmation page.
    page.get_by_role("link", name="Delete…").tap()
    expect(page.get_by_role("heading", name=re.compile(r"^Delete the entry of"))).to_be_visible()
    assert Interaction.objects.count() == 1
    page.get_by_role("button", name="Delete for good").tap()
    expect(page.get_by_text("Entry deleted.")).to_be_visible()
    expect(page.get_by_text("Your journal is empty.")).to_be_visible()
    assert Interaction.objects.count() == 0

    assert_only_the_live_server_was_contacted(requested_urls, live_server)


def test_at_a_hard_moment_care_comes_first_and_a_mis_tap_can_be_undone(
    page: Page, live_server, requested_urls: list[str]
):
    user = UserFactory(
        email="jo@example.com", partner_name="Sam", timezone="Pacific/Auckland", country="NZ"
    )
    today = user.today()
    # Four contacts in four days, each at a very low mood, none answered.
    for days_ago in range(1, 5):
        day = today - datetime.timedelta(days=days_ago)
        log(user, day, "pressuring", [Tactic.PLEADING], initiator="me", response="none", mood=1)
    log_in(page, "jo@example.com")
    page.goto("/")

    # Care before advice: no advice about Sam today, and a way to support.
    expect(page.get_by_role("heading", name="This has been a hard stretch")).to_be_visible()
    expect(page.get_by_text("The advice about Sam can wait.", exact=False)).to_be_visible()
    expect(page.get_by_text("Try this week:")).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^If you are struggling: people to talk to")).tap()
    expect(page.get_by_role("heading", name="If you are struggling")).to_be_visible()
    expect(
        page.get_by_role("heading", name="People you can talk to in New Zealand")
    ).to_be_visible()
    page.go_back()

    # A practical contact: the school run, neither approachable nor pressuring.
    choose(page, "How did I come across?", "Practical")
    choose(page, "Who reached out first?", "Sam did")
    page.get_by_role("group", name="How did Sam respond?").get_by_role(
        "button", name="Neutral"
    ).tap()
    practical = re.compile(
        r"^Logged at \d\d:\d\d: practical, Sam reached out, response neutral\.$"
    )
    expect(page.get_by_text(practical)).to_be_visible()

    # A mis-tap, taken back.
    choose(page, "How did I come across?", "Approachable")
    choose(page, "Who reached out first?", "I did")
    page.get_by_role("group", name="How did Sam respond?").get_by_role("button", name="Cool").tap()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    page.get_by_role("button", name="Undo").tap()
    expect(page.get_by_text("Undone: that entry is gone.")).to_be_visible()
    expect(page.get_by_role("button", name="Undo")).to_have_count(0)

    logged_today = Interaction.objects.for_owner(user).filter(date=today)
    assert [(e.approach, e.initiator, e.response) for e in logged_today] == [
        (Approach.PRACTICAL, Initiator.PARTNER, Response.NEUTRAL)
    ]
    assert_only_the_live_server_was_contacted(requested_urls, live_server)


def test_the_full_form_refuses_a_pressuring_entry_tagged_with_an_approachable_tactic(
    page: Page, live_server, requested_urls: list[str]
):
    UserFactory(email="jo@example.com", partner_name="Sam", timezone="Pacific/Auckland")
    log_in(page, "jo@example.com")
    page.get_by_role("link", name="full form").tap()
    expect(page.get_by_role("heading", name="Log an interaction")).to_be_visible()

    # The tactics shown are those of the approach chosen...
    choose(page, "How did I come across?", "Pressuring")
    expect(page.get_by_label("Pleaded")).to_be_visible()
    expect(page.get_by_label("Listened")).to_be_hidden()
    # ...but one ticked before the approach changed stays in view, and is sent.
    choose(page, "How did I come across?", "Approachable")
    page.get_by_label("Listened").check()
    choose(page, "How did I come across?", "Pressuring")
    note = "I asked again when she would decide."
    field(page, "Note").fill(note)
    page.get_by_role("button", name="Save entry").tap()

    expect(page.get_by_role("alert")).to_contain_text("Please check the highlighted fields")
    tactics = page.get_by_role("group", name="Tactics")
    error = "“Listened” is approachable, but you chose pressuring."
    expect(tactics).to_contain_text(error)
    expect(tactics).to_have_accessible_description(re.compile(re.escape(error)))
    expect(field(page, "Note")).to_have_value(note)
    expect(page.get_by_label("Listened")).to_be_checked()
    approach = page.get_by_role("group", name="How did I come across?")
    expect(approach.get_by_label("Pressuring")).to_be_checked()
    assert Interaction.objects.count() == 0

    assert_only_the_live_server_was_contacted(requested_urls, live_server)


def test_a_journaler_with_history_sees_the_charts_and_the_guidance_chosen_for_them(
    page: Page, live_server, requested_urls: list[str]
):
    user = UserFactory(email="jo@example.com", partner_name="Sam", timezone="Pacific/Auckland")
    today = user.today()
    journal_generate(user=user, start=today - datetime.timedelta(days=120), end=today)
    [chosen] = suggestions_for(trends_for(user), user, limit=1)
    log_in(page, "jo@example.com")

    # The dashboard names the principle for this week, one thing to try, and why,
    # in view on a phone before the form.
    focus = page.get_by_role("region", name="What to work on this week")
    expect(focus.get_by_role("link", name=chosen.principle.title)).to_be_in_viewport()
    try_first = chosen.principle.try_this_week[0].format(**user.partner_words)
    expect(focus).to_contain_text(f"Try this week: {try_first}")
    expect(focus).to_contain_text(chosen.reason)

    # The trends page draws every chart, each with a table to read instead.
    open_menu_item(page, "Trends")
    charts = page.get_by_role("img")
    expect(charts).to_have_count(5)
    expect(
        page.get_by_role("img", name=re.compile("^Contacts Sam started per week"))
    ).to_be_visible()
    page.get_by_text("Show as a table").first.tap()
    expect(page.get_by_role("table").first).to_be_visible()
    page.get_by_role("link", name="All time").tap()
    expect(page.get_by_role("link", name="All time")).to_have_attribute("aria-current", "page")
    expect(charts).to_have_count(5)

    # The guidance lists every principle beside the journaler's numbers.
    open_menu_item(page, "Guidance")
    expect(page.get_by_role("heading", name="Guidance", exact=True)).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(9)
    expect(page.get_by_role("complementary", name="If you do not feel safe")).to_be_visible()
    page.get_by_role("link", name="4. Ease off the pressure").tap()
    expect(page.get_by_role("heading", name="What to try this week")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Pressure-free for \d+ days? now"))).to_be_visible()

    assert_only_the_live_server_was_contacted(requested_urls, live_server)


def test_a_journaler_reflects_on_this_week_and_prints_the_review(
    page: Page, live_server, requested_urls: list[str]
):
    user = UserFactory(email="jo@example.com", partner_name="Sam", timezone="Pacific/Auckland")
    today = user.today()
    journal_generate(user=user, start=today - datetime.timedelta(days=30), end=today)
    log_in(page, "jo@example.com")

    open_menu_item(page, "Reviews")
    this_week = user.week_start_for(today)
    page.get_by_role("link", name=f"Week of {this_week.day} {this_week:%B %Y}").tap()
    expect(page.get_by_text("In progress")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Approachable contacts")

    went_well = "Sam asked about my week, and I listened."
    field(page, "What went well?").fill(went_well)
    field(page, "What will I try next week?").fill("Leave the weekend free.")
    page.get_by_role("button", name="Save my reflection").tap()
    expect(page.get_by_text("Your reflection is saved.")).to_be_visible()
    page.reload()
    expect(field(page, "What went well?")).to_have_value(went_well)

    # The printed review has the answers, and no navigation or form.
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Save my reflection")).to_be_hidden()
    expect(page.locator(".print-only")).to_contain_text(went_well)
    assert len(page.pdf()) > 1000
    page.emulate_media(media="screen")

    # Unsaved words are not lost without a warning.
    field(page, "Where did I push?").fill("Not saved yet")
    with page.expect_event("dialog") as dialog:
        page.close(run_before_unload=True)
    assert dialog.value.type == "beforeunload"
    dialog.value.dismiss()

    assert_only_the_live_server_was_contacted(requested_urls, live_server)


def test_a_keyboard_alone_logs_a_contact_and_writes_a_reflection(
    page: Page, live_server, requested_urls: list[str]
):
    user = UserFactory(email="jo@example.com", partner_name="Sam", timezone="Pacific/Auckland")
    page.goto("/accounts/login/")
    expect(field(page, "Email address")).to_be_focused()
    page.keyboard.type("jo@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Log today's contact with Sam")).to_be_visible()
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")

    # The quick log: each group of answers is reached with Tab, an answer chosen
    # with the arrow keys or Space, and the last answer sends the form.
    page.get_by_role("group", name="How did I come across?").get_by_label("Approachable").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_label("I did", exact=True)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Sam did", exact=True)).to_be_checked()
    # The mood, optional, on the way.
    page.keyboard.press("Tab")
    expect(page.get_by_label("1 · very low")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Warm")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text(LOGGED_WARM)).to_be_visible()
    entry = Interaction.objects.get()
    assert (entry.approach, entry.initiator, entry.response) == ("approachable", "partner", "warm")

    # This week's reflection, written and saved from the keyboard.
    week = user.week_start_for(user.today())
    page.goto(f"/journal/reviews/{week.isoformat()}/")
    field(page, "What went well?").focus()
    page.keyboard.type("Sam chose to call me.")
    page.keyboard.press("Tab")
    page.keyboard.type("Nowhere this week.")
    page.keyboard.press("Tab")
    page.keyboard.type("Keep it light.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save my reflection")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your reflection is saved.")).to_be_visible()
    assert user.reflections.get().went_well == "Sam chose to call me."

    assert_only_the_live_server_was_contacted(requested_urls, live_server)


def test_every_control_is_big_enough_to_tap_on_a_phone(page: Page, live_server):
    user = UserFactory(email="jo@example.com", partner_name="Sam", timezone="Pacific/Auckland")
    journal_generate(user=user, start=user.today() - datetime.timedelta(days=60), end=user.today())
    log_in(page, "jo@example.com")
    small = {}
    for path in [
        "/",
        "/journal/",
        "/journal/new/",
        "/journal/calendar/",
        "/journal/trends/",
        "/profile/",
    ]:
        page.goto(path)
        page.get_by_role("button", name="Menu").tap()
        expect(page.locator("#nav-menu")).to_have_class(re.compile(r"\bcollapse show\b"))
        small[path] = page.evaluate(
            """() => [...document.querySelectorAll(
                    'button, .btn, .nav-link, .page-link, select, input:not([type=hidden]), textarea, summary')]
                // Toggle buttons and checkboxes are tapped through their labels.
                .filter((el) => el.offsetParent !== null && !el.matches('.btn-check, .form-check-input'))
                .map((el) => [el.textContent.trim() || el.name || el.id || el.className, el.getBoundingClientRect()])
                .filter(([, box]) => box.height < 44)
                .map(([name, box]) => `${name} (${Math.round(box.height)} px)`)"""
        )
    assert {path: found for path, found in small.items() if found} == {}


def test_a_note_survives_a_failed_save_and_a_double_tap_saves_once(
    page: Page, live_server, requested_urls: list[str]
):
    UserFactory(email="jo@example.com", partner_name="Sam", timezone="Pacific/Auckland")
    log_in(page, "jo@example.com")
    page.goto("/journal/new/")
    choose(page, "How did I come across?", "Approachable")
    choose(page, "Who reached out first?", "Sam did")
    choose(page, "How did Sam respond?", "Warm")
    note = "She asked about the garden, and I just listened."
    field(page, "Note").fill(note)

    # The connection drops as the form is sent: the note is still there on coming back.
    def drop_the_post(route) -> None:
        if route.request.method == "POST":
            route.abort()
        else:
            route.continue_()

    # The service worker sends the post on (so the context's route sees it), and
    # shows the offline page when it fails.
    page.wait_for_function(
        "navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)"
    )
    page.context.route("**/journal/new/", drop_the_post)
    page.get_by_role("button", name="Save entry").tap()
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(
        page.get_by_text("What you just sent may not have reached your journal.")
    ).to_be_visible()
    page.context.unroute("**/journal/new/")
    page.goto("/journal/new/")
    expect(page.get_by_role("status")).to_contain_text("What you typed here before is back")
    expect(field(page, "Note")).to_have_value(note)
    assert Interaction.objects.count() == 0

    # Two taps at once: the button waits after the first, and one entry is saved.
    choose(page, "How did I come across?", "Approachable")
    choose(page, "Who reached out first?", "Sam did")
    choose(page, "How did Sam respond?", "Warm")
    save = page.get_by_role("button", name="Save entry")
    save.dblclick()
    expect(page.get_by_text("Entry saved.")).to_be_visible()
    assert list(Interaction.objects.values_list("note", flat=True)) == [note]

    # Saved, the draft is gone: a new form starts empty.
    page.goto("/journal/new/")
    expect(field(page, "Note")).to_have_value("")
    assert_only_the_live_server_was_contacted(requested_urls, live_server)


def test_quick_hide_leaves_nothing_of_the_journal_on_screen_or_back_in_history(
    page: Page, live_server, requested_urls: list[str]
):
    secret = "I begged her to come home."
    user = UserFactory(email="jo@example.com", partner_name="Sam", timezone="Pacific/Auckland")
    log(user, user.today(), "pressuring", note=secret)
    log_in(page, "jo@example.com")
    page.goto("/journal/")
    expect(page.get_by_text(secret)).to_be_visible()

    page.get_by_role("button", name="Hide this page now").tap()
    expect(page).to_have_url(re.compile(r"/blank/$"))
    assert secret not in page.content() and "Reconnect" not in page.content()
    # Back goes to the pages before, which the browser does not keep: the lock shows.
    page.go_back()
    expect(page.get_by_role("heading", name="Reconnect is locked")).to_be_visible()
    assert secret not in page.content()

    field(page, "Your password").fill(PASSWORD)
    page.get_by_role("button", name="Unlock").tap()
    expect(page.get_by_role("heading", name=re.compile("Log today's contact"))).to_be_visible()
    assert_only_the_live_server_was_contacted(requested_urls, live_server)
