"""Your data, from Settings: download it, bring it from another installation, or
delete the account and everything in it."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from journal.access import SignedInRequest
from journal.portability.files import (
    ImportResult,
    account_delete,
    export_data,
    interactions_csv,
    journal_import,
)
from journal.portability.forms import AccountDeleteForm, ImportForm
from journal.services import submit_once


def _attachment(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
@never_cache
def export_json(request: SignedInRequest) -> HttpResponse:
    content = json.dumps(export_data(request.user), ensure_ascii=False, indent=2)
    filename = f"reconnect-export-{request.user.today():%Y-%m-%d}.json"
    return _attachment(content, "application/json", filename)


@login_required
@require_safe
@never_cache
def export_csv(request: SignedInRequest) -> HttpResponse:
    filename = f"reconnect-interactions-{request.user.today():%Y-%m-%d}.csv"
    return _attachment(interactions_csv(request.user), "text/csv", filename)


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: SignedInRequest) -> HttpResponse:
    # Bound on any POST: a form with only a file has an empty request.POST.
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = ImportForm(*data, user=request.user)
    results = []

    def write() -> None:
        assert form.export is not None
        mend = form.cleaned_data["mend_days"]
        results.append(journal_import(user=request.user, data=form.export, mend=mend))

    listed = reverse("journal:entry-list")
    if request.method == "POST" and submit_once(
        request, request.user, listed, write, form=form, field="file", in_steps=True
    ):
        # A second post of the same form is told what the first one did, or is doing.
        messages.success(request, _imported(results[0]) if results else IMPORTED_ALREADY)
        return redirect(listed)
    return render(request, "journal/data_import.html", {"form": form})


IMPORTED_ALREADY = "This file is imported, or on its way in: your journal shows what it brought."


def _imported(result: ImportResult) -> str:
    added, present = result.entries_added, result.entries_present
    reflections, updated = result.reflections_added, result.reflections_updated
    said = (
        f"Imported {added} entr{pluralize(added, 'y,ies')} and {reflections} "
        f"reflection{pluralize(reflections)}, and applied your settings."
    )
    if updated:
        said += (
            f" {updated} reflection{pluralize(updated)} replaced the one{pluralize(updated)} "
            "you had here for the same week."
        )
    if mended := result.days_mended:
        days = f"{mended} day{pluralize(mended)} that broke the rules"
        said += f" {days} {pluralize(mended, 'was,were')} mended, keeping every note."
    if present:
        said += (
            f" {present} entr{pluralize(present, 'y,ies')} {pluralize(present, 'was,were')} "
            "in your journal already and stayed as before."
        )
    return said


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: SignedInRequest) -> HttpResponse:
    data = (request.POST,) if request.method == "POST" else ()
    form = AccountDeleteForm(*data, request=request)
    if form.is_valid():
        account_delete(user=request.user)
        # Its session row is gone already; this forgets the cookie's copy.
        logout(request)
        return redirect("journal:account-deleted")
    return render(request, "journal/data_delete.html", {"form": form})


@require_safe
def account_deleted(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        # Someone signed in has an account: this page would only alarm them.
        return redirect("home")
    return render(request, "journal/data_goodbye.html")
