"""Deleting an account: only with the password; then nothing of the user is left, every
session of theirs ends, their counselors lose access, and the journals they counsel
keep their records."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from journal.models import AccessLog, Interaction, Reflection, Share, UnsentMessage, User
from tests.factories import (
    PASSWORD,
    AccessLogFactory,
    DeviceFactory,
    InteractionFactory,
    InteractionTacticFactory,
    ReflectionFactory,
    ReminderSentFactory,
    ShareFactory,
    SubmissionFactory,
)

DELETE = reverse("journal:account-delete")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _references_to_users() -> list:
    """Every foreign key and one-to-one field, in every model (the many-to-many
    tables included), that points at a user."""
    return [
        (model, field)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User
    ]


@pytest.fixture
def everything(alice, bob, carol_share):
    """alice, with a row in every table that can point at a user."""
    entry = InteractionFactory(owner=alice, approach="pressuring")
    InteractionTacticFactory(interaction=entry)
    ReflectionFactory(owner=alice)
    UnsentMessage.objects.create(owner=alice, text="Not sent after all.", approach="pressuring")
    ReminderSentFactory(user=alice)
    SubmissionFactory(owner=alice)
    DeviceFactory(user=alice)
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={})
    AccessLogFactory(share=carol_share)
    # alice counsels bob, too.
    bob_share = ShareFactory(owner=bob, counselor=alice, email=alice.email)
    AccessLogFactory(share=bob_share)
    LogEntry.objects.create(
        user=alice,
        content_type=ContentType.objects.get_for_model(Interaction),
        object_id=str(entry.pk),
        object_repr=str(entry),
        action_flag=ADDITION,
    )
    alice.groups.add(Group.objects.create(name="Operators"))
    alice.user_permissions.add(Permission.objects.get(codename="view_interaction"))
    return bob_share


def test_a_wrong_password_is_refused_and_deletes_nothing(alice, everything):
    client = _signed_in(alice)
    response = client.post(DELETE, {"password": "not my password"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == [
        "That is not your password. Nothing was deleted."
    ]
    assert User.objects.filter(pk=alice.pk).exists()
    assert Interaction.objects.for_owner(alice).count() == 1
    assert client.get(reverse("journal:entry-list")).status_code == 200


def test_no_password_is_refused_and_deletes_nothing(alice, everything):
    response = _signed_in(alice).post(DELETE, {})
    assert response.context["form"].errors["password"] == [
        "Enter your password to delete your account."
    ]
    assert User.objects.filter(pk=alice.pk).exists()


def test_guessing_the_password_is_limited(alice):
    client = _signed_in(alice)
    for _ in range(10):
        client.post(DELETE, {"password": "a guess"})
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.context["form"].errors["password"] == [
        "Too many tries. For your safety, this pauses for a while; please try again later. "
        "Nothing was deleted."
    ]
    assert User.objects.filter(pk=alice.pk).exists()


def test_the_right_password_deletes_the_account_and_says_goodbye(alice, everything):
    client = _signed_in(alice)
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.url == reverse("journal:account-deleted")
    goodbye = client.get(response.url)
    assert b"Your account is deleted" in goodbye.content
    assert not User.objects.filter(email="alice@example.com").exists()
    login = Client().post(
        reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD}
    )
    assert login.status_code == 200
    assert "do not match an account" in " ".join(login.context["form"].non_field_errors())


def test_no_row_of_any_model_points_at_a_deleted_user(alice, everything):
    pk = alice.pk
    references = _references_to_users()
    # Each is in use before, so a reference the deletion left behind would show.
    for model, field in references:
        assert model._default_manager.filter(**{field.attname: pk}).exists(), (
            f"give alice a {model._meta.label} in the fixture `everything`"
        )
    _signed_in(alice).post(DELETE, {"password": PASSWORD})
    for model, field in references:
        left = model._default_manager.filter(**{field.attname: pk})
        assert not left.exists(), f"{model._meta.label}.{field.name}"


def test_what_alice_owned_goes_and_what_others_own_stays(alice, bob, carol_share, everything):
    bob_share = everything
    bobs_entry = InteractionFactory(owner=bob)
    _signed_in(alice).post(DELETE, {"password": PASSWORD})
    assert not Interaction.objects.exclude(pk=bobs_entry.pk).exists()
    assert not Reflection.objects.exists()
    assert not Share.objects.filter(pk=carol_share.pk).exists()
    assert list(AccessLog.objects.values_list("share", flat=True)) == [bob_share.pk]
    bob_share.refresh_from_db()
    assert (bob_share.counselor, bob_share.email) == (None, "alice@example.com")
    assert User.objects.filter(pk=carol_share.counselor.pk).exists()


def test_every_session_of_the_user_ends_and_no_one_elses(alice, bob):
    phone, laptop, bobs = _signed_in(alice), _signed_in(alice), _signed_in(bob)
    assert Session.objects.count() == 3
    laptop.post(DELETE, {"password": PASSWORD})
    assert [s.get_decoded()[SESSION_KEY] for s in Session.objects.all()] == [str(bob.pk)]
    response = phone.get(reverse("journal:entry-list"))
    assert response.url.startswith(reverse("account_login"))
    assert SESSION_KEY not in laptop.session
    assert bobs.get(reverse("journal:entry-list")).status_code == 200


def test_the_addresses_and_sign_in_factors_go_too(alice, bob):
    for user in (alice, bob):
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    _signed_in(alice).post(DELETE, {"password": PASSWORD})
    assert list(EmailAddress.objects.values_list("user", flat=True)) == [bob.pk]
    assert list(Authenticator.objects.values_list("user", flat=True)) == [bob.pk]


CLIENT_PAGES = ["entry-list", "calendar", "trends", "review-list"]


def test_alices_counselor_loses_access_at_once(alice, carol_share, carol):
    carol_client = _signed_in(carol)
    url = reverse("client:journal:entry-list", args=[carol_share.public_id])
    assert carol_client.get(url).status_code == 200
    _signed_in(alice).post(DELETE, {"password": PASSWORD})
    for name in CLIENT_PAGES:
        url = reverse(f"client:journal:{name}", args=[carol_share.public_id])
        assert carol_client.get(url).status_code in (403, 404), url
    assert b"alice@example.com" not in carol_client.get(reverse("journal:clients")).content


def test_a_deleted_counselor_leaves_alice_her_access_log(alice, alice_client, carol_share, carol):
    carol_client = _signed_in(carol)
    carol_client.get(reverse("client:journal:entry-list", args=[carol_share.public_id]))
    carol_client.get(reverse("client:journal:trends", args=[carol_share.public_id]))
    carol_client.post(DELETE, {"password": PASSWORD})
    carol_share.refresh_from_db()
    assert carol_share.counselor is None
    assert carol_share.state == Share.State.ENDED
    assert sorted(AccessLog.objects.filter(share=carol_share).values_list("what", flat=True)) == [
        "journal",
        "trends",
    ]
    page = alice_client.get(reverse("journal:sharing")).content.decode()
    assert "Ended: the counselor&#x27;s account was deleted" in page
    assert page.count("carol@example.com") >= 3  # the share and its two visits


def test_the_form_carries_its_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(DELETE).content.decode()
    assert page.split('id="main"')[1].count('name="csrfmiddlewaretoken"') == 1
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=alice.pk).exists()
    response = client.post(DELETE, {"password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.url == reverse("journal:account-deleted")
