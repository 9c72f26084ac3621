from __future__ import annotations

import datetime
import secrets

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


@transaction.atomic
def interaction_save(*, interaction: Interaction, tactics: list[str]) -> Interaction:
    """Save an interaction and make its tactic tags exactly `tactics`.

    Tags are only ever written here, after saving the interaction: that bumps its
    updated_at, which the caches of everything computed from entries rely on.
    """
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

    The record of the reminder is written in the same transaction as the email is
    sent: a second run, even a concurrent one, hits the unique constraint and sends
    nothing; a failed send rolls the record back so a later run tries again.
    Returns whether this call sent it.
    """
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
        with transaction.atomic():
            ReminderSent.objects.create(user=user, week_start=week_start)
            send_mail(
                subject=f"Your week of {week_start:%-d %B}: a moment to look back",
                message=render_to_string("journal/email/weekly_reminder.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )
    except IntegrityError:
        return False
    return True


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def share_invite(*, share: Share, owner: User) -> str:
    """Save a new invitation and email its link; returns the link, to show once.

    The link's token is random and stored only as its hash: the journaler sees the
    link now, the counselor gets it by email, and no one can read it back later.
    """
    token = secrets.token_urlsafe(32)
    share.owner = owner
    share.token_hash = token_hash(token)
    share.invitation_expires_at = timezone.now() + datetime.timedelta(days=INVITATION_DAYS)
    share.save()
    link = absolute_url(reverse("journal:invitation", args=[token]))
    send_mail(
        subject=f"{owner.email} invites you to read their Reconnect journal",
        message=render_to_string(
            "journal/email/invitation.txt", {"share": share, "link": link, "days": INVITATION_DAYS}
        ),
        from_email=None,
        recipient_list=[share.email],
    )
    return link
