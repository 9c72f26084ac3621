from __future__ import annotations

import math
import time
from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.internal.auth import begin_authentication
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from journal.access import SignedInRequest, password_again
from journal.accounts.forms import ProfileForm
from journal.models import Device, User
from journal.services import profile_save, session_keys


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: SignedInRequest) -> HttpResponse:
    form = ProfileForm(
        request.POST or None,
        instance=request.user,
        submit_label="Start my journal",
        detect_timezone=True,
    )
    if form.is_valid():
        profile_save(form=form)
        messages.success(request, "Your journal is ready. Log your first interaction below.")
        return redirect("home")
    return render(request, "journal/onboarding.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: SignedInRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        profile_save(form=form)
        messages.success(request, "Your settings are saved.")
        return redirect("profile")
    # This device is listed even if its session's key changed since sign-in (a
    # password change gives it a new one).
    Device.note(request, request.user)
    this = request.session.session_key
    context = {
        "form": form,
        "devices": _devices(request),
        "this": this,
        "factors": _factors(request.user),
    }
    return render(request, "journal/profile.html", context)


def _factors(user: User) -> dict[str, object]:
    """The second steps at sign-in the user has set up, as Settings lists them."""
    by_type: dict[str, list] = {}
    for authenticator in Authenticator.objects.filter(user=user):
        by_type.setdefault(authenticator.type, []).append(authenticator.wrap())
    [codes] = by_type.get(Authenticator.Type.RECOVERY_CODES) or [None]
    return {
        "totp": Authenticator.Type.TOTP in by_type,
        "passkeys": [passkey.name for passkey in by_type.get(Authenticator.Type.WEBAUTHN, [])],
        "recovery_codes": len(codes.get_unused_codes()) if codes else 0,
    }


def _devices(request: SignedInRequest) -> QuerySet[Device]:
    """Where the signed-in user is signed in: the sessions of theirs that are still open."""
    open_sessions = Session.objects.filter(expire_date__gt=timezone.now())
    return Device.objects.filter(
        user=request.user, session_key__in=open_sessions.values("session_key")
    )


@login_required
@require_POST
def device_end(request: SignedInRequest, pk: int) -> HttpResponse:
    """Sign out on another device: its session ends, and its next page asks to sign in."""
    device = _devices(request).exclude(session_key=request.session.session_key).filter(pk=pk)
    ended = _end(device)
    if not ended:
        raise Http404("No such device")
    messages.success(request, f"Signed out on {ended[0]}.")
    return redirect("profile")


@login_required
@require_POST
def devices_end_others(request: SignedInRequest) -> HttpResponse:
    this = request.session.session_key
    _end(_devices(request).exclude(session_key=this))
    # And any session of theirs from before devices were listed.
    others = [key for key in session_keys(request.user) if key != this]
    Session.objects.filter(session_key__in=others).delete()
    messages.success(request, "Signed out everywhere else.")
    return redirect("profile")


def _end(devices: QuerySet[Device]) -> list[str]:
    ended = list(devices)
    Session.objects.filter(session_key__in=[device.session_key for device in ended]).delete()
    Device.objects.filter(pk__in=[device.pk for device in ended]).delete()
    return [device.name for device in ended]


@login_required
@require_http_methods(["GET", "POST"])
def lock(request: SignedInRequest) -> HttpResponse:
    """The lock in front of every page: the password or a passkey again, then the page
    asked for."""
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if not wanted.startswith("/") or not url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        wanted = reverse("home")
    locked_at = request.session.get("locked")
    if not locked_at:
        return HttpResponseRedirect(wanted)
    # A passkey used on this page since the lock (allauth records it) opens it too. A
    # lock set before locks kept their time is opened by the password only.
    since = locked_at if isinstance(locked_at, float) else math.inf
    if any(record["at"] > since for record in get_authentication_records(request, request.user)):
        return _unlock(request, wanted)
    error = ""
    if request.method == "POST" and not (
        error := password_again(request, request.POST.get("password", ""))
    ):
        return _unlock(request, wanted)
    context: dict[str, object] = {
        "next": wanted,
        "error": error,
        "unsent": request.session.get("unsent", False),
    }
    if passkeys := Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.WEBAUTHN
    ).exists():
        # The passkey's challenge, kept in the session for the answer.
        context["passkey_request"] = {"request_options": begin_authentication(request.user)}
        context["passkey_next"] = f"{reverse('lock')}?{urlencode({'next': wanted})}"
    context["passkeys"] = passkeys
    return render(request, "lock.html", context)


def _unlock(request: SignedInRequest, wanted: str) -> HttpResponse:
    request.session["locked"] = False
    request.session.pop("unsent", None)
    request.session["seen"] = int(time.time())
    return HttpResponseRedirect(wanted)


@login_required
@require_POST
def lock_now(request: SignedInRequest) -> HttpResponse:
    """Lock at once, from the button on every page; unlocking returns to that page."""
    request.session["locked"] = time.time()
    return redirect(f"{reverse('lock')}?{urlencode({'next': request.POST.get('next', '/')})}")


@login_required
@require_POST
def hide(request: SignedInRequest) -> HttpResponse:
    """Quick hide: lock, and show a page with nothing of the journal on it."""
    request.session["locked"] = time.time()
    return redirect("blank")


@require_safe
def blank(request: HttpRequest) -> HttpResponse:
    return render(request, "blank.html")


class RemovePasskey(RemoveWebAuthnView):
    """allauth's removal of a passkey, which asks the MFA adapter first, as turning
    off the authenticator app does (a client may ask for a second step)."""

    def form_valid(self, form) -> HttpResponse:
        adapter = get_mfa_adapter()
        if not adapter.can_delete_authenticator(self.get_object()):
            messages.error(self.request, adapter.error_messages["cannot_delete_authenticator"])
            return redirect("mfa_list_webauthn")
        return super().form_valid(form)
