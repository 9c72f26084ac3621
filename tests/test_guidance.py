"""Guidance pages, the dashboard's rules, and the page query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from guidance.principles import BY_SLUG, PRINCIPLES
from guidance.rules import FALLBACK, suggestions_for
from journal.demo import journal_generate
from journal.reports.trends import trends_for
from tests.factories import log

D = datetime.date
THIS_WEEK = D(2026, 11, 23)


pytestmark = pytest.mark.usefixtures("frozen")


def _chosen(user) -> list[str]:
    return [s.principle.slug for s in suggestions_for(trends_for(user), user)]


def _weeks_ago(n: int, day: int = 1) -> D:
    return THIS_WEEK - datetime.timedelta(weeks=n) + datetime.timedelta(days=day)


class TestRules:
    def test_three_game_tactics_in_a_week_call_for_stopping_the_games(self, alice):
        log(alice, _weeks_ago(1), "pressuring", ["guilt", "jealousy"], initiator="partner")
        log(alice, _weeks_ago(1, 2), "pressuring", ["obligation"], initiator="partner")
        assert _chosen(alice)[0] == "stop-the-games"

    def test_the_reason_names_the_week_in_view_or_the_one_before_never_by_date(self, alice):
        log(alice, _weeks_ago(1), "pressuring", ["guilt", "jealousy", "obligation"])
        [first, *_] = suggestions_for(trends_for(alice), alice)
        assert first.reason.startswith("The week before you tried 3 different strategies")
        log(alice, _weeks_ago(0), "pressuring", ["guilt", "jealousy", "indifference"])
        [first, *_] = suggestions_for(trends_for(alice), alice)
        assert first.reason.startswith("This week you tried 3 different strategies")

    def test_two_game_tactics_do_not(self, alice):
        log(alice, _weeks_ago(1), "pressuring", ["guilt", "jealousy"], initiator="partner")
        assert "stop-the-games" not in _chosen(alice)

    def test_game_tactics_from_a_month_ago_do_not(self, alice):
        log(
            alice,
            _weeks_ago(4),
            "pressuring",
            ["guilt", "jealousy", "obligation"],
            initiator="partner",
        )
        assert "stop-the-games" not in _chosen(alice)

    def test_a_rising_pressuring_share_calls_for_easing_off(self, alice):
        for n in range(2, 6):
            log(alice, _weeks_ago(n), "approachable", ["good_memory"], initiator="partner")
        for day in range(3):
            log(alice, _weeks_ago(1, day), "pressuring", initiator="partner")
        assert "back-off" in _chosen(alice)

    def test_a_rise_of_a_few_points_is_a_wobble_not_a_change(self, alice):
        # The four weeks before: 5 pressuring of 16 (31%); the last two: 2 of 6 (33%).
        for n in range(2, 6):
            for day in range(4):
                approach = (
                    "pressuring"
                    if (n, day) in {(2, 0), (3, 0), (4, 0), (5, 0), (5, 1)}
                    else "approachable"
                )
                log(alice, _weeks_ago(n, day), approach, initiator="partner")
        for day in range(6):
            log(
                alice,
                _weeks_ago(day // 3, day % 3),
                "pressuring" if day < 2 else "approachable",
                initiator="partner",
            )
        assert "back-off" not in _chosen(alice)

    def test_a_steady_pressuring_share_does_not(self, alice):
        for n in range(0, 6):
            log(alice, _weeks_ago(n), "approachable", ["good_memory"], initiator="partner")
        assert "back-off" not in _chosen(alice)

    def test_no_contact_started_by_the_partner_in_four_weeks_calls_for_encouraging(self, alice):
        for n in range(4):
            log(alice, _weeks_ago(n), "approachable", ["good_memory"], initiator="me")
        chosen = _chosen(alice)
        assert "encourage" in chosen

    def test_one_contact_started_by_the_partner_is_enough_not_to(self, alice):
        for n in range(4):
            log(alice, _weeks_ago(n), "approachable", ["good_memory"], initiator="me")
        log(alice, _weeks_ago(2), "approachable", initiator="partner")
        assert "encourage" not in _chosen(alice)

    def test_cooler_answers_after_pressure_call_for_good_feelings(self, alice):
        for n in range(5):
            log(
                alice,
                _weeks_ago(n, 1),
                "approachable",
                ["good_memory"],
                initiator="partner",
                response="warm",
            )
            log(
                alice,
                _weeks_ago(n, 2),
                "approachable",
                ["good_memory"],
                initiator="partner",
                response="warm",
            )
        for n in range(5):
            log(alice, _weeks_ago(n + 5), "pressuring", initiator="partner", response="cool")
        chosen = suggestions_for(trends_for(alice), alice)
        cooler = [s for s in chosen if s.principle.slug == "positive-emotions"]
        assert cooler and "0% (0 of 5)" in cooler[0].reason

    def test_warm_answers_either_way_do_not(self, alice):
        for n in range(5):
            log(
                alice,
                _weeks_ago(n, 1),
                "approachable",
                ["good_memory"],
                initiator="partner",
                response="warm",
            )
            log(alice, _weeks_ago(n + 5), "pressuring", initiator="partner", response="warm")
        chosen = suggestions_for(trends_for(alice), alice)
        assert [s.reason for s in chosen] == [FALLBACK[1].format(your="your")]

    def test_no_good_memory_in_four_weeks_calls_for_remembering_when_it_was_easy(self, alice):
        for n in range(4):
            log(alice, _weeks_ago(n), "approachable", ["listened"], initiator="partner")
        assert _chosen(alice) == ["effortless"]

    def test_a_shared_good_memory_is_enough_not_to(self, alice):
        for n in range(4):
            log(alice, _weeks_ago(n), "approachable", ["good_memory"], initiator="partner")
        assert "effortless" not in _chosen(alice)

    def test_a_quiet_journal_gets_the_articles_central_advice(self, alice):
        assert _chosen(alice) == [FALLBACK[0]]

    def test_at_most_two_principles_are_chosen(self, alice):
        for n in range(6):
            log(alice, _weeks_ago(n), "approachable", initiator="me", response="warm")
        log(
            alice,
            _weeks_ago(0, 0),
            "pressuring",
            ["guilt", "jealousy", "pleading", "obligation"],
            initiator="me",
        )
        log(alice, _weeks_ago(0, 1), "pressuring", ["seduction"], initiator="me")
        log(alice, _weeks_ago(0, 2), "pressuring", ["indifference"], initiator="me")
        assert _chosen(alice) == ["stop-the-games", "back-off"]


class TestPages:
    def test_the_dashboard_says_which_principle_and_why(self, alice_client, alice):
        for n in range(4):
            log(alice, _weeks_ago(n), "approachable", ["listened"], initiator="partner")
        response = alice_client.get(reverse("home"))
        content = response.content.decode()
        assert "Bring back how easy it was" in content
        # One thing to do, from the principle's own page, and why, in alice's numbers.
        try_first = BY_SLUG["effortless"].try_this_week[0].format(**alice.partner_words)
        assert f"<strong>Try this week:</strong> {escape(try_first)}" in content
        assert (
            "None of your 4 approachable or pressuring contacts in the last four weeks shared a good memory."
            in content
        )
        # One principle only, and above the form on a phone.
        assert content.count("<strong>Try this week:</strong>") == 1
        assert content.index("Try this week") < content.index('id="quick-log"')

    def test_the_guidance_page_lists_every_principle_with_its_numbers(self, alice_client, alice):
        log(alice, _weeks_ago(0), "pressuring", ["guilt"], note="I pushed about the holidays")
        response = alice_client.get(reverse("guidance:index"))
        content = response.content.decode()
        for principle in PRINCIPLES:
            assert escape(principle.title) in content
        assert (
            "1 strategy tagged in the last four weeks (tried to make them feel guilty)" in content
        )
        assert "I pushed about the holidays" in content

    @pytest.mark.parametrize("principle", PRINCIPLES, ids=lambda p: p.slug)
    def test_every_principle_page_has_its_advice_source_and_safety_notice(
        self, alice_client, alice, principle
    ):
        response = alice_client.get(reverse("guidance:principle", args=[principle.slug]))
        content = response.content.decode()
        for text in (principle.meaning, principle.why, *principle.try_this_week):
            assert escape(text.format(**alice.partner_words)) in content
        assert "Leslie Cane" in content
        assert "If you do not feel safe" in content

    def test_guidance_names_the_partner_with_the_chosen_pronouns(self, alice_client, alice):
        alice.partner_pronouns = "she"
        alice.save()
        content = alice_client.get(reverse("guidance:principle", args=["encourage"])).content
        assert b"leave the choice to her." in content
        assert b"Leave room for Sam to reach out first" in content
        alice.partner_pronouns = "he"
        alice.save()
        content = alice_client.get(reverse("guidance:principle", args=["encourage"])).content
        assert b"leave the choice to him." in content

    def test_the_guidance_index_has_the_safety_notice(self, alice_client):
        assert b"If you do not feel safe" in alice_client.get(reverse("guidance:index")).content

    def test_an_unknown_principle_is_not_found(self, alice_client):
        assert alice_client.get(reverse("guidance:principle", args=["nope"])).status_code == 404

    @pytest.mark.parametrize("entries", [0, 2])
    def test_trends_with_few_entries_explain_what_will_appear(self, alice_client, alice, entries):
        for n in range(entries):
            log(alice, _weeks_ago(n))
        response = alice_client.get(reverse("journal:trends"))
        assert b"Your trends will appear here" in response.content
        assert b"<svg" not in response.content

    def test_trends_draw_every_chart_with_a_table(self, alice_client, alice):
        for n in range(3):
            log(alice, _weeks_ago(n), "pressuring", ["guilt"], response="cool")
        response = alice_client.get(reverse("journal:trends"), {"range": "4w"})
        content = response.content.decode()
        # No good memory was shared: that chart says so instead of drawing bare axes.
        assert content.count('role="img"') == 4
        assert content.count("Show as a table") == 4
        assert content.count("Nothing to draw yet") == 1
        assert content.index("Shared good memories per week") < content.index("Nothing to draw")
        assert "0 of 3" in content  # warm after pressuring: counts, not a percentage
        assert "Pressure-free now" in content

    def test_an_unknown_range_falls_back_to_twelve_weeks(self, alice_client):
        response = alice_client.get(reverse("journal:trends"), {"range": "forever"})
        assert response.context["range"] == "12w"


PAGES = [
    ("home", {}, {}),
    ("journal:entry-list", {}, {}),
    ("journal:trends", {}, {"range": "4w"}),
    ("journal:trends", {}, {"range": "12w"}),
    ("journal:trends", {}, {"range": "1y"}),
    ("journal:trends", {}, {"range": "all"}),
    ("guidance:index", {}, {}),
    ("guidance:principle", {"slug": "stop-the-games"}, {}),
    ("journal:calendar", {}, {}),
    ("journal:review-list", {}, {}),
    ("journal:review-week", {"start": D(2026, 11, 23)}, {}),
]
# Queries per page on a first visit: the same for one entry and for two years of entries.
EXPECTED_QUERIES = {
    # With the last four moods (a hard stretch?) and today's entries (space still open?).
    "home": 9,
    "journal:entry-list": 5,
    # With the insights: the rows of the settled weeks, and of the recent ones (right
    # after a write, only these).
    "journal:trends": 7,
    # With the last four moods too: care comes before advice in a hard stretch.
    "guidance:index": 8,
    "guidance:principle": 8,
    "journal:calendar": 3,
    "journal:review-list": 7,
    "journal:review-week": 10,
}


@pytest.mark.parametrize("years", [1, 10])
def test_page_query_counts_are_the_same_at_one_and_at_ten_years(alice_client, alice, years):
    journal_generate(
        user=alice,
        start=D(2026, 11, 28) - datetime.timedelta(days=365 * years),
        end=D(2026, 11, 28),
    )
    counts = {}
    for name, kwargs, params in PAGES:
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.get(reverse(name, kwargs=kwargs), params)
        assert response.status_code == 200
        counts[(name, params.get("range"))] = len(queries)
    assert counts == {
        (name, params.get("range")): EXPECTED_QUERIES[name] for name, _, params in PAGES
    }


@pytest.mark.parametrize(
    "url, params, expected",
    [
        (
            "journal:trends",
            {"range": "4w"},
            # The chart starts at the first entry's week, three weeks ago.
            "3 approachable and 1 pressuring contact in 3 weeks: 3 of 4 approachable.",
        ),
        (
            "guidance:index",
            {},
            "1 strategy tagged in the last four weeks (tried to make them feel guilty)",
        ),
        ("home", {}, 'Pressuring contacts</dt><dd class="col-4">1</dd>'),
    ],
)
def test_cached_pages_show_a_new_entry_at_once(alice_client, alice, url, params, expected):
    for n in range(3):
        log(alice, _weeks_ago(n), "approachable")
    assert expected not in alice_client.get(reverse(url), params).content.decode()
    log(alice, _weeks_ago(0, 2), "pressuring", ["guilt"])
    assert expected in alice_client.get(reverse(url), params).content.decode()
