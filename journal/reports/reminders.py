"""The weekly reminder: sent once a week, after the week ends, where the user lives."""

from __future__ import annotations

import datetime

from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from journal.models import ReminderSent, User
from journal.reports.reviews import summary_line
from journal.reports.trends import trends_for
from journal.services import absolute_url

# Signs the link that stops the reminders, so it works without signing in.
REMINDER_SALT = "journal.reminders.stop"


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
