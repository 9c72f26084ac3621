"""Every page, checked by axe-core in a real browser, and weighed on the network.

A survey opens every page of the URL map (as the journaler, as her counselor and
signed out) in four configurations: a phone (390×844) and a desktop (1280×800)
screen, each in the light and the dark colour scheme. On each page it runs axe-core
(tests/vendor/axe.min.js, from the npm package axe-core) for WCAG 2.0 and 2.1, A and
AA; records every request and what the first load weighs; and notes the title. A
second pass opens the journaler's pages at 320 px to look for horizontal scrolling.

The survey runs once for the module; each test then checks one kind of problem,
so a failure says which kind it is and lists every instance of it. Run them alone
with `pytest tests/test_accessibility.py`; set ACCESSIBILITY_REPORT=/some/file.json
to keep everything the survey measured.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core import signing
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from guidance.principles import PRINCIPLES
from journal.choices import Approach, Kind
from journal.demo import journal_generate
from journal.models import Interaction, Share, User
from journal.reports.reminders import REMINDER_SALT
from journal.reports.trends import RANGES
from tests.factories import PASSWORD, ReflectionFactory, ShareFactory, UserFactory
from tests.test_browser import browser  # noqa: F401 (the fixture is used by name)
from tests.test_browser import field as form_field

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SOURCE = AXE.read_text() + "\n;undefined"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What a page may weigh on its first load, every resource gzip-compressed.
GZIP_BUDGET = 250_000
# Bytes and gzip-compressed bytes of each static file, by address.
WEIGHED: dict[str, tuple[int, int]] = {}
PENDING_TOKEN = "a-pending-invitation-for-dan"


@dataclass(frozen=True)
class Config:
    name: str
    width: int
    height: int
    scheme: str

    @property
    def phone(self) -> bool:
        return self.width < 768

    def context_options(self) -> dict:
        return {
            "viewport": {"width": self.width, "height": self.height},
            "color_scheme": self.scheme,
            "is_mobile": self.phone,
            "has_touch": self.phone,
            "timezone_id": "Europe/London",
        }


CONFIGS = [
    Config("phone-light", 390, 844, "light"),
    Config("phone-dark", 390, 844, "dark"),
    Config("desktop-light", 1280, 800, "light"),
    Config("desktop-dark", 1280, 800, "dark"),
]
NARROW = Config("narrow-320-light", 320, 640, "light")


@dataclass
class Visit:
    """One page to open: as whom, where, and what it should answer."""

    who: str  # "journaler", "counselor" or "public"
    name: str
    url: str | Callable[[], str]
    status: int = 200
    # The path (and query) the browser should end on; the URL itself by default.
    lands_on: str | None = None
    # Done after opening `url`; the page it leads to is the one checked.
    action: Callable[[Page], object] | None = None

    @property
    def label(self) -> str:
        return f"{self.who}: {self.name}"


@dataclass
class Load:
    """What one visit, in one configuration, found."""

    page: str
    config: str
    url: str = ""
    status: int | None = None
    error: str = ""
    title: str | None = None
    violations: list[dict] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    # Errors the page wrote to the console, such as what its policy refused.
    console: list[str] = field(default_factory=list)
    resources: list[dict] = field(default_factory=list)
    bytes: int = 0
    gzip_bytes: int = 0
    scroll: dict | None = None


# --- The journal the pages show ----------------------------------------------------


@dataclass
class World:
    alice: User
    carol: User
    share_id: uuid.UUID
    entry: Interaction
    week: datetime.date
    today: datetime.date


def build_world() -> World:
    """alice's journal of two months, a reflection, and carol, her counselor."""
    alice = UserFactory(email="alice@example.com", partner_name="Sam", password=PASSWORD)
    today = alice.today()
    journal_generate(user=alice, start=today - datetime.timedelta(days=60), end=today)
    last_week = alice.week_start_for(today) - datetime.timedelta(days=7)
    ReflectionFactory(owner=alice, week_start=last_week)
    carol = UserFactory(email="carol@example.com", password=PASSWORD)
    share = ShareFactory(owner=alice, counselor=carol)
    # An invitation still waiting, for the page its link opens.
    ShareFactory(
        owner=alice, counselor=None, accepted_at=None, email="dan@example.com", token=PENDING_TOKEN
    )
    # An entry both of them may read, with a note and tactics to show.
    entry = (
        Interaction.objects.filter(owner=alice, kind=Kind.CONTACT, is_private=False)
        .exclude(note="")
        .filter(tactic_tags__isnull=False)
        .order_by("-date", "-pk")
        .first()
    )
    assert entry is not None, "the generated journal has no shared entry with tactics"
    return World(alice, carol, share.public_id, entry, last_week, today)


def check_a_pleading_message(page: Page) -> object:
    """Check a message that reads as pleading: the reading, sentence by sentence."""
    page.get_by_label("The message you are about to send").fill("Hope you're well. I need you.")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("status")).to_contain_text("may come across as pressure")
    return navigation.value


def refuse_a_pressuring_entry_tagged_listened(page: Page) -> object:
    """Submit the full form with Pressuring and the approachable "Listened" tactic,
    ticked before the approach changed."""
    approach = page.get_by_role("group", name="How did I come across?")
    approach.get_by_text("Approachable", exact=True).click()
    page.get_by_label("Listened").check()
    approach.get_by_text("Pressuring", exact=True).click()
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("alert").first).to_contain_text("Please check the highlighted fields")
    return navigation.value


def confirm_the_password(page: Page) -> object:
    """A second step's settings ask for the password again first (once in five
    minutes)."""
    if page.get_by_role("heading", name="Confirm it is you").count() == 0:
        return page.reload()
    form_field(page, "Password").fill(PASSWORD)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Confirm").click()
    return navigation.value


def send_an_invitation(page: Page) -> object:
    """The sharing form, sent: its link is shown once, on a page of its own. The
    invitation of the survey's previous round is taken back, so that the address
    can be invited again."""
    Share.objects.filter(email="erin@example.com").delete()
    form_field(page, "Counselor's email address").fill("erin@example.com")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Send the invitation").click()
    return navigation.value


def sign_up(page: Page) -> object:
    """A new address, up to the page that asks for the code mailed to it."""
    form_field(page, "Email address").fill(f"new-{uuid.uuid4().hex[:8]}@example.com")
    form_field(page, "Password").fill("a long and unusual passphrase 42")
    form_field(page, "The same password again").fill("a long and unusual passphrase 42")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Create my account").click()
    return navigation.value


def lock_now(page: Page) -> object:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Lock now").click()
    return navigation.value


def visits_for(world: World) -> list[Visit]:
    alice, share, entry, today = world.alice, world.share_id, world.entry, world.today
    principle = PRINCIPLES[3].slug
    previous_month = today.replace(day=1) - datetime.timedelta(days=1)
    entry_list = reverse("journal:entry-list")
    filtered = urlencode({"q": "Sam", "approach": Approach.PRESSURING, "channel": "text"})
    wrong_way_round = urlencode(
        {
            "approach": Approach.APPROACHABLE,
            "date_from": today.isoformat(),
            "date_to": (today - datetime.timedelta(days=7)).isoformat(),
        }
    )

    def reset_confirm() -> str:
        # Made just before the visit: each login changes the token.
        user = User.objects.get(pk=alice.pk)
        return reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )

    def J(name: str, url, **kw) -> Visit:
        return Visit("journaler", name, url, **kw)

    def C(name: str, url, **kw) -> Visit:
        return Visit("counselor", name, url, **kw)

    def P(name: str, url, **kw) -> Visit:
        return Visit("public", name, url, **kw)

    journaler = [
        J("home", reverse("home")),
        J("journal list", entry_list),
        J("journal list, filtered", f"{entry_list}?{filtered}"),
        J("journal list, invalid date range", f"{entry_list}?{wrong_way_round}"),
        J("journal list, page 2", f"{entry_list}?page=2"),
        J("entry detail", reverse("journal:entry-detail", args=[entry.public_id])),
        J("entry create", reverse("journal:entry-create")),
        J("entry create, a day of space", reverse("journal:entry-create") + "?kind=space"),
        J(
            "entry create, refused (Pressuring + Listened)",
            reverse("journal:entry-create"),
            action=refuse_a_pressuring_entry_tagged_listened,
        ),
        J("entry edit", reverse("journal:entry-update", args=[entry.public_id])),
        J("entry delete confirmation", reverse("journal:entry-delete", args=[entry.public_id])),
        J("calendar", reverse("journal:calendar")),
        J("a day of the calendar", reverse("journal:calendar-day", args=[entry.date])),
        J(
            "calendar, previous month",
            reverse("journal:calendar-month", args=[previous_month.year, previous_month.month]),
        ),
        *[J(f"trends, {key}", reverse("journal:trends") + f"?range={key}") for key in RANGES],
        J("reviews list", reverse("journal:review-list")),
        J("summary for a session", reverse("journal:summary")),
        J("review of a week", reverse("journal:review-week", args=[world.week])),
        J(
            "review of this week (in progress)",
            reverse("journal:review-week", args=[alice.week_start_for(today)]),
        ),
        J("guidance index", reverse("guidance:index")),
        J("check a message", reverse("guidance:message-check")),
        J(
            "check a message, read",
            reverse("guidance:message-check"),
            lands_on=reverse("guidance:message-check"),
            action=check_a_pleading_message,
        ),
        J("unsent messages", reverse("guidance:unsent-list")),
        J("guidance principle", reverse("guidance:principle", args=[principle])),
        J("sharing", reverse("journal:sharing")),
        J("sharing, narrow an access", reverse("journal:share-scope", args=[share])),
        J("sharing, revoke confirmation", reverse("journal:share-revoke", args=[share])),
        J(
            "sharing, invitation sent with its link and QR code",
            reverse("journal:sharing"),
            lands_on=r"/journal/sharing/[\w-]+/sent/",
            action=send_an_invitation,
        ),
        J("settings", reverse("profile")),
        J("onboarding", reverse("onboarding")),
        J("password change", reverse("account_change_password")),
        J("email address change", reverse("account_email")),
        J("second steps", reverse("mfa_index")),
        J(
            "authenticator app set-up",
            reverse("mfa_activate_totp"),
            lands_on=reverse("mfa_activate_totp"),
            action=confirm_the_password,
        ),
        J("passkeys", reverse("mfa_list_webauthn")),
        J(
            "add a passkey",
            reverse("mfa_add_webauthn"),
            lands_on=reverse("mfa_add_webauthn"),
            action=confirm_the_password,
        ),
        J("password again", reverse("account_reauthenticate")),
        J("data import", reverse("journal:data-import")),
        J("account delete confirmation", reverse("journal:account-delete")),
        J("clients (none)", reverse("journal:clients")),
        # What the service worker shows without a connection; online, it looks the same.
        J("offline page", reverse("offline")),
        # Last of the journaler's: it locks the journal for the rest of the visit.
        J("lock", reverse("home"), lands_on=r"/lock/\?next=%2F", action=lock_now),
    ]
    counselor = [
        C("clients", reverse("journal:clients")),
        C("client's journal list", reverse("client:journal:entry-list", args=[share])),
        C("client's entry", reverse("client:journal:entry-detail", args=[share, entry.public_id])),
        C("client's calendar", reverse("client:journal:calendar", args=[share])),
        C(
            "client's calendar, previous month",
            reverse(
                "client:journal:calendar-month",
                args=[share, previous_month.year, previous_month.month],
            ),
        ),
        C("client's trends", reverse("client:journal:trends", args=[share])),
        C("client's day", reverse("client:journal:calendar-day", args=[share, entry.date])),
        C("client's summary for a session", reverse("client:journal:summary", args=[share])),
        C("client's guidance index", reverse("client:guidance:index", args=[share])),
        C(
            "client's guidance principle",
            reverse("client:guidance:principle", args=[share, principle]),
        ),
        C("client's reviews list", reverse("client:journal:review-list", args=[share])),
        C(
            "client's review of a week",
            reverse("client:journal:review-week", args=[share, world.week]),
        ),
    ]
    public = [
        P("landing", reverse("home")),
        P("login", reverse("account_login")),
        P("sign-up", reverse("account_signup")),
        P("password reset", reverse("account_reset_password")),
        P("password reset sent", reverse("account_reset_password_done")),
        P(
            "password reset, new password",
            reset_confirm,
            lands_on=r"/accounts/password/reset/key/.+-set-password/",
        ),
        P("password reset complete", reverse("account_reset_password_from_key_done")),
        P(
            "confirm the address",
            reverse("account_signup"),
            lands_on=reverse("account_email_verification_sent"),
            action=sign_up,
        ),
        P("invitation", reverse("journal:invitation", args=[PENDING_TOKEN])),
        P(
            "stop the reminders",
            reverse("reminders-stop", args=[signing.dumps(alice.pk, salt=REMINDER_SALT)]),
        ),
        P("account deleted", reverse("journal:account-deleted")),
        P("not found (404)", "/journal/no-such-page/", status=404),
        P("quick hide's blank page", reverse("blank")),
        P("if you are struggling", reverse("support") + "?country=GB"),
    ]
    return journaler + counselor + public


# --- Opening pages --------------------------------------------------------------

AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  const node = (n) => ({
    target: n.target.map((t) => Array.isArray(t) ? t.join(" >>> ") : t).join(" | "),
    summary: n.failureSummary || "",
    html: n.html.slice(0, 160),
  });
  return {
    violations: results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map(node),
    })),
    incomplete: results.incomplete.map((v) => v.id),
  };
}"""

# After the colour scheme changes: the page's own script follows it at the next
# frame, and the colours it changes are measured once their transitions are over.
SETTLE = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  document.documentElement.getBoundingClientRect();
  await Promise.all(document.getAnimations().map((animation) => animation.finished));
}"""

# The width the page takes, and the outermost elements that stick out of the screen
# (leaving out those inside a box that scrolls or clips on its own).
# On an emulated phone, Chromium may zoom out to fit a page that is too wide, which
# widens window.innerWidth too; so the screen's own width is the limit as well.
SCROLL = """(screenWidth) => {
  const root = document.documentElement;
  const width = Math.min(window.innerWidth, screenWidth);
  const result = {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, width: width,
                  clientWidth: root.clientWidth, scale: window.visualViewport.scale, wide: []};
  if (root.scrollWidth <= width) return result;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  const sticksOut = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 0.5 && !clipped(el);
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].slice(0, 3).map((c) => "." + c).join("");
  for (const el of document.body.querySelectorAll("*")) {
    if (!sticksOut(el) || (el.parentElement && sticksOut(el.parentElement))) continue;
    const path = [];
    for (let e = el; e && e !== document.body && path.length < 4; e = e.parentElement) path.unshift(name(e));
    result.wide.push({element: path.join(" > "), right: Math.round(el.getBoundingClientRect().right),
                      text: (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60)});
    if (result.wide.length >= 6) break;
  }
  return result;
}"""


class Surveyor:
    """One page per browser context, its cache off, recording what each visit loads."""

    def __init__(self, context: BrowserContext):
        self.context = context
        context.set_default_timeout(15_000)
        self.page = context.new_page()
        # Every visit is a first load: nothing comes from the browser's cache.
        cdp = context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.requests: list[str] | None = None
        self.responses: list = []
        self.console: list[str] = []
        self.page.on("request", self._on_request)
        self.page.on("response", self._on_response)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        # Leave a page even if it asks to keep unsaved answers.
        self.page.on("dialog", lambda dialog: dialog.accept())

    def _on_request(self, request) -> None:
        if self.requests is not None:
            self.requests.append(request.url)

    def _on_response(self, response) -> None:
        if self.requests is not None:
            self.responses.append(response)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console.append(message.text)

    def _start(self) -> None:
        self.requests, self.responses, self.console = [], [], []

    def sign_in(self, email: str) -> None:
        page = self.page
        page.goto(reverse("account_login"))
        form_field(page, "Email address").fill(email)
        form_field(page, "Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        assert urlsplit(page.url).path != reverse("account_login"), f"{email} could not log in"

    def open(self, visit: Visit, configs: list[Config], *, axe: bool) -> list[Load]:
        """Open the page once and check it in each of `configs`, which differ only in
        their colour scheme: the device's setting changes as the page stands, and the
        page follows it as it would on a phone whose theme switches at dusk."""
        first = configs[0]
        load = Load(page=visit.label, config=first.name)
        page = self.page
        loads = [load]
        try:
            page.emulate_media(color_scheme=first.scheme)
            url = visit.url() if callable(visit.url) else visit.url
            load.url = url
            if visit.action:
                page.goto(url)
                self._start()
                response = visit.action(page)
            else:
                self._start()
                response = page.goto(url)
            page.wait_for_load_state("load")
            load.status = response.status if response else None
            landed = urlsplit(page.url)
            where = landed.path + (f"?{landed.query}" if landed.query else "")
            expected = visit.lands_on or re.escape(url)
            if load.status != visit.status or not re.fullmatch(expected, where):
                load.error = f"answered {load.status} at {where}, expected {visit.status} at {url}"
            load.title = page.title()
            load.scroll = page.evaluate(SCROLL, first.width)
            if axe:
                # Not with page.add_script_tag: the app's Content-Security-Policy
                # (script-src 'self') refuses an inline <script>, and turning the
                # policy off (bypass_csp) would also let through any inline style
                # the app has that browsers refuse, and so change what is measured.
                # An evaluation from the test is not subject to the policy.
                page.evaluate(AXE_SOURCE)
                self._axe(load)
            # Last, so that what the browser fetches just after "load" (its icon) is in.
            self._weigh(load)
            for config in configs[1:]:
                page.emulate_media(color_scheme=config.scheme)
                page.evaluate(SETTLE)
                again = replace(load, config=config.name, violations=[], incomplete=[])
                again.scroll = page.evaluate(SCROLL, config.width)
                if axe:
                    self._axe(again)
                loads.append(again)
        except (PlaywrightError, AssertionError) as error:
            load.error = f"{type(error).__name__}: {str(error).splitlines()[0]}"
            loads = [replace(load, config=config.name) for config in configs]
        finally:
            for each in loads:
                each.requests = list(self.requests or [])
                each.console = list(self.console)
            self.requests = None
        return loads

    def _axe(self, load: Load) -> None:
        found = self.page.evaluate(AXE_RUN, AXE_TAGS)
        load.violations, load.incomplete = found["violations"], found["incomplete"]

    def _weigh(self, load: Load) -> None:
        for response in self.responses:
            # A static file is the same on every page: weighed once for the survey.
            if response.url not in WEIGHED or "/static/" not in response.url:
                try:
                    body = response.body()
                except PlaywrightError:
                    continue  # a redirect has no body
                WEIGHED[response.url] = len(body), len(gzip.compress(body))
            size, packed = WEIGHED[response.url]
            load.resources.append({"url": response.url, "bytes": size, "gzip": packed})
            load.bytes += size
            load.gzip_bytes += packed


@dataclass
class Survey:
    visits: list[Visit]
    loads: list[Load]
    narrow: list[Load]


@pytest.fixture(scope="module")
def survey(
    browser: Browser,  # noqa: F811
    live_server,
    django_db_setup,
    django_db_blocker,
) -> Iterator[Survey]:
    """Every page in every configuration, opened once for all the tests here.

    Module-scoped, so it opens the database itself, and empties it afterwards (as
    the transactional_db that live_server brings to each test does too), so that
    no other test finds alice and carol.
    """
    try:
        with django_db_blocker.unblock():
            result = _survey(browser, live_server)
        yield result
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


def _survey(browser: Browser, live_server) -> Survey:  # noqa: F811
    for each in caches.all():
        each.clear()
    world = build_world()
    visits = visits_for(world)
    people = {"journaler": world.alice.email, "counselor": world.carol.email, "public": None}
    loads: list[Load] = []
    narrow: list[Load] = []

    def walk(configs: list[Config], who: str, *, axe: bool, into: list[Load]) -> None:
        # One context per person and screen, signed in once; each page is opened
        # once and checked in every colour scheme.
        context = browser.new_context(base_url=live_server.url, **configs[0].context_options())
        try:
            surveyor = Surveyor(context)
            if people[who]:
                surveyor.sign_in(people[who])
            for visit in visits:
                if visit.who == who:
                    into.extend(surveyor.open(visit, configs, axe=axe))
        finally:
            context.close()

    for screen in (CONFIGS[:2], CONFIGS[2:]):
        for who in people:
            walk(screen, who, axe=True, into=loads)
    walk([NARROW], "journaler", axe=False, into=narrow)

    if report := os.environ.get("ACCESSIBILITY_REPORT"):
        Path(report).write_text(
            json.dumps(
                {"loads": [asdict(x) for x in loads], "narrow": [asdict(x) for x in narrow]},
                indent=1,
            )
        )
    return Survey(visits, loads, narrow)


# --- The checks -------------------------------------------------------------------


def _configs(names) -> str:
    order = [c.name for c in [*CONFIGS, NARROW]]
    return ", ".join(sorted(set(names), key=order.index))


def test_every_page_of_the_survey_opened_as_expected(survey: Survey):
    """Otherwise the other checks would be measuring an error page, or nothing."""
    failed = [
        f"- {x.page} [{x.config}] {x.url}: {x.error}"
        for x in survey.loads + survey.narrow
        if x.error
    ]
    if failed:
        pytest.fail("Some pages did not open as expected:\n" + "\n".join(failed), pytrace=False)


def _failure(summary: str) -> str:
    """axe's failure summary, on one line, without what differs only by screen size."""
    summary = " ".join(summary.split())
    summary = re.sub(r"^Fix (any|all) of the following: ", "", summary)
    summary = re.sub(r", font size: [^,]+, font weight: [^)]+", "", summary)
    return summary[:300]


def _examples(targets: list[str], shown: int = 4) -> str:
    more = f" (+{len(targets) - shown} more)" if len(targets) > shown else ""
    return ", ".join(f"`{t}`" for t in targets[:shown]) + more


def test_no_page_has_an_axe_violation(survey: Survey):
    rules: dict[str, dict] = {}
    # rule -> page -> failure -> configuration -> targets
    found: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    for load in survey.loads:
        for violation in load.violations:
            rules[violation["id"]] = violation
            for node in violation["nodes"]:
                failure = found[violation["id"]][load.page][_failure(node["summary"])]
                failure.setdefault(load.config, []).append(node["target"])
    if not found:
        return
    impact_order = ["critical", "serious", "moderate", "minor", None]
    lines = [f"axe-core found {len(found)} kinds of WCAG 2.0/2.1 A/AA violation:"]
    for rule_id in sorted(found, key=lambda r: (impact_order.index(rules[r]["impact"]), r)):
        rule, pages = rules[rule_id], found[rule_id]
        nodes = sum(
            len(targets)
            for failures in pages.values()
            for per_config in failures.values()
            for targets in per_config.values()
        )
        configs = {c for failures in pages.values() for f in failures.values() for c in f}
        lines += [
            "",
            f"{rule_id} ({rule['impact']}): {rule['help']}",
            f"  {rule['helpUrl']}",
            f"  {len(pages)} page(s), {nodes} node(s) in all; configurations: {_configs(configs)}",
        ]
        for page_label, failures in pages.items():
            lines.append(f"  * {page_label}")
            for failure, per_config in failures.items():
                counts = ", ".join(f"{c} {len(t)}" for c, t in per_config.items())
                targets = list(dict.fromkeys(t for ts in per_config.values() for t in ts))
                lines.append(f"      - {failure}")
                lines.append(f"        nodes: {counts}; e.g. {_examples(targets)}")
    pytest.fail("\n".join(lines), pytrace=False)


def test_pages_contact_only_the_server_and_stay_within_the_byte_budget(
    survey: Survey, live_server
):
    server = urlsplit(live_server.url).netloc
    problems = []
    for load in survey.loads:
        elsewhere = [
            url
            for url in load.requests
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != server
        ]
        if elsewhere:
            problems.append(f"- {load.page} [{load.config}] contacted another host: {elsewhere}")
        if not load.requests and not load.error:
            problems.append(f"- {load.page} [{load.config}] made no requests at all")
        if load.gzip_bytes > GZIP_BUDGET:
            heaviest = sorted(load.resources, key=lambda r: -r["gzip"])[:4]
            parts = ", ".join(
                f"{urlsplit(r['url']).path} {r['gzip']:,} B gzip ({r['bytes']:,} B)"
                for r in heaviest
            )
            problems.append(
                f"- {load.page} [{load.config}] weighs {load.gzip_bytes:,} B gzip-compressed "
                f"({load.bytes:,} B uncompressed), over the {GZIP_BUDGET:,} B budget; "
                f"heaviest: {parts}"
            )
    if problems:
        pytest.fail("Network problems:\n" + "\n".join(problems), pytrace=False)


def test_no_page_scrolls_sideways(survey: Survey):
    problems = []
    for load in survey.narrow + survey.loads:
        scroll = load.scroll
        if scroll and scroll["scrollWidth"] > scroll["width"]:
            wide = "; ".join(
                f"{w['element']} (right edge {w['right']} px, {w['text']!r})"
                for w in scroll["wide"]
            )
            problems.append(
                f"- {load.page} [{load.config}]: {scroll['scrollWidth']} px wide in a "
                f"{scroll['width']} px window. Sticking out: {wide or 'nothing found'}"
            )
    if problems:
        pytest.fail("Pages that scroll horizontally:\n" + "\n".join(problems), pytrace=False)


def test_every_page_has_its_own_title(survey: Survey):
    # One URL is one page, even opened by two people (the clients page, say),
    # unless one of them sees another page there (the landing page is the signed-in
    # home's URL, with another title); a page an action leads to is a page of its own.
    visits = {visit.label: visit for visit in survey.visits}

    def identity(label: str, title: str) -> str:
        visit = visits[label]
        return label if visit.action or callable(visit.url) else f"{visit.url} {title}"

    titles: dict[str, set[str]] = defaultdict(set)
    for load in survey.loads:
        if load.title is not None:
            titles[load.page].add(load.title)
    problems = []
    by_title: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for label, seen in titles.items():
        if len(seen) > 1:
            problems.append(f"- {label} has more than one title: {sorted(seen)}")
        for title in seen:
            if not title.strip():
                problems.append(f"- {label} has an empty title")
            else:
                by_title[title.strip()][identity(label, title)].append(label)
    for title, pages in by_title.items():
        if len(pages) > 1:
            labels = "; ".join(" = ".join(same) for same in pages.values())
            problems.append(f"- {title!r} is the title of {len(pages)} pages: {labels}")
    if problems:
        pytest.fail("Titles that are empty or not unique:\n" + "\n".join(problems), pytrace=False)
