"""Generated input to every form of the journal: never a 500, and a refused form saves nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.choices import Approach, Channel, Initiator, Kind, Response, Tactic
from journal.models import Interaction, Reflection, Share, User

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(max_size=300)


def maybe(values) -> st.SearchStrategy:
    """A valid choice, an empty one, or anything at all."""
    return st.one_of(st.sampled_from([*values, ""]), text)


dates = st.one_of(st.dates().map(str), text)


def _posted(client: Client, url: str, data: dict, model) -> None:
    before = model.objects.count()
    response = client.post(url, data)
    assert response.status_code < 500
    if response.status_code == 200:  # refused and shown again
        assert model.objects.count() == before


@pytest.fixture
def client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "kind": maybe(Kind.values),
            "date": dates,
            "time": st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), text),
            "channel": maybe(Channel.values),
            "initiator": maybe(Initiator.values),
            "approach": maybe(Approach.values),
            "response": maybe(Response.values),
            "mood": st.one_of(st.integers(-3, 9).map(str), text),
            "note": text,
            "tactics": st.lists(maybe(Tactic.values), max_size=4),
            "is_private": st.sampled_from(["on", "", "yes", "0"]),
        }
    )
)
def test_the_interaction_form(client, data):
    _posted(client, reverse("journal:entry-create"), data, Interaction)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "kind": maybe(Kind.values),
            "approach": maybe(Approach.values),
            "initiator": maybe(Initiator.values),
            "response": maybe(Response.values),
        }
    )
)
def test_the_quick_form(client, data):
    _posted(client, reverse("journal:entry-quick"), data, Interaction)


@FUZZ
@given(
    week=st.dates(),
    data=st.fixed_dictionaries({"went_well": text, "where_pushed": text, "try_next": text}),
)
def test_the_reflection_form(client, week, data):
    before = Reflection.objects.count()
    response = client.post(f"/journal/reviews/{week.isoformat()}/", data)
    assert response.status_code < 500
    if response.status_code in (200, 404):
        assert Reflection.objects.count() == before


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "partner_name": text,
            "partner_pronouns": maybe(["she", "he", "they"]),
            "timezone": maybe(["UTC", "Europe/Paris", "Pacific/Kiritimati"]),
            "week_start": maybe(["0", "6"]),
            "separation_date": dates,
            "weekly_reminder": st.sampled_from(["on", ""]),
        }
    )
)
def test_the_profile_form(client, alice, data):
    before = User.objects.values().get(pk=alice.pk)
    response = client.post(reverse("profile"), data)
    assert response.status_code < 500
    if response.status_code == 200:
        assert User.objects.values().get(pk=alice.pk) == before


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "email": st.one_of(st.emails(), text),
            "entries_since": dates,
            "include_reflections": st.sampled_from(["on", ""]),
            "access_until": dates,
        }
    )
)
def test_the_sharing_form(client, data):
    before = Share.objects.count()
    response = client.post(reverse("journal:sharing"), data)
    # Sent, it goes on to the page that shows the link once; refused, it shows the
    # form again.
    assert response.status_code in (200, 302)
    assert Share.objects.count() == before + (response.status_code == 302)


# The account forms (django-allauth's), signed out: none answers with a 500, and a
# refused sign-up makes no account. The cache is emptied before each example, so
# that the rate limits do not stand in for the forms.
emails = st.one_of(st.emails().map(str), text)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {"email": emails, "password1": text, "password2": text, "next": text}
    )
)
def test_the_sign_up_form(db, data):
    cache.clear()
    _posted(Client(), reverse("account_signup"), data, User)


@FUZZ
@given(data=st.fixed_dictionaries({"login": emails, "password": text, "next": text}))
def test_the_sign_in_form(alice, data):
    cache.clear()
    response = Client().post(reverse("account_login"), data)
    assert response.status_code < 500


@FUZZ
@given(data=st.fixed_dictionaries({"email": emails}))
def test_the_reset_form(alice, data):
    cache.clear()
    assert Client().post(reverse("account_reset_password"), data).status_code < 500


@FUZZ
@given(code=text, action=st.sampled_from(["", "resend", "change", "anything"]), email=emails)
def test_the_code_form(db, code, action, email):
    cache.clear()
    client = Client()
    form = {
        "email": "new@example.com",
        "password1": "a long passphrase 42",
        "password2": "a long passphrase 42",
    }
    client.post(reverse("account_signup"), form)
    url = reverse("account_email_verification_sent")
    response = client.post(url, {"code": code, "action": action, "email": email})
    assert response.status_code < 500


@FUZZ
@given(password=text, next=text)
def test_the_lock_form(client, alice, password, next):
    cache.clear()
    session = client.session
    session["locked"] = 1.0
    session.save()
    response = client.post(reverse("lock"), {"password": password, "next": next})
    assert response.status_code < 500
