"""Care before advice: the support lines, the hard-stretch note on Today, and the
safety line wherever advice is given."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from guidance.support import FALLBACK, SUPPORT
from journal.choices import Country
from tests.factories import InteractionFactory, ReflectionFactory, UserFactory

TODAY = datetime.date.today()


@pytest.mark.parametrize("country", [*SUPPORT])
def test_each_country_gets_its_own_lines_and_emergency_number(client, db, country):
    page = client.get(reverse("support"), {"country": country}).content.decode()
    support = SUPPORT[country]
    assert f'href="tel:{support.emergency_tel}"' in page
    for line in support.lines:
        assert escape(line.name) in page
        if line.tel:
            assert f'href="tel:{line.tel}"' in page


@pytest.mark.parametrize("country", ["", Country.OTHER, "ZZ"])
def test_anywhere_else_gets_how_to_find_local_help(client, db, country):
    page = client.get(reverse("support"), {"country": country}).content.decode()
    assert "your local emergency number" in page
    assert FALLBACK.lines[0].how in page


def test_the_country_chosen_in_settings_comes_first(alice_client, alice):
    alice.country = Country.NZ
    alice.save()
    page = alice_client.get(reverse("support")).content.decode()
    assert "Need to talk? 1737" in page
    assert '<option value="NZ" selected>' in page


def test_the_page_asks_nothing_of_another_host(client, db):
    page = client.get(reverse("support"), {"country": Country.US}).content.decode()
    addresses = re.findall(r'(?:src|href|action)="([^"]*)"', page)
    assert addresses
    assert [a for a in addresses if not a.startswith(("/", "#", "tel:"))] == []


def test_the_lock_does_not_stand_in_front_of_it(alice_client):
    session = alice_client.session
    session["locked"] = 1.0
    session.save()
    assert alice_client.get(reverse("home")).status_code == 302
    assert alice_client.get(reverse("support")).status_code == 200


def _moods(owner, *moods: int | None) -> None:
    """Entries on the last days, newest first."""
    for days_ago, mood in enumerate(moods, start=1):
        InteractionFactory(owner=owner, date=TODAY - datetime.timedelta(days=days_ago), mood=mood)


@pytest.mark.parametrize(
    "moods, hard",
    [
        ((1, 2, 1, 5), True),
        ((2, 5, 1, 2), True),
        ((1, 1, 4, 5), False),
        # Older low moods no longer count...
        ((4, 5, 4, 3, 1, 1, 1), False),
        # ...and entries without a mood are not counted at all.
        ((1, None, None, 2, 4, 1), True),
    ],
)
def test_a_run_of_low_moods(alice_client, alice, moods, hard):
    _moods(alice, *moods)
    page = alice_client.get(reverse("home")).content.decode()
    assert ("This has been a hard stretch" in page) is hard


def test_today_meets_a_hard_stretch_with_care_before_advice(alice_client, alice):
    _moods(alice, 1, 2, 1, 4)
    page = alice_client.get(reverse("home")).content.decode()
    assert "This has been a hard stretch" in page
    assert page.index("This has been a hard stretch") < page.index("Log today's contact")
    assert f'href="{reverse("support")}"' in page
    assert "can wait" in page
    assert "Why this one" not in page


def _advice_pages(alice) -> dict[str, str]:
    """Every page that gives advice, but Today, by the words its advice starts with."""
    week = alice.week_start_for(TODAY)
    return {
        reverse("guidance:index"): "Nine principles",
        reverse("guidance:principle", args=["back-off"]): "What it means",
        reverse("journal:review-week", args=[week]): "What this week calls for",
    }


def test_every_page_that_gives_advice_puts_care_first_in_a_hard_stretch(alice_client, alice):
    _moods(alice, 1, 2, 1, 4)
    for url, advice in _advice_pages(alice).items():
        page = alice_client.get(url).content.decode()
        assert "This has been a hard stretch" in page, url
        assert page.index("This has been a hard stretch") < page.index(advice), url


def test_the_counselor_is_never_told_of_the_clients_hard_stretch(carol_share):
    alice = carol_share.owner
    _moods(alice, 1, 1, 1, 1)
    client = Client()
    client.force_login(carol_share.counselor)
    for url in _advice_pages(alice):
        client_url = url.replace(
            "/guidance/", f"/journal/clients/{carol_share.public_id}/guidance/"
        )
        client_url = client_url.replace(
            "/journal/reviews/", f"/journal/clients/{carol_share.public_id}/reviews/"
        )
        response = client.get(client_url)
        assert response.status_code == 200, client_url
        assert "This has been a hard stretch" not in response.content.decode()


def test_on_other_days_today_gives_its_advice_with_the_safety_line(alice_client, alice):
    _moods(alice, 4, 2, 5, 1)
    page = alice_client.get(reverse("home")).content.decode()
    assert "This has been a hard stretch" not in page
    assert "This advice assumes you are safe with" in page


def test_a_review_gives_its_advice_with_the_safety_line(alice_client, alice):
    InteractionFactory(owner=alice, date=TODAY - datetime.timedelta(days=7), approach="pressuring")
    week = alice.week_start_for(TODAY) - datetime.timedelta(days=7)
    page = alice_client.get(reverse("journal:review-week", args=[week])).content.decode()
    assert "What this week calls for" in page
    assert "This advice assumes you are safe with" in page


def test_the_counselor_reads_the_review_without_the_clients_safety_line(carol_share):
    alice = carol_share.owner
    week = alice.week_start_for(TODAY) - datetime.timedelta(days=7)
    ReflectionFactory(owner=alice, week_start=week)
    client = Client()
    client.force_login(carol_share.counselor)
    url = reverse("client:journal:review-week", args=[carol_share.public_id, week])
    page = client.get(url).content.decode()
    assert "What this week calls for" in page
    assert "This advice assumes you are safe with" not in page


def test_a_principle_page_gives_the_safety_notice_before_its_advice(alice_client):
    page = alice_client.get(reverse("guidance:principle", args=["back-off"])).content.decode()
    assert page.index("If you do not feel safe") < page.index("What it means")


def test_onboarding_says_what_the_tags_mean_and_where_help_is(client, db):
    client.force_login(UserFactory(partner_name=""))
    page = client.get(reverse("onboarding")).content.decode()
    assert "Approachable" in page and "Pressuring" in page
    assert "assumes you are safe" in page
    assert f'href="{reverse("support")}"' in page


def test_settings_keep_the_country(alice_client, alice):
    form = {"partner_name": "Sam", "partner_pronouns": "they", "timezone": "UTC"}
    alice_client.post(reverse("profile"), {**form, "week_start": "0", "country": "IE"})
    alice.refresh_from_db()
    assert alice.country == Country.IE
