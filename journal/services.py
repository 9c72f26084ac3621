from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from journal import rules
from journal.choices import Initiator, Kind
from journal.models import (
    Interaction,
    InteractionQuerySet,
    InteractionTactic,
    Reflection,
    Submission,
    User,
)
from journal.reports.summaries import summaries_rebuild, summaries_refresh

# The hidden field that carries a form's key (journal.forms.SubmittedOnce, and the
# {% submission_key %} tag for a form that is only a button).
SUBMISSION_FIELD = "submission"
# How long a key is remembered: a post of the same form after that writes again.
SUBMISSION_KEPT = datetime.timedelta(days=1)


def submit_once(
    request: HttpRequest,
    user: User,
    then: str,
    write: Callable[[], object],
    *,
    form: forms.Form | None = None,
    field: str | None = None,
    in_steps: bool = False,
) -> str:
    """Check `form` and do `write` once for the key the form was drawn with; return
    the address to go to next: `then`, or that of the first post of the same form.

    A later post of the same form with the same answers (a double tap, Back and send
    again, a retry after an answer that never came) writes nothing and gets the first
    post's address, even if the form would now be refused for what that post saved.
    Sent again with other answers (Back, a typo mended, Save), it is a post of its
    own. The key is claimed in the write's own transaction, so a write that failed
    or was cut off leaves it free to try again. A write that commits in steps (an
    import) claims it first, frees it if the write fails, and a claim it left behind
    when cut off is taken again after STEPS_ABANDONED. A post with no key writes.

    Returns "" if the form is not valid, or `write` raised a ValidationError: the
    form says why (on `field`, or above its fields).
    """
    try:
        drawn = uuid.UUID(request.POST.get(SUBMISSION_FIELD, ""))
    except ValueError:
        key = None
    else:
        # One key per form and answers: the same answers again are a repeat, other
        # answers a post of their own, itself kept from repeating.
        key = uuid.uuid5(drawn, _digest(request))
        first = Submission.objects.filter(owner=user, key=key).first()
        if first and (answer := _answer(first, then)):
            return answer
    if form is not None and not form.is_valid():
        return ""
    try:
        if key is None:
            write()
        elif in_steps:
            if not _claim(user, key, answer=""):
                return _earlier(user, key, then)
            try:
                write()
            except BaseException:
                Submission.objects.filter(owner=user, key=key).delete()
                raise
            Submission.objects.filter(owner=user, key=key).update(answer=then)
        else:
            with transaction.atomic():
                if not _claim(user, key, answer=then):
                    return _earlier(user, key, then)
                write()
    except ValidationError as error:
        if form is None:
            raise
        form.add_error(field, error)
        return ""
    return then


# A write in steps whose claim is this old, and unanswered, was cut off.
STEPS_ABANDONED = datetime.timedelta(minutes=10)


def _earlier(user: User, key: uuid.UUID, then: str) -> str:
    """The answer of the post that claimed `key` a moment before this one."""
    first = Submission.objects.filter(owner=user, key=key).first()
    return _answer(first, then) if first else ""


def _answer(first: Submission, then: str) -> str:
    """The answer to a post of a form already sent; "" if the first post's write in
    steps was cut off (its claim is taken back), `then` if it is under way."""
    if first.answer:
        return first.answer
    if first.created_at < timezone.now() - STEPS_ABANDONED:
        first.delete()
        return ""
    return then


def _digest(request: HttpRequest) -> str:
    """The answers a post carries (its files by name and size), as one keyed hash:
    nobody reading the database can check a guess of what was written."""
    fields = [
        (name, values)
        for name, values in sorted(request.POST.lists())
        if name not in (SUBMISSION_FIELD, "csrfmiddlewaretoken")
    ]
    files = sorted(
        (name, file.name, file.size) for name, uploads in request.FILES.lists() for file in uploads
    )
    return salted_hmac("submission", repr((fields, files)), algorithm="sha256").hexdigest()


def _claim(user: User, key: uuid.UUID, *, answer: str) -> bool:
    """Claim `key` for this post; False if another post of the form has it."""
    Submission.objects.filter(owner=user, created_at__lt=timezone.now() - SUBMISSION_KEPT).delete()
    try:
        with transaction.atomic():
            Submission.objects.create(owner=user, key=key, answer=answer)
    except IntegrityError:
        return False
    return True


def interaction_save(*, interaction: Interaction, tactics: list[str]) -> Interaction:
    """Save an interaction and make its tactic tags exactly `tactics`.

    Tags are only ever written here, with the interaction, and the weeks' summaries
    counted again in the same transaction, which moves the journal's version on (the
    key of everything cached from the entries). When
    another request has saved a day the rules keep apart since the form was checked,
    the database refuses it, and this raises the rule's ValidationError.
    """
    try:
        return _interaction_write(interaction, tactics)
    except IntegrityError:
        interaction.clean()
        raise


@transaction.atomic
def _interaction_write(interaction: Interaction, tactics: list[str]) -> Interaction:
    # One write at a time for a person, and the day's rules checked again inside it,
    # so that two tabs saving one day can never both pass them.
    User.objects.lock_for_writes(interaction.owner_id)
    # An edit may move the entry to another week: both are counted again.
    dates = [interaction.date]
    if interaction.pk is not None:
        dates += Interaction.objects.filter(pk=interaction.pk).values_list("date", flat=True)
    if interaction.replaces_space:
        spaces = Interaction.objects.filter(
            owner=interaction.owner_id, date=interaction.date, kind=Kind.SPACE
        )
        _fold(interaction, list(spaces))
        spaces.delete()
    interaction.clean()
    tactics = list(dict.fromkeys(tactics))
    interaction.save()
    interaction.tactic_tags.exclude(tactic__in=tactics).delete()
    existing = set(interaction.tactic_tags.values_list("tactic", flat=True))
    InteractionTactic.objects.bulk_create(
        InteractionTactic(interaction=interaction, tactic=tactic)
        for tactic in tactics
        if tactic not in existing
    )
    summaries_refresh(owner=interaction.owner, dates=dates)
    return interaction


@transaction.atomic
def interactions_delete(*, owner: User, entries: InteractionQuerySet) -> int:
    """Delete `entries` (all of them `owner`'s); how many there were."""
    User.objects.lock_for_writes(owner.pk)
    entries = entries.filter(owner=owner)
    dates = list(entries.values_list("date", flat=True))
    deleted = entries.delete()[1].get(Interaction._meta.label, 0)
    summaries_refresh(owner=owner, dates=dates)
    return deleted


@transaction.atomic
def profile_save(*, form: forms.ModelForm) -> User:
    """Save the journal's settings (a valid ProfileForm); a new week start regroups
    every week's summary, and a new hour for late at night counts them again."""
    user = form.save()
    if set(form.changed_data) & set(User.SUMMARIZED):
        summaries_rebuild(owner=user)
    return user


def reflection_save(*, owner: User, week_start: datetime.date, answers: dict) -> Reflection:
    """Save the reflection on a week: the first save creates it, later ones edit it.

    update_or_create holds the row while it updates and, when two first saves race,
    the loser of the unique constraint edits the winner's row instead of failing.
    """
    reflection, _ = Reflection.objects.update_or_create(
        owner=owner, week_start=week_start, defaults=answers
    )
    return reflection


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def day_mend(entries: list[Interaction]) -> tuple[Interaction, list[Interaction]]:
    """How a day that breaks the one-day rules is mended, losing nothing written:
    the contact logged first stays (on a day of space alone, the day of space logged
    first), with every note of the days of space beside it, their mood if it had
    none, and private if any of them was. Returns it, and the days of space it takes in."""
    ordered = sorted(entries, key=lambda entry: (entry.created_at, entry.pk or 0))
    contacts = [entry for entry in ordered if entry.kind == Kind.CONTACT]
    kept = contacts[0] if contacts else ordered[0]
    folded = [entry for entry in ordered if entry.kind == Kind.SPACE and entry is not kept]
    _fold(kept, folded)
    return kept, folded


def _fold(kept: Interaction, spaces: list[Interaction]) -> None:
    """Take the days of space `spaces` into `kept`, losing nothing written: their
    notes after its own, their mood if it has none, private if any of them was."""
    notes = [entry.note for entry in (kept, *spaces) if entry.note.strip()]
    kept.note = "\n\n".join(dict.fromkeys(notes))
    kept.mood = kept.mood or next((entry.mood for entry in spaces if entry.mood), None)
    kept.is_private = kept.is_private or any(entry.is_private for entry in spaces)


def days_mend(entries: models.QuerySet) -> list[str]:
    """Mend every day among `entries` that breaks the one-day rules (see day_mend);
    say what changed, a line a day. Also run by a migration, on its own models."""
    model = entries.model
    tallies = (
        entries.values("owner", "date")
        .annotate(
            spaces=Count("pk", filter=Q(kind=Kind.SPACE)),
            contacts=Count("pk", filter=Q(kind=Kind.CONTACT) & ~Q(initiator=Initiator.PARTNER)),
        )
        .filter(spaces__gt=0)
        .order_by("owner", "date")
    )
    said = []
    for day in tallies:
        if rules.day_allows(spaces=day["spaces"], contacts=day["contacts"]):
            continue
        with transaction.atomic():
            same_day = entries.filter(owner=day["owner"], date=day["date"]).select_for_update()
            kept, folded = day_mend(list(same_day))
            kept.save(update_fields=["note", "mood", "is_private", "updated_at"])
            model.objects.filter(pk__in=[entry.pk for entry in folded]).delete()
            # A migration passes a model of its own, from before the summaries.
            if model is Interaction:
                summaries_refresh(owner=kept.owner, dates=[day["date"]])
        into = "the contact" if kept.kind == Kind.CONTACT else "the day of space"
        said.append(
            f"Account {day['owner']}, {day['date']:%Y-%m-%d}: {len(folded)} day(s) of space "
            f"folded into {into} logged first, with their notes."
        )
    return said


def session_keys(user: User) -> list[str]:
    """The keys of every session of `user`, open or expired."""
    # A session stores its user inside its encoded data, with no column to filter
    # on: read them all. Expired ones too, since an id can be given out again.
    pk = user._meta.pk.value_to_string(user)
    return [
        session.session_key
        for session in Session.objects.iterator(chunk_size=500)
        if session.get_decoded().get(SESSION_KEY) == pk
    ]
