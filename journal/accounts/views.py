from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from journal.access import SignedInRequest
from journal.accounts.forms import ProfileForm, SignupForm


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    # Where to go afterwards, say back to a counselor's invitation; only this site.
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or "onboarding")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


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
        form.save()
        messages.success(request, "Your journal is ready. Log your first interaction below.")
        return redirect("home")
    return render(request, "journal/onboarding.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: SignedInRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("profile")
    return render(request, "journal/profile.html", {"form": form})
