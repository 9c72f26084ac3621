"""Trend values against hand-computed expectations on small journals."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from journal.demo import journal_generate
from journal.reports.charts import change, charts_for, sparkline
from journal.reports.summaries import summaries_rebuild
from journal.reports.trends import Rate, trends_for
from journal.services import interaction_save, interactions_delete
from tests.factories import NOW, InteractionFactory, UserFactory, log

D = datetime.date
# A Saturday; the current week is 23–29 November with Monday starts.


pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def journal(alice):
    """Three weeks of alice's journal, Monday weeks: 9, 16 and 23 November."""
    log(
        alice,
        D(2026, 11, 10),
        "pressuring",
        ["guilt", "jealousy"],
        initiator="me",
        response="cool",
        mood=2,
    )
    log(alice, D(2026, 11, 12), "pressuring", ["guilt"], initiator="me", response="warm", mood=2)
    log(
        alice,
        D(2026, 11, 13),
        "approachable",
        ["good_memory"],
        initiator="partner",
        response="warm",
        mood=4,
    )
    log(
        alice,
        D(2026, 11, 18),
        "approachable",
        ["listened"],
        initiator="me",
        response="neutral",
        mood=3,
    )
    InteractionFactory(owner=alice, date=D(2026, 11, 19), space=True, mood=None)
    log(
        alice,
        D(2026, 11, 24),
        "approachable",
        ["good_memory", "warmth"],
        initiator="partner",
        response="warm",
        mood=5,
    )
    log(alice, D(2026, 11, 25), "approachable", [], initiator="together", response="", mood=None)
    return alice


def test_weekly_counts_share_tactics_and_mood(journal):
    trends = trends_for(journal, "4w")
    assert [w.start for w in trends.weeks] == [
        D(2026, 11, 2),
        D(2026, 11, 9),
        D(2026, 11, 16),
        D(2026, 11, 23),
    ]
    empty, first, second, third = trends.weeks
    assert (empty.contacts, empty.approachable_share, empty.mood) == (0, None, None)
    assert (first.approachable, first.pressuring, first.partner_initiated) == (1, 2, 1)
    assert first.approachable_share == pytest.approx(1 / 3)
    assert first.tactics == {"guilt": 2, "jealousy": 1, "good_memory": 1}
    assert first.pressuring_tactics == 3
    assert first.mood == pytest.approx(8 / 3)
    assert (second.approachable, second.pressuring, second.space) == (1, 0, 1)
    assert second.mood == 3
    assert (third.approachable, third.partner_initiated, third.good_memories) == (2, 1, 1)
    assert trends.totals.good_memories == 2


def test_warm_answers_after_each_approach_come_with_their_counts(journal):
    trends = trends_for(journal, "4w")
    # Approachable with a recorded response: 13 (warm), 18 (neutral), 24 (warm); 25 has none.
    assert trends.warm_after_approachable == Rate(warm=2, total=3)
    assert trends.warm_after_pressuring == Rate(warm=1, total=2)


def test_practical_contacts_count_on_their_own(journal):
    # The children's school run, on 26 November: neither approach, no pressure.
    log(journal, D(2026, 11, 26), "practical", initiator="partner", response="neutral", mood=3)
    trends = trends_for(journal, "4w")
    week = trends.weeks[-1]
    assert (week.approachable, week.pressuring, week.practical) == (2, 0, 1)
    assert (week.contacts, week.relational, week.approachable_share) == (3, 2, 1)
    assert week.partner_initiated == 2
    assert week.warm_after("practical") == Rate(warm=0, total=1)
    assert trends.totals.practical == 1
    # The streak of pressure-free days runs on through it.
    assert trends_for(journal).streak_current == 16
    (chart, *_) = charts_for(trends, "Sam")
    # From the week of the first entry (9 November): three weeks, not the range's four.
    assert chart.summary == (
        "4 approachable, 2 pressuring and 1 practical contact in 3 weeks: "
        "67% (4 of 6) approachable, practical ones aside. "
        "The approachable share rose from 33% in the first week to 100% in the last."
    )
    assert chart.columns[:3] == ["approachable", "pressuring", "practical"]


def test_a_rate_under_five_interactions_is_counts_only():
    assert str(Rate(0, 0)) == "none logged yet"
    assert Rate(2, 4).value is None
    assert str(Rate(2, 4)) == "2 of 4"
    assert Rate(3, 5).value == pytest.approx(0.6)
    assert str(Rate(3, 5)) == "60% (3 of 5)"


def test_streaks_count_days_without_pressure(journal):
    trends = trends_for(journal)
    # Last pressuring day 12 Nov; today 28 Nov.
    assert trends.streak_current == 16
    # Journal began 10 Nov with pressure; 11 Nov is the only day between 10 and 12.
    assert trends.streak_longest == 16


def test_the_longest_streak_can_lie_in_the_past(alice):
    log(alice, D(2026, 9, 1), "approachable")
    log(alice, D(2026, 9, 5), "pressuring")
    log(alice, D(2026, 10, 20), "pressuring")
    log(alice, D(2026, 11, 27), "pressuring")
    trends = trends_for(alice)
    assert trends.streak_current == 1
    assert trends.streak_longest == 44  # 6 Sep to 19 Oct


def test_without_any_pressure_the_streak_is_every_day_since_the_first_entry(alice):
    log(alice, D(2026, 11, 20), "approachable")
    trends = trends_for(alice)
    assert (trends.streak_current, trends.streak_longest) == (9, 9)


def test_a_streak_is_never_negative_after_a_change_of_time_zone(alice):
    log(alice, D(2026, 11, 29), "pressuring")  # tomorrow, for the journal's new time zone
    assert trends_for(alice).streak_current == 0


def test_an_empty_journal_has_empty_weeks_and_no_streak(alice):
    trends = trends_for(alice, "4w")
    assert len(trends.weeks) == 4
    assert trends.entries == 0
    assert (trends.streak_current, trends.streak_longest) == (0, 0)


@pytest.mark.parametrize(
    "key, weeks, start",
    [
        ("4w", 4, D(2026, 11, 2)),
        ("12w", 12, D(2026, 9, 7)),
        ("1y", 52, D(2025, 12, 1)),
        ("all", 14, D(2026, 8, 24)),
    ],
)
def test_ranges(alice, key, weeks, start):
    log(alice, D(2026, 8, 26), "approachable")
    trends = trends_for(alice, key)
    assert (len(trends.weeks), trends.start) == (weeks, start)
    assert trends.entries == 1


def test_entries_before_the_range_are_left_out_of_the_weeks(alice):
    log(alice, D(2026, 8, 26), "pressuring", ["guilt"])
    trends = trends_for(alice, "4w")
    assert trends.totals.pressuring == 0
    assert trends.totals.tactics == {}


def test_another_users_entries_never_count(journal, bob):
    log(bob, D(2026, 11, 24), "pressuring", ["ultimatum"])
    assert trends_for(journal, "4w").totals.tactics.get("ultimatum") is None


class TestWeekBuckets:
    @pytest.mark.parametrize(
        "week_start, expected",
        [
            # Paris moves its clocks forward on Sunday 29 March 2026.
            (0, {D(2026, 3, 23): 2, D(2026, 3, 30): 1}),
            (6, {D(2026, 3, 22): 1, D(2026, 3, 29): 2}),
        ],
    )
    def test_across_a_daylight_saving_change(self, db, week_start, expected):
        user = UserFactory(timezone="Europe/Paris", week_start=week_start)
        for day in (28, 29, 30):
            log(user, D(2026, 3, day))
        with time_machine.travel(
            datetime.datetime(2026, 4, 2, 12, tzinfo=datetime.UTC), tick=False
        ):
            trends = trends_for(user, "4w")
        assert {w.start: w.contacts for w in trends.weeks if w.contacts} == expected

    @time_machine.travel(datetime.datetime(2026, 6, 14, 11, 30, tzinfo=datetime.UTC), tick=False)
    @pytest.mark.parametrize(
        "timezone, week_start, this_week",
        [
            ("Pacific/Tongatapu", 0, D(2026, 6, 15)),  # UTC+13: Monday 15 June, 00:30
            ("Pacific/Honolulu", 0, D(2026, 6, 8)),  # UTC−10: Sunday 14 June, 01:30
            ("Pacific/Tongatapu", 6, D(2026, 6, 14)),
            ("Pacific/Honolulu", 6, D(2026, 6, 14)),
        ],
    )
    def test_the_current_week_is_the_users_own(self, db, timezone, week_start, this_week):
        user = UserFactory(timezone=timezone, week_start=week_start)
        log(user, user.today())
        trends = trends_for(user, "4w")
        assert trends.weeks[-1].start == this_week
        assert trends.weeks[-1].contacts == 1


def test_trends_take_three_queries_however_long_the_journal(alice, django_assert_num_queries):
    for offset in range(0, 700, 3):
        log(
            alice,
            D(2026, 11, 28) - datetime.timedelta(days=offset),
            "pressuring" if offset % 2 else "approachable",
            ["guilt"] if offset % 2 else [],
        )
    # The first dates, the weeks' summaries, and the weeks with pressure (for streaks).
    with django_assert_num_queries(3):
        trends_for(alice, "all")
    # A second look finds them cached: the journal's version is on the user's row.
    with django_assert_num_queries(0):
        trends_for(alice, "all")


class TestCache:
    """A cached result is never stale: any change to the entries computes afresh."""

    def test_a_new_entry_shows_at_once(self, journal):
        assert trends_for(journal, "4w").totals.pressuring == 2
        log(journal, D(2026, 11, 27), "pressuring")
        assert trends_for(journal, "4w").totals.pressuring == 3

    def test_an_edit_shows_at_once(self, journal):
        assert trends_for(journal, "4w").totals.pressuring == 2
        entry = journal.interactions.get(date=D(2026, 11, 25))
        with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
            entry.approach = "pressuring"
            interaction_save(interaction=entry, tactics=[])
        assert trends_for(journal, "4w").totals.pressuring == 3

    def test_a_deletion_shows_at_once(self, journal):
        assert trends_for(journal, "4w").totals.pressuring == 2
        interactions_delete(
            owner=journal, entries=journal.interactions.filter(date=D(2026, 11, 12))
        )
        assert trends_for(journal, "4w").totals.pressuring == 1

    def test_a_new_week_start_shows_at_once(self, journal):
        assert trends_for(journal, "4w").weeks[-1].start == D(2026, 11, 23)
        journal.week_start = 6
        journal.save()
        summaries_rebuild(owner=journal)
        assert trends_for(journal, "4w").weeks[-1].start == D(2026, 11, 22)

    def test_another_users_trends_are_their_own(self, journal, bob):
        assert trends_for(journal, "4w").totals.contacts == 6
        assert trends_for(bob, "4w").totals.contacts == 0


class TestChartsReadAtAGlance:
    def test_a_change_is_said_with_its_direction_and_size(self):
        assert change("tags a week", [3, 3, 1, 0, 0, 1], "week") == (
            "Tags a week fell from 3.0 in the first 2 weeks to 0.5 in the last 2."
        )
        assert change("the mood", [2, None, 4], "week") == (
            "The mood rose from 2.0 in the first week to 4.0 in the last."
        )
        assert change("tags a week", [1, 5, 1], "week") == (
            "Tags a week held at 1.0 from the first week to the last."
        )
        # A share is counted over each third's contacts, not averaged week by week.
        share = change("the share", [1, 0, 4], "week", wholes=[5, 2, 5], percent=True)
        assert share == "The share rose from 20% in the first week to 80% in the last."
        assert change("tags", [1, 2], "week") == ""  # too few weeks to compare
        assert change("the mood", [None, 3, None], "week") == ""

    def test_a_share_is_drawn_on_an_axis_to_100_percent(self, alice):
        weeks = trends_for(alice, "4w").weeks
        chart = sparkline("Approachable share", [0.2, None, 0.5, 1.0], weeks, percent=True)
        assert chart.top == 100
        assert ">100%<" in chart.marks()  # not "1", as a share drawn as a count would be
        assert [row[1] for row in chart.rows] == ["20%", "0%", "50%", "100%"]
        # Its first and last weeks are labelled, leaning inward so no edge cuts them.
        assert 'text-anchor="start">2 Nov<' in chart.marks()
        assert 'text-anchor="end">23 Nov<' in chart.marks()

    def test_every_bar_chart_names_what_its_axis_counts(self, journal):
        (contacts, tags, *_rest, mood) = charts_for(trends_for(journal, "4w"), "Sam")
        assert ">3 contacts<" in contacts.marks() and ">0<" in contacts.marks()
        assert " tags<" in tags.marks()
        assert ">5 mood<" in mood.marks() and ">1<" in mood.marks()

    def test_a_journal_younger_than_the_range_is_charted_from_its_first_week(self, journal):
        (chart, *_) = charts_for(trends_for(journal, "1y"), "Sam")
        # First entry 10 November: the weeks of 9, 16 and 23 November, not 52.
        assert [row[0] for row in chart.rows] == ["9 Nov", "16 Nov", "23 Nov"]

    def test_a_new_journals_guidance_draws_no_empty_axes(self, alice_client):
        page = alice_client.get(reverse("guidance:index")).content.decode()
        assert 'role="img"' not in page
        assert page.count("Nothing to draw yet") == 9


@pytest.mark.parametrize("weeks, unit", [(100, "week"), (200, "month"), (520, "quarter")])
def test_a_long_journal_is_drawn_by_month_or_quarter_with_the_same_totals(
    alice, carol_share, weeks, unit
):
    start = D(2026, 11, 28) - datetime.timedelta(weeks=weeks)
    journal_generate(user=alice, start=start, end=D(2026, 11, 28))
    carol_share.entries_since = start + datetime.timedelta(days=40)  # in mid-week
    carol_share.save()
    for share in (None, carol_share):
        long = trends_for(alice, "all", share=share)
        # The same range week by week, as a range chosen by its first day is counted.
        weekly = trends_for(alice, "1y", share=share, start=long.start)
        assert (long.unit, weekly.unit) == (unit, "week")
        assert len(long.weeks) <= 104
        assert sum(period.days for period in long.weeks) == sum(w.days for w in weekly.weeks)
        assert long.totals == weekly.totals
    first_week = alice.week_start_for(alice.interactions.earliest("date").date)
    labels = {
        "week": f"{first_week:%-d %b}",
        "month": f"{first_week:%b %Y}",
        "quarter": f"{['Jan–Mar', 'Apr–Jun', 'Jul–Sep', 'Oct–Dec'][(first_week.month - 1) // 3]}"
        f" {first_week.year}",
    }
    charts = charts_for(trends_for(alice, "all"), "Sam")
    assert charts[0].title == f"Contacts per {unit}, by how I came across"
    assert charts[0].rows[0][0] == labels[unit]
