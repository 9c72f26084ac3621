"""A lock for a shared phone: unused for a while, or locked by hand, the journal asks
for the password again and shows nothing until it has it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from journal.models import Device, Interaction
from tests.factories import NOW, PASSWORD, InteractionFactory, UserFactory

SECRET = "She said she needs time, and I begged."
QUICK = {"kind": "contact", "approach": "approachable", "initiator": "me", "response": "warm"}


@pytest.fixture
def jo(db):
    user = UserFactory(email="jo@example.com", partner_name="Sam", lock_after=5)
    InteractionFactory(owner=user, note=SECRET, date=datetime.date(2026, 11, 27))
    return user


def _at(minutes: float):
    return time_machine.travel(NOW + datetime.timedelta(minutes=minutes), tick=False)


def _signed_in(user) -> Client:
    client = Client()
    with _at(0):
        client.force_login(user)
    return client


def _nothing_of_the_journal(html: str) -> None:
    for words in (SECRET, "Sam", "Log today", "Journal"):
        assert words not in html


def test_unused_past_the_limit_the_journal_asks_for_the_password_then_goes_on(jo):
    client = _signed_in(jo)
    with _at(4):
        assert SECRET in client.get(reverse("home")).content.decode()
    with _at(10):
        asked = client.get(reverse("journal:entry-list") + "?q=begged")
        assert asked.url == "/lock/?next=%2Fjournal%2F%3Fq%3Dbegged"
        page = client.get(asked.url)
        assert page.status_code == 200
        _nothing_of_the_journal(page.content.decode())
        wrong = client.post(asked.url, {"password": "not it", "next": "/journal/?q=begged"})
        assert "That is not your password." in wrong.content.decode()
        assert client.get(reverse("home")).status_code == 302
        right = client.post(asked.url, {"password": PASSWORD, "next": "/journal/?q=begged"})
        assert right.url == "/journal/?q=begged"
        # The search's words are marked in the note found.
        found = SECRET.replace("begged", "<mark>begged</mark>")
        assert found in client.get(right.url).content.decode()


def test_a_page_asked_for_within_the_limit_keeps_the_journal_open(jo):
    client = _signed_in(jo)
    for minutes in (4, 8, 12):
        with _at(minutes):
            assert client.get(reverse("home")).status_code == 200


def test_with_the_lock_off_the_journal_stays_open(jo):
    jo.lock_after = 0
    jo.save()
    client = _signed_in(jo)
    with _at(60 * 24):
        assert client.get(reverse("home")).status_code == 200


def test_a_post_to_a_locked_journal_writes_nothing(jo):
    client = _signed_in(jo)
    with _at(10):
        response = client.post(reverse("journal:entry-quick"), QUICK)
    assert response.url == "/lock/?next=%2F"
    assert Interaction.objects.filter(owner=jo).count() == 1


def test_a_form_sent_to_a_locked_journal_says_so_and_returns_to_its_page(jo):
    client = _signed_in(jo)
    with _at(10):
        form = "http://testserver/journal/new/?kind=space"
        sent = client.post(reverse("journal:entry-create"), {"note": "x"}, HTTP_REFERER=form)
        assert sent.url == "/lock/?next=%2Fjournal%2Fnew%2F%3Fkind%3Dspace"
        assert "What you sent just now was not saved" in client.get(sent.url).content.decode()
        unlocked = client.post(
            sent.url, {"password": PASSWORD, "next": "/journal/new/?kind=space"}
        )
        assert unlocked.url == "/journal/new/?kind=space"
    # Said once: the next lock is a lock like any other.
    with _at(1):
        client.post(reverse("lock-now"), {"next": "/"})
        assert "not saved" not in client.get(reverse("lock")).content.decode()
    # Sent from another site, it goes to Today, never there.
    with _at(10 + 2 * 60):
        elsewhere = client.post(
            reverse("journal:entry-create"), {}, HTTP_REFERER="https://evil.example/journal/"
        )
        assert elsewhere.url == "/lock/?next=%2F"


def test_lock_now_locks_at_once_and_unlocking_returns_to_that_page(jo):
    client = _signed_in(jo)
    with _at(1):
        response = client.post(reverse("lock-now"), {"next": "/journal/?q=walk"})
        assert response.url == "/lock/?next=%2Fjournal%2F%3Fq%3Dwalk"
        assert client.get(reverse("home")).url.startswith("/lock/")
        unlocked = client.post(response.url, {"password": PASSWORD, "next": "/journal/?q=walk"})
        assert unlocked.url == "/journal/?q=walk"


def test_quick_hide_shows_a_page_with_nothing_of_the_journal_and_locks(jo):
    client = _signed_in(jo)
    with _at(1):
        journal = client.get(reverse("journal:entry-list"))
        # Not kept by the browser: Back asks the server, which shows the lock.
        assert "no-store" in journal["Cache-Control"]
        hidden = client.post(reverse("hide"))
        assert hidden.url == reverse("blank")
        blank = client.get(hidden.url).content.decode()
        _nothing_of_the_journal(blank)
        assert "Reconnect" not in blank
        assert client.get(reverse("journal:entry-list")).url.startswith("/lock/")


def test_the_lock_sends_back_only_to_this_site(jo):
    client = _signed_in(jo)
    with _at(1):
        client.post(reverse("lock-now"))
        answer = client.post(reverse("lock"), {"password": PASSWORD, "next": "https://x.example"})
    assert answer.url == reverse("home")


def test_hidden_notes_stay_out_of_lists_and_today_but_not_the_entry(jo):
    jo.hide_notes = True
    jo.lock_after = 0
    jo.save()
    client = _signed_in(jo)
    entry = Interaction.objects.get(owner=jo)
    with _at(1):
        for name in ("home", "journal:entry-list"):
            assert SECRET not in client.get(reverse(name)).content.decode(), name
        assert SECRET in client.get(entry.get_absolute_url()).content.decode()


FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def _signed_in_with(agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(
        reverse("account_login"), {"login": "jo@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_settings_list_where_you_are_signed_in_and_end_another(jo):
    phone, tablet = _signed_in_with(FIREFOX_ANDROID), _signed_in_with(SAFARI_IPHONE)
    page = phone.get(reverse("profile")).content.decode()
    assert "Firefox on Android</strong> · this device" in page
    assert "Safari on iPhone</strong>" in page
    other = Device.objects.get(agent=SAFARI_IPHONE)
    answer = phone.post(reverse("device-end", args=[other.pk]))
    assert "Signed out on Safari on iPhone." in phone.get(answer.url).content.decode()
    assert tablet.get(reverse("journal:entry-list")).url.startswith(reverse("account_login"))
    assert phone.get(reverse("journal:entry-list")).status_code == 200


def test_sign_out_everywhere_else_keeps_this_device(jo):
    phone = _signed_in_with(FIREFOX_ANDROID)
    others = [_signed_in_with(SAFARI_IPHONE) for _ in range(2)]
    phone.post(reverse("devices-end-others"))
    journal = reverse("journal:entry-list")
    assert all(o.get(journal).url.startswith(reverse("account_login")) for o in others)
    assert list(Device.objects.values_list("agent", flat=True)) == [FIREFOX_ANDROID]


def test_a_device_of_someone_else_is_not_found(jo, bob):
    _signed_in_with(FIREFOX_ANDROID)
    client = Client()
    client.force_login(bob)
    device = Device.objects.get(user=jo)
    assert client.post(reverse("device-end", args=[device.pk])).status_code == 404
    assert Device.objects.filter(pk=device.pk).exists()


def test_signing_out_forgets_the_device(jo):
    phone = _signed_in_with(FIREFOX_ANDROID)
    phone.post(reverse("account_logout"))
    assert not Device.objects.exists()


def test_no_page_counts_as_a_use_once_the_time_is_up(jo):
    """Not the lock's own pages, nor the blank page: the journal stays locked."""
    client = _signed_in(jo)
    with _at(10):
        for path in (reverse("blank"), reverse("lock"), reverse("blank")):
            client.get(path)
        assert client.get(reverse("journal:entry-list")).url.startswith("/lock/")


def test_the_lock_takes_any_next_without_failing(jo):
    client = _signed_in(jo)
    with _at(1):
        client.post(reverse("lock-now"))
        for wanted in ("foo", "journal:entry-detail", "//x.example/", "https://x.example"):
            answer = client.post(reverse("lock"), {"password": "wrong", "next": wanted})
            assert answer.status_code == 200
        answer = client.post(reverse("lock"), {"password": PASSWORD, "next": "foo"})
    assert answer.url == reverse("home")


def test_sign_out_everywhere_else_ends_sessions_from_before_devices_were_listed(jo):
    phone, old = _signed_in_with(FIREFOX_ANDROID), _signed_in_with(SAFARI_IPHONE)
    Device.objects.filter(agent=SAFARI_IPHONE).delete()
    phone.post(reverse("devices-end-others"))
    assert old.get(reverse("journal:entry-list")).url.startswith(reverse("account_login"))
    assert phone.get(reverse("journal:entry-list")).status_code == 200


def test_hiding_notes_reaches_a_list_already_cached(jo):
    jo.lock_after = 0
    jo.save()
    client = _signed_in(jo)
    with _at(1):
        assert SECRET in client.get(reverse("journal:entry-list")).content.decode()
        client.post(
            reverse("profile"),
            {
                "partner_name": "Sam",
                "partner_pronouns": "they",
                "timezone": "UTC",
                "week_start": "0",
                "lock_after": "0",
                "hide_notes": "on",
            },
        )
        assert SECRET not in client.get(reverse("journal:entry-list")).content.decode()


def test_a_lock_from_before_locks_kept_their_time_opens_with_the_password_only(jo, client):
    client.post(reverse("account_login"), {"login": jo.email, "password": PASSWORD})
    session = client.session
    session["locked"] = True
    session.save()
    assert client.get(reverse("lock")).status_code == 200
    assert client.post(reverse("lock"), {"password": PASSWORD}).status_code == 302
