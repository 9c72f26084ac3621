"""Who is looking at which journal: the owner at their own, or a counselor at a client's.

Every page that shows a journal gets a `Journal` from one of the helpers here,
so each lookup is scoped in one place.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.crypto import salted_hmac

from journal.models import (
    TARGET_LENGTH,
    AccessLog,
    Interaction,
    InteractionQuerySet,
    Reflection,
    ReflectionQuerySet,
    Share,
    Summary,
    User,
)
from journal.reports.insights import Insights, insights_for
from journal.reports.trends import DEFAULT_RANGE, Trends, scope_of, state_key, trends_for
from journal.words import OWN, Voice


class SignedInRequest(HttpRequest):
    """A request that login_required let through: its user is signed in."""

    user: User


@dataclass
class Journal:
    """A journal as the viewer may see it."""

    owner: User
    entries: InteractionQuerySet
    reflections: ReflectionQuerySet
    share: Share | None = None

    @classmethod
    def own(cls, user: User) -> Journal:
        return cls(user, Interaction.objects.for_owner(user), Reflection.objects.for_owner(user))

    @classmethod
    def shared(cls, share: Share) -> Journal:
        """A client's journal: no private entry, nothing outside the scope they chose."""
        return cls(share.owner, share.visible_entries(), share.visible_reflections(), share)

    def count(self) -> int:
        """How many entries there are to see: added up from the monthly summaries
        when they hold just these, counted otherwise."""
        if self.share and self.share.entries_since:
            return self.entries.count()
        months = Summary.objects.of(self.owner, shared=self.share is not None).filter(
            span=Summary.Span.MONTH
        )
        return months.aggregate(entries=Coalesce(Sum("entries"), 0))["entries"]

    def state(self) -> str:
        """The cache key of everything computed from these entries (see `state_key`)."""
        return state_key(self.owner, scope_of(self.share))

    def trends(
        self,
        key: str = DEFAULT_RANGE,
        *,
        state: str = "",
        start: datetime.date | None = None,
        end: datetime.date | None = None,
    ) -> Trends:
        return trends_for(self.owner, key, share=self.share, state=state, start=start, end=end)

    def insights(self, *, state: str = "") -> Insights:
        return insights_for(self.owner, share=self.share, state=state)

    @property
    def voice(self) -> Voice:
        """The owner is spoken to; to a counselor, the client is spoken of."""
        return OWN if self.share is None else Voice.of_client(self.share.display_name)

    @property
    def has_reviews(self) -> bool:
        """The weekly reviews are the owner's, and a counselor's if the share includes them."""
        return self.share is None or self.share.include_reflections

    def context(self) -> dict:
        # Asked only by the pages that give advice, and only of the owner's own
        # journal: a counselor is never told of the client's moods this way.
        hard_stretch = self.entries.hard_stretch if self.share is None else False
        return {
            "owner": self.owner,
            "share": self.share,
            "hard_stretch": hard_stretch,
            "voice": self.voice,
        }

    def url(self, name: str, *args: object) -> str:
        """The address of the page `name` (the owner's URL name) of this journal."""
        return page_url(name, self.share, *args)

    def log(self, what: AccessLog.What, target: object = "") -> None:
        """Record a counselor's visit for the client's access log (never any text)."""
        if self.share:
            target = str(target)
            if len(target) > TARGET_LENGTH:
                target = target[: TARGET_LENGTH - 1] + "…"
            AccessLog.objects.create(share=self.share, what=what, target=target)


def page_url(name: str, share: Share | None, *args: object) -> str:
    """The owner's page `name`, or the same page of the client's journal under the share."""
    if share is None:
        return reverse(name, args=args)
    return reverse(f"client:{name}", args=[share.public_id, *args])


def journal_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of a journal: the signed-in user's own, or, under clients/<share_id>/
    (the same pages, see reconnect/urls.py), a client's, read-only.

    The view is called with the `Journal` to show. For a counselor, anything but
    reading is refused with a 403 before the share is even looked up.
    """

    @wraps(view)
    def wrapper(
        request: SignedInRequest, *args, share_id: uuid.UUID | None = None, **kwargs
    ) -> HttpResponse:
        if share_id is None:
            journal = Journal.own(request.user)
        else:
            refuse_writes(request, "A counselor's view is read-only.")
            journal = Journal.shared(get_share_for_counselor(request, public_id=share_id))
        return view(request, journal, *args, **kwargs)

    return login_required(wrapper)


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that only shows: any method but GET and HEAD is a 403, whoever asks."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refuse_writes(request)
        return view(request, *args, **kwargs)

    return wrapper


def get_share_for_counselor(request: SignedInRequest, **lookup: object) -> Share:
    """The share found by `lookup` if it is the signed-in user's: a 404 for anyone
    else, and a 403 once it is revoked or has expired."""
    share = (
        Share.objects.for_counselor(request.user).select_related("owner").filter(**lookup).first()
    )
    if share is None:
        raise Http404("No such client")
    if not share.is_active:
        raise PermissionDenied("Access to this journal has ended.")
    if share.require_two_factor and not signed_in_with_second_step(request):
        raise PermissionDenied(
            f"{share.display_name} asks that you sign in with a second step (an authenticator "
            "app or a passkey) to read their journal. Set one up in Settings, then sign out "
            "and sign in again with it."
        )
    return share


def signed_in_with_second_step(request: SignedInRequest) -> bool:
    """Whether this session's sign-in took a second step (django-allauth notes each)."""
    from allauth.account.internal.flows.login import get_authentication_records

    return any(
        record["method"] == "mfa" for record in get_authentication_records(request, request.user)
    )


def refuse_writes(
    request: HttpRequest, reason: str = "This page only shows; nothing changes from it."
) -> None:
    """Pages that read and nothing more: any other method is a 403."""
    if request.method not in ("GET", "HEAD"):
        raise PermissionDenied(reason)


def password_again(request: SignedInRequest, password: str) -> str:
    """Check the signed-in person's password once more (the lock, deleting the
    account), counted by django-allauth's limit on such tries: what is wrong, or ""."""
    from allauth.account.internal.flows.reauthentication import reauthenticate_by_password
    from allauth.core import ratelimit

    if not ratelimit.consume(request, action="reauthenticate", user=request.user):
        return "Too many tries. For your safety, this pauses for a while; please try again later."
    if not request.user.check_password(password):
        return "That is not your password."
    reauthenticate_by_password(request)
    return ""


def client_ip(request: HttpRequest) -> str:
    """The address of whoever signs in, for django-allauth's rate limits.

    Behind the proxy (BEHIND_PROXY), every request comes from the proxy's address;
    the proxy puts the client's in X-Forwarded-For (Caddy drops any a client sent;
    a proxy that appends puts the peer it saw last), so the last entry is used.
    Without it, a stranger's tries would count against everyone behind the proxy.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


def device_account(user: User) -> str:
    """The mark a phone keeps beside the logs it holds while offline, so that they
    are sent only while the same account is signed in (static/js/offline.js). Not
    a secret, and it tells nothing of the account to someone who reads it."""
    return salted_hmac("offline-account", str(user.pk), algorithm="sha256").hexdigest()[:20]
