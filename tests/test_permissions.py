"""Who may open which URL, for the whole cast, against an expected table.

alice keeps a journal; bob keeps another; carol is alice's counselor; dave is a
counselor of bob only; erin was alice's counselor until alice revoked her; frank's
access to alice's journal has expired; staff operates the site; and anonymous is
not signed in. Every URL pattern has a row: a new view cannot ship without one.
"""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from journal.models import Interaction, Share, UnsentMessage
from tests.factories import InteractionFactory, ReflectionFactory

# alice comes last: some of her writes (a delete, a revoke) change what others would see.
ROLES = ("anonymous", "bob", "carol", "dave", "erin", "frank", "staff", "alice")
COUNSELORS = ("carol", "dave", "erin", "frank")
ENTRY = "alice's entry"
SHARE = "alice's share with the counselor, or with carol"
UNSENT = "alice's unsent message"
# Their internal ids, in the addresses from before entries and shares had public ids.
ENTRY_PK = "the internal id of alice's entry"
SHARE_PK = "the internal id of alice's share with the counselor, or with carol"
WEEK = datetime.date(2026, 11, 16)

# GET/POST status per role: L is a redirect to log in, R a redirect elsewhere.
# Roles in the order of ROLES: anonymous bob carol dave erin frank staff alice.
MATRIX = {
    "home": ({}, "200/405 200/405 200/405 200/405 200/405 200/405 200/405 200/405"),
    "onboarding": ({}, "L/L     200/200 200/200 200/200 200/200 200/200 200/200 200/200"),
    "profile": ({}, "L/L     200/200 200/200 200/200 200/200 200/200 200/200 200/200"),
    # The lock: with nothing locked, its page sends everyone on.
    "lock": ({}, "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R"),
    "lock-now": ({}, "L/L     405/R   405/R   405/R   405/R   405/R   405/R   405/R"),
    "hide": ({}, "L/L     405/R   405/R   405/R   405/R   405/R   405/R   405/R"),
    "blank": ({}, "200/405 200/405 200/405 200/405 200/405 200/405 200/405 200/405"),
    "support": ({}, "200/405 200/405 200/405 200/405 200/405 200/405 200/405 200/405"),
    # The service worker and the offline page it keeps: the same for everyone, and
    # nothing of a journal.
    "service-worker": ({}, "200/405 200/405 200/405 200/405 200/405 200/405 200/405 200/405"),
    "offline": ({}, "200/405 200/405 200/405 200/405 200/405 200/405 200/405 200/405"),
    # Signed-in devices: an id that is not one of yours is not found.
    "device-end": ({"pk": 1}, "L/L     405/404 405/404 405/404 405/404 405/404 405/404 405/404"),
    "devices-end-others": ({}, "L/L     405/R   405/R   405/R   405/R   405/R   405/R   405/R"),
    # Accounts (django-allauth). Signing in, signing up and resets are for anyone;
    # the code and factor steps answer only within a sign-in under way.
    "account_login": ({}, "200/200 R/R     R/R     R/R     R/R     R/R     R/R     R/R"),
    "account_signup": ({}, "200/200 R/R     R/R     R/R     R/R     R/R     R/R     R/R"),
    "account_logout": ({}, "L/L     200/L   200/L   200/L   200/L   200/L   200/L   200/L"),
    "account_inactive": ({}, "200/405 200/405 200/405 200/405 200/405 200/405 200/405 200/405"),
    "account_email_verification_sent": (
        {},
        "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R",
    ),
    "account_confirm_login_code": (
        {},
        "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R",
    ),
    "account_email": ({}, "L/L     200/R   200/R   200/R   200/R   200/R   200/R   200/R"),
    "account_change_password": (
        {},
        "L/L     200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    ),
    "account_set_password": ({}, "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R"),
    "account_reauthenticate": (
        {},
        "L/L     200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    ),
    "account_reset_password": (
        {},
        "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    ),
    "account_reset_password_done": (
        {},
        "200/405 200/405 200/405 200/405 200/405 200/405 200/405 200/405",
    ),
    "account_reset_password_from_key": (
        {"uidb36": "1", "key": "set-password"},
        "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    ),
    "account_reset_password_from_key_done": (
        {},
        "200/405 200/405 200/405 200/405 200/405 200/405 200/405 200/405",
    ),
    # Two-step sign-in: changing a factor asks for the password again first (R).
    "mfa_index": ({}, "L/L     200/405 200/405 200/405 200/405 200/405 200/405 200/405"),
    "mfa_authenticate": ({}, "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R"),
    "mfa_reauthenticate": ({}, "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R"),
    "mfa_activate_totp": ({}, "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R"),
    "mfa_deactivate_totp": ({}, "L/L     404/404 404/404 404/404 404/404 404/404 404/404 404/404"),
    "mfa_view_recovery_codes": (
        {},
        "L/L     404/405 404/405 404/405 404/405 404/405 404/405 404/405",
    ),
    "mfa_generate_recovery_codes": (
        {},
        "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R",
    ),
    "mfa_download_recovery_codes": (
        {},
        "L/L     404/404 404/404 404/404 404/404 404/404 404/404 404/404",
    ),
    "mfa_list_webauthn": ({}, "L/L     200/405 200/405 200/405 200/405 200/405 200/405 200/405"),
    "mfa_add_webauthn": ({}, "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R"),
    "mfa_edit_webauthn": (
        {"pk": 1},
        "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R",
    ),
    "mfa_remove_webauthn": (
        {"pk": 1},
        "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R",
    ),
    "mfa_login_webauthn": ({}, "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R"),
    "mfa_reauthenticate_webauthn": (
        {},
        "L/L     R/R     R/R     R/R     R/R     R/R     R/R     R/R",
    ),
    "reminders-stop": (
        {"token": "forged"},
        "404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404",
    ),
    # The signed-in user's own journal.
    "journal:entry-list": ({}, "L/L     200/403 200/403 200/403 200/403 200/403 200/403 200/403"),
    "journal:entry-create": (
        {},
        "L/L     200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    ),
    # Its address, opened (a reload, a return after the lock), goes on to Today.
    "journal:entry-quick": ({}, "L/L     R/200   R/200   R/200   R/200   R/200   R/200   R/200"),
    # Quick logs a phone kept offline go to the sender's own journal; a post with no
    # log in it is refused (400) with its reason.
    "journal:entry-sync": ({}, "L/L     200/400 200/400 200/400 200/400 200/400 200/400 200/400"),
    # Only the owner's entry of the last minutes is undone; to anyone else, nothing to undo.
    "journal:entry-undo": (
        {"public_id": ENTRY},
        "L/L     405/R   405/R   405/R   405/R   405/R   405/R   405/R",
    ),
    "journal:calendar": ({}, "L/L     200/403 200/403 200/403 200/403 200/403 200/403 200/403"),
    "journal:calendar-day": (
        {"date": WEEK},
        "L/L     200/403 200/403 200/403 200/403 200/403 200/403 200/403",
    ),
    "journal:calendar-month": (
        {"year": 2026, "month": 2},
        "L/L     200/403 200/403 200/403 200/403 200/403 200/403 200/403",
    ),
    "journal:trends": ({}, "L/L     200/403 200/403 200/403 200/403 200/403 200/403 200/403"),
    "journal:summary": ({}, "L/L     200/403 200/403 200/403 200/403 200/403 200/403 200/403"),
    "journal:review-list": ({}, "L/L     200/403 200/403 200/403 200/403 200/403 200/403 200/403"),
    "journal:review-week": (
        {"start": WEEK},
        "L/L     200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    ),
    "guidance:index": ({}, "L/L     200/403 200/403 200/403 200/403 200/403 200/403 200/403"),
    "guidance:principle": (
        {"slug": "back-off"},
        "L/L     200/403 200/403 200/403 200/403 200/403 200/403 200/403",
    ),
    # Checking a message and the unsent ones: each person's own, stored only on a click.
    "guidance:message-check": (
        {},
        "L/L     200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    ),
    "guidance:message-sent": (
        {},
        "L/L     405/200 405/200 405/200 405/200 405/200 405/200 405/200",
    ),
    "guidance:unsent-list": (
        {},
        "L/L     200/405 200/405 200/405 200/405 200/405 200/405 200/405",
    ),
    "guidance:unsent-save": (
        {},
        "L/L     405/200 405/200 405/200 405/200 405/200 405/200 405/200",
    ),
    "guidance:unsent-delete": (
        {"public_id": UNSENT},
        "L/L     404/404 404/404 404/404 404/404 404/404 404/404 200/R",
    ),
    "journal:sharing": ({}, "L/L     200/200 200/200 200/200 200/200 200/200 200/200 200/200"),
    # The signed-in user's own data; a counselor gets their own, never a client's.
    "journal:data-export": ({}, "L/L     200/405 200/405 200/405 200/405 200/405 200/405 200/405"),
    "journal:data-export-csv": (
        {},
        "L/L     200/405 200/405 200/405 200/405 200/405 200/405 200/405",
    ),
    "journal:data-import": ({}, "L/L     200/200 200/200 200/200 200/200 200/200 200/200 200/200"),
    # A POST without the password deletes nothing: the form is shown again.
    "journal:account-delete": (
        {},
        "L/L     200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    ),
    "journal:account-deleted": (
        {},
        "200/405 R/405   R/405   R/405   R/405   R/405   R/405   R/405",
    ),
    # Objects of alice's: to anyone else, her counselor carol too, they answer as
    # ids that do not exist (carol reads them on her own pages of alice's journal).
    "journal:entry-detail": (
        {"public_id": ENTRY},
        "L/L     404/403 404/403 404/403 404/403 404/403 404/403 200/403",
    ),
    "journal:entry-update": (
        {"public_id": ENTRY},
        "L/L     404/404 404/404 404/404 404/404 404/404 404/404 200/200",
    ),
    "journal:entry-delete": (
        {"public_id": ENTRY},
        "L/L     404/404 404/404 404/404 404/404 404/404 404/404 200/R",
    ),
    "journal:entry-moved": (
        {"pk": ENTRY_PK, "then": "edit/"},
        "L/L     404/403 404/403 404/403 404/403 404/403 404/403 R/403",
    ),
    "journal:share-moved": (
        {"pk": SHARE_PK},
        "L/L     404/403 404/403 404/403 404/403 404/403 404/403 R/403",
    ),
    "journal:share-scope": (
        {"public_id": SHARE},
        "L/L     404/404 404/404 404/404 404/404 404/404 404/404 200/200",
    ),
    # The page that shows an invitation's link, once; another's share is not found.
    "journal:share-invited": (
        {"public_id": SHARE},
        "L/L     404/403 404/403 404/403 404/403 404/403 404/403 200/403",
    ),
    # Each asks first; alice's share is active, so there is no invitation to cancel.
    "journal:share-cancel": (
        {"public_id": SHARE},
        "L/L     404/404 404/404 404/404 404/404 404/404 404/404 R/R",
    ),
    "journal:share-revoke": (
        {"public_id": SHARE},
        "L/L     404/404 404/404 404/404 404/404 404/404 404/404 200/R",
    ),
    "journal:invitation": (
        {"token": "forged"},
        "404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404",
    ),
    # A counselor's view of alice's journal, through each counselor's own share.
    "journal:clients": ({}, "L/L     200/403 200/403 200/403 200/403 200/403 200/403 200/403"),
    "client-moved": (
        {"pk": SHARE_PK, "then": "trends/"},
        "L/L     404/403 R/403   404/403 403/403 403/403 404/403 404/403",
    ),
    "client:journal:entry-list": (
        {"share_id": SHARE},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
    "client:journal:entry-detail": (
        {"share_id": SHARE, "public_id": ENTRY},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
    "client:journal:calendar": (
        {"share_id": SHARE},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
    "client:journal:calendar-month": (
        {"share_id": SHARE, "year": 2026, "month": 2},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
    "client:journal:trends": (
        {"share_id": SHARE},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
    "client:journal:calendar-day": (
        {"share_id": SHARE, "date": WEEK},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
    "client:journal:summary": (
        {"share_id": SHARE},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
    "client:guidance:index": (
        {"share_id": SHARE},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
    "client:guidance:principle": (
        {"share_id": SHARE, "slug": "back-off"},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
    "client:journal:review-list": (
        {"share_id": SHARE},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
    "client:journal:review-week": (
        {"share_id": SHARE, "start": WEEK},
        "L/L     404/403 200/403 404/403 403/403 403/403 404/403 404/403",
    ),
}

# The admin has its own staff-only gate, tested in test_admin.py.
EXEMPT_NAMESPACES = {"admin"}


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}")
    return names


@pytest.fixture
def cast(alice, bob, carol_share, dave_share, erin_share, frank_share, staff):
    entry = InteractionFactory(owner=alice, date=datetime.date(2026, 11, 17), is_private=False)
    ReflectionFactory(owner=alice, week_start=WEEK)
    unsent = UnsentMessage.objects.create(owner=alice, text="Not sent.", approach="pressuring")
    people = {
        "alice": alice,
        "bob": bob,
        "carol": carol_share.counselor,
        "dave": dave_share.counselor,
        "erin": erin_share.counselor,
        "frank": frank_share.counselor,
        "staff": staff,
    }
    shares = {"carol": carol_share, "dave": carol_share, "erin": erin_share, "frank": frank_share}
    return {
        "people": people,
        "entry": entry,
        "unsent": unsent,
        "shares": shares,
        "default_share": carol_share,
    }


def _client(cast, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(cast["people"][role])
    return client


def _url(name: str, cast, role: str) -> str:
    share = cast["shares"].get(role, cast["default_share"])
    values = {
        ENTRY: cast["entry"].public_id,
        SHARE: share.public_id,
        ENTRY_PK: cast["entry"].pk,
        SHARE_PK: share.pk,
        UNSENT: cast["unsent"].public_id,
    }
    kwargs = {key: values.get(value, value) for key, value in MATRIX[name][0].items()}
    return reverse(name, kwargs=kwargs)


def _check(response, expected: str, what: str) -> None:
    if expected == "L":
        assert response.status_code == 302, what
        assert response.url.startswith(reverse("account_login")), what
    elif expected == "R":
        assert response.status_code == 302, what
        assert not response.url.startswith(reverse("account_login")), what
    else:
        assert response.status_code == int(expected), what


def test_every_url_pattern_has_a_row_in_the_matrix():
    assert _url_names(get_resolver()) == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_matrix(name, cast):
    expected = dict(zip(ROLES, MATRIX[name][1].split(), strict=True))
    for role in ROLES:
        on_get, on_post = expected[role].split("/")
        client = _client(cast, role)
        url = _url(name, cast, role)
        _check(client.get(url), on_get, f"GET {url} as {role}")
        _check(client.post(url), on_post, f"POST {url} as {role}")


# Valid answers for every form, so that a missing permission check would show.
WRITE = {
    "kind": "contact",
    "date": "2026-11-20",
    "approach": "pressuring",
    "initiator": "me",
    "response": "cool",
    "note": "written by a counselor",
    "went_well": "written by a counselor",
    "partner_name": "Changed",
    "partner_pronouns": "they",
    "timezone": "UTC",
    "week_start": "0",
    "email": "someone@example.com",
    "include_reflections": "on",
}


def _snapshot(exclude_owner) -> dict:
    """Every row of every table but the sessions, leaving out what the acting counselor owns in their own journal
    (which they may change)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.db_table == "django_session":
            continue
        queryset = model.objects.all()
        for field in ("owner", "user"):
            if any(f.name == field for f in model._meta.fields):
                queryset = queryset.exclude(**{field: exclude_owner})
        if model._meta.label == "journal.InteractionTactic":
            queryset = queryset.exclude(interaction__owner=exclude_owner)
        if model._meta.label == "journal.User":
            queryset = queryset.exclude(pk=exclude_owner.pk)
        rows[model._meta.label] = sorted(map(repr, queryset.values()))
    return rows


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_counselors_write_attempts_change_nothing(name, cast):
    for role in COUNSELORS:
        client = _client(cast, role)
        url = _url(name, cast, role)
        before = _snapshot(cast["people"][role])
        for method in ("post", "put", "patch", "delete"):
            getattr(client, method)(url, WRITE)
            assert _snapshot(cast["people"][role]) == before, f"{method.upper()} {url} as {role}"


def test_a_counselor_cannot_change_an_entry_through_the_owners_pages(cast):
    client = _client(cast, "carol")
    entry = cast["entry"]
    before = Interaction.objects.values().get(pk=entry.pk)
    assert (
        client.post(reverse("journal:entry-update", args=[entry.public_id]), WRITE).status_code
        == 404
    )
    assert client.post(reverse("journal:entry-delete", args=[entry.public_id])).status_code == 404
    assert Interaction.objects.values().get(pk=entry.pk) == before


def test_revoking_takes_effect_on_the_counselors_very_next_request(cast):
    client = _client(cast, "carol")
    share = cast["shares"]["carol"]
    url = reverse("client:journal:entry-list", args=[share.public_id])
    assert client.get(url).status_code == 200
    Share.objects.get(pk=share.pk).revoke()
    assert client.get(url).status_code == 403


CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+')
# What differs between any two answers: the moment, and the session's cookie.
# Content-Length: the page holds its own address, whose ids differ in length.
VARYING_HEADERS = {"Date", "Expires", "Set-Cookie", "Content-Length"}


def _answer(response) -> tuple:
    """What a response tells: its status, its headers and its body (less the CSRF token,
    and the page's own address, which Lock now returns to)."""
    headers = sorted((k, v) for k, v in response.headers.items() if k not in VARYING_HEADERS)
    body = CSRF_VALUE.sub(rb"\1", response.content)
    body = body.replace(response.wsgi_request.get_full_path().encode(), b"ADDRESS")
    return response.status_code, tuple(headers), body


def test_someone_elses_object_answers_exactly_as_one_that_does_not_exist(cast, alice):
    """Nothing to count or date: alice's entries (shared, private, out of her counselor's
    scope) and shares (active, revoked) answer everyone else as unused ids do, by
    public id and by the internal id of the older addresses."""
    share = cast["shares"]["carol"]
    share.entries_since = datetime.date(2026, 11, 1)
    share.save()
    hidden = [
        InteractionFactory(owner=alice, date=datetime.date(2026, 11, 18), is_private=True),
        InteractionFactory(owner=alice, date=datetime.date(2026, 10, 2)),
    ]
    entries = [cast["entry"], *hidden]
    shares = [share, cast["shares"]["erin"]]
    objects = {
        "entry": [e.public_id for e in entries] + [uuid.uuid4()],
        "share": [s.public_id for s in shares] + [uuid.uuid4()],
        "entry pk": [e.pk for e in entries] + [Interaction.objects.order_by("-pk")[0].pk + 1000],
        "share pk": [s.pk for s in shares] + [Share.objects.order_by("-pk")[0].pk + 1000],
    }
    pages = [
        ("journal:entry-detail", "entry", "get", ""),
        ("journal:entry-update", "entry", "get", ""),
        ("journal:entry-update", "entry", "post", ""),
        ("journal:entry-delete", "entry", "post", ""),
        ("journal:entry-moved", "entry pk", "get", ""),
        ("journal:entry-moved", "entry pk", "get", "edit/"),
        ("journal:share-scope", "share", "get", ""),
        ("journal:share-invited", "share", "get", ""),
        ("journal:share-cancel", "share", "post", ""),
        ("journal:share-revoke", "share", "post", ""),
        ("journal:share-moved", "share pk", "get", ""),
    ]
    for role in ("bob", "carol", "dave", "erin", "frank", "staff"):
        client = _client(cast, role)
        for name, kind, method, then in pages:
            answers = set()
            for value in objects[kind]:
                kwargs = {"pk": value} if kind.endswith("pk") else {"public_id": value}
                if name.endswith("moved") and name.startswith("journal:entry"):
                    kwargs["then"] = then
                answers.add(_answer(getattr(client, method)(reverse(name, kwargs=kwargs))))
            assert len(answers) == 1, f"{method.upper()} {name} {then} as {role}"
            assert next(iter(answers))[0] == 404

    # On her own pages of alice's journal, carol finds the hidden entries no more
    # than entries that never were.
    client = _client(cast, "carol")
    probes = [e.public_id for e in hidden] + [uuid.uuid4()]
    answers = {
        _answer(client.get(reverse("client:journal:entry-detail", args=[share.public_id, p])))
        for p in probes
    }
    assert len(answers) == 1
    assert next(iter(answers))[0] == 404


def test_the_older_addresses_lead_their_owner_on(cast, alice):
    entry, share = cast["entry"], cast["shares"]["carol"]
    owner, counselor = _client(cast, "alice"), _client(cast, "carol")
    assert owner.get(f"/journal/{entry.pk}/").url == entry.get_absolute_url()
    assert owner.get(f"/journal/{entry.pk}/edit/").url == f"/journal/{entry.public_id}/edit/"
    assert owner.get(f"/journal/sharing/{share.pk}/scope/").url == (
        f"/journal/sharing/{share.public_id}/scope/"
    )
    client_page = f"/journal/clients/{share.public_id}/"
    assert counselor.get(f"/journal/clients/{share.pk}/").url == client_page
    response = counselor.get(f"/journal/clients/{share.pk}/trends/?range=all")
    assert response.url == f"{client_page}trends/?range=all"
    # An entry's internal number means nothing on a counselor's pages.
    response = counselor.get(f"/journal/clients/{share.pk}/{entry.pk}/", follow=True)
    assert response.status_code == 404
