"""Send the mail waiting in the outbox (see journal/mail.py): every minute, from
reconnect-mail.timer or cron.

    python manage.py send_outbox
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from journal.mail import send_waiting


class Command(BaseCommand):
    help = "Send the mail waiting in the outbox."

    def handle(self, *args, **options) -> None:
        sent, failed = send_waiting()
        self.stdout.write(f"{sent} sent, {failed} failed and kept for the next run.")
