"""Small helpers for the sentences the app writes about a journal."""

from __future__ import annotations

from django.utils.text import capfirst


def counted(count: int, singular: str, plural: str = "") -> str:
    """`counted(1, "day")` is "1 day", `counted(3, "day")` "3 days"."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


__all__ = ["capfirst", "counted", "times"]
