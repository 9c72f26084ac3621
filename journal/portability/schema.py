"""What a record of an export file must be: one Django form per kind of record.

The fields read JSON values as they are (text is text, true is no week start,
a key left out is told apart from one given as null) and raise errors whose
message names the key as “%(key)s”; the importer fills it in and says where in
the file the problem is. The journal's rules come from journal/rules.py.
"""

from __future__ import annotations

import datetime
import json
import zoneinfo
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Choices
from django.utils import timezone

from journal import rules
from journal.choices import (
    Approach,
    Channel,
    ColorScheme,
    Country,
    Initiator,
    Kind,
    LateFrom,
    LockAfter,
    Pronouns,
    Response,
    Tactic,
    WeekStart,
)

ANSWERS = ["went_well", "where_pushed", "try_next"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


# A key the record leaves out, told apart from one it gives as null.
MISSING = _Missing()


def shown(value: object) -> str:
    """A value from the file, as JSON and cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


class RecordValue(forms.Widget):
    """Hands a field the record's value as it is, or MISSING."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> object:
        return data.get(name, MISSING)

    def value_omitted_from_data(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return False


class Value(forms.Field):
    """A value of a record: present, of its JSON type, and valid.

    `expected` says what it should be, for the message when it is of another type;
    `convert` turns a present value into the Python one or raises `self.wrong`.
    """

    widget = RecordValue
    expected = ""

    def __init__(self, *, nullable: bool = False, optional: bool = False) -> None:
        super().__init__(required=False)
        self.nullable, self.optional = nullable, optional

    def __deepcopy__(self, memo: dict) -> Value:
        # A file holds tens of thousands of records: their forms share these fields,
        # which keep no state of their own (a form copies its fields by default).
        return self

    def clean(self, value: object) -> object:
        if value is MISSING:
            if self.optional:
                return MISSING
            raise ValidationError("“%(key)s” is missing.", code="missing")
        if value is None and self.nullable:
            return None
        return self.convert(value)

    def convert(self, value: object) -> object:
        raise NotImplementedError

    def wrong(self, value: object) -> ValidationError:
        return ValidationError(
            "“%(key)s” should be %(expected)s, not %(value)s.",
            code="wrong",
            params={"expected": self.expected, "value": shown(value)},
        )


class Text(Value):
    expected = "text"

    def __init__(self, *, max_length: int | None = None, **kwargs: bool) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length

    def convert(self, value: object) -> str:
        if not isinstance(value, str):
            raise self.wrong(value)
        # JSON can say what no database stores: a NUL, half of a surrogate pair.
        if "\x00" in value:
            raise ValidationError("“%(key)s” holds a NUL character, which cannot be stored.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(
                "“%(key)s” holds a broken character (a lone surrogate), which cannot be stored."
            ) from None
        if self.max_length and len(value) > self.max_length:
            raise ValidationError(
                "“%(key)s” is longer than %(max)s characters.",
                code="long",
                params={"max": f"{self.max_length:,}"},
            )
        return value


class TimeZone(Text):
    def convert(self, value: object) -> str:
        zone = super().convert(value)
        if zone not in zoneinfo.available_timezones():
            raise ValidationError(
                "“%(zone)s” is not a time zone Reconnect knows.", params={"zone": zone}
            )
        return zone


class Choice(Value):
    def __init__(self, choices: type[Choices], *, blank: bool = False, **kwargs: bool) -> None:
        super().__init__(**kwargs)
        self.values, self.blank = choices.values, blank

    def convert(self, value: object) -> object:
        if self.blank and value == "":
            return ""
        # A bool is an int to Python, but true is no week start.
        if isinstance(value, bool) or value not in self.values:
            raise ValidationError(
                "“%(key)s” cannot be %(value)s; it is one of %(known)s.",
                code="choice",
                params={
                    "value": shown(value),
                    "known": ", ".join(json.dumps(choice) for choice in self.values),
                },
            )
        return value


class Boolean(Value):
    expected = "true or false"

    def convert(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise self.wrong(value)
        return value


class Mood(Value):
    expected = "empty (null) or a whole number from 1 to 5"

    def convert(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise self.wrong(value)
        return value


class Day(Value):
    """A date; the record then holds it to the rule on dates (see Record.clean)."""

    expected = "a date like 2026-03-02"

    def convert(self, value: object) -> datetime.date:
        try:
            return datetime.date.fromisoformat(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise self.wrong(value) from None


class Time(Value):
    expected = "empty (null) or a time like 18:30"

    def convert(self, value: object) -> datetime.time:
        try:
            time = datetime.time.fromisoformat(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise self.wrong(value) from None
        if time.tzinfo is not None:
            # An entry's time is the time where the person lives, with no offset.
            raise self.wrong(value)
        return time


class Moment(Value):
    expected = "a date and time with its offset, like 2026-03-02T18:30:00Z"

    def convert(self, value: object) -> datetime.datetime:
        try:
            moment = datetime.datetime.fromisoformat(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise self.wrong(value) from None
        if moment.tzinfo is None:
            raise self.wrong(value)
        try:
            moment.astimezone(datetime.UTC)
        except OverflowError:  # the first or last moments there are, and an offset past them
            raise self.wrong(value) from None
        return moment


class Tactics(Value):
    expected = "a list of tactics"

    def convert(self, value: object) -> list[str]:
        if not isinstance(value, list):
            raise self.wrong(value)
        unknown = [t for t in value if not isinstance(t, str) or t not in Tactic.values]
        if unknown:
            raise ValidationError(
                "%(unknown)s %(verb)s Reconnect knows.",
                params={
                    "unknown": ", ".join(shown(t) for t in unknown),
                    "verb": "is not a tactic" if len(unknown) == 1 else "are not tactics",
                },
            )
        return list(dict.fromkeys(value))


class Record(forms.Form):
    """A record of the file; `today` is the date in the file's time zone."""

    def __init__(self, record: dict, *, today: datetime.date) -> None:
        super().__init__(record)
        self.today = today

    def clean(self) -> dict[str, Any]:
        super().clean()
        for name, field in self.fields.items():
            day = self.cleaned_data.get(name)
            if not isinstance(field, Day) or not day:
                continue
            if problems := rules.date_problems(day, self.today):
                # The forms' own words: "the date cannot be in the future (2099-01-01)."
                rule = problems[0].in_file.rstrip(".")
                params = {"rule": rule[0].lower() + rule[1:], "value": self.data[name]}
                self.add_error(name, ValidationError("%(rule)s (%(value)s).", params=params))
        return self.cleaned_data

    def problems(self) -> list[str]:
        """Every problem, worded: the fields' in the order they are declared, then the record's."""
        errors = self.errors.as_data()
        words = [
            str(error.message) % {"key": name, **(error.params or {})}
            for name in self.fields
            for error in errors.get(name, [])
        ]
        return words + [str(error.message) for error in errors.get(NON_FIELD_ERRORS, [])]

    def values(self) -> dict:
        """The record's values, but for the optional keys it leaves out."""
        return {k: v for k, v in self.cleaned_data.items() if v is not MISSING}


class ProfileRecord(Record):
    """The settings; a valid time zone in them makes `today` that zone's."""

    partner_name = Text(max_length=60)
    partner_pronouns = Choice(Pronouns)
    timezone = TimeZone()
    week_start = Choice(WeekStart)
    separation_date = Day(nullable=True)
    weekly_reminder = Boolean()
    # Optional: these settings came after the first exports.
    color_scheme = Choice(ColorScheme, optional=True)
    lock_after = Choice(LockAfter, optional=True)
    hide_notes = Boolean(optional=True)
    country = Choice(Country, blank=True, optional=True)
    late_from = Choice(LateFrom, optional=True)

    def __init__(self, record: dict, *, today: datetime.date) -> None:
        zone = record.get("timezone")
        if isinstance(zone, str) and zone in zoneinfo.available_timezones():
            # The settings are applied, so "today" is the file's time zone's.
            today = timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))
        super().__init__(record, today=today)


class EntryRecord(Record):
    date = Day()
    kind = Choice(Kind)
    channel = Choice(Channel, blank=True)
    initiator = Choice(Initiator, blank=True)
    approach = Choice(Approach, blank=True)
    response = Choice(Response, blank=True)
    time = Time(nullable=True)
    mood = Mood(nullable=True)
    note = Text(max_length=rules.NOTE_MAX_LENGTH)
    is_private = Boolean()
    tactics = Tactics()
    created_at = Moment()
    # Not kept (an import is a change: see journal_import), but it should be one.
    updated_at = Moment(nullable=True, optional=True)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        found: list[rules.Problem] = []
        if _all_in(cleaned, ["kind", *rules.CONTACT_DETAILS]):
            details = {name: cleaned[name] for name in rules.CONTACT_DETAILS}
            found += rules.contact_problems(cleaned["kind"], details)
        if _all_in(cleaned, ["kind", "approach", "tactics"]):
            found += rules.tactic_problems(
                cleaned["kind"], cleaned["approach"], cleaned["tactics"]
            )
        for problem in found:
            self.add_error(None, problem.in_file)
        return cleaned


class ReflectionRecord(Record):
    week_start = Day()
    went_well = Text()
    where_pushed = Text()
    try_next = Text()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if _all_in(cleaned, ANSWERS) and not any(cleaned[name].strip() for name in ANSWERS):
            self.add_error(None, "all three answers are empty.")
        return cleaned


def _all_in(cleaned: dict, names: list[str]) -> bool:
    return all(name in cleaned for name in names)
