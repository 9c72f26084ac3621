from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from journal import rules
from journal.forms import DateInput, SubmittedOnce
from journal.models import Share, User
from journal.sharing.services import TOO_MANY_INVITATIONS, invitations_left


class ShareForm(SubmittedOnce, forms.ModelForm):
    """The scope of a counselor's access; on a new share, also whom to invite."""

    class Meta:
        model = Share
        fields = [
            "email",
            "client_name",
            "entries_since",
            "include_reflections",
            "access_until",
            "require_two_factor",
        ]
        widgets = {"entries_since": DateInput, "access_until": DateInput}

    def __init__(self, *args, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.narrowing = self.instance.pk is not None
        if self.narrowing:
            # Whom the share is with cannot change; the scope can only narrow.
            del self.fields["email"]
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("submit", "Narrow the access" if self.narrowing else "Send the invitation")
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if not invitations_left(self.owner):
            raise forms.ValidationError(TOO_MANY_INVITATIONS)
        if email == self.owner.email:
            raise forms.ValidationError("Invite someone else: this is your own address.")
        for share in Share.objects.for_owner(self.owner).filter(email=email):
            if share.state == Share.State.PENDING:
                raise forms.ValidationError(
                    "You have invited this address already. Cancel that invitation first "
                    "to send a new one."
                )
            if share.state == Share.State.ACTIVE:
                raise forms.ValidationError(
                    "This counselor can read your journal already; narrow or revoke that "
                    "access below."
                )
        return email

    def clean_entries_since(self) -> datetime.date | None:
        since = self.cleaned_data["entries_since"]
        if since and since > self.owner.today():
            raise forms.ValidationError("Choose today or an earlier day.")
        if since and since < rules.EARLIEST_DATE:
            since = None  # as good as every entry
        return since

    def clean_access_until(self) -> datetime.date | None:
        until = self.cleaned_data["access_until"]
        if until and until < self.owner.today():
            raise forms.ValidationError("Choose today or a later day.")
        return until
