from __future__ import annotations

import datetime
import secrets
from functools import partial

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from journal.models import INVITATION_DAYS, Share, User, token_hash
from journal.services import absolute_url


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
