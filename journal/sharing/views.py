"""The journaler's side of sharing, and the counselor's acceptance of an invitation."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from journal.access import SignedInRequest, get_share_for_counselor, read_only
from journal.models import AccessLog, Share, User, token_hash
from journal.services import submit_once
from journal.sharing.forms import ShareForm
from journal.sharing.services import clients_of, qr_svg, share_invite

LOG_PAGE_SIZE = 50
# Where an invitation's link waits, in the session, for the one page that shows it.
INVITED_LINK = "invited_link"


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
    invited = []

    def invite() -> None:
        invited.append(share_invite(share=form.instance, owner=request.user))

    if request.method == "POST" and (
        listed := submit_once(request, request.user, reverse("journal:sharing"), invite, form=form)
    ):
        if not invited:
            # A second post of the same form: its link was on the first one's answer.
            messages.info(request, "That invitation is sent already: it is listed below.")
            return redirect(listed)
        # Built from this request's own address, so the link works wherever the app is
        # served; shown once, by the page this redirects to, so a reload sends nothing.
        share = form.instance
        request.session[INVITED_LINK] = [
            str(share.public_id),
            request.build_absolute_uri(invited[0]),
        ]
        return redirect("journal:share-invited", share.public_id)
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
@read_only
def share_invited(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    """The invitation just sent, with its link and QR code, shown this once."""
    share = _get_share_for_owner(request, public_id=public_id)
    link = ""
    kept = request.session.get(INVITED_LINK)
    if kept and kept[0] == str(share.public_id):
        link = kept[1]
        del request.session[INVITED_LINK]
    context = {"invited": share, "link": link, "qr": qr_svg(link) if link else ""}
    return render(request, "journal/sharing_invited.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def share_cancel(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    share = _get_share_for_owner(request, public_id=public_id)
    return _share_end(
        request,
        share,
        share.cancel,
        when=[Share.State.PENDING],
        refused="Only a pending invitation can be cancelled.",
        done=f"The invitation to {share.email} is cancelled.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_revoke(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    share = _get_share_for_owner(request, public_id=public_id)
    return _share_end(
        request,
        share,
        share.revoke,
        when=[Share.State.ACTIVE, Share.State.EXPIRED],
        refused="Only a counselor's access can be revoked.",
        done=f"{share.email} can no longer see your journal.",
    )


def _share_end(
    request: SignedInRequest,
    share: Share,
    end: Callable[[], None],
    *,
    when: list[Share.State],
    refused: str,
    done: str,
) -> HttpResponse:
    """Cancel or revoke `share` if it is in one of the states `when`: asked first (a
    GET shows what will happen), done on the confirmation's POST; a second tap on it
    says it is done, not that it cannot be."""
    if request.method == "GET":
        if share.state not in when:
            messages.error(request, refused)
            return redirect("journal:sharing")
        return render(request, "journal/share_confirm_end.html", {"shared": share})

    def write() -> None:
        if share.state not in when:
            raise ValidationError(refused)
        end()

    try:
        submit_once(request, request.user, reverse("journal:sharing"), write)
    except ValidationError:
        messages.error(request, refused)
    else:
        messages.success(request, done)
    return redirect("journal:sharing")


@login_required
@require_http_methods(["GET", "POST"])
def share_scope(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    share = _get_share_for_owner(request, public_id=public_id)
    if share.state not in (Share.State.PENDING, Share.State.ACTIVE):
        messages.error(request, "This access has ended; there is nothing left to narrow.")
        return redirect("journal:sharing")
    form = ShareForm(request.POST or None, instance=share, owner=request.user)
    listed = reverse("journal:sharing")
    if request.method == "POST" and submit_once(
        request, request.user, listed, form.save, form=form
    ):
        messages.success(request, f"The access of {share.email} is narrowed.")
        return redirect(listed)
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
    return render(request, "journal/clients.html", {"shares": clients_of(request.user)})


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation: sign in or sign up, then accept it, once."""
    share = Share.objects.select_related("owner").filter(token_hash=token_hash(token)).first()
    context = {"invitation": share}
    if share is None:
        return render(request, "journal/invitation.html", context, status=404)
    user = request.user
    if request.method == "POST" and isinstance(user, User) and user != share.owner:
        journal = reverse("client:journal:entry-list", args=[share.public_id])

        def accept() -> None:
            if not share.accept(user):
                raise ValidationError("This invitation is used already.")

        try:
            # A second tap on Accept goes to the journal too.
            submit_once(request, user, journal, accept)
        except ValidationError:
            return render(request, "journal/invitation.html", context, status=410)
        messages.success(request, f"You can now read the journal of {share.display_name}.")
        return redirect(journal)
    if share.state != Share.State.PENDING:
        return render(request, "journal/invitation.html", context, status=410)
    if user == share.owner:
        context["own"] = True
        return render(request, "journal/invitation.html", context, status=403)
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
