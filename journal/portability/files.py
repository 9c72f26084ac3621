"""Your data: download everything, bring it to another installation, or delete it all.

`export_data` is everything a user owns, as the JSON of an export; `interactions_csv`
their interactions for a spreadsheet. `read_export` checks an export file as a whole
and `journal_import` writes it into the signed-in account, all or nothing, without
holding up anyone else's writes. `account_delete` removes an account and every row
that is the user's.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from journal import rules
from journal.choices import (
    Kind,
)
from journal.models import (
    AccessLog,
    Interaction,
    InteractionQuerySet,
    InteractionTactic,
    Reflection,
    Share,
    UnsentMessage,
    User,
)
from journal.portability.schema import (
    ANSWERS,
    EntryRecord,
    ProfileRecord,
    Record,
    ReflectionRecord,
    shown,
)
from journal.reports.summaries import summaries_rebuild
from journal.services import day_mend, session_keys

SCHEMA = "reconnect-export"
# Version 2 added the practical approach; a file of version 1 reads the same way.
VERSION = 2
MAX_IMPORT_BYTES = 20 * 2**20
# Past this many, a list of problems stops helping; the rest are counted.
MAX_ERRORS = 20

CSV_COLUMNS = [
    "date",
    "time",
    "kind",
    "channel",
    "initiator",
    "approach",
    "response",
    "mood",
    "tactics",
    "private",
    "note",
    "created_at",
    "updated_at",
]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Export


def export_data(user: User) -> dict:
    """Everything `user` owns, private entries included: it is their own copy.

    Never an invitation's token hash, and nothing of the journals they counsel.
    """
    shares = (
        Share.objects.for_owner(user)
        .select_related("owner", "counselor")
        .order_by("invited_at", "pk")
    )
    log = (
        AccessLog.objects.filter(share__owner=user)
        .select_related("share")
        .order_by("viewed_at", "pk")
    )
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "exported_at": _moment(timezone.now()),
        "account": {"email": user.email, "date_joined": _moment(user.date_joined)},
        "profile": {
            "partner_name": user.partner_name,
            "partner_pronouns": user.partner_pronouns,
            "timezone": user.timezone,
            "week_start": user.week_start,
            "separation_date": _day(user.separation_date),
            "weekly_reminder": user.weekly_reminder,
            "color_scheme": user.color_scheme,
            "lock_after": user.lock_after,
            "hide_notes": user.hide_notes,
            "country": user.country,
            "late_from": user.late_from,
        },
        "interactions": [_interaction(entry) for entry in _entries(user)],
        "reflections": [
            {
                "week_start": _day(reflection.week_start),
                **{name: getattr(reflection, name) for name in ANSWERS},
                "created_at": _moment(reflection.created_at),
                "updated_at": _moment(reflection.updated_at),
            }
            for reflection in Reflection.objects.for_owner(user).order_by("week_start")
        ],
        "shares": [
            {
                "email": share.email,
                "client_name": share.client_name,
                "accepted_by": share.counselor.email if share.counselor else None,
                "state": share.state.value,
                "entries_since": _day(share.entries_since),
                "include_reflections": share.include_reflections,
                "require_two_factor": share.require_two_factor,
                "access_until": _day(share.access_until),
                "invited_at": _moment(share.invited_at),
                "invitation_expires_at": _moment(share.invitation_expires_at),
                "accepted_at": _moment(share.accepted_at),
                "cancelled_at": _moment(share.cancelled_at),
                "revoked_at": _moment(share.revoked_at),
            }
            for share in shares
        ],
        "access_log": [
            {
                "counselor_email": visit.share.email,
                "what": visit.what,
                "target": visit.target,
                "viewed_at": _moment(visit.viewed_at),
            }
            for visit in log
        ],
        "unsent_messages": [
            {
                "text": message.text,
                "approach": message.approach,
                "created_at": _moment(message.created_at),
            }
            for message in UnsentMessage.objects.filter(owner=user).order_by("created_at", "pk")
        ],
    }


def _entries(user: User) -> InteractionQuerySet:
    """Oldest first; so an imported journal exports again in the same order."""
    return (
        Interaction.objects.for_owner(user)
        .with_tactics()
        .order_by("date", F("time").asc(nulls_first=True), "created_at", "pk")
    )


def _interaction(entry: Interaction) -> dict:
    return {
        "date": _day(entry.date),
        "time": entry.time.isoformat() if entry.time else None,
        "kind": entry.kind,
        "channel": entry.channel,
        "initiator": entry.initiator,
        "approach": entry.approach,
        "response": entry.response,
        "mood": entry.mood,
        "tactics": [tag.tactic for tag in entry.tactic_tags.all()],
        "note": entry.note,
        "is_private": entry.is_private,
        "created_at": _moment(entry.created_at),
        "updated_at": _moment(entry.updated_at),
    }


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime.datetime | None) -> str | None:
    # Full microseconds (DjangoJSONEncoder keeps milliseconds only): created_at
    # tells an entry apart on a second import.
    return value.astimezone(datetime.UTC).isoformat() if value else None


def interactions_csv(user: User) -> str:
    """The interactions as a spreadsheet opens them: UTF-8 with a BOM, a header row,
    one row per interaction, times in the user's time zone, and no cell that a
    spreadsheet would run as a formula."""
    out = io.StringIO()
    # Without the BOM, Excel reads UTF-8 as the local code page.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    local = user.tzinfo
    for entry in _entries(user):
        row = [
            _day(entry.date),
            f"{entry.time:%H:%M}" if entry.time else "",
            entry.kind,
            entry.channel,
            entry.initiator,
            entry.approach,
            entry.response,
            str(entry.mood or ""),
            ";".join(tag.tactic for tag in entry.tactic_tags.all()),
            "yes" if entry.is_private else "no",
            entry.note,
            f"{entry.created_at.astimezone(local):%Y-%m-%d %H:%M:%S}",
            f"{entry.updated_at.astimezone(local):%Y-%m-%d %H:%M:%S}",
        ]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


# Import


@dataclass
class ImportedEntry:
    interaction: Interaction
    tactics: list[str]

    @property
    def key(self) -> tuple:
        entry = self.interaction
        return _entry_key(entry.date, entry.time, entry.kind, entry.created_at, entry.note)


def _entry_key(day, time, kind, created_at, note) -> tuple:
    """What makes an imported entry the same as one already in the journal."""
    return (day, time, kind, created_at.astimezone(datetime.UTC), note)


@dataclass
class ImportFile:
    """An export file, read and checked; nothing of it is saved yet."""

    profile: dict
    entries: list[ImportedEntry]
    reflections: list[Reflection]


@dataclass
class ImportResult:
    entries_added: int = 0
    entries_present: int = 0
    reflections_added: int = 0
    reflections_updated: int = 0
    # Days of the file that broke the one-day rules, mended as asked.
    days_mended: int = 0


NOT_AN_EXPORT = "This file is not a Reconnect export"


def read_export(file: File, *, user: User) -> ImportFile:
    """Read and check an export file as a whole, before anything is written.

    Raises a ValidationError listing every problem found (up to MAX_ERRORS).
    """
    if file.size > MAX_IMPORT_BYTES:
        raise ValidationError(
            f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB, "
            "the most an import takes."
        )
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{NOT_AN_EXPORT}: it is not a text file.") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"{NOT_AN_EXPORT}, or it is damaged: it is not valid JSON "
            f"(line {error.lineno}, column {error.colno})."
        ) from None
    except (ValueError, RecursionError):
        raise ValidationError(f"{NOT_AN_EXPORT}, or it is damaged.") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValidationError(f"{NOT_AN_EXPORT}: it does not say “schema”: “{SCHEMA}”.")
    version = data.get("version")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise ValidationError(
            f"This export is of version {shown(version)}; this installation reads "
            f"versions 1 to {VERSION}. Export again from an installation of the same version."
        )
    parsed, errors = _read(data, user)
    if errors:
        raise ValidationError(_capped(errors))
    return parsed


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def _capped(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_ERRORS:
        return errors
    more = len(errors) - MAX_ERRORS
    return [*errors[:MAX_ERRORS], f"…and {more} more problem{'s' if more > 1 else ''}."]


def _read(data: dict, user: User) -> tuple[ImportFile, list[str]]:
    """The file's settings, entries and reflections, each checked by its schema
    (journal/portability/schema.py); and the problems, each said with where it is."""
    errors: list[str] = []
    today = user.today()
    profile = {}
    record = data.get("profile")
    if isinstance(record, dict):
        form = ProfileRecord(record, today=today)
        form.is_valid()
        errors += [f"Your settings: {problem}" for problem in form.problems()]
        profile, today = form.values(), form.today
        if not profile.get("partner_name", True):
            # An account that never kept a journal has no name to bring: keep this one's.
            del profile["partner_name"]
    else:
        errors.append("The file: its settings (“profile”) should be an object.")

    entries = [
        ImportedEntry(
            Interaction(
                owner=user,
                created_at=values["created_at"],
                **{name: values[name] for name in Interaction.WRITTEN},
            ),
            values["tactics"],
        )
        for _, values in _records(data, "interactions", EntryRecord, today, errors)
    ]
    reflections = []
    weeks = set()
    for number, values in _records(data, "reflections", ReflectionRecord, today, errors):
        week = values["week_start"]
        if week in weeks:
            errors.append(
                f"Reflection {number} (week of {week:%-d %B %Y}): "
                "the file has another reflection on this week."
            )
        weeks.add(week)
        reflections.append(Reflection(owner=user, **values))
    return ImportFile(profile, entries, reflections), errors


# How the problems of a record say where it is: its number and, once read, its date.
RECORDS = {
    "interactions": ("entries", "Entry {number}", "date", " ({day:%-d %B %Y})"),
    "reflections": (
        "reflections",
        "Reflection {number}",
        "week_start",
        " (week of {day:%-d %B %Y})",
    ),
}


def _records(
    data: dict, key: str, schema: type[Record], today: datetime.date, errors: list[str]
) -> Iterator[tuple[int, dict]]:
    """The number and values of each valid record in data[key]; the problems of the
    others go into `errors`."""
    what, where, day_key, dated = RECORDS[key]
    records = data.get(key)
    if not isinstance(records, list):
        errors.append(f"The file: its {what} (“{key}”) should be a list.")
        return
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            errors.append(f"{where.format(number=number)}: it should be an object.")
            continue
        form = schema(record, today=today)
        if form.is_valid():
            yield number, form.values()
            continue
        place = where.format(number=number)
        if day_key in form.cleaned_data:
            place += dated.format(day=form.cleaned_data[day_key])
        errors += [f"{place}: {problem}" for problem in form.problems()]


@dataclass
class ImportPlan:
    """What an import will write, worked out from the journal as it was at `state`."""

    state: tuple
    profile: dict
    entries: list[ImportedEntry]
    # New weeks, and weeks whose reflection here the file's replaces.
    reflections: list[Reflection]
    result: ImportResult


# An import is written a chunk at a time, each chunk in a transaction of its own,
# into a holding account that nobody can sign in to; one short transaction then
# hands it all to the person. SQLite lets one connection write at a time: anyone
# else saving meanwhile waits for one chunk at most, never for the whole file.
CHUNK = 500
# Not an email address, so no sign-up or sign-in ever reaches a holding account.
HOLDER_PREFIX = "import-hold:"
# A holding account left this long belongs to an import that was cut off.
HOLDER_ABANDONED = datetime.timedelta(hours=1)


def journal_import(*, user: User, data: ImportFile, mend: bool = False) -> ImportResult:
    """Write a checked export into `user`'s journal: its settings, the entries not
    already there and its reflections (a week already reflected on takes the file's
    answers), all or nothing. Raises a ValidationError, writing nothing, if the
    entries would put a day of space and contact on one day (with `mend`, such days
    within the file are mended first, as journal.services.day_mend does), or if the
    journal changed while the file was being written.

    Invitations and the access log are not imported: they belong to the counselors
    of the installation the file came from.
    """
    _holders_abandoned_delete()
    plan = _import_plan(user, data, mend)
    holder = User(email=f"{HOLDER_PREFIX}{uuid.uuid4()}", is_active=False, weekly_reminder=False)
    holder.set_unusable_password()
    holder.save()
    try:
        _stage(holder, plan)
        _hand_over(holder, user, plan)
    finally:
        _holder_delete(holder)
    return plan.result


def _journal_state(user: User) -> tuple:
    """Changes whenever an entry or a reflection of `user` is added, changed or deleted."""
    reflections = Reflection.objects.for_owner(user)
    changed = reflections.aggregate(changed=Max("updated_at"))["changed"]
    entries = User.objects.filter(pk=user.pk).values_list("journal_version", flat=True).get()
    return entries, reflections.count(), changed


def _import_plan(user: User, data: ImportFile, mend: bool) -> ImportPlan:
    """Which entries and reflections of the file to write; reads and writes nothing else."""
    state = _journal_state(user)
    mine = Interaction.objects.for_owner(user)
    here = Counter(
        _entry_key(*row) for row in mine.values_list("date", "time", "kind", "created_at", "note")
    )
    new = []
    for entry in data.entries:
        if here[entry.key]:
            here[entry.key] -= 1
        else:
            new.append(entry)
    present = len(data.entries) - len(new)
    broken = _days_broken(new)
    if mend:
        new = _days_mended(new, broken)
    problems = _same_day_problems(mine, new)
    if problems:
        if broken and not mend:
            problems.append(MEND_OFFER)
        raise ValidationError(_capped(problems))

    mended = len(broken) if mend else 0
    result = ImportResult(entries_added=len(new), entries_present=present, days_mended=mended)
    weeks = {
        reflection.week_start: reflection for reflection in Reflection.objects.for_owner(user)
    }
    reflections = []
    for reflection in data.reflections:
        existing = weeks.get(reflection.week_start)
        if existing is None:
            result.reflections_added += 1
        elif any(getattr(existing, name) != getattr(reflection, name) for name in ANSWERS):
            result.reflections_updated += 1
            reflection.created_at = existing.created_at
        else:
            continue
        reflections.append(reflection)
    return ImportPlan(state, data.profile, new, reflections, result)


def _stage(holder: User, plan: ImportPlan) -> None:
    """Write the plan's entries and reflections into the holding account, a chunk at a time."""
    for start in range(0, len(plan.entries), CHUNK):
        chunk = plan.entries[start : start + CHUNK]
        with _chunk():
            for entry in chunk:
                entry.interaction.owner = holder
            Interaction.objects.bulk_create([entry.interaction for entry in chunk])
            InteractionTactic.objects.bulk_create(
                InteractionTactic(interaction=entry.interaction, tactic=tactic)
                for entry in chunk
                for tactic in entry.tactics
            )
    for start in range(0, len(plan.reflections), CHUNK):
        reflections = plan.reflections[start : start + CHUNK]
        with _chunk():
            for reflection in reflections:
                reflection.owner = holder
            Reflection.objects.bulk_create(reflections)


@contextmanager
def _chunk() -> Iterator[None]:
    """A transaction for one chunk; then, on SQLite, a pause as long as half of it,
    so that others waiting to write get their turn."""
    started = time.monotonic()
    with transaction.atomic():
        yield
    if connection.vendor == "sqlite":
        time.sleep((time.monotonic() - started) / 2)


JOURNAL_CHANGED = (
    "Your journal changed while the file was being imported (an entry saved in "
    "another window, perhaps). Nothing was imported: import the file again."
)


def _hand_over(holder: User, user: User, plan: ImportPlan) -> None:
    """Give the staged entries and reflections to `user`, with the file's settings."""
    try:
        with transaction.atomic():
            _move(holder, user, plan)
    except IntegrityError:
        # A day of space saved here a moment ago, on the day of one in the file.
        raise ValidationError(JOURNAL_CHANGED) from None


def _move(holder: User, user: User, plan: ImportPlan) -> None:
    # Two imports into one account run one after the other (SQLite's transaction
    # holds the write lock already); the second finds the journal changed.
    User.objects.lock_for_writes(user.pk)
    if _journal_state(user) != plan.state:
        raise ValidationError(JOURNAL_CHANGED)
    changed = [name for name, value in plan.profile.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, plan.profile[name])
    if changed:
        user.save(update_fields=changed)
        user.__dict__.pop("tzinfo", None)  # a cached_property of the old time zone
    staged = Reflection.objects.filter(owner=holder)
    Reflection.objects.filter(owner=user, week_start__in=staged.values("week_start")).delete()
    staged.update(owner=user)
    Interaction.objects.filter(owner=holder).update(owner=user)
    # New entries anywhere in the journal, and perhaps another week start.
    summaries_rebuild(owner=user)


def _holder_delete(holder: User) -> None:
    """Delete a holding account and whatever is still staged in it, a chunk at a time."""
    entries = Interaction.objects.filter(owner=holder)
    while chunk := list(entries.values_list("pk", flat=True)[:CHUNK]):
        with _chunk():
            Interaction.objects.filter(pk__in=chunk).delete()
    holder.delete()


def _holders_abandoned_delete() -> None:
    """Clear what imports cut off before their end (a server stopped midway) left staged."""
    abandoned = User.objects.filter(
        email__startswith=HOLDER_PREFIX,
        is_active=False,
        date_joined__lt=timezone.now() - HOLDER_ABANDONED,
    )
    for holder in abandoned:
        _holder_delete(holder)


MEND_OFFER = (
    "Some of these days clash within the file itself. To mend them, tick “Mend the days "
    "that break the rules” and import the file again: on each such day the contact "
    "logged first stays (or the first day of space), and takes in the notes of the "
    "days of space beside it."
)


def _days_broken(entries: list[ImportedEntry]) -> dict[datetime.date, list[ImportedEntry]]:
    """The file's days that break the one-day rules on their own, with their entries."""
    days: dict[datetime.date, list[ImportedEntry]] = {}
    for entry in entries:
        days.setdefault(entry.interaction.date, []).append(entry)
    return {
        day: same_day
        for day, same_day in days.items()
        if not rules.day_allows(
            spaces=sum(entry.interaction.kind == Kind.SPACE for entry in same_day),
            contacts=sum(_breaks_space(entry.interaction) for entry in same_day),
        )
    }


def _days_mended(
    entries: list[ImportedEntry], broken: dict[datetime.date, list[ImportedEntry]]
) -> list[ImportedEntry]:
    """The entries with each broken day mended (see journal.services.day_mend)."""
    folded = set()
    for same_day in broken.values():
        _, into_it = day_mend([entry.interaction for entry in same_day])
        folded |= {id(interaction) for interaction in into_it}
    return [entry for entry in entries if id(entry.interaction) not in folded]


def _same_day_problems(mine: InteractionQuerySet, new: list[ImportedEntry]) -> list[str]:
    """The days on which the import would put a day of space beside contact or
    another day of space, as the forms never allow."""
    if not new:
        return []
    incoming = Counter((entry.interaction.date, _tally(entry.interaction)) for entry in new)
    days = sorted({day for day, _ in incoming})
    present = Counter(
        (day, _tally(Interaction(kind=kind, initiator=initiator)))
        for day, kind, initiator in mine.filter(date__gte=days[0], date__lte=days[-1]).values_list(
            "date", "kind", "initiator"
        )
    )
    problems = []
    for day in days:
        spaces = incoming[day, Kind.SPACE] + present[day, Kind.SPACE]
        contacts = incoming[day, Kind.CONTACT] + present[day, Kind.CONTACT]
        if not rules.day_allows(spaces=spaces, contacts=contacts):
            file = _kinds(incoming[day, Kind.SPACE], incoming[day, Kind.CONTACT])
            here = _kinds(present[day, Kind.SPACE], present[day, Kind.CONTACT])
            clash = f"the file has {file}" + (f" and your journal here has {here}" if here else "")
            problems.append(
                f"{day:%-d %B %Y}: {clash}. A day of space cannot share its day with contact "
                "you started, or with another day of space: delete one of them, then import "
                "again."
            )
    return problems


def _breaks_space(interaction: Interaction) -> bool:
    return rules.breaks_space(interaction.kind, interaction.initiator)


def _tally(interaction: Interaction) -> str:
    """How an entry counts on its day: a day of space, contact that ends one, or
    neither (contact the partner started)."""
    if interaction.kind == Kind.SPACE:
        return Kind.SPACE
    return Kind.CONTACT if _breaks_space(interaction) else ""


def _kinds(spaces: int, contacts: int) -> str:
    parts = []
    if spaces:
        parts.append("a day of space" if spaces == 1 else f"{spaces} days of space")
    if contacts:
        parts.append("a contact" if contacts == 1 else f"{contacts} contacts")
    return " and ".join(parts)


# Deletion


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete `user`, everything that is theirs, and every session they have.

    The cascade takes their entries with their tags, reflections, reminders, and
    the shares they made with their access logs: their counselors lose access at
    once. A share in which they are the counselor stays with its journaler, with its
    access log, and shows as ended (Share.counselor is SET_NULL). Their email
    addresses and sign-in factors (django-allauth's) go with the cascade too.
    """
    Session.objects.filter(session_key__in=session_keys(user)).delete()
    user.delete()
