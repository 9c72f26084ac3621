"""Small helpers for the sentences the app writes about a journal."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst


def counted(count: int, singular: str, plural: str = "") -> str:
    """`counted(1, "day")` is "1 day", `counted(3, "day")` "3 days"."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


@dataclass(frozen=True)
class Voice:
    """Who the app speaks of: the journal's owner to themself ("you"; "I" and "my" in
    the words they use of themself), or the client to their counselor ("they").
    English conjugates "they" as it does "you", so one sentence serves both."""

    you: str
    your: str
    I: str  # noqa: E741 (the word itself)
    my: str

    @classmethod
    def of_client(cls, name: str) -> Voice:
        """The client, to their counselor: "they", but by name where "I" stood, so
        that "Jo reached out" is never mistaken for the partner."""
        return cls(you="they", your="their", I=name, my=f"{name}'s")

    @property
    def You(self) -> str:  # noqa: N802 (the word at the start of a sentence)
        return capfirst(self.you)

    @property
    def Your(self) -> str:  # noqa: N802
        return capfirst(self.your)

    @property
    def My(self) -> str:  # noqa: N802 (a name keeps its own case)
        return "My" if self.my == "my" else self.my


OWN = Voice(you="you", your="your", I="I", my="my")


__all__ = ["OWN", "Voice", "capfirst", "counted", "times"]
