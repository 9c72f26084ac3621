"""The insights on Trends against hand-computed values on small journals."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import caches
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.choices import Approach, Initiator, Kind, LateFrom, Response
from journal.demo import journal_generate
from journal.reports.insights import Insights, Side, _cases, insights_for
from journal.reports.summaries import summaries_differences, summaries_rebuild
from journal.reports.trends import scope_of, state_key
from tests.factories import NOW, InteractionFactory, ShareFactory, UserFactory, log

D = datetime.date
T = datetime.time
# Frozen on Saturday 28 November 2026: a case counts once it ended by 20 November.
pytestmark = pytest.mark.usefixtures("frozen")

# Monday weeks: six with a stretch of three days of space, then six without.
STRETCH_WEEKS = [D(2026, 8, 24) + datetime.timedelta(weeks=n) for n in range(6)]
OTHER_WEEKS = [D(2026, 10, 5) + datetime.timedelta(weeks=n) for n in range(6)]


def space(user, day):
    return InteractionFactory(owner=user, date=day, space=True, mood=None)


def reached_out(user, day):
    return log(user, day, initiator=Initiator.PARTNER, response=Response.WARM, time=T(12))


def sides(insight):
    return (insight.one.cases, insight.one.followed), (insight.other.cases, insight.other.followed)


@pytest.fixture
def spaced(alice):
    """Stretches of space and the weeks between, with Sam reaching out now and then."""
    for n, monday in enumerate(STRETCH_WEEKS):
        for day in range(3):
            space(alice, monday + datetime.timedelta(days=day))
        if n < 3:
            # The Friday after: within 7 days of the stretch's last day.
            reached_out(alice, monday + datetime.timedelta(days=4))
    for n, monday in enumerate(OTHER_WEEKS):
        if n != 4:
            log(alice, monday, initiator=Initiator.ME, response=Response.NEUTRAL, time=T(9))
    # Sam reaches out in the weeks of 12 and 26 October, so the weeks before them
    # were followed by it.
    reached_out(alice, D(2026, 10, 14))
    reached_out(alice, D(2026, 10, 28))
    # The week of 2 November: two days of space, Sam reaching out 7 days after.
    space(alice, D(2026, 11, 2))
    space(alice, D(2026, 11, 3))
    reached_out(alice, D(2026, 11, 10))
    # Four days ending 21 November: their 7 days after have not all passed.
    for day in range(18, 22):
        space(alice, D(2026, 11, day))
    return alice


def space_insights(user, **kwargs):
    return {i.days: i for i in insights_for(user, **kwargs).every if i.kind == "space"}


def test_stretches_of_space_against_the_weeks_without(spaced):
    by_days = space_insights(spaced)
    # Any stretch: the six of three days (three followed) and the one of two days
    # (followed on its 7th day after); weeks with no day of space: 5 October
    # (followed), 12 October, 19 October (followed), 26 October and 9 November.
    assert sides(by_days[1]) == ((7, 4), (5, 2))
    assert sides(by_days[2]) == ((7, 4), (5, 2))
    # Three days or more: the week of two days of space is a week without, followed
    # by Sam reaching out on 10 November.
    assert sides(by_days[3]) == ((6, 3), (6, 3))
    assert by_days[3].shown and by_days[3].one.percent == "50%"
    # No stretch of seven days: nothing to compare with the twelve weeks, five of
    # them followed (the first two, and those before 14 and 28 October and 10 November).
    assert sides(by_days[7]) == ((0, 0), (12, 5))
    assert not by_days[7].shown


def test_a_reach_out_on_the_8th_day_after_does_not_follow(alice):
    """Days of space every other Monday: Sam reaches out 8 days after five of them
    and 7 days after the last."""
    mondays = [D(2026, 8, 24) + datetime.timedelta(weeks=2 * n) for n in range(6)]
    for n, monday in enumerate(mondays):
        space(alice, monday)
        reached_out(alice, monday + datetime.timedelta(days=8 if n < 5 else 7))
    assert sides(space_insights(alice)[1])[0] == (6, 1)


def test_the_page_says_each_comparison_with_its_counts(alice_client, spaced):
    page = alice_client.get(reverse("journal:trends")).content.decode()
    said = " ".join(page.split())
    assert (
        "After 6 stretches of 3 or more days of space in a row, Sam reached out within the "
        "next 7 days 3 times (50%). After 6 weeks with no such stretch, 3 times (50%)."
    ) in said
    assert "After 7 stretches of space (one day or more)" in said
    assert "patterns in one journal, not causes" in said
    # Seven days and more, and every comparison of contacts, wait for more cases.
    assert "Stretches of 7 or more days of space, and weeks without: 0 and 12 so far." in said


@pytest.fixture
def contacts(alice):
    """Five approachable and five pressuring contacts Sam started, and ten practical
    ones alice started, five late at night, each with its time and response."""
    day = D(2026, 10, 1)
    for response, mood in zip(
        ["warm", "warm", "warm", "neutral", "none"], [4, 4, 5, 3, 4], strict=True
    ):
        log(alice, day, Approach.APPROACHABLE, initiator="partner", response=response, mood=mood)
    for response, mood in zip(
        ["warm", "cool", "cool", "cool", "cool"], [2, 1, 2, 3, 2], strict=True
    ):
        log(alice, day, Approach.PRESSURING, initiator="partner", response=response, mood=mood)
    late = [(T(23, 30), "warm"), (T(1), "cool"), (T(22), "cool"), (T(4, 59), "none")]
    earlier = [(T(9), "warm"), (T(12), "warm"), (T(21, 59), "cool"), (T(5), "warm")]
    for time, response in [*late, (T(22, 15), "neutral"), *earlier, (T(18), "neutral")]:
        log(
            alice, day, Approach.PRACTICAL, initiator="me", time=time, response=response, mood=None
        )
    # Not counted: Sam started it, or it has no time.
    log(
        alice, day, Approach.PRACTICAL, initiator="partner", time=T(23), response="warm", mood=None
    )
    log(alice, day, Approach.PRACTICAL, initiator="me", time=None, response="warm", mood=None)
    return alice


def by_kind(user, **kwargs):
    return {i.kind: i for i in insights_for(user, **kwargs).every if i.kind != "space"}


def test_answers_late_nights_and_moods(contacts):
    insights = by_kind(contacts)
    assert sides(insights["answers"]) == ((5, 3), (5, 1))
    assert sides(insights["late"]) == ((5, 1), (5, 3))
    mood = insights["mood"]
    assert (mood.one, mood.other) == (Side(5, mood_total=20), Side(5, mood_total=10))
    assert (mood.one.mood, mood.other.mood) == ("4.0", "2.0")
    assert all(insight.shown for insight in insights.values())


def test_four_cases_are_not_enough(contacts):
    contacts.interactions.filter(time=T(22, 15)).delete()
    summaries_rebuild(owner=contacts)
    insights = by_kind(contacts)
    assert sides(insights["late"]) == ((4, 1), (5, 3))
    assert not insights["late"].shown
    assert insights["answers"].shown


def test_late_at_night_starts_when_the_person_chooses(alice_client, contacts):
    """Chosen in Settings, the hour counts every week again: from 9 pm, 21:59 is late."""
    answers = {
        "partner_name": "Sam",
        "partner_pronouns": "they",
        "timezone": "Europe/Paris",
        "week_start": "0",
        "late_from": LateFrom.NINE,
    }
    response = alice_client.post(reverse("profile"), answers)
    assert response.status_code == 302
    contacts.refresh_from_db()
    assert contacts.late_from == LateFrom.NINE
    assert sides(by_kind(contacts)["late"]) == ((6, 1), (4, 3))
    assert summaries_differences(contacts) == []


def test_from_midnight_only_the_small_hours_are_late(contacts):
    contacts.late_from = LateFrom.MIDNIGHT
    contacts.save()
    summaries_rebuild(owner=contacts)
    assert sides(by_kind(contacts)["late"]) == ((2, 0), (8, 4))


def test_a_counselor_sees_them_over_the_visible_entries_only(alice, contacts):
    # Private: two of the approachable contacts Sam answered warmly.
    private = contacts.interactions.filter(approach="approachable", response="warm")[:2]
    for entry in private:
        entry.is_private = True
        entry.save()
    summaries_rebuild(owner=alice)
    share = ShareFactory(owner=alice)
    assert sides(by_kind(alice)["answers"]) == ((5, 3), (5, 1))
    insights = by_kind(alice, share=share)
    assert sides(insights["answers"]) == ((3, 1), (5, 1))
    assert not insights["answers"].shown


def test_a_counselor_from_mid_week_sees_only_the_days_since(alice):
    """A share from Wednesday 7 October: that week is counted from its visible entries."""
    for day in [D(2026, 10, 5), D(2026, 10, 6), D(2026, 10, 8)]:
        space(alice, day)
    for monday in OTHER_WEEKS[1:]:
        log(alice, monday, initiator=Initiator.ME, response=Response.WARM, time=T(9))
    share = ShareFactory(owner=alice, entries_since=D(2026, 10, 7))
    assert sides(space_insights(alice)[1])[0] == (2, 0)
    assert sides(space_insights(alice, share=share)[1])[0] == (1, 0)
    counselor = by_kind(alice, share=share)
    assert counselor["answers"].one.cases == by_kind(alice)["answers"].one.cases


def test_the_counselors_page_shows_what_the_share_lets_through(client, alice, contacts):
    counselor = UserFactory(email="lee@example.com")
    share = ShareFactory(owner=alice, counselor=counselor)
    client.force_login(counselor)
    page = client.get(reverse("client:journal:trends", args=[share.public_id]))
    said = " ".join(page.content.decode().split())
    assert "Of 5 contacts they started late at night (from 10 pm until 5 am)" in said
    # The owner's link to the guidance is not the counselor's.
    assert "patterns in one journal" in said and "says why these may matter" not in said


def test_a_new_entry_shows_at_once(alice, contacts):
    before = by_kind(alice)["answers"].one.cases
    log(alice, D(2026, 10, 2), Approach.APPROACHABLE, initiator="partner", response="warm")
    assert by_kind(alice)["answers"].one.cases == before + 1


def test_an_empty_journal_has_nothing_to_show(alice):
    insights = insights_for(alice)
    assert insights.shown == [] and len(insights.waiting) == 7


@pytest.mark.parametrize("years", [1, 10])
@pytest.mark.parametrize(
    "since, cold, after_a_write",
    [
        # The owner's, or a counselor's from the journal's start: the rows of the
        # settled weeks, and those of the recent ones.
        (None, 2, 1),
        # A counselor's from a Wednesday: that week counted from its entries too.
        (D(2026, 3, 11), 4, 1),
    ],
)
def test_queries_are_the_same_at_one_and_at_ten_years(
    alice, django_assert_num_queries, years, since, cold, after_a_write
):
    journal_generate(
        user=alice,
        start=D(2026, 11, 28) - datetime.timedelta(days=365 * years),
        end=D(2026, 11, 28),
    )
    share = ShareFactory(owner=alice, entries_since=since) if since else None
    state = state_key(alice, scope_of(share))
    with django_assert_num_queries(cold):
        insights = insights_for(alice, share=share, state=state)
    # A journal this long has something to say.
    assert insights.shown
    with django_assert_num_queries(0):
        assert insights_for(alice, share=share, state=state) == insights
    # Right after an entry of today's, only the recent weeks are read again.
    log(alice, D(2026, 11, 28), initiator=Initiator.PARTNER, response=Response.WARM)
    with django_assert_num_queries(after_a_write):
        insights = insights_for(alice, share=share, state=state_key(alice, scope_of(share)))
    assert insights == Insights(_cases(alice, share))


def counted_at_once(user, share=None) -> Insights:
    """The insights counted in one pass over every week, nothing kept."""
    return Insights(_cases(user, share))


def test_an_entry_dated_in_a_settled_week_shows_at_once(spaced):
    """The cases of the weeks before the recent five (here, before 26 October) are
    kept apart from the others: an entry dated among them moves them on at once."""
    assert sides(space_insights(spaced)[3]) == ((6, 3), (6, 3))
    # Sam reaching out the Friday after the fourth stretch of three days.
    reached_out(spaced, STRETCH_WEEKS[3] + datetime.timedelta(days=4))
    assert sides(space_insights(spaced)[3]) == ((6, 4), (6, 3))
    assert insights_for(spaced) == counted_at_once(spaced)


def test_a_week_on_the_stretch_that_was_waiting_counts(spaced):
    kept = space_insights(spaced)[1]
    with time_machine.travel(NOW + datetime.timedelta(weeks=1), tick=False):
        # The four days ending 21 November have had their 7 days after, with no word
        # from Sam.
        assert sides(space_insights(spaced)[1]) == (
            (kept.one.cases + 1, kept.one.followed),
            (kept.other.cases, kept.other.followed),
        )
        assert insights_for(spaced) == counted_at_once(spaced)


# Any day of the 20 weeks before today, in the settled weeks and in the recent ones.
DAYS = st.integers(0, 140).map(lambda n: D(2026, 11, 28) - datetime.timedelta(days=n))
WRITES = st.lists(
    st.tuples(st.sampled_from(["space", "reached", "late", "daytime"]), DAYS, st.booleans()),
    min_size=1,
    max_size=25,
)


def _write(user, what: str, day: datetime.date, private: bool) -> None:
    if what == "space":
        if not user.interactions.filter(date=day, kind=Kind.SPACE).exists():  # one a day
            InteractionFactory(owner=user, date=day, space=True, mood=None, is_private=private)
        return
    initiator = Initiator.PARTNER if what == "reached" else Initiator.ME
    hour = T(23) if what == "late" else T(9)
    log(user, day, initiator=initiator, response=Response.WARM, time=hour, is_private=private)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=WRITES, since=st.one_of(st.none(), DAYS), days_on=st.integers(0, 30))
def test_the_kept_cases_and_the_recent_ones_add_up_to_every_case(db, writes, since, days_on):
    """After any writes, and any number of days later, the insights (the settled
    weeks' cases kept, the recent ones counted) are those counted in one pass."""
    with transaction.atomic():
        caches["pages"].clear()
        owner = UserFactory(email="writer@example.com")
        share = ShareFactory(owner=owner, entries_since=since)
        for write in writes:
            _write(owner, *write)
            for each in (None, share):
                assert insights_for(owner, share=each) == counted_at_once(owner, each)
        with time_machine.travel(NOW + datetime.timedelta(days=days_on), tick=False):
            for each in (None, share):
                assert insights_for(owner, share=each) == counted_at_once(owner, each)
        transaction.set_rollback(True)
