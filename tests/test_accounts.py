from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from journal.models import User
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a long and unusual passphrase 42"


def _code(message) -> str:
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.M).group(1)


def test_sign_up_asks_for_the_mailed_code_then_for_the_partner(client, db):
    form = {
        "email": "New.Person@Example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    response = client.post(reverse("account_signup"), form)
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert user.check_password(NEW_PASSWORD)
    assert SESSION_KEY not in client.session
    # Not yet: every page asks for the code first.
    assert client.get(reverse("journal:entry-list")).url.startswith(reverse("account_login"))
    [message] = mail.outbox
    assert message.to == ["new.person@example.com"]
    response = client.post(reverse("account_email_verification_sent"), {"code": _code(message)})
    assert response.url == reverse("onboarding")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified


def test_a_wrong_code_says_so_and_confirms_nothing(client, db):
    form = {"email": "new@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    client.post(reverse("account_signup"), form)
    wrong = "AAAA-AAAA" if _code(mail.outbox[0]) != "AAAA-AAAA" else "BBBB-BBBB"
    response = client.post(reverse("account_email_verification_sent"), {"code": wrong})
    assert "That code is not right" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert not EmailAddress.objects.get().verified


def test_an_unconfirmed_address_signs_in_only_with_the_code(client, db):
    user = UserFactory(email_verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.url == reverse("account_email_verification_sent")
    assert SESSION_KEY not in client.session
    client.post(reverse("account_email_verification_sent"), {"code": _code(mail.outbox[0])})
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"email": "not an email"}, "email", "valid email"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
        ({"password2": "something else entirely"}, "password2", "same password"),
    ],
)
def test_sign_up_refuses_bad_input(client, alice, data, field, message):
    form = {"email": "new@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = client.post(reverse("account_signup"), {**form, **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_log_in_with_the_email_in_any_case(client, alice):
    response = client.post(
        reverse("account_login"), {"login": "Alice@Example.COM", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_a_wrong_password_says_so(client, alice):
    response = client.post(reverse("account_login"), {"login": alice.email, "password": "nope"})
    assert response.status_code == 200
    assert "do not match an account" in " ".join(response.context["form"].non_field_errors())


def test_log_out_ends_the_session(alice_client):
    response = alice_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in alice_client.session


def test_home_asks_a_new_user_to_set_up_the_journal_first(client, db):
    user = UserFactory(partner_name="")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("onboarding")


def test_onboarding_saves_the_journal_settings(client, db):
    user = UserFactory(partner_name="")
    client.force_login(user)
    response = client.post(
        reverse("onboarding"),
        {
            "partner_name": "Alex",
            "partner_pronouns": "he",
            "timezone": "America/New_York",
            "week_start": "6",
            "separation_date": "2026-01-15",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.partner_name, user.partner_pronouns, user.timezone, user.week_start) == (
        "Alex",
        "he",
        "America/New_York",
        6,
    )
    assert user.separation_date == datetime.date(2026, 1, 15)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"partner_name": ""}, "partner_name", "required"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Select a valid choice"),
        ({"week_start": "3"}, "week_start", "Select a valid choice"),
        ({"separation_date": "2999-01-01"}, "separation_date", "cannot be in the future"),
    ],
)
def test_profile_refuses_bad_input_and_changes_nothing(alice_client, alice, data, field, message):
    form = {
        "partner_name": "Kim",
        "partner_pronouns": "she",
        "timezone": "Asia/Tokyo",
        "week_start": "0",
    }
    response = alice_client.post(reverse("profile"), {**form, **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    alice.refresh_from_db()
    assert (alice.partner_name, alice.timezone) == ("Sam", "Europe/Paris")


def test_only_onboarding_offers_the_browsers_time_zone(client, db):
    user = UserFactory(partner_name="", timezone="UTC")
    client.force_login(user)
    assert b"data-detect-timezone" in client.get(reverse("onboarding")).content
    assert b"data-detect-timezone" not in client.get(reverse("profile")).content


def test_change_password(alice_client, alice):
    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_reset_password_by_email(client, alice):
    client.post(reverse("account_reset_password"), {"email": alice.email})
    [message] = mail.outbox
    assert message.to == [alice.email]
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    form_url = client.get(link).url
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    # The link works once.
    assert "expired or was already used" in client.get(link, follow=True).content.decode()


def test_reset_for_an_unknown_address_says_the_same_and_mails_no_link(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.url == reverse("account_reset_password_done")
    [message] = mail.outbox
    assert "http://testserver/accounts/password/reset/key/" not in message.body


def test_a_refused_form_lists_its_errors_at_the_top_with_links_to_the_fields(alice_client):
    response = alice_client.post(reverse("profile"), {"partner_name": "", "timezone": "Mars/Base"})
    content = response.content.decode()
    summary = content[
        content.index('id="form-errors"') : content.index(
            "</ul>", content.index('id="form-errors"')
        )
    ]
    assert '<a class="alert-link" href="#id_partner_name">' in summary
    assert '<a class="alert-link" href="#id_timezone">' in summary
    assert re.search(r"aria-describedby=\"[^\"]*id_partner_name_error", content)


def test_the_app_can_be_installed_on_a_phone(client, db):
    import json
    from pathlib import Path

    from django.contrib.staticfiles import finders

    manifest = json.loads(Path(finders.find("manifest.webmanifest")).read_text())
    assert (manifest["start_url"], manifest["display"]) == ("/", "standalone")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"]), icon["src"]
    assert b'rel="manifest"' in client.get(reverse("account_login")).content


def test_the_time_zone_list_offers_every_zone_with_the_users_own_chosen(alice_client):
    page = alice_client.get(reverse("profile")).content.decode()
    select = re.search(r'<select[^>]*name="timezone"[^>]*>(.*?)</select>', page, re.S)
    assert select, "no time zone list"
    options = re.findall(r'<option value="([^"]+)"( selected)?>', select[1])
    # Every place; not "Factory" or "localtime", which are no place to live.
    assert len(options) == len(zoneinfo.available_timezones()) - 2
    assert not {"Factory", "localtime"} & {value for value, _ in options}
    assert [value for value, selected in options if selected] == ["Europe/Paris"]
    assert '<label for="id_timezone"' in page
    assert "data-detect-timezone" not in page
    assert "data-detect-timezone" in alice_client.get(reverse("onboarding")).content.decode()


def test_a_refused_time_zone_is_said_beside_the_list(alice_client):
    response = alice_client.post(
        reverse("profile"),
        {"partner_name": "Sam", "partner_pronouns": "they", "timezone": "Mars/Olympus_Mons"},
    )
    page = response.content.decode()
    assert 'aria-describedby="id_timezone_error" aria-invalid="true"' in page
    assert re.search(r'id="id_timezone_error"[^>]*><strong>Select a valid choice', page)


def test_a_code_works_for_15_minutes_only(client, db):
    with time_machine.travel("2026-12-02 23:00:00", tick=False) as traveller:
        form = {"email": "new@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        client.post(reverse("account_signup"), form)
        code = _code(mail.outbox[0])
        traveller.shift(datetime.timedelta(minutes=16))
        response = client.post(
            reverse("account_email_verification_sent"), {"code": code}, follow=True
        )
        # Back to logging in, which mails a new code.
        assert response.redirect_chain == [(reverse("account_login"), 302)]
        assert SESSION_KEY not in client.session
        assert not EmailAddress.objects.get().verified
        login = {"login": "new@example.com", "password": NEW_PASSWORD}
        client.post(reverse("account_login"), login)
    assert len(mail.outbox) == 2 and _code(mail.outbox[1]) != code
