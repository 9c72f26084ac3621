"""The article's advice, retold in the project's own words.

Source: Leslie Cane, "How To Make Your Husband Want To Come Back To You: The Right
And Wrong Ways". The article speaks to wives; the text here speaks to anyone, and
names the partner as the user does: {partner} and {Partner} (to start a sentence)
become the partner's name, {them} and {their} the pronouns the user chose. Render
them with the `personal` template filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from journal.choices import Approach, Initiator, Kind, Response, Tactic

ARTICLE_TITLE = "How To Make Your Husband Want To Come Back To You: The Right And Wrong Ways"
ARTICLE_AUTHOR = "Leslie Cane"
SOURCE = {"title": ARTICLE_TITLE, "author": ARTICLE_AUTHOR}

GAME_TACTICS = (
    Tactic.GUILT,
    Tactic.JEALOUSY,
    Tactic.OBLIGATION,
    Tactic.SEDUCTION,
    Tactic.INDIFFERENCE,
)


@dataclass(frozen=True)
class Principle:
    number: int
    slug: str
    title: str
    summary: str
    meaning: str
    why: str
    try_this_week: tuple[str, ...]
    signal: str
    """Which of the user's numbers relate: a key of guidance.signals.SIGNALS."""

    def relates_to(self, entry) -> bool:
        """Whether a journal entry is an example of this principle, good or bad."""
        return RELATED[self.slug](entry)


PRINCIPLES = (
    Principle(
        1,
        "stop-the-games",
        "Set down the strategies",
        "Guilt, jealousy, duty, closeness used as a lever and pretended indifference "
        "rarely bring someone back, and one after another they come across as pressure.",
        "A strategy here is a move made for the reaction it should cause rather than for "
        "what it says: a guilt trip, a hint of someone new, a reminder of what is owed, "
        "closeness used to change their mind, acting as if you no longer care. Reaching "
        "for them is human when you are hurting. The article's example is a person who "
        "tried every one of these in turn, and nothing changed.",
        "{Partner} usually sees a strategy for what it is. When one follows another, the "
        "article argues, it reads as anxious pressure, and {partner} stops taking what "
        "you say at face value.",
        (
            "Before you reach out, ask yourself what reaction you are hoping for. If the "
            "answer is guilt, jealousy or worry, wait a day.",
            "Tag these moments honestly when you notice them. It is not a judgement of "
            "you: the count going down is the progress.",
        ),
        "games",
    ),
    Principle(
        2,
        "about-face",
        "Make a clean about-face",
        "Change direction completely: be straightforward and stop acting for a reaction.",
        "An about-face means not a new, cleverer strategy but dropping strategy: saying "
        "what you mean, asking what you want to know, and letting contact be ordinary.",
        "Once {partner} expects the next move, {partner} stops paying attention. A real "
        "change of course is what can make {them} notice again, the article suggests, "
        "because it gives {them} something new to take seriously.",
        (
            "Write one message this week that you would be comfortable having read aloud: "
            "plain, kind and without an angle.",
            "Compare this week's approachable share with the weeks before it: a real "
            "change shows up there.",
        ),
        "reaching_out",
    ),
    Principle(
        3,
        "effortless",
        "Bring back how easy it was",
        "Show that being together does not have to feel like hard work.",
        "After a separation, the partner who stepped back often sees the relationship as "
        "a problem that keeps getting worse. Reminding {them} of the time when you two fitted "
        "together without effort, through a shared memory or an easy, light moment, "
        "shows that the difficulty can change.",
        "If every contact feels heavy, {partner} may wonder whether anything that "
        "needs so much effort is worth it. Easy moments answer that question better "
        "than any argument.",
        (
            "Bring up one good memory you both share, lightly, without asking for "
            "anything in return.",
            "Keep one conversation this week short and pleasant, and end it first.",
        ),
        "good_memories",
    ),
    Principle(
        4,
        "back-off",
        "Ease off the pressure",
        "Lower your expectations for now and give it time.",
        "Easing off means fewer demands, fewer deadlines and fewer conversations about "
        "the relationship itself. It means expecting less at first, and being patient.",
        "The article is clear that the more a partner feels pressured or managed, the "
        "more that partner pulls away and discounts what you say.",
        (
            "Notice the days you get through without any pressuring contact; your "
            "pressure-free streak counts them.",
            "If you feel the urge to push, log a day of space instead.",
        ),
        "pressure",
    ),
    Principle(
        5,
        "approachable",
        "Be approachable and agreeable",
        "{Partner} should never need to brace for guilt, jealousy or shame.",
        "Being approachable means {partner} can talk to you without being on guard. "
        "Being agreeable means looking for what you can say yes to.",
        "The article calls this one of the best things you can do: a partner who is "
        "not braced for a hard moment is free to enjoy being with you.",
        (
            "Listen to the end before you answer, once in every conversation.",
            "Agree with something {partner} says, and mean it.",
        ),
        "approachable_share",
    ),
    Principle(
        6,
        "positive-emotions",
        "Leave good feelings behind",
        "Aim for contact that leaves {partner} feeling better, not worse.",
        "Every contact leaves a feeling behind. Warmth, ease and humour make the next "
        "contact more likely; guilt, jealousy and shame make it less likely.",
        "The article singles this out as the one thing to remember if you remember "
        "nothing else. Your own journal can show whether it holds for you: how often "
        "{partner} answers warmly after approachable and after pressuring contact.",
        (
            "End each contact this week on a warm note, however short.",
            "Look at {their} responses below: which of your approaches gets the warmer answer?",
        ),
        "warmth",
    ),
    Principle(
        7,
        "encourage",
        "Encourage, don't try to make",
        "Real feelings cannot be forced; they can only be invited.",
        "You cannot make or get someone to want you back, and a wish you forced would "
        "not be genuine anyway. What you can do is make coming back attractive, and "
        "leave the choice to {them}.",
        "The outcome to watch is not whether {partner} agrees to see you but whether "
        "{partner} reaches out unprompted. In the article's example, the partner was polite "
        "and never declined, but never took the initiative either.",
        (
            "Leave room for {partner} to reach out first: wait before you answer, and "
            "do not fill every silence.",
            "Count the contacts {partner} starts, not the ones {partner} accepts.",
        ),
        "initiative",
    ),
    Principle(
        8,
        "playfulness",
        "Playfulness opens a door; it is not the house",
        "Flirting and fun are fine for getting a foot in the door, not as the whole plan.",
        "A little flirting or playfulness can get a quick, good response, and the "
        "article has no quarrel with that. It only warns against making it the only "
        "strategy.",
        "Once the door is open, the aim is something that lasts, built on everyday "
        "approachable contact rather than on quick reactions.",
        (
            "If you flirt this week, follow it with an ordinary, easy conversation.",
            "Check that “Used closeness to change their mind” is not your most frequent tag.",
        ),
        "playfulness",
    ),
    Principle(
        9,
        "hope",
        "Keep hope, on your own terms",
        "Hope keeps the chance alive, for as long as continuing is your own choice.",
        "The article's author kept hope because giving up would have meant certain "
        "failure. It is also clear that going on is an individual decision: yours to "
        "make, and yours to revisit.",
        "Change can take a long time and often arrives quietly. Your journal keeps the "
        "small signs that are easy to miss on a hard day.",
        (
            "Look back over the weeks you have journaled and name one thing that changed.",
            "Ask yourself, kindly, whether continuing is still what you want.",
        ),
        "persistence",
    ),
)

BY_SLUG = {principle.slug: principle for principle in PRINCIPLES}


def _has(entry, *tactics: Tactic) -> bool:
    return any(tactic in tactics for tactic in entry.tactics)


RELATED = {
    "stop-the-games": lambda e: _has(e, *GAME_TACTICS),
    "about-face": lambda e: e.kind == Kind.CONTACT,
    "effortless": lambda e: _has(e, Tactic.GOOD_MEMORY, Tactic.LIGHT_CONVERSATION),
    "back-off": lambda e: e.approach == Approach.PRESSURING or e.kind == Kind.SPACE,
    "approachable": lambda e: e.approach == Approach.APPROACHABLE,
    "positive-emotions": lambda e: e.response == Response.WARM,
    "encourage": lambda e: e.initiator == Initiator.PARTNER,
    "playfulness": lambda e: _has(e, Tactic.SEDUCTION, Tactic.LIGHT_CONVERSATION),
    "hope": lambda e: e.initiator == Initiator.PARTNER or e.response == Response.WARM,
}
