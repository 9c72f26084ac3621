"""Email each opted-in user the summary of the week that has just ended, where they live.

Run it every hour from cron (see the README). Each user gets one email per week,
on the first run after REMINDER_HOUR on the first day of their new week or later;
running it again, or twice at once, sends nothing more.
"""

from __future__ import annotations

import datetime
import logging

from django.core.management.base import BaseCommand
from django.db.models import F
from django.utils import timezone

from journal.models import User
from journal.reports.reminders import reminder_send

REMINDER_HOUR = 9
logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send the weekly reflection reminders that are due."

    def handle(self, *args, **options) -> None:
        sent = failed = 0
        for user in User.objects.filter(
            weekly_reminder=True,
            is_active=True,
            # Only to an address its owner confirmed.
            emailaddress__email=F("email"),
            emailaddress__verified=True,
        ).iterator():
            now = timezone.localtime(timezone=user.tzinfo)
            if now.hour < REMINDER_HOUR:
                continue
            ended = user.week_start_for(now.date()) - datetime.timedelta(days=7)
            try:
                sent += reminder_send(user=user, week_start=ended)
            except Exception:
                # One unreachable mailbox must not stop everyone else's reminder;
                # the record was rolled back, so the next run tries again.
                logger.exception("Weekly reminder for user %s failed", user.pk)
                failed += 1
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
        if failed:
            self.stderr.write(f"{failed} could not be sent; they will be tried again.")
