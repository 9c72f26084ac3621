"""The fixed vocabulary of the journal.

Trends and guidance rely on these values, so they are stored as stable keys;
the labels are what people read.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    CONTACT = "contact", "We were in contact"
    SPACE = "space", "I gave space (no contact on purpose)"


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    CALL = "call", "Phone call"
    VIDEO = "video", "Video call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    OTHER = "other", "Other"


class Initiator(models.TextChoices):
    ME = "me", "I did"
    PARTNER = "partner", "My partner did"
    TOGETHER = "together", "We planned it together"


class Approach(models.TextChoices):
    APPROACHABLE = "approachable", "Approachable"
    PRESSURING = "pressuring", "Pressuring"
    # Arranging what separated couples must: children, money, the house. Neither
    # approach, and no tactics: trends count it on its own.
    PRACTICAL = "practical", "Practical"


class Response(models.TextChoices):
    WARM = "warm", "Warm"
    NEUTRAL = "neutral", "Neutral"
    COOL = "cool", "Cool"
    NONE = "none", "No response"


class Tactic(models.TextChoices):
    """What the person did, named as an action, never as a trait."""

    # Pressuring
    GUILT = "guilt", "Tried to make them feel guilty"
    JEALOUSY = "jealousy", "Tried to make them jealous"
    OBLIGATION = "obligation", "Appealed to duty"
    SEDUCTION = "seduction", "Used closeness to change their mind"
    INDIFFERENCE = "indifference", "Pretended not to care"
    ULTIMATUM = "ultimatum", "Gave an ultimatum"
    PLEADING = "pleading", "Pleaded"
    # Approachable
    LIGHT_CONVERSATION = "light_conversation", "Kept it light"
    GOOD_MEMORY = "good_memory", "Shared a good memory"
    GAVE_SPACE = "gave_space", "Gave them space"
    LISTENED = "listened", "Listened"
    AGREEABLE = "agreeable", "Stayed easy-going"
    WARMTH = "warmth", "Was warm, asking nothing back"


# One line beside each tactic on the form: what it looks like.
TACTIC_HELP = {
    Tactic.GUILT: "Reminding them how much they hurt you, so that they change their mind.",
    Tactic.JEALOUSY: "Mentioning someone new to stir a reaction.",
    Tactic.OBLIGATION: "Telling them they owe it to you, the children or the marriage.",
    Tactic.SEDUCTION: "Flirting or intimacy meant to win them back, not to enjoy the moment.",
    Tactic.INDIFFERENCE: "Acting cold on purpose, to get a reaction.",
    Tactic.ULTIMATUM: "“If you don't…, then I will…”.",
    Tactic.PLEADING: "Begging them to come back, or to talk.",
    Tactic.LIGHT_CONVERSATION: "Easy talk about everyday things.",
    Tactic.GOOD_MEMORY: "Recalling a happy moment you had together.",
    Tactic.GAVE_SPACE: "Letting a conversation end, or not pressing for the next one.",
    Tactic.LISTENED: "Letting them talk, and hearing them out without arguing.",
    Tactic.AGREEABLE: "Going along with their plans without a fight.",
    Tactic.WARMTH: "Kindness with nothing asked in return.",
}


PRESSURING_TACTICS = (
    Tactic.GUILT,
    Tactic.JEALOUSY,
    Tactic.OBLIGATION,
    Tactic.SEDUCTION,
    Tactic.INDIFFERENCE,
    Tactic.ULTIMATUM,
    Tactic.PLEADING,
)
TACTIC_APPROACH = {
    tactic: Approach.PRESSURING if tactic in PRESSURING_TACTICS else Approach.APPROACHABLE
    for tactic in Tactic
}


def tactics_for(approach: str) -> list[Tactic]:
    """The tactics of one approach; a practical contact has none."""
    return [tactic for tactic in Tactic if TACTIC_APPROACH[tactic] == approach]


class ColorScheme(models.TextChoices):
    SYSTEM = "system", "Like my device"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class Pronouns(models.TextChoices):
    SHE = "she", "she / her"
    HE = "he", "he / him"
    THEY = "they", "they / them"


class WeekStart(models.IntegerChoices):
    # Python's weekday numbers: Monday is 0, Sunday is 6.
    MONDAY = 0, "Monday"
    SUNDAY = 6, "Sunday"


MOOD_CHOICES = [
    (1, "1 · very low"),
    (2, "2 · low"),
    (3, "3 · okay"),
    (4, "4 · good"),
    (5, "5 · very good"),
]


class LockAfter(models.IntegerChoices):
    """Minutes unused after which the journal locks."""

    NEVER = 0, "Never"
    FIVE = 5, "5 minutes"
    FIFTEEN = 15, "15 minutes"
    HOUR = 60, "1 hour"


class LateFrom(models.IntegerChoices):
    """The hour from which contact the person starts counts as late at night (until
    5 in the morning)."""

    EIGHT = 20, "8 pm"
    NINE = 21, "9 pm"
    TEN = 22, "10 pm"
    ELEVEN = 23, "11 pm"
    MIDNIGHT = 0, "Midnight"


class Country(models.TextChoices):
    """Where the person lives, for the support lines the app shows them."""

    US = "US", "United States"
    GB = "GB", "United Kingdom"
    IE = "IE", "Ireland"
    CA = "CA", "Canada"
    AU = "AU", "Australia"
    NZ = "NZ", "New Zealand"
    EU = "EU", "Another country of the European Union"
    OTHER = "XX", "Somewhere else"
