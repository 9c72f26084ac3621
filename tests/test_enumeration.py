"""No answer tells a stranger whether an address has an account: sign-up, sign-in and
the password reset look and take alike for both, and their limits hold."""

from __future__ import annotations

import gc
import re
import statistics
import time
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from journal.models import OutgoingMail, User
from reconnect import settings as project_settings
from tests.factories import UserFactory

TRIES = 20
NEW_PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def taken(db):
    return UserFactory(email="taken@example.com").email


def _signup(client: Client, email: str):
    form = {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(reverse("account_signup"), form)


def _login(client: Client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": "not it at all"})


def _reset(client: Client, email: str):
    return client.post(reverse("account_reset_password"), {"email": email})


def _visible(response) -> tuple[int, str, str]:
    """What the person sees: the status, where it leads, and the page's text with
    the form's token and the address they typed taken out."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    text = re.sub(r"[\w.+-]+@example\.com", "ADDRESS", text)
    return response.status_code, response.get("Location", ""), text


@pytest.mark.parametrize("answer", [_signup, _login, _reset])
def test_the_answer_is_the_same_for_a_taken_and_a_new_address(taken, answer):
    assert _visible(answer(Client(), taken)) == _visible(answer(Client(), "new@example.com"))


def test_the_page_after_sign_up_is_the_same_too(taken):
    pages = []
    for email in (taken, "new@example.com"):
        client = Client()
        _signup(client, email)
        pages.append(_visible(client.get(reverse("account_email_verification_sent"))))
    assert pages[0] == pages[1]
    assert pages[0][0] == 200


def test_sign_up_with_a_taken_address_creates_nothing_and_mails_its_owner(taken):
    # The same address in another case is the same address.
    _signup(Client(), "Taken@Example.COM")
    assert User.objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["taken@example.com"]
    assert "already has one" in message.body


def _time_ms(answer: Callable, email: str) -> float:
    cache.clear()  # each try within the limits, as a stranger's slow probes would be
    client = Client()
    started = time.perf_counter()
    answer(client, email)
    return (time.perf_counter() - started) * 1000


# The mail each path leaves in the outbox: sign-up and reset write one whether or not
# the address has an account (the mail itself says which).
MAILS = {_signup: 2 * TRIES, _login: 0, _reset: 2 * TRIES}


@pytest.mark.parametrize("answer", [_signup, _login, _reset])
def test_the_answer_takes_as_long_for_a_taken_and_a_new_address(taken, answer, settings):
    """Medians of 20 tries each within 20 % (or 2 ms), with production's password hashing and
    its outbox: the mail a request leaves is written to the database, never sent
    from it. The tries alternate, so that neither side gets the machine's quieter
    moments."""
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    settings.EMAIL_BACKEND = "journal.mail.OutboxBackend"
    _time_ms(answer, taken), _time_ms(answer, "warm-up@example.com")
    OutgoingMail.objects.all().delete()
    taken_ms, new_ms = [], []
    # The garbage collector's pauses fall on either side at random; without them the
    # comparison is of the code's own work.
    gc.collect()
    gc.disable()
    try:
        for i in range(TRIES):
            taken_ms.append(_time_ms(answer, taken))
            new_ms.append(_time_ms(answer, f"new{i}@example.com"))
    finally:
        gc.enable()
    taken_median, new_median = statistics.median(taken_ms), statistics.median(new_ms)
    # Within 20 %, or 2 ms for the quickest paths, where a loaded machine's noise is
    # as large as a fifth of the time.
    allowed = max(0.2 * max(taken_median, new_median), 2.0)
    assert abs(taken_median - new_median) <= allowed, (
        f"taken {taken_median:.1f} ms, new {new_median:.1f} ms"
    )
    assert OutgoingMail.objects.count() == MAILS[answer]
    assert mail.outbox == []


def test_the_sixth_reset_within_the_hour_sends_nothing_and_says_to_wait(taken):
    client = Client()
    for _ in range(5):
        assert _reset(client, taken).status_code == 302
    assert len(mail.outbox) == 5
    response = _reset(client, taken)
    assert response.status_code == 429
    assert "Please wait a little" in response.content.decode()
    assert len(mail.outbox) == 5
    # Another address is not held up by it.
    assert _reset(client, "other@example.com").status_code == 302


def test_a_new_code_can_be_asked_for_only_now_and_then(db):
    client = Client()
    with time_machine.travel("2026-12-02 23:00:00", tick=False) as traveller:
        _signup(client, "new@example.com")
        url = reverse("account_email_verification_sent")
        client.post(url, {"action": "resend"})
        assert len(mail.outbox) == 1
        traveller.shift(15)
        client.post(url, {"action": "resend"})
        assert len(mail.outbox) == 2
        codes = {re.search(r"^(\S{4}-\S{4})$", m.body, re.M)[1] for m in mail.outbox}
        assert len(codes) == 2
