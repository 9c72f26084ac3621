from __future__ import annotations

import datetime
import zoneinfo

from allauth.account import forms as allauth_forms
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth.hashers import make_password

from journal import rules
from journal.choices import ColorScheme, LateFrom, LockAfter
from journal.forms import BUTTON_RADIOS, DateInput
from journal.models import User

# Places only: not the names the time zone database keeps for other uses.
NOT_PLACES = {"Factory", "localtime"}
TIMEZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones() - NOT_PLACES)
]


def _label_only(field: forms.Field) -> None:
    """The first field of the page: focused, named by its label (no placeholder)."""
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs["autofocus"] = True


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        _label_only(self.fields["login"])
        # The page links to the reset itself, below the button.
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)


class SignupForm(allauth_forms.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        _label_only(self.fields["email"])
        self.fields["password2"].label = "The same password again"

    def try_save(self, request):
        if self.account_already_exists:
            # No account is made, but the password is hashed all the same: the answer
            # takes as long as for a new address, so its timing tells nothing.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class AddPasskeyForm(AddWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "A name for it, to tell it apart"
        self.fields["name"].initial = "My phone"
        self.fields["passwordless"].label = "Sign in with it alone, without the password"
        self.fields["passwordless"].help_text = (
            "Your phone or computer then asks for its screen lock (a fingerprint, your "
            "face or a PIN) each time."
        )
        self.fields["passwordless"].initial = True


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label="Your time zone",
        choices=TIMEZONE_CHOICES,
        help_text="Days and weeks in your journal follow this time zone.",
    )

    class Meta:
        model = User
        fields = User.SETTINGS
        widgets = {
            "partner_pronouns": forms.RadioSelect,
            "week_start": forms.RadioSelect,
            "color_scheme": forms.RadioSelect,
            "lock_after": forms.RadioSelect,
            "late_from": forms.RadioSelect,
            "country": forms.Select,
            "separation_date": DateInput,
        }
        labels = {"partner_name": "What do you call your partner?"}

    def __init__(self, *args, submit_label: str = "Save", detect_timezone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_name"].required = True
        self.fields["color_scheme"].required = False
        self.fields["lock_after"].required = False
        self.fields["late_from"].required = False
        if detect_timezone:
            # On the first visit only: app.js pre-selects the browser's time zone.
            self.fields["timezone"].widget.attrs["data_detect_timezone"] = True
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "partner_name",
            Field("partner_pronouns", template=BUTTON_RADIOS),
            Field("timezone", template="journal/_timezone_select.html"),
            Field("week_start", template=BUTTON_RADIOS),
            "separation_date",
            "country",
            "weekly_reminder",
            Field("late_from", template=BUTTON_RADIOS),
            Field("color_scheme", template=BUTTON_RADIOS),
            Fieldset(
                "If someone else picks up your phone",
                Field("lock_after", template=BUTTON_RADIOS),
                "hide_notes",
            ),
        )
        self.helper.add_input(Submit("submit", submit_label))

    def clean_color_scheme(self) -> str:
        return self.cleaned_data["color_scheme"] or ColorScheme.SYSTEM

    def clean_lock_after(self) -> int:
        chosen = self.cleaned_data["lock_after"]
        return LockAfter.FIFTEEN if chosen in (None, "") else chosen

    def clean_late_from(self) -> int:
        chosen = self.cleaned_data["late_from"]
        return LateFrom.TEN if chosen in (None, "") else chosen

    def clean_separation_date(self) -> datetime.date | None:
        day = self.cleaned_data["separation_date"]
        if day and (problems := rules.date_problems(day, self.instance.today())):
            raise forms.ValidationError(problems[0].message)
        return day
