from __future__ import annotations

import datetime
import secrets
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from journal.models import (
    INVITATION_DAYS,
    Interaction,
    InteractionTactic,
    Reflection,
    ReminderSent,
    Share,
    User,
    token_hash,
)
from journal.reviews import summary_line
from journal.trends import trends_for

# Signs the link that stops the reminders, so it works without signing in.
REMINDER_SALT = "journal.reminders.stop"


def interaction_save(*, interaction: Interaction, tactics: list[str]) -> Interaction:
    """Save an interaction and make its tactic tags exactly `tactics`.

    Tags are only ever written here, after saving the interaction: that bumps its
    updated_at, which the caches of everything computed from entries rely on. When
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
    tactics = list(dict.fromkeys(tactics))
    interaction.save()
    interaction.tactic_tags.exclude(tactic__in=tactics).delete()
    existing = set(interaction.tactic_tags.values_list("tactic", flat=True))
    InteractionTactic.objects.bulk_create(
        InteractionTactic(interaction=interaction, tactic=tactic)
        for tactic in tactics
        if tactic not in existing
    )
    return interaction


def reflection_save(*, owner: User, week_start: datetime.date, answers: dict) -> Reflection:
    """Save the reflection on a week: the first save creates it, later ones edit it.

    update_or_create holds the row while it updates and, when two first saves race,
    the loser of the unique constraint edits the winner's row instead of failing.
    """
    reflection, _ = Reflection.objects.update_or_create(
        owner=owner, week_start=week_start, defaults=answers
    )
    return reflection


def reminder_send(*, user: User, week_start: datetime.date) -> bool:
    """Email `user` the summary of the week that starts on `week_start`, once.

    Claim, send, then mark sent, each on its own: no transaction (and so no write
    lock on SQLite) is held while the mail server answers. The claim is a row under
    a unique constraint, so a second run, even a concurrent one, sends nothing; a
    failed send gives the claim up, and a claim left unsent by a run that died is
    taken again after CLAIM_TIMEOUT. Returns whether this call sent it.
    """
    claim = _reminder_claim(user=user, week_start=week_start)
    if claim is None:
        return False
    week_end = week_start + datetime.timedelta(days=6)
    week = trends_for(user, "4w", end=week_end).weeks[-1]
    context = {
        "user": user,
        "week": week,
        "week_end": week_end,
        "summary": summary_line(week, user.partner),
        "review_url": absolute_url(reverse("journal:review-week", args=[week_start])),
        "stop_url": absolute_url(
            reverse("reminders-stop", args=[signing.dumps(user.pk, salt=REMINDER_SALT)])
        ),
    }
    try:
        send_mail(
            subject=f"Your week of {week_start:%-d %B}: a moment to look back",
            message=render_to_string("journal/email/weekly_reminder.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except BaseException:
        ReminderSent.objects.filter(pk=claim.pk, sent_at=None).delete()
        raise
    ReminderSent.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return True


# A claim this old without a sent mail belongs to a run that died: take it again.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)


def _reminder_claim(*, user: User, week_start: datetime.date) -> ReminderSent | None:
    now = timezone.now()
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(user=user, week_start=week_start, claimed_at=now)
    except IntegrityError:
        pass
    # Only one run can move claimed_at on, so only one takes a stale claim.
    stale = ReminderSent.objects.filter(
        user=user, week_start=week_start, sent_at=None, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    if stale.update(claimed_at=now):
        return ReminderSent.objects.get(user=user, week_start=week_start)
    return None


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def share_invite(*, share: Share, owner: User) -> str:
    """Save a new invitation and email its link; returns the link's path, to show once.

    The link's token is random and stored only as its hash: the journaler sees the
    link now, the counselor gets it by email, and no one can read it back later.
    The email goes once the invitation is committed, so no transaction waits on the
    mail server; if it cannot be sent, the journaler still has the link to pass on.
    """
    token = secrets.token_urlsafe(32)
    share.owner = owner
    share.token_hash = token_hash(token)
    share.invitation_expires_at = timezone.now() + datetime.timedelta(days=INVITATION_DAYS)
    share.save()
    path = reverse("journal:invitation", args=[token])
    context = {"share": share, "link": absolute_url(path), "days": INVITATION_DAYS}
    transaction.on_commit(
        partial(
            send_mail,
            subject=f"{owner.email} invites you to read their Reconnect journal",
            message=render_to_string("journal/email/invitation.txt", context),
            from_email=None,
            recipient_list=[share.email],
        ),
        robust=True,
    )
    return path
