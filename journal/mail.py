"""Mail that leaves from an outbox in the database, never from a request.

`OutboxBackend` is the EMAIL_BACKEND with the outbox on: sending an email writes an
`OutgoingMail` row. `send_waiting` (the send_outbox command, every minute) sends the
waiting ones through OUTBOX_DELIVERY_BACKEND, the real one, each claimed first so
two runs never send one twice.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import Q
from django.utils import timezone

from journal.models import OutgoingMail

# A claim this old belongs to a run that died: the mail is taken again.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
# A mail still unsent after this long is given up (a reset link lasts as long): it
# is deleted, with a warning in the log.
KEEP_UNSENT = datetime.timedelta(days=3)
# Sent mail is kept this long, its text blanked at once (its links open accounts
# and journals), then deleted.
KEEP_SENT = datetime.timedelta(days=7)

logger = logging.getLogger(__name__)


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: list[EmailMessage]) -> int:  # type: ignore[override]
        for message in email_messages:
            html = ""
            if isinstance(message, EmailMultiAlternatives):
                html = next(
                    (str(c) for c, kind in message.alternatives if kind == "text/html"), ""
                )
            OutgoingMail.objects.create(
                subject=str(message.subject),
                body=str(message.body),
                html=html,
                from_email=message.from_email,
                recipients=message.recipients(),
            )
        return len(email_messages)


def send_waiting() -> tuple[int, int]:
    """Send every mail waiting in the outbox; how many were sent, and how many failed
    (kept for the next run). Old mail goes: see KEEP_SENT and KEEP_UNSENT."""
    now = timezone.now()
    OutgoingMail.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    given_up, _ = OutgoingMail.objects.filter(
        sent_at__isnull=True, created_at__lt=now - KEEP_UNSENT
    ).delete()
    if given_up:
        logger.warning(
            "%d mail(s) could not be sent in %s and were deleted", given_up, KEEP_UNSENT
        )
    waiting = OutgoingMail.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT),
        sent_at__isnull=True,
    )
    sent = failed = 0
    with get_connection(settings.OUTBOX_DELIVERY_BACKEND) as connection:
        for mail in waiting:
            # Claimed with a conditional update: of two runs, one gets it.
            claimed = waiting.filter(pk=mail.pk).update(claimed_at=timezone.now())
            if not claimed:
                continue
            message = EmailMultiAlternatives(
                mail.subject, mail.body, mail.from_email, mail.recipients, connection=connection
            )
            if mail.html:
                message.attach_alternative(mail.html, "text/html")
            try:
                message.send()
            except Exception as error:  # noqa: BLE001 (any refusal is kept and retried)
                OutgoingMail.objects.filter(pk=mail.pk).update(
                    claimed_at=None, attempts=mail.attempts + 1, last_error=repr(error)[:2000]
                )
                failed += 1
                # The server may have dropped the connection: the next mail opens another.
                connection.close()
            else:
                OutgoingMail.objects.filter(pk=mail.pk).update(
                    sent_at=timezone.now(), attempts=mail.attempts + 1, body="", html=""
                )
                sent += 1
    return sent, failed
