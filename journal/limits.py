"""Limits on what a journal entry may hold, shared by the forms and the import."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

# Dates before this are typing mistakes; the calendar and weeks stop there too.
EARLIEST_DATE = datetime.date(1900, 1, 1)
NOTE_MAX_LENGTH = 200_000


def check_date(day: datetime.date | None, today: datetime.date) -> datetime.date | None:
    """Refuse a date in the future or before EARLIEST_DATE."""
    if day and day > today:
        raise ValidationError("The date cannot be in the future.")
    if day and day < EARLIEST_DATE:
        raise ValidationError(f"Choose a date after {EARLIEST_DATE:%-d %B %Y}.")
    return day
