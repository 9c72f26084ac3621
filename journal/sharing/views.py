"""The journaler's side of sharing, and the counselor's acceptance of an invitation."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from journal.access import SignedInRequest, get_share_for_counselor, read_only
from journal.models import AccessLog, Share, token_hash
from journal.sharing.forms import ShareForm
from journal.sharing.services import share_invite

LOG_PAGE_SIZE = 50


def _get_share_for_owner(request: SignedInRequest, **lookup: object) -> Share:
    """The signed-in user's share found by `lookup`; anyone else's answers as one that
    does not exist."""
    share = Share.objects.for_owner(request.user).select_related("owner").filter(**lookup).first()
    if share is None:
        raise Http404("Not found")
    return share


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: SignedInRequest) -> HttpResponse:
    form = ShareForm(request.POST or None, owner=request.user)
    if form.is_valid():
        path = share_invite(share=form.instance, owner=request.user)
        # Built from this request's own address, so the link works wherever the app is served.
        link = request.build_absolute_uri(path)
        return render(
            request, "journal/sharing_invited.html", {"invited": form.instance, "link": link}
        )
    shares = Share.objects.for_owner(request.user).select_related("counselor")
    visits = (
        AccessLog.objects.filter(share__owner=request.user)
        .select_related("share")
        .order_by("-viewed_at", "-pk")
    )
    # Every visit stays within reach, however many came after it.
    log = Paginator(visits, LOG_PAGE_SIZE).get_page(request.GET.get("log"))
    return render(request, "journal/sharing.html", {"form": form, "shares": shares, "log": log})


@login_required
@require_POST
def share_cancel(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    share = _get_share_for_owner(request, public_id=public_id)
    if share.state == Share.State.PENDING:
        share.cancel()
        messages.success(request, f"The invitation to {share.email} is cancelled.")
    else:
        messages.error(request, "Only a pending invitation can be cancelled.")
    return redirect("journal:sharing")


@login_required
@require_POST
def share_revoke(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    share = _get_share_for_owner(request, public_id=public_id)
    if share.state in (Share.State.ACTIVE, Share.State.EXPIRED):
        share.revoke()
        messages.success(request, f"{share.email} can no longer see your journal.")
    else:
        messages.error(request, "Only a counselor's access can be revoked.")
    return redirect("journal:sharing")


@login_required
@require_http_methods(["GET", "POST"])
def share_scope(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    share = _get_share_for_owner(request, public_id=public_id)
    if share.state not in (Share.State.PENDING, Share.State.ACTIVE):
        messages.error(request, "This access has ended; there is nothing left to narrow.")
        return redirect("journal:sharing")
    form = ShareForm(request.POST or None, instance=share, owner=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, f"The access of {share.email} is narrowed.")
        return redirect("journal:sharing")
    return render(request, "journal/share_scope.html", {"form": form, "shared": share})


@login_required
@read_only
def share_moved(request: SignedInRequest, pk: int) -> HttpResponse:
    """A share's address by its internal id, from before shares had public ids."""
    return redirect("journal:share-scope", _get_share_for_owner(request, pk=pk).public_id)


@login_required
@read_only
def clients(request: SignedInRequest) -> HttpResponse:
    """The journals shared with the signed-in user, for counselors."""
    shares = Share.objects.for_counselor(request.user).select_related("owner")
    return render(request, "journal/clients.html", {"shares": shares})


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation: sign in or sign up, then accept it, once."""
    share = Share.objects.select_related("owner").filter(token_hash=token_hash(token)).first()
    context = {"invitation": share}
    if share is None or share.state != Share.State.PENDING:
        return render(
            request, "journal/invitation.html", context, status=404 if share is None else 410
        )
    if not request.user.is_authenticated:
        return render(request, "journal/invitation.html", context)
    if request.user == share.owner:
        context["own"] = True
        return render(request, "journal/invitation.html", context, status=403)
    if request.method == "POST":
        if not share.accept(request.user):
            # Someone else accepted it a moment ago.
            return render(request, "journal/invitation.html", context, status=410)
        messages.success(request, f"You can now read the journal of {share.owner.email}.")
        return redirect("client:journal:entry-list", share.public_id)
    return render(request, "journal/invitation.html", context)


@login_required
@read_only
def client_moved(request: SignedInRequest, pk: int, then: str) -> HttpResponse:
    """A client's journal at its address by the share's internal id, from before
    shares had public ids: on to the same page under the public id."""
    share = get_share_for_counselor(request, pk=pk)
    path = reverse("client:journal:entry-list", args=[share.public_id]) + then
    query = request.GET.urlencode()
    return redirect(f"{path}?{query}" if query else path)
