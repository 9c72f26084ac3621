"""Who may open which URL: every URL pattern has a row in the matrix.

Charlie-style rule: bob (another journaler) has no access to alice's stuff.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from journal.models import Interaction
from tests.factories import InteractionFactory

LOGIN = "login redirect"
ENTRY = "alice's entry"

# URL name: (kwargs, GET as anonymous, GET as bob, GET as alice)
GET_MATRIX = {
    "home": ({}, 200, 200, 200),
    "signup": ({}, 200, 302, 302),
    "onboarding": ({}, LOGIN, 200, 200),
    "profile": ({}, LOGIN, 200, 200),
    "login": ({}, 200, 200, 200),
    "logout": ({}, 405, 405, 405),
    "password_change": ({}, LOGIN, 200, 200),
    "password_change_done": ({}, LOGIN, 200, 200),
    "password_reset": ({}, 200, 200, 200),
    "password_reset_done": ({}, 200, 200, 200),
    "password_reset_confirm": ({"uidb64": "MQ", "token": "set-password"}, 200, 200, 200),
    "password_reset_complete": ({}, 200, 200, 200),
    "journal:entry-list": ({}, LOGIN, 200, 200),
    "journal:entry-create": ({}, LOGIN, 200, 200),
    "journal:entry-quick": ({}, LOGIN, 405, 405),
    "journal:entry-detail": ({"pk": ENTRY}, LOGIN, 404, 200),
    "journal:entry-update": ({"pk": ENTRY}, LOGIN, 404, 200),
    "journal:entry-delete": ({"pk": ENTRY}, LOGIN, 404, 200),
    "journal:calendar": ({}, LOGIN, 200, 200),
    "journal:trends": ({}, LOGIN, 200, 200),
    "journal:review-list": ({}, LOGIN, 200, 200),
    "journal:review-week": ({"start": datetime.date(2026, 11, 16)}, LOGIN, 200, 200),
    "reminders-stop": ({"token": "not-a-valid-token"}, 404, 404, 404),
    "guidance:index": ({}, LOGIN, 200, 200),
    "guidance:principle": ({"slug": "back-off"}, LOGIN, 200, 200),
    "journal:calendar-month": ({"year": 2026, "month": 2}, LOGIN, 200, 200),
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


def _url(name: str, entry: Interaction) -> str:
    kwargs = {
        key: entry.pk if value == ENTRY else value for key, value in GET_MATRIX[name][0].items()
    }
    return reverse(name, kwargs=kwargs)


def _check(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


def test_every_url_pattern_has_a_row_in_the_matrix():
    assert _url_names(get_resolver()) == set(GET_MATRIX)


@pytest.mark.parametrize("name", sorted(GET_MATRIX))
def test_get_matrix(name, alice_client, bob_client, alice_entry):
    url = _url(name, alice_entry)
    _, anonymous, as_bob, as_alice = GET_MATRIX[name]
    _check(Client().get(url), anonymous)
    _check(bob_client.get(url), as_bob)
    _check(alice_client.get(url), as_alice)


@pytest.mark.parametrize("name", ["journal:entry-update", "journal:entry-delete"])
def test_another_journaler_cannot_change_an_entry(name, bob_client, alice_entry):
    before = Interaction.objects.values().get(pk=alice_entry.pk)
    response = bob_client.post(
        _url(name, alice_entry),
        {"kind": "contact", "date": "2026-01-01", "approach": "pressuring"},
    )
    assert response.status_code == 404
    assert Interaction.objects.values().get(pk=alice_entry.pk) == before


@pytest.mark.parametrize(
    "name",
    [
        "journal:entry-create",
        "journal:entry-quick",
        "journal:entry-update",
        "journal:entry-delete",
        "onboarding",
        "profile",
    ],
)
def test_anonymous_writes_go_to_login_and_change_nothing(name, alice_entry):
    before = list(Interaction.objects.values())
    response = Client().post(
        _url(name, alice_entry), {"kind": "contact", "approach": "pressuring"}
    )
    _check(response, LOGIN)
    assert list(Interaction.objects.values()) == before


def test_journal_list_and_calendar_never_show_another_journalers_entries(bob_client, alice):
    InteractionFactory(owner=alice, note="only for alice", date="2026-02-10")
    listing = bob_client.get(reverse("journal:entry-list"))
    calendar = bob_client.get(reverse("journal:calendar-month", args=[2026, 2]))
    assert b"only for alice" not in listing.content
    assert all(counts is None for week in calendar.context["weeks"] for _, counts in week)
