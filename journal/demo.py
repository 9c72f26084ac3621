"""Believable journals for demos and benchmarks.

The data tells a story the trends and guidance pages can show: a journaler who
starts out pressuring (trying one game after another) and slowly learns to back off,
while the partner starts to reach out and to answer more warmly. Progress is not a
straight line: some weeks go worse than the one before, as they do in life.
"""

from __future__ import annotations

import datetime
import math
import random
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from journal.choices import (
    Approach,
    Channel,
    Initiator,
    Kind,
    Response,
    Tactic,
    tactics_for,
)
from journal.models import Interaction, InteractionTactic, User
from journal.reports.summaries import summaries_rebuild

T = TypeVar("T")

# Keeps each INSERT a sensible size on PostgreSQL; on SQLite Django lowers it further
# to fit the limit on query parameters.
BATCH_SIZE = 500

VIA = {
    Channel.IN_PERSON: "in person",
    Channel.CALL: "by phone",
    Channel.VIDEO: "on a video call",
    Channel.TEXT: "by text",
    Channel.EMAIL: "by email",
    Channel.OTHER: "through a mutual friend",
}
# A contact planned together is a meeting or a call; "we planned a text" reads oddly.
MET = {
    Channel.IN_PERSON: "met up",
    Channel.CALL: "had the phone call",
    Channel.VIDEO: "had the video call",
}

OPENERS = {
    Initiator.ME: [
        "I got in touch with {p} {via}.",
        "I reached out to {p} {via} about the weekend.",
        "I checked in with {p} {via}.",
        "I asked {p} {via} how the move went.",
        "I sent {p} a quick hello {via}.",
    ],
    Initiator.PARTNER: [
        "{p} got in touch {via}.",
        "{p} reached out first, {via}, which I didn't expect.",
        "{p} checked in with me {via}.",
        "{p} asked {via} how I was getting on.",
    ],
    Initiator.TOGETHER: [
        "{p} and I {met} as we had arranged.",
        "We {met} as planned last week.",
        "We {met} to talk about the holidays.",
        "{p} and I {met} at the time we'd agreed.",
    ],
}
# Practical contacts: the children, money, the house, and nothing more.
# Of the contacts that are not pressuring.
PRACTICAL_CHANCE = 0.15
PRACTICAL_OPENERS = {
    Initiator.ME: [
        "I contacted {p} {via} to sort out the bills.",
        "I asked {p} {via} about picking up the last boxes.",
        "I let {p} know {via} that the post had arrived.",
        "I asked {p} {via} who takes the children on Saturday.",
    ],
    Initiator.PARTNER: [
        "{p} contacted me {via} about the car insurance.",
        "{p} asked {via} whether I had the spare keys.",
        "{p} let me know {via} about a change to the school pick-up.",
    ],
    Initiator.TOGETHER: [
        "{p} and I {met} to go through the paperwork.",
        "We {met} to agree the children's holiday plans.",
    ],
}

TACTIC_LINES = {
    Tactic.GUILT: [
        "I reminded {p} how hard the last few months have been for me.",
        "I brought up everything I gave up for us.",
        "I said the flat feels empty and let {p} know whose fault I think that is.",
    ],
    Tactic.JEALOUSY: [
        "I mentioned a night out with someone new, to see how {p} would react.",
        "I made a point of saying how much attention I got at the party.",
    ],
    Tactic.OBLIGATION: [
        "I told {p} we owe it to our families to try again.",
        "I said {p} should come to the birthday dinner because it's expected.",
        "I reminded {p} of the promises we made each other.",
    ],
    Tactic.SEDUCTION: [
        "I dressed up and flirted hard, hoping it would change things.",
        "I sent a suggestive message, hoping it would pull {p} back.",
    ],
    Tactic.INDIFFERENCE: [
        "I acted as if I didn't care, hoping {p} would notice.",
        "I kept my replies short and cold on purpose.",
        "I pretended to be too busy to talk.",
    ],
    Tactic.ULTIMATUM: [
        "I told {p} I need an answer by the end of the month.",
        "I said it's now or never.",
    ],
    Tactic.PLEADING: [
        "I asked {p} again for another chance.",
        "I begged {p} to come to counseling with me.",
        "I asked {p} what I could change, more than once.",
    ],
    Tactic.LIGHT_CONVERSATION: [
        "We kept it light: the weather, a film, a funny thing at work.",
        "We chatted about a series we both like.",
        "We swapped stories about our week.",
    ],
    Tactic.GOOD_MEMORY: [
        "I brought up our trip to the coast and we both laughed.",
        "We remembered our first flat and its terrible sofa.",
        "I mentioned the summer we learned to cook together.",
    ],
    Tactic.GAVE_SPACE: [
        "I kept it short and didn't ask for more.",
        "I said goodbye first and left it there.",
        "I let {p} set the pace.",
    ],
    Tactic.LISTENED: [
        "I mostly listened while {p} talked about work.",
        "I let {p} talk without jumping in.",
        "I asked how {p}'s week was and really listened.",
    ],
    Tactic.AGREEABLE: [
        "I agreed to the new arrangement without a fuss.",
        "I said yes to {p}'s plan for the weekend.",
        "I let a small disagreement go.",
    ],
    Tactic.WARMTH: [
        "I wished {p} luck with the new job, and meant it.",
        "I thanked {p} for sorting out the insurance.",
        "I told {p} I'm glad work is going well.",
    ],
}

APPROACH_LINES = {
    Approach.APPROACHABLE: [
        "I stayed calm and friendly.",
        "I kept things easy and didn't push.",
        "No agenda this time, just a normal conversation.",
    ],
    Approach.PRESSURING: [
        "I pushed for a talk about us again.",
        "I brought up the relationship when it wasn't the moment.",
        "I could hear myself trying to get a reaction.",
    ],
}

RESPONSE_LINES = {
    Response.WARM: [
        "{p} seemed relaxed and friendly.",
        "{p} was warm and asked how I'm doing.",
        "It ended on a kind note from {p}.",
        "{p} said it was nice to catch up.",
    ],
    Response.NEUTRAL: [
        "{p} was polite but brief.",
        "{p} kept to the practical things.",
        "Nothing unkind from {p}, nothing more either.",
    ],
    Response.COOL: [
        "{p} seemed tense and wrapped it up quickly.",
        "{p} was short with me.",
        "{p} went quiet after that.",
    ],
    Response.NONE: [
        "No reply from {p}.",
        "{p} didn't answer.",
        "Still nothing back from {p}.",
    ],
}

REFLECTIONS = {
    Approach.APPROACHABLE: [
        "Proud of keeping it easy.",
        "It's slow, but this feels better.",
        "Reminding myself to be patient.",
        "I want more days like this one.",
    ],
    Approach.PRESSURING: [
        "I regret pushing. Next time I'll let it be.",
        "I need to stop keeping score.",
        "Felt worse afterwards, not better.",
        "I was acting for a reaction again.",
    ],
}

SPACE_LINES = [
    "Gave {p} room today. Went for a long walk instead.",
    "No contact on purpose. Wrote down what I wanted to say instead of sending it.",
    "Kept to my plan of giving {p} some space.",
    "Wanted to text {p} and didn't. Called a friend instead.",
    "A quiet day. I let it be.",
    "Didn't reach out. Cooked a proper dinner for myself.",
    "Space today. It was hard in the evening, but I managed.",
    "Left {p} alone as promised. Went to the gym.",
    "",
]

# Evenings are when most people have the time (and the nerve) to get in touch.
HOURS = list(range(7, 23))
HOUR_WEIGHTS = [1, 2, 3, 2, 2, 3, 4, 3, 2, 2, 3, 5, 6, 6, 5, 3]


# Of the days: those with nothing logged, and (of the others) the days of space, a
# share that grows from the first to the last day.
UNLOGGED = 0.2
SPACE_AT_FIRST, SPACE_GROWTH = 0.1, 0.15


def per_day_for(entries: int, days: int) -> float:
    """The `per_day` that makes journal_generate write about `entries` over `days`."""
    logged = days * (1 - UNLOGGED)
    spaces = logged * (SPACE_AT_FIRST + SPACE_GROWTH / 2)
    return max(1.0, (entries - spaces) / (logged - spaces))


def journal_generate(
    *,
    user: User,
    start: datetime.date,
    end: datetime.date,
    seed: int = 0,
    per_day: float = 1.2,
) -> int:
    """Fill `user`'s journal with entries dated start..end inclusive.

    `per_day` is the average number of contacts on a day with contact (each such
    day has 1 to 3, or up to twice the average when it is higher). Nothing is dated
    after the user's today, as the entry form would not allow it. Returns the number
    of interactions created.
    """
    end = min(end, user.today())
    if start > end:
        return 0
    rng = random.Random(seed)
    most = max(3, math.ceil(2 * per_day))
    extra_chance = _extra_chance(min(max(per_day, 1.0), most - 0.01), most)
    span = max((end - start).days, 1)
    now = timezone.localtime(timezone=user.tzinfo)

    interactions: list[Interaction] = []
    tags: list[tuple[Interaction, str]] = []
    pressuring = _Quota(rng)
    partner_first = _Quota(rng)
    week = -1
    wobble = 0.0
    day = start
    while day <= end:
        progress = (day - start).days / span
        if (day - start).days // 7 != week:
            week = (day - start).days // 7
            wobble = _week_wobble(rng)
        if rng.random() < UNLOGGED:
            pass  # Not journaled: the calendar must tell this from a day of space.
        elif rng.random() < SPACE_AT_FIRST + SPACE_GROWTH * progress:
            interactions.append(_space_day(rng, user, day))
        else:
            count = 1
            while count < most and rng.random() < extra_chance:
                count += 1
            contacts = [
                _contact(
                    rng,
                    user,
                    day,
                    progress=progress,
                    wobble=wobble,
                    pressuring=pressuring,
                    partner_first=partner_first,
                )
                for _ in range(count)
            ]
            # Sorted so a day reads in order: the reply comes after the message.
            contacts.sort(key=lambda pair: (pair[0].time is None, pair[0].time))
            for interaction, tactics in contacts:
                interactions.append(interaction)
                tags.extend((interaction, tactic) for tactic in tactics)
        day += datetime.timedelta(days=1)

    # A time later than now today would be an entry about the future.
    for interaction in interactions:
        if interaction.date == now.date() and interaction.time and interaction.time > now.time():
            interaction.time = None

    with transaction.atomic():
        Interaction.objects.bulk_create(interactions, batch_size=BATCH_SIZE)
        InteractionTactic.objects.bulk_create(
            [InteractionTactic(interaction=i, tactic=tactic) for i, tactic in tags],
            batch_size=BATCH_SIZE,
        )
        summaries_rebuild(owner=user)
    return len(interactions)


def _extra_chance(mean: float, most: int) -> float:
    """The chance p of "one contact, then another with chance p, and so on, up to
    `most`" that makes the average number of contacts `mean`: 1 + p + … + p^(most-1)
    grows with p, so it is found by halving the interval."""
    low, high = 0.0, 1.0
    for _ in range(60):
        p = (low + high) / 2
        if sum(p**n for n in range(most)) < mean:
            low = p
        else:
            high = p
    return low


class _Quota:
    """Yes/no draws whose running count of yeses keeps close to the expected count.

    Independent coin flips can, by bad luck, hide the story for weeks (a demo whose
    first month is mostly approachable); carrying the shortfall forward keeps the
    count within one of what the chances add up to, while which entry gets the yes
    stays random.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.owed = 0.0

    def draw(self, chance: float) -> bool:
        self.owed += chance
        if self.owed >= self.rng.random():
            self.owed -= 1
            return True
        return False


def _week_wobble(rng: random.Random) -> float:
    """How much more (or less) pressuring this week is than the trend says."""
    wobble = rng.gauss(0, 0.07)
    if rng.random() < 0.08:
        wobble += 0.25  # A rough week: a bad day, an anniversary, a relapse.
    return wobble


def _space_day(rng: random.Random, user: User, day: datetime.date) -> Interaction:
    return Interaction(
        owner=user,
        kind=Kind.SPACE,
        date=day,
        time=_time(rng) if rng.random() < 0.2 else None,
        mood=_mood(rng, base=3.0) if rng.random() < 0.85 else None,
        note=_fill(rng.choice(SPACE_LINES), user.partner),
        is_private=rng.random() < 0.03,
    )


def _contact(
    rng: random.Random,
    user: User,
    day: datetime.date,
    *,
    progress: float,
    wobble: float,
    pressuring: _Quota,
    partner_first: _Quota,
) -> tuple[Interaction, list[Tactic]]:
    pressure = min(max(0.75 - 0.65 * progress + wobble, 0.03), 0.95)
    if pressuring.draw(pressure):
        approach = Approach.PRESSURING
    elif rng.random() < PRACTICAL_CHANCE:
        approach = Approach.PRACTICAL
    else:
        approach = Approach.APPROACHABLE
    if partner_first.draw(0.05 + 0.40 * progress):
        initiator = Initiator.PARTNER
    elif rng.random() < 0.05 + 0.12 * progress:
        initiator = Initiator.TOGETHER
    else:
        initiator = Initiator.ME
    if initiator == Initiator.TOGETHER:
        channel = _pick(rng, {Channel.IN_PERSON: 5, Channel.CALL: 3, Channel.VIDEO: 2})
    else:
        channel = _pick(
            rng,
            {
                Channel.TEXT: 0.38 - 0.15 * progress,
                Channel.CALL: 0.18,
                Channel.IN_PERSON: 0.16 + 0.14 * progress,
                Channel.VIDEO: 0.08,
                Channel.EMAIL: 0.10 - 0.04 * progress,
                Channel.OTHER: 0.05,
            },
        )
    response = _response(rng, approach, initiator, channel, progress)
    tactics = _tactics(rng, approach, progress)
    mood_base = 2.3 + 1.7 * progress
    mood_base += {Response.WARM: 1.0, Response.COOL: -0.7, Response.NONE: -1.0}.get(response, 0)
    if approach == Approach.PRESSURING:
        mood_base -= 0.3
    mood = _mood(rng, base=mood_base) if rng.random() < 0.88 else None
    private_chance = 0.04 + (0.07 if approach == Approach.PRESSURING else 0)
    interaction = Interaction(
        owner=user,
        kind=Kind.CONTACT,
        date=day,
        time=_time(rng) if rng.random() < 0.8 else None,
        channel=channel,
        initiator=initiator,
        approach=approach,
        response=response,
        mood=mood,
        note=_note(rng, user.partner, initiator, channel, approach, response, tactics),
        is_private=rng.random() < private_chance,
    )
    return interaction, tactics


def _response(
    rng: random.Random, approach: str, initiator: str, channel: str, progress: float
) -> Response:
    if approach == Approach.PRACTICAL:
        weights = {Response.WARM: 0.15, Response.NEUTRAL: 0.70, Response.COOL: 0.15}
    elif approach == Approach.APPROACHABLE:
        weights = {
            Response.WARM: 0.30 + 0.30 * progress,
            Response.NEUTRAL: 0.40 - 0.10 * progress,
            Response.COOL: 0.18 - 0.12 * progress,
            Response.NONE: 0.12 - 0.08 * progress,
        }
    else:
        weights = {
            Response.WARM: 0.06 + 0.06 * progress,
            Response.NEUTRAL: 0.30,
            Response.COOL: 0.34,
            Response.NONE: 0.30 - 0.06 * progress,
        }
    response = _pick(rng, weights)
    # Silence only fits a message the partner could leave unanswered.
    if response == Response.NONE and initiator != Initiator.ME:
        return Response.NEUTRAL
    if response == Response.NONE and channel == Channel.IN_PERSON:
        return Response.COOL
    return response


def _tactics(rng: random.Random, approach: str, progress: float) -> list[Tactic]:
    if approach == Approach.PRACTICAL:
        return []
    if approach == Approach.PRESSURING:
        # Early on several games at once; later, when it slips, usually just one.
        weights = {
            0: 0.05,
            1: 0.45 + 0.35 * progress,
            2: 0.42 - 0.32 * progress,
            3: 0.08 - 0.03 * progress,
        }
        count = _pick(rng, weights)
    else:
        count = _pick(rng, {0: 0.35, 1: 0.45, 2: 0.20})
    return rng.sample(tactics_for(approach), count)


def _note(
    rng: random.Random,
    partner: str,
    initiator: str,
    channel: str,
    approach: str,
    response: str,
    tactics: list[Tactic],
) -> str:
    lines = []
    # A practical note always says what it was about.
    practical = approach == Approach.PRACTICAL
    if practical or rng.random() < 0.75:
        openers = PRACTICAL_OPENERS if practical else OPENERS
        opener = rng.choice(openers[Initiator(initiator)])
        lines.append(
            opener.format(p="{p}", via=VIA[Channel(channel)], met=MET.get(Channel(channel), ""))
        )
    if tactics and rng.random() < 0.85:
        lines.append(rng.choice(TACTIC_LINES[rng.choice(tactics)]))
    elif approach in APPROACH_LINES and rng.random() < 0.5:
        lines.append(rng.choice(APPROACH_LINES[Approach(approach)]))
    if rng.random() < 0.7:
        lines.append(rng.choice(RESPONSE_LINES[Response(response)]))
    if approach in REFLECTIONS and rng.random() < 0.2:
        lines.append(rng.choice(REFLECTIONS[Approach(approach)]))
    return " ".join(_fill(line, partner) for line in lines)


def _fill(line: str, partner: str) -> str:
    # Without a name the partner is "your partner", which must still start a sentence.
    text = line.format(p=partner)
    return text[:1].upper() + text[1:]


def _mood(rng: random.Random, *, base: float) -> int:
    return min(max(round(base + rng.gauss(0, 0.6)), 1), 5)


def _time(rng: random.Random) -> datetime.time:
    return datetime.time(rng.choices(HOURS, HOUR_WEIGHTS)[0], rng.randrange(0, 60, 5))


def _pick(rng: random.Random, weights: dict[T, float]) -> T:
    return rng.choices(list(weights), list(weights.values()))[0]
