"""Passwords, brute force, sessions, headers and logs."""

from __future__ import annotations

import datetime
import logging
import os
import re
import subprocess
import sys
import threading

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connections
from django.test import Client
from django.urls import reverse

from journal.models import User
from reconnect import settings as project_settings
from tests.factories import NOW, PASSWORD, InteractionFactory, UserFactory


def _login(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _refused(response) -> bool:
    """Locked out: the sign-in form again, saying to wait, and no session."""
    return b"Too many tries. For your safety" in response.content and (
        SESSION_KEY not in response.wsgi_request.session
    )


# A script the page runs itself; a data block (type="application/json") runs nothing.
INLINE_SCRIPT = r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>'


class TestPasswords:
    def test_new_passwords_are_hashed_with_argon2(self, client, db, settings):
        settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
        password = "x" * 64
        client.post(
            reverse("account_signup"),
            {"email": "new@example.com", "password1": password, "password2": password},
        )
        user = User.objects.get(email="new@example.com")
        assert user.password.startswith("argon2$")
        assert user.check_password(password)

    @pytest.mark.parametrize(
        "password, message",
        [
            ("short pwd", "too short"),
            ("password1234", "too common"),
            ("1234567890123", "entirely numeric"),
        ],
    )
    def test_weak_passwords_are_refused(self, client, db, password, message):
        response = client.post(
            reverse("account_signup"),
            {"email": "new@example.com", "password1": password, "password2": password},
        )
        assert message in " ".join(response.context["form"].errors["password1"])
        assert not User.objects.exists()

    def test_a_64_character_password_is_accepted(self, client, db):
        password = "a sentence that goes on for a good while, 64 characters in all!!"
        assert len(password) == 64
        response = client.post(
            reverse("account_signup"),
            {"email": "new@example.com", "password1": password, "password2": password},
        )
        assert response.status_code == 302


class TestBruteForce:
    def test_five_failures_lock_the_account_from_that_address_until_the_cool_off(self, alice):
        client = Client()
        with time_machine.travel(NOW, tick=False):
            for _ in range(4):
                assert b"do not match" in _login(client, alice.email, "wrong").content
            # The fifth failure locks, whatever the case of the address.
            assert b"do not match" in _login(client, alice.email.upper(), "wrong").content
            locked = _login(client, alice.email, PASSWORD)
            assert locked.status_code == 200
            assert b"Too many tries. For your safety" in locked.content
            assert SESSION_KEY not in client.session
        with time_machine.travel(NOW + datetime.timedelta(minutes=14), tick=False):
            assert _refused(_login(client, alice.email, PASSWORD))
        with time_machine.travel(NOW + datetime.timedelta(minutes=16), tick=False):
            assert _login(client, alice.email, PASSWORD).status_code == 302
            assert client.session[SESSION_KEY] == str(alice.pk)

    def test_the_lock_is_for_that_account_only(self, alice, bob):
        client = Client()
        for _ in range(5):
            _login(client, alice.email, "wrong")
        assert _login(client, bob.email, PASSWORD).status_code == 302

    def test_a_right_password_takes_back_its_own_count_only(self, alice):
        client = Client()
        for _ in range(4):
            _login(client, alice.email, "wrong")
        assert _login(client, alice.email, PASSWORD).status_code == 302
        client.post(reverse("account_logout"))
        # Not a fresh start: a guesser cannot slip in their own sign-ins to go on.
        assert b"do not match" in _login(client, alice.email, "wrong").content
        assert _refused(_login(client, alice.email, PASSWORD))

    def test_guesses_from_many_clients_stop_too(self, alice, settings):
        settings.BEHIND_PROXY = True
        for n in range(20):
            client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
            assert b"do not match" in _login(client, alice.email, "wrong").content
        owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
        assert _refused(_login(owner, alice.email, PASSWORD))

    def test_one_ipv6_network_counts_as_one_client(self, alice, settings):
        settings.BEHIND_PROXY = True
        for n in range(5):
            client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"2001:db8::{n + 1}")
            _login(client, alice.email, "wrong")
        same_network = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8::99")
        assert _refused(_login(same_network, alice.email, PASSWORD))

    def test_behind_a_proxy_a_stranger_cannot_lock_the_owner_out(self, alice, settings):
        settings.BEHIND_PROXY = True
        # Every request comes from the proxy; only X-Forwarded-For tells the clients apart.
        stranger = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
        owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
        for _ in range(5):
            _login(stranger, alice.email, "wrong")
        assert _refused(_login(stranger, alice.email, PASSWORD))
        assert _login(owner, alice.email, PASSWORD).status_code == 302

    def test_without_a_proxy_a_forwarded_address_is_not_believed(self, alice):
        for n in range(5):
            _login(Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"), alice.email, "wrong")
        assert _refused(_login(Client(), alice.email, PASSWORD))

    def test_concurrent_failures_still_lock(self, transactional_db):
        user = UserFactory(email="target@example.com")
        barrier = threading.Barrier(8)

        def attempt() -> None:
            barrier.wait()
            _login(Client(), user.email, "wrong")
            connections.close_all()

        threads = [threading.Thread(target=attempt) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert _refused(_login(Client(), user.email, PASSWORD))


class TestSessions:
    def test_logging_in_gives_a_new_session_key(self, alice, client):
        client.get(reverse("account_login"))
        client.session["before"] = True
        client.session.save()
        before = client.session.session_key
        _login(client, alice.email, PASSWORD)
        assert client.session.session_key != before

    def test_logging_out_ends_the_session(self, alice, client):
        _login(client, alice.email, PASSWORD)
        key = client.session.session_key
        client.post(reverse("account_logout"))
        assert not Session.objects.filter(session_key=key).exists()
        assert client.get(reverse("journal:entry-list")).status_code == 302

    def test_changing_the_password_ends_the_other_sessions(self, alice):
        here, elsewhere = Client(), Client()
        _login(here, alice.email, PASSWORD)
        _login(elsewhere, alice.email, PASSWORD)
        new = "another long passphrase 2026"
        here.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": new, "password2": new},
        )
        assert here.get(reverse("journal:entry-list")).status_code == 200
        assert elsewhere.get(reverse("journal:entry-list")).status_code == 302

    def test_an_idle_session_ends_and_an_active_one_goes_on(self, alice):
        age = datetime.timedelta(seconds=django_settings.SESSION_COOKIE_AGE)
        idle, active = Client(), Client()
        with time_machine.travel(NOW, tick=False):
            _login(idle, alice.email, PASSWORD)
            _login(active, alice.email, PASSWORD)
        with time_machine.travel(NOW + age * 0.75, tick=False):
            assert active.get(reverse("journal:entry-list")).status_code == 200
        with time_machine.travel(NOW + age * 1.25, tick=False):
            assert active.get(reverse("journal:entry-list")).status_code == 200
            assert idle.get(reverse("journal:entry-list")).status_code == 302


SAMPLED_PAGES = [
    ("home", {}),
    ("journal:entry-list", {}),
    ("journal:entry-create", {}),
    ("journal:trends", {}),
    ("journal:calendar", {}),
    ("journal:review-list", {}),
    ("guidance:index", {}),
    ("journal:sharing", {}),
    ("profile", {}),
]


class TestHeaders:
    @pytest.mark.parametrize("name, kwargs", SAMPLED_PAGES)
    def test_every_page_sends_the_security_headers_and_has_no_inline_script(
        self, alice_client, alice, name, kwargs
    ):
        InteractionFactory(owner=alice)
        response = alice_client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response["Content-Security-Policy"].split(";")
        )
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["base-uri"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        html = response.content.decode()
        assert re.findall(INLINE_SCRIPT, html) == []
        assert re.findall(r"\son[a-z]+\s*=", html) == []
        assert re.findall(r"\sstyle\s*=", html) == []

    @pytest.mark.parametrize(
        "name", ["home", "account_login", "account_signup", "account_reset_password"]
    )
    def test_public_pages_send_the_policy_too(self, client, db, name):
        response = client.get(reverse(name))
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert re.findall(INLINE_SCRIPT, response.content.decode()) == []

    def test_debugs_own_not_found_page_sends_the_policy_too(self, client, db, settings):
        settings.DEBUG = True
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "default-src 'self'" in response["Content-Security-Policy"]

    def test_production_settings_turn_on_hsts_and_secure_cookies(self):
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "journal.example.org",
        }
        code = (
            "import reconnect.settings as s;"
            "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
        )
        output = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert output.stdout.split() == ["31536000", "True", "True", "True"]

    def test_debug_is_off_unless_turned_on(self):
        env = {k: v for k, v in os.environ.items() if k != "DEBUG"} | {"SECRET_KEY": "x" * 60}
        code = "import reconnect.settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT)"
        output = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert output.stdout.split() == ["False", "True"]

    def test_production_refuses_to_start_without_a_secret_key(self):
        env = {**os.environ, "DEBUG": "false", "SECRET_KEY": ""}
        result = subprocess.run(
            [sys.executable, "-c", "import reconnect.wsgi"],
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr


def test_logs_never_hold_notes_passwords_tokens_or_session_keys(
    caplog, db, client, django_capture_on_commit_callbacks
):
    """A whole journey, every log record captured, then searched for what must not be there."""
    caplog.set_level(logging.DEBUG)
    note, password = "MARKER-NOTE-TEXT", "MARKER-password-2026"
    client.post(
        reverse("account_signup"),
        {"email": "jo@example.com", "password1": password, "password2": password},
    )
    code = re.search(r"^([A-Z0-9-]{9})$", mail.outbox[-1].body, re.M).group(1)
    client.post(reverse("account_email_verification_sent"), {"code": code})
    client.post(
        reverse("onboarding"),
        {"partner_name": "Sam", "partner_pronouns": "they", "timezone": "UTC", "week_start": "0"},
    )
    client.post(
        reverse("journal:entry-create"),
        {"kind": "contact", "date": "2026-01-05", "approach": "approachable", "note": note},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("journal:sharing"), {"email": "carol@example.com", "include_reflections": "on"}
        )
    invitation = re.search(r"/journal/invitations/(\S+?)/", mail.outbox[-1].body).group(1)
    session_key = client.session.session_key
    client.post(reverse("account_logout"))
    client.post(
        reverse("account_login"), {"login": "jo@example.com", "password": "MARKER-wrong-guess"}
    )
    client.get(
        f"/journal/invitations/{invitation}/"
    )  # now unknown to a signed-out visitor? still logged
    client.post(reverse("account_reset_password"), {"email": "jo@example.com"})
    reset = re.search(r"/accounts/password/reset/key/(\S+)/", mail.outbox[-1].body).group(1)
    client.get(f"/accounts/password/reset/key/{reset}/")
    client.get("/journal/invitations/forged-token-MARKER/")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records, "the journey logged nothing at all"
    for secret in (
        note,
        password,
        "MARKER-wrong-guess",
        code,
        invitation,
        reset,
        session_key,
        "forged-token-MARKER",
    ):
        assert secret not in logged, secret


@pytest.mark.parametrize(
    "line",
    [
        "GET /journal/invitations/TOKEN-MARKER/ 200",
        "GET /accounts/login/?next=%2Fjournal%2Finvitations%2FTOKEN-MARKER%2F 200",
        "GET /accounts/login/?next=%2fjournal%2finvitations%2fTOKEN-MARKER 200",
        "POST /accounts/password/reset/key/1-TOKEN-MARKER/ 302",
        "GET /accounts/confirm-email/TOKEN-MARKER/ 200",
    ],
)
def test_tokens_are_blanked_however_their_path_is_written(line):
    from reconnect.logging import redact

    assert "TOKEN-MARKER" not in redact(line)
    assert "[redacted]" in redact(line)


def test_a_refused_form_token_gets_the_apps_own_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "That did not go through" in page and "Nothing was saved" in page
    assert "<style" not in page and "style=" not in page
    assert "default-src 'self'" in response["Content-Security-Policy"]
