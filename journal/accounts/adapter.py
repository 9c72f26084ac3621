"""How django-allauth fits the journal: its words, its client address, its mail."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from journal.access import client_ip
from journal.models import Share


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "That email address and password do not match an account. "
            "Check both, or reset your password."
        ),
        "incorrect_code": "That code is not right. Check the latest email and try again.",
        "incorrect_password": "That is not your password.",
        "invalid_or_expired_key": (
            "This link has expired or was already used. You can ask for a new one."
        ),
        "invalid_password_reset": (
            "This reset link has expired or was already used. You can ask for a new one."
        ),
        "too_many_login_attempts": (
            "Too many tries. For your safety, this pauses for a while; please try "
            "again later, or reset your password."
        ),
        "rate_limited": "Too many tries in a short time. Please wait a little and try again.",
        "enter_current_password": "Please type your current password.",
        "same_as_current": "That is the address you already use.",
        "unverified_primary_email": "Please confirm your email address first.",
    }

    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address the rest of the app trusts, the proxy's header included.
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # Wrong passwords are counted per address and client (a whole IPv6 /64 as one
        # client, as allauth counts addresses), so that a stranger's guesses hold up
        # the stranger, never the owner signing in from elsewhere...
        address = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{address}:{ratelimit.truncate_ip(client_ip(request))}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        # ...and per address from anywhere, more loosely, so that guesses spread
        # over many clients stop too.
        address = super()._get_login_attempts_cache_key(request, **credentials)
        self._any_client_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_any_client", key=address
        )
        if not self._any_client_usage:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _rollback_login_failed_rl_usage(self) -> None:
        # A right password takes back its own count (allauth's way: it does not
        # wipe the earlier wrong ones, which a guesser could otherwise interleave).
        super()._rollback_login_failed_rl_usage()
        if usage := getattr(self, "_any_client_usage", None):
            usage.rollback()
            self._any_client_usage = None


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            "That code is not right, or was already used. Codes change every 30 "
            "seconds; try the one your app shows now."
        ),
        "unverified_email": "Please confirm your email address before adding a second step.",
        "cannot_delete_authenticator": (
            "A journal shared with you asks for a second step at sign-in, so your last "
            "one stays while you can read it."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Not the last second step of a counselor whose client asks for one."""
        user = authenticator.user
        asking = Share.objects.for_counselor(user).filter(require_two_factor=True)
        if not any(share.is_active for share in asking.select_related("owner")):
            return True
        others = Authenticator.objects.filter(user=user).exclude(pk=authenticator.pk)
        return others.exclude(type=Authenticator.Type.RECOVERY_CODES).exists()
