"""A second step at sign-in (django-allauth's mfa): an authenticator app's codes,
recovery codes, and a counselor whose client asks for one."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, ShareFactory, UserFactory


def totp(secret: str) -> str:
    """The six digits an authenticator app shows now (RFC 6238: 30-second steps, SHA-1)."""
    counter = int(time.time() // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def next_code_step():
    """Half a minute on: the app shows a code that the set-up did not use."""
    return time_machine.travel(time.time() + 30, tick=False)


def sign_in(client: Client, email: str) -> str:
    """The password step; where it leads."""
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response.url


def turn_on_totp(client: Client) -> str:
    """Set up the authenticator app as a person would: read the key off the page, enter
    the code the app shows. The key."""
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7]+)"', page)[1]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert response.status_code == 302, response.content
    return secret


@pytest.fixture
def jo(db):
    return UserFactory(email="jo@example.com")


@pytest.fixture
def jo_with_totp(jo) -> str:
    client = Client()
    sign_in(client, jo.email)
    # Time moves on, so the code used to turn it on is not the one signing in.
    return turn_on_totp(client)


def test_turning_on_the_app_asks_for_the_password_first(jo):
    client = Client()
    client.force_login(jo)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not Authenticator.objects.filter(user=jo).exists()


def test_a_wrong_code_turns_nothing_on(jo):
    client = Client()
    sign_in(client, jo.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not Authenticator.objects.filter(user=jo).exists()


def test_with_the_app_on_signing_in_takes_a_code(jo, jo_with_totp):
    types = set(Authenticator.objects.filter(user=jo).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    client = Client()
    assert sign_in(client, jo.email) == reverse("mfa_authenticate")
    # The password alone opens nothing.
    assert SESSION_KEY not in client.session
    assert client.get(reverse("journal:entry-list")).status_code == 302
    with next_code_step():
        response = client.post(reverse("mfa_authenticate"), {"code": totp(jo_with_totp)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(jo.pk)


def test_a_code_is_refused_the_second_time(jo, jo_with_totp):
    first, second = Client(), Client()
    sign_in(first, jo.email)
    sign_in(second, jo.email)
    with next_code_step():
        code = totp(jo_with_totp)
        assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
        replay = second.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200
    assert "already used" in replay.content.decode()
    assert SESSION_KEY not in second.session


def test_a_wrong_code_says_so(jo, jo_with_totp):
    client = Client()
    sign_in(client, jo.email)
    wrong = f"{(int(totp(jo_with_totp)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert "That code is not right" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_recovery_code_opens_once(jo, jo_with_totp):
    codes = Authenticator.objects.get(user=jo, type=Authenticator.Type.RECOVERY_CODES)
    code = codes.wrap().get_unused_codes()[0]
    client = Client()
    sign_in(client, jo.email)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.session[SESSION_KEY] == str(jo.pk)
    again = Client()
    sign_in(again, jo.email)
    assert again.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert SESSION_KEY not in again.session


def test_settings_list_the_second_steps(jo, jo_with_totp):
    client = Client()
    client.force_login(jo)
    page = client.get(reverse("profile")).content.decode()
    factors = page[page.index('id="factors"') : page.index("</ul>", page.index('id="factors"'))]
    assert "Authenticator app:</strong>\n      on." in factors
    assert "10 left" in factors
    assert "none yet." in factors


def test_the_recovery_codes_are_shown_once(jo):
    client = Client()
    sign_in(client, jo.email)
    turn_on_totp(client)
    first = client.get(reverse("mfa_view_recovery_codes"))
    codes = Authenticator.objects.get(user=jo, type=Authenticator.Type.RECOVERY_CODES)
    unused = codes.wrap().get_unused_codes()
    assert all(code in first.content.decode() for code in unused)
    later = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert not any(code in later for code in unused)


# A counselor whose client asks for a second step.


@pytest.fixture
def asking_share(db):
    return ShareFactory(require_two_factor=True)


def test_a_counselor_without_a_second_step_is_turned_away(asking_share):
    counselor = Client()
    sign_in(counselor, asking_share.counselor.email)
    url = reverse("client:journal:entry-list", args=[asking_share.public_id])
    response = counselor.get(url)
    assert response.status_code == 403
    assert "asks that you sign in with a second step" in response.content.decode()


def test_a_counselor_signed_in_with_a_second_step_reads(asking_share):
    counselor = Client()
    sign_in(counselor, asking_share.counselor.email)
    secret = turn_on_totp(counselor)
    url = reverse("client:journal:entry-list", args=[asking_share.public_id])
    # Set up in this session, but this sign-in did not take the step.
    assert counselor.get(url).status_code == 403
    counselor.post(reverse("account_logout"))
    sign_in(counselor, asking_share.counselor.email)
    with next_code_step():
        counselor.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert counselor.get(url).status_code == 200


def test_the_last_second_step_stays_while_a_client_asks_for_one(asking_share):
    counselor = Client()
    sign_in(counselor, asking_share.counselor.email)
    turn_on_totp(counselor)
    response = counselor.post(reverse("mfa_deactivate_totp"))
    assert "so your last one stays" in response.content.decode()
    assert Authenticator.objects.filter(
        user=asking_share.counselor, type=Authenticator.Type.TOTP
    ).exists()


def test_a_client_can_ask_for_a_second_step_when_inviting(alice_client, alice):
    alice_client.post(
        reverse("journal:sharing"),
        {"email": "carol@example.com", "require_two_factor": "on"},
    )
    assert alice.shares.get().require_two_factor


def test_the_last_passkey_stays_while_a_client_asks_for_a_second_step(asking_share):
    counselor = asking_share.counselor
    passkey = Authenticator.objects.create(
        user=counselor, type=Authenticator.Type.WEBAUTHN, data={"name": "Phone"}
    )
    client = Client()
    client.force_login(counselor)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_remove_webauthn", args=[passkey.pk]))
    assert response.url == reverse("mfa_list_webauthn")
    [message] = get_messages(response.wsgi_request)
    assert "so your last one stays" in str(message)
    assert Authenticator.objects.filter(pk=passkey.pk).exists()
    # Once the client no longer asks, it goes.
    asking_share.require_two_factor = False
    asking_share.save()
    client.post(reverse("mfa_remove_webauthn", args=[passkey.pk]))
    assert not Authenticator.objects.filter(pk=passkey.pk).exists()
