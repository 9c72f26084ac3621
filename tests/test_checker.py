"""Checking a message before it is sent: the patterns, the page, the unsent ones."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from guidance.checker import LIMITS, message_read
from journal.choices import LateFrom
from journal.models import Interaction, UnsentMessage
from tests.factories import NOW, log

NOON = datetime.time(12, 0)
EASY = {"short", "asks-nothing"}

# (message, what the check finds), written for this test.
EXAMPLES = [
    ("Hope your week is going well.", {"warm"} | EASY),
    ("Saw a dog that looked just like Biscuit today, it made me smile.", {"warm"} | EASY),
    ("Happy birthday! Have a lovely day.", {"warm"} | EASY),
    ("Thanks for picking up the kids on Saturday.", {"warm"} | EASY),
    ("Good luck with the interview tomorrow.", {"warm"} | EASY),
    ("Congratulations on the new job, that's great news.", {"warm"} | EASY),
    ("I'm glad the move went smoothly.", {"warm"} | EASY),
    ("Enjoy the concert tonight.", {"warm"} | EASY),
    ("Remember when we got lost in Lisbon? I laughed thinking about it.", {"warm", "short"}),
    ("The boiler man comes at nine.", EASY),
    ("How was the trip?", {"short"}),
    ("Thank you for listening. Hope you sleep well.", {"warm"} | EASY),
    ("Je pense à toi 💛 — hope you're well.", {"warm"} | EASY),
    ("After everything I did for you, this is how you treat me.", {"guilt"}),
    ("You made me feel worthless.", {"guilt"}),
    ("How could you just leave like that?", {"guilt"}),
    ("I gave up everything for this family.", {"guilt"}),
    ("You never think about anyone but yourself.", {"guilt"}),
    ("You owe me an explanation.", {"obligation"}),
    ("You should come to Mum's dinner, it's expected.", {"obligation"}),
    ("It's your responsibility to fix this.", {"obligation"}),
    ("Do it for the kids' sake.", {"obligation"}),
    ("We promised each other forever.", {"obligation"}),
    ("Please, I'm begging you.", {"pleading"}),
    ("I’m begging you, just listen.", {"pleading"}),
    ("Give me one more chance.", {"pleading"}),
    ("I need you.", {"pleading"}),
    ("Come home, we can fix this.", {"pleading"}),
    ("Answer by Friday or else I'm done.", {"ultimatum"}),
    ("This is your last chance.", {"ultimatum"}),
    ("If you don't call me back tonight, I'll move on.", {"ultimatum", "pushing"}),
    ("It's now or never.", {"ultimatum"}),
    ("I went out with someone new last night.", {"jealousy"}),
    ("A guy at work asked me out.", {"jealousy"}),
    ("Another man was flirting with me at the party.", {"jealousy"}),
    ("I don't care what you do anymore.", {"indifference"}),
    ("Whatever. Do what you want.", {"indifference"}),
    ("I'm so over it.", {"indifference"}),
    ("We need to talk.", {"pushing"}),
    ("Why won't you answer me?", {"pushing"}),
    ("Are you ignoring me?", {"pushing"}),
    ("When are you coming home?", {"pushing"}),
    ("Where are you? Who are you with? Why are you not answering?", {"questions"}),
    ("I miss you. Please come back, I need you. We need to talk.", {"pleading", "pushing"}),
    # The false readings the page names among its limits.
    ("Please let me know when the children are ready.", {"pleading"}),
    ("You should see the garden, the roses are out.", {"obligation"}),
    ("I don't care which day, either works for me.", {"indifference"}),
]


@pytest.mark.parametrize("message, expected", EXAMPLES)
def test_each_message_reads_as_expected(message, expected):
    reading = message_read(message, at=NOON)
    assert reading.flags == expected
    pressing = expected - {"warm", "short", "asks-nothing"}
    assert reading.approach == ("pressuring" if pressing else "approachable")


def test_there_are_enough_examples_of_each_side():
    pressing = [m for m, flags in EXAMPLES if flags - {"warm", "short", "asks-nothing"}]
    assert len(EXAMPLES) >= 40 and len(pressing) >= 20 and len(EXAMPLES) - len(pressing) >= 10


def test_the_limits_name_the_false_readings_the_examples_show():
    said = " ".join(LIMITS)
    for words in ("please let me know", "You should see the garden", "I don't care which day"):
        assert words.lower() in said.lower()


@pytest.mark.parametrize(
    "at, late_from, flagged",
    [
        (datetime.time(23, 30), LateFrom.TEN, True),
        (datetime.time(3, 0), LateFrom.TEN, True),
        (NOON, LateFrom.TEN, False),
        (datetime.time(21, 59), LateFrom.TEN, False),
        (datetime.time(20, 30), LateFrom.EIGHT, True),
        (datetime.time(23, 30), LateFrom.MIDNIGHT, False),
        (datetime.time(0, 30), LateFrom.MIDNIGHT, True),
        (datetime.time(5, 0), LateFrom.MIDNIGHT, False),
    ],
)
def test_a_long_message_is_late_only_at_night(at, late_from, flagged):
    message = "I keep thinking about the summer and the house and everything since. " * 6
    reading = message_read(message, at=at, late_from=late_from)
    assert ("late" in reading.flags) == flagged


def test_a_second_message_before_any_reply_is_named():
    reading = message_read("Just checking you got my message.", at=NOON, unanswered=True)
    assert reading.flags == {"again"}
    assert reading.approach == "pressuring"


def test_each_sentence_is_read_on_its_own():
    reading = message_read("Hope you're well.\nYou owe me a call.", at=NOON)
    assert [s.text for s in reading.sentences] == ["Hope you're well.", "You owe me a call."]
    assert [[f.pattern.key for f in s.findings] for s in reading.sentences] == [
        ["warm"],
        ["obligation"],
    ]


class TestThePage:
    @pytest.fixture
    def check(self, alice_client, frozen):
        def check(text: str):
            return alice_client.post(reverse("guidance:message-check"), {"text": text})

        return check

    @pytest.mark.parametrize("late_from, late", [(LateFrom.EIGHT, True), (LateFrom.TEN, False)])
    def test_late_at_night_starts_when_the_person_says(self, alice, check, late_from, late):
        # 21:00 in Tokyo.
        alice.timezone, alice.late_from = "Asia/Tokyo", late_from
        alice.save()
        page = check("I keep thinking about the house and the summer and all of it. " * 6)
        assert ('">A long message late at night</span>' in page.content.decode()) == late

    def test_a_check_stores_nothing(self, check):
        response = check("Please come back, I need you.")
        page = response.content.decode()
        assert "May read as pleading" in page and "Why</a>" in page
        assert not UnsentMessage.objects.exists() and not Interaction.objects.exists()

    @pytest.mark.parametrize(
        "text, said",
        [
            ("", "Write or paste the message to check it."),
            ("   ", "Write or paste the message to check it."),
            ("x" * 20_000, "longer than the 5000 characters"),
        ],
    )
    def test_an_empty_or_too_long_message_is_refused_with_a_reason(self, check, text, said):
        response = check(text)
        assert response.status_code == 200
        assert said in response.content.decode()
        assert response.context["reading"] is None

    def test_html_in_a_message_is_shown_as_text(self, check):
        page = check("<script>alert(1)</script> Have a good day").content.decode()
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_after_an_unanswered_message_a_second_one_is_named(self, alice, check):
        log(alice, alice.today(), "approachable", initiator="me", response="none")
        assert "A second message before any reply" in check("Hello again.").content.decode()

    def test_kept_unsent_only_on_a_click_and_only_for_its_writer(
        self, alice_client, bob_client, alice, frozen
    ):
        response = alice_client.post(reverse("guidance:unsent-save"), {"text": "I need you."})
        assert response.status_code == 302
        kept = UnsentMessage.objects.get()
        assert (kept.owner, kept.text, kept.approach) == (alice, "I need you.", "pressuring")
        assert b"I need you." in alice_client.get(reverse("guidance:unsent-list")).content
        assert b"I need you." not in bob_client.get(reverse("guidance:unsent-list")).content
        delete = reverse("guidance:unsent-delete", args=[kept.public_id])
        assert bob_client.post(delete).status_code == 404
        assert b"cannot be undone" in alice_client.get(delete).content
        assert UnsentMessage.objects.exists()
        assert alice_client.post(delete).status_code == 302
        assert not UnsentMessage.objects.exists()

    def test_i_sent_it_opens_the_full_form_filled_in_and_private(self, alice_client, frozen):
        response = alice_client.post(reverse("guidance:message-sent"), {"text": "I need you."})
        form = response.context["form"]
        assert form.initial["note"] == "I need you."
        assert (form.initial["approach"], form.initial["channel"]) == ("pressuring", "text")
        assert form.initial["is_private"] is True
        assert form.helper.form_action == reverse("journal:entry-create")
        assert not Interaction.objects.exists()

    def test_the_weekly_review_counts_the_messages_held_back(
        self, alice_client, carol_share, frozen
    ):
        alice_client.post(reverse("guidance:unsent-save"), {"text": "Never mind."})
        week = NOW.date() - datetime.timedelta(days=NOW.weekday())
        page = alice_client.get(reverse("journal:review-week", args=[week]))
        assert page.context["held_back"] == 1
        assert "held back this week: 1" in page.content.decode()
        counselor = Client()
        counselor.force_login(carol_share.counselor)
        shared = counselor.get(
            reverse("client:journal:review-week", args=[carol_share.public_id, week])
        )
        assert shared.status_code == 200
        assert shared.context["held_back"] is None
        assert "held back" not in shared.content.decode()
