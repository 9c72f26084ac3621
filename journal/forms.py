from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import UserCreationForm
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.utils import timezone
from django.utils.text import capfirst

from journal import rules
from journal.access import SignedInRequest
from journal.choices import (
    MOOD_CHOICES,
    Approach,
    Channel,
    ColorScheme,
    Initiator,
    Kind,
    Response,
    Tactic,
    tactics_for,
)
from journal.models import Interaction, Reflection, Share, User
from journal.portability import MAX_IMPORT_BYTES, ImportFile, read_export

BUTTON_RADIOS = "journal/_button_radios.html"


def initiator_choices(partner: str) -> list[tuple[str, str]]:
    return [
        (Initiator.ME, "I did"),
        (Initiator.PARTNER, f"{capfirst(partner)} did"),
        (Initiator.TOGETHER, "Planned together"),
    ]


TIMEZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email", autofocus=True)
        self.helper = FormHelper()
        # The template draws the <form>, to carry where to go next.
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", "Create my account"))

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label="Your time zone",
        choices=TIMEZONE_CHOICES,
        help_text="Days and weeks in your journal follow this time zone.",
    )

    class Meta:
        model = User
        fields = [
            "partner_name",
            "partner_pronouns",
            "timezone",
            "week_start",
            "separation_date",
            "weekly_reminder",
            "color_scheme",
        ]
        widgets = {
            "partner_pronouns": forms.RadioSelect,
            "week_start": forms.RadioSelect,
            "color_scheme": forms.RadioSelect,
            "separation_date": DateInput,
        }
        labels = {"partner_name": "What do you call your partner?"}

    def __init__(self, *args, submit_label: str = "Save", detect_timezone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_name"].required = True
        self.fields["color_scheme"].required = False
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
            "weekly_reminder",
            Field("color_scheme", template=BUTTON_RADIOS),
        )
        self.helper.add_input(Submit("submit", submit_label))

    def clean_color_scheme(self) -> str:
        return self.cleaned_data["color_scheme"] or ColorScheme.SYSTEM

    def clean_separation_date(self) -> datetime.date | None:
        day = self.cleaned_data["separation_date"]
        if day and (problems := rules.date_problems(day, self.instance.today())):
            raise forms.ValidationError(problems[0].message)
        return day


class InteractionFormMixin(forms.ModelForm):
    """Words that name the partner, shared by the quick and the full form."""

    def choice_fields(self) -> dict[str, forms.ChoiceField]:
        """The form's fields of choices, by name."""
        return {n: f for n, f in self.fields.items() if isinstance(f, forms.ChoiceField)}

    def name_the_partner(self, user: User) -> None:
        fields = self.choice_fields()
        partner = user.partner
        if "initiator" in fields:
            fields["initiator"].label = "Who reached out first?"
            fields["initiator"].choices = initiator_choices(partner)
        if "response" in fields:
            fields["response"].label = f"How did {partner} respond?"
            fields["response"].choices = Response.choices
        if "approach" in fields:
            fields["approach"].label = "How did I come across?"
            fields["approach"].choices = Approach.choices


class QuickInteractionForm(InteractionFormMixin):
    """The three things that matter most, logged for today in a few taps."""

    class Meta:
        model = Interaction
        fields = ["kind", "approach", "initiator", "response"]
        widgets = {
            "kind": forms.HiddenInput,
            "approach": forms.RadioSelect,
            "initiator": forms.RadioSelect,
            "response": forms.RadioSelect,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = user
        self.instance.date = user.today()
        self.name_the_partner(user)
        self.fields["kind"].initial = Kind.CONTACT
        self.helper = FormHelper()
        self.helper.form_id = "quick-log"
        self.helper.form_action = "journal:entry-quick"
        self.helper.layout = Layout(
            "kind",
            Field("approach", template=BUTTON_RADIOS),
            Field("initiator", template=BUTTON_RADIOS),
            # The third tap logs it: each answer is a submit button.
            Field("response", template="journal/_submit_choices.html"),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("kind") == Kind.CONTACT:
            for name, message in [
                ("initiator", "Choose who reached out first."),
                ("response", f"Choose how {self.instance.owner.partner} responded."),
            ]:
                if not cleaned.get(name):
                    self.add_error(name, message)
        return cleaned


class InteractionForm(InteractionFormMixin):
    tactics = forms.MultipleChoiceField(
        choices=Tactic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional. Pick the ones that fit how you came across.",
    )

    class Meta:
        model = Interaction
        fields = Interaction.WRITTEN
        widgets = {
            "kind": forms.RadioSelect,
            "date": DateInput,
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "initiator": forms.RadioSelect,
            "approach": forms.RadioSelect,
            "response": forms.RadioSelect,
            "mood": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance.owner = user
        self.saved_date = self.instance.date if self.instance.pk else None
        self.name_the_partner(user)
        note = self.fields["note"]
        assert isinstance(note, forms.CharField)
        note.max_length = rules.NOTE_MAX_LENGTH
        note.validators.append(MaxLengthValidator(rules.NOTE_MAX_LENGTH))
        today = user.today()
        self.fields["date"].initial = today
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        choices = self.choice_fields()
        choices["kind"].label = "What happened?"
        choices["kind"].choices = Kind.choices
        choices["channel"].choices = [("", "Not recorded"), *Channel.choices]
        choices["mood"].label = "My mood afterwards"
        choices["mood"].choices = MOOD_CHOICES
        if self.instance.pk:
            self.initial["tactics"] = [tag.tactic for tag in self.instance.tactic_tags.all()]
        self.helper = FormHelper()
        self.helper.form_id = "entry-form"
        self.helper.layout = Layout(
            Field("kind", template=BUTTON_RADIOS),
            Div(Div("date", css_class="col-7"), Div("time", css_class="col-5"), css_class="row"),
            Fieldset(
                "The contact",
                Field("approach", template=BUTTON_RADIOS),
                Field("initiator", template=BUTTON_RADIOS),
                Field("response", template=BUTTON_RADIOS),
                "channel",
                Field("tactics", template="journal/_tactic_checkboxes.html"),
                css_id="contact-fields",
            ),
            Field("mood", template=BUTTON_RADIOS),
            "note",
            "is_private",
        )
        self.helper.add_input(Submit("submit", "Save entry"))

    def tactic_groups(self) -> list[tuple[str, list]]:
        """The tactic checkboxes, grouped under the approach each belongs to."""
        boxes = {box.data["value"]: box for box in self["tactics"]}
        return [
            (approach.label, [boxes[tactic.value] for tactic in tactics_for(approach)])
            for approach in Approach
        ]

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data["date"]
        if day == self.saved_date:
            # Unchanged, even if a new time zone now puts it a day ahead.
            return day
        if problems := rules.date_problems(day, self.user.today()):
            raise forms.ValidationError(problems[0].message)
        return day

    def clean_tactics(self) -> list[str]:
        return list(dict.fromkeys(self.cleaned_data["tactics"]))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        tactics = cleaned.get("tactics") or []
        kind = cleaned.get("kind", "")
        approach = cleaned.get("approach", "")
        day, time = cleaned.get("date"), cleaned.get("time")
        if day and time and day == self.user.today() and day != self.saved_date:
            now = timezone.localtime(timezone=self.user.tzinfo).time()
            if time > now:
                self.add_error("time", "The time cannot be later than now.")
        for problem in rules.tactic_problems(kind, approach, tactics):
            self.add_error(problem.field, problem.message)
        return cleaned


class EntryFilterForm(forms.Form):
    """The journal's filters; every field is optional and they combine."""

    ANY = [("", "Any")]

    q = forms.CharField(label="Search notes", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind", required=False, choices=ANY + Kind.choices)
    approach = forms.ChoiceField(required=False, choices=ANY + Approach.choices)
    tactic = forms.ChoiceField(required=False, choices=ANY + Tactic.choices)
    channel = forms.ChoiceField(required=False, choices=ANY + Channel.choices)
    initiator = forms.ChoiceField(
        label="Who reached out", required=False, choices=ANY + Initiator.choices
    )
    response = forms.ChoiceField(
        label="Partner's response", required=False, choices=ANY + Response.choices
    )
    private = forms.ChoiceField(
        required=False, choices=ANY + [("yes", "Private only"), ("no", "Not private")]
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=DateInput,
        validators=[MinValueValidator(rules.EARLIEST_DATE)],
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=DateInput,
        validators=[MinValueValidator(rules.EARLIEST_DATE)],
    )

    def __init__(self, *args, user: User, shared: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if shared:
            # A counselor never sees private entries, so there is nothing to filter.
            del self.fields["private"]
        initiator = self.fields["initiator"]
        assert isinstance(initiator, forms.ChoiceField)
        initiator.choices = self.ANY + initiator_choices(user.partner)
        self.fields["response"].label = f"{capfirst(user.partner)}'s response"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
            # A range the wrong way round is left out whole, not half applied.
            cleaned.pop("date_from", None)
        return cleaned

    def filter(self, entries):
        """Apply every filter that is valid; an invalid one is reported, not applied."""
        self.is_valid()
        data = self.cleaned_data
        lookups = {
            "kind": "kind",
            "approach": "approach",
            "tactic": "tactic_tags__tactic",
            "channel": "channel",
            "initiator": "initiator",
            "response": "response",
            "date_from": "date__gte",
            "date_to": "date__lte",
            "q": "note__icontains",
        }
        for name, lookup in lookups.items():
            if data.get(name):
                entries = entries.filter(**{lookup: data[name]})
        if data.get("private"):
            entries = entries.filter(is_private=data["private"] == "yes")
        return entries

    @property
    def is_filtered(self) -> bool:
        self.is_valid()
        return any(self.cleaned_data.get(name) for name in self.fields)


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["went_well", "where_pushed", "try_next"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "reflection-form"
        # app.js warns before leaving the page with unsaved answers.
        self.helper.attrs = {"data-warn-unsaved": "true"}
        self.helper.add_input(Submit("submit", "Save my reflection"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not any(cleaned.get(name, "").strip() for name in self.Meta.fields):
            raise forms.ValidationError("Write at least one of the three answers.")
        return cleaned


class ShareForm(forms.ModelForm):
    """The scope of a counselor's access; on a new share, also whom to invite."""

    class Meta:
        model = Share
        fields = ["email", "entries_since", "include_reflections", "access_until"]
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


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Your export file",
        help_text=f"The .json file you downloaded, up to {MAX_IMPORT_BYTES // 2**20} MB.",
        error_messages={
            "required": "Choose the export file to import.",
            "empty": "The file is empty.",
            "invalid": "Choose the export file to import.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.export: ImportFile | None = None
        self.helper = FormHelper()
        # The template draws the <form>, with its token, multipart encoding and
        # buttons, and lists the file's problems above it.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = False

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        self.export = read_export(upload, user=self.user)
        return upload


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to delete your account."},
    )

    def __init__(self, *args, request: SignedInRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = FormHelper()
        # The template draws the <form>, its token and its two buttons.
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        # Through authenticate(), so django-axes counts wrong guesses here as at login.
        if authenticate(self.request, username=user.email, password=password) != user:
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password
