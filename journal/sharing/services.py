from __future__ import annotations

import datetime
import secrets
from functools import partial

import segno
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from journal import rules
from journal.models import (
    INVITATION_DAYS,
    Interaction,
    Reflection,
    Share,
    ShareQuerySet,
    User,
    token_hash,
)
from journal.services import absolute_url

# Invitations one account may send in a day: each is an email to an address the
# account chose, so there is a bound on how many a stolen session can send.
INVITATIONS_A_DAY = 5
TOO_MANY_INVITATIONS = (
    f"You have sent {INVITATIONS_A_DAY} invitations in the last day, the most Reconnect "
    "sends in a day. You can send this one tomorrow."
)


def invitations_left(owner: User) -> bool:
    day_ago = timezone.now() - datetime.timedelta(days=1)
    sent = Share.objects.for_owner(owner).filter(invited_at__gt=day_ago).count()
    return sent < INVITATIONS_A_DAY


@transaction.atomic
def share_invite(*, share: Share, owner: User) -> str:
    """Save a new invitation and email its link; returns the link's path, to show once.

    The link's token is random and stored only as its hash: the journaler sees the
    link now, the counselor gets it by email, and no one can read it back later.
    The email goes once the invitation is committed, so no transaction waits on the
    mail server; if it cannot be sent, the journaler still has the link to pass on.
    """
    # Counted again with the account's row locked: several posts at once each
    # passed the form's count.
    User.objects.lock_for_writes(owner.pk)
    if not invitations_left(owner):
        raise ValidationError(TOO_MANY_INVITATIONS)
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
            subject=f"{share.introduced_as} invites you to read their Reconnect journal",
            message=render_to_string("journal/email/invitation.txt", context),
            from_email=None,
            recipient_list=[share.email],
        ),
        robust=True,
    )
    return path


def qr_svg(link: str) -> str:
    """The link as a QR code: an SVG drawn here, dark on white in either colour
    scheme, so a phone's camera can read it from the screen."""
    code = segno.make(link, error="m")
    return code.svg_inline(
        scale=4, dark="#000", light="#fff", svgclass="qr-code", title="QR code of the link"
    )


def clients_of(counselor: User) -> ShareQuerySet:
    """The journals shared with `counselor`, each with the date of the last entry and
    the week of the last reflection the share lets them see (`visible_entries`,
    `visible_reflections`): one query."""
    since = Coalesce(OuterRef("entries_since"), Value(rules.EARLIEST_DATE))
    last_entry = (
        Interaction.objects.without_private()
        .filter(owner=OuterRef("owner"), date__gte=since)
        .order_by("-date")
    )
    last_reflection = Reflection.objects.filter(
        owner=OuterRef("owner"), week_start__gte=since
    ).order_by("-week_start")
    return (
        Share.objects.for_counselor(counselor)
        .select_related("owner")
        .annotate(
            last_entry=Subquery(last_entry.values("date")[:1]),
            last_reflection=Case(
                When(
                    include_reflections=True,
                    then=Subquery(last_reflection.values("week_start")[:1]),
                ),
                default=None,
            ),
        )
    )
