from __future__ import annotations

import datetime
import uuid
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import capfirst

from journal import rules
from journal.choices import (
    MOOD_CHOICES,
    Approach,
    Channel,
    Initiator,
    Kind,
    Response,
    Tactic,
    tactics_for,
)
from journal.models import Interaction, InteractionTactic, Reflection, User
from journal.words import OWN, Voice

# The longest message the check reads (guidance.checker).
MESSAGE_LENGTH = 5_000

BUTTON_RADIOS = "journal/_button_radios.html"
SPACE_QUESTION = "journal/_space_question.html"


def initiator_choices(partner: str, voice: Voice = OWN) -> list[tuple[str, str]]:
    return [
        (Initiator.ME, f"{voice.I} did"),
        (Initiator.PARTNER, f"{capfirst(partner)} did"),
        (Initiator.TOGETHER, "Planned together"),
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SubmittedOnce(forms.Form):
    """A form that writes once: it is drawn with a key, and a second post of the
    same key writes nothing (journal.services.submit_once). A form drawn again after
    a refused post keeps its key, since nothing was written."""

    # autocomplete="off": a browser must not bring back a used key into a new form.
    submission = forms.UUIDField(
        widget=forms.HiddenInput(attrs={"autocomplete": "off"}), required=False, initial=uuid.uuid4
    )


PRACTICAL_HELP = "Practical: arranging the children, money or the house, and nothing more."


class ChoiceFields(forms.BaseForm):
    def choice_fields(self) -> dict[str, forms.ChoiceField]:
        """The form's fields of choices, by name."""
        return {n: f for n, f in self.fields.items() if isinstance(f, forms.ChoiceField)}


class InteractionFormMixin(ChoiceFields, SubmittedOnce, forms.ModelForm):
    """What the quick and the full form share: words that name the partner, and the
    question asked when contact the person started falls on a day of space."""

    # Answers to that question (journal/_space_question.html), named in name_the_partner.
    space_answer = forms.ChoiceField(required=False, choices=[("partner", ""), ("replace", "")])
    # Whether the partner's response is a row of submit buttons, which the question
    # then carries along.
    responds_by_button = False

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
            fields["approach"].help_text = PRACTICAL_HELP
        fields["space_answer"].choices = [
            ("partner", f"{capfirst(partner)} reached out first: keep both"),
            ("replace", "It was not a day of space after all: this contact takes its place"),
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        answer = cleaned.get("space_answer")
        if answer == "partner":
            cleaned["initiator"] = Initiator.PARTNER
        self.instance.replaces_space = answer == "replace"
        return cleaned

    @property
    def asks_about_space(self) -> bool:
        """Whether the entry fell on a day of space, and the form asks what happened."""
        return self.has_error(NON_FIELD_ERRORS, rules.CONTACT_ON_SPACE)

    def non_field_errors(self) -> forms.utils.ErrorList:
        """The form's own problems, but for the day of space: the question says that
        one, as a question rather than an error (journal/_space_question.html)."""
        errors = super().non_field_errors()
        if not self.asks_about_space:
            return errors
        kept = [e for e in errors.as_data() if e.code != rules.CONTACT_ON_SPACE]
        return self.error_class(kept, error_class="nonfield", renderer=self.renderer)


class QuickInteractionForm(InteractionFormMixin):
    """The three things that matter most, logged for today in a few taps."""

    responds_by_button = True

    class Meta:
        model = Interaction
        fields = ["kind", "approach", "initiator", "mood", "response"]
        widgets = {
            "kind": forms.HiddenInput,
            "approach": forms.RadioSelect,
            "initiator": forms.RadioSelect,
            "mood": forms.RadioSelect,
            "response": forms.RadioSelect,
        }
        labels = {"mood": "How are you feeling? (optional)"}

    def __init__(
        self, *args, user: User, logged_at: datetime.datetime | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        # Logged as it happens, in the person's own time zone; or when a phone kept
        # it while offline (journal.views.offline), sent later.
        self.logged_at = timezone.localtime(logged_at, timezone=user.tzinfo) if logged_at else None
        self.instance.owner = user
        self.instance.date = self.logged_at.date() if self.logged_at else user.today()
        self.name_the_partner(user)
        self.fields["kind"].initial = Kind.CONTACT
        self.choice_fields()["mood"].choices = MOOD_CHOICES
        self.helper = FormHelper()
        self.helper.form_id = "quick-log"
        self.helper.render_hidden_fields = True
        # offline.js keeps it on the phone when there is no connection.
        self.helper.attrs = {"data-offline-log": "true"}
        self.helper.form_action = "journal:entry-quick"
        self.helper.layout = Layout(
            Field("space_answer", template=SPACE_QUESTION),
            "kind",
            Field("approach", template=BUTTON_RADIOS),
            Field("initiator", template=BUTTON_RADIOS),
            Field("mood", template=BUTTON_RADIOS),
            # The last tap logs it: each answer is a submit button.
            Field("response", template="journal/_submit_choices.html"),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("kind") == Kind.CONTACT:
            moment = self.logged_at or timezone.localtime(timezone=self.instance.owner.tzinfo)
            self.instance.time = moment.time().replace(second=0, microsecond=0)
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
        choices["mood"].label = "My mood"
        choices["mood"].choices = MOOD_CHOICES
        if self.instance.pk:
            self.initial["tactics"] = [tag.tactic for tag in self.instance.tactic_tags.all()]
        self.helper = FormHelper()
        self.helper.form_id = "entry-form"
        self.helper.render_hidden_fields = True
        # app.js keeps the note in this tab until it is saved, and asks before the
        # page is left with answers not saved.
        self.helper.attrs = {"data-keep-draft": "true", "data-warn-unsaved": "true"}
        # The note right after the approach, high on a phone; the rest of the contact
        # after it. app.js hides the contact's parts for a day of space, and the
        # tactics of the other approach.
        self.helper.layout = Layout(
            Field("space_answer", template=SPACE_QUESTION),
            Field("kind", template=BUTTON_RADIOS),
            Div(Div("date", css_class="col-7"), Div("time", css_class="col-5"), css_class="row"),
            Div(Field("approach", template=BUTTON_RADIOS), css_class="contact-only"),
            "note",
            Fieldset(
                "The contact",
                Field("initiator", template=BUTTON_RADIOS),
                Field("response", template=BUTTON_RADIOS),
                "channel",
                Field("tactics", template="journal/_tactic_checkboxes.html"),
                css_class="contact-only",
            ),
            Field("mood", template=BUTTON_RADIOS),
            "is_private",
        )
        self.helper.add_input(Submit("submit", "Save entry"))

    def tactic_groups(self) -> list[tuple[Approach, list]]:
        """The tactic checkboxes, grouped under the approach each belongs to (a
        practical contact has none)."""
        boxes = {box.data["value"]: box for box in self["tactics"]}
        groups = [
            (approach, [boxes[tactic.value] for tactic in tactics_for(approach)])
            for approach in Approach
        ]
        return [(approach, choices) for approach, choices in groups if choices]

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
            # As a moment, not a clock time: in the hour a clock turned back repeats,
            # 01:45 can be the first one, which has passed (fold=0, the earlier).
            moment = datetime.datetime.combine(day, time, tzinfo=self.user.tzinfo)
            if moment > timezone.now():
                self.add_error("time", "The time cannot be later than now.")
        for problem in rules.tactic_problems(kind, approach, tactics):
            self.add_error(problem.field, problem.message)
        return cleaned


def search_q(words: str) -> Q:
    """Entries whose note holds `words`, or whose tactics, channel or response are
    named by them ("guilt" finds "Tried to make them feel guilty")."""

    def named(choices) -> list[str]:
        return [value for value, label in choices if words.lower() in str(label).lower()]

    tagged = InteractionTactic.objects.filter(
        interaction=OuterRef("pk"), tactic__in=named(Tactic.choices)
    )
    return (
        Q(note__icontains=words)
        | Exists(tagged)
        | Q(channel__in=named(Channel.choices))
        | Q(response__in=named(Response.choices))
    )


class EntryFilterForm(ChoiceFields, forms.Form):
    """The journal's filters; every field is optional and they combine."""

    ANY = [("", "Any")]

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Notes, tactics, channel and response.",
    )
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

    def __init__(self, *args, user: User, voice: Voice = OWN, **kwargs):
        super().__init__(*args, **kwargs)
        choices = self.choice_fields()
        if voice != OWN:
            # A counselor never sees private entries, so there is nothing to filter;
            # the client is named where their own words say "I".
            del self.fields["private"]
            choices["kind"].choices = self.ANY + [
                (Kind.CONTACT, "In contact"),
                (Kind.SPACE, f"{voice.I} gave space (no contact on purpose)"),
            ]
        choices["initiator"].choices = self.ANY + initiator_choices(user.partner, voice)
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
        }
        for name, lookup in lookups.items():
            if data.get(name):
                entries = entries.filter(**{lookup: data[name]})
        if words := data.get("q"):
            entries = entries.filter(search_q(words))
        if data.get("private"):
            entries = entries.filter(is_private=data["private"] == "yes")
        return entries

    @property
    def is_filtered(self) -> bool:
        self.is_valid()
        return any(self.cleaned_data.get(name) for name in self.fields)

    def described(self) -> str:
        """The search and filters applied, as the access log shows them: the reader's
        own words and choices, never anything the journal holds."""
        self.is_valid()
        parts = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if not value:
                continue
            if name == "q":
                parts.append(f"searched “{value}”")
            elif isinstance(value, datetime.date):
                parts.append(f"{str(field.label).lower()} {value:%-d %b %Y}")
            else:
                assert isinstance(field, forms.ChoiceField)
                chosen = dict(cast(list[tuple[str, str]], field.choices)).get(value, value)
                # The field's name in lower case, the choice as written ("Sam", "I").
                parts.append(f"{str(field.label or name).lower()}: {chosen}")
        return "; ".join(parts)


class ReflectionForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["went_well", "where_pushed", "try_next"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "reflection-form"
        # app.js warns before leaving the page with unsaved answers, and keeps them
        # in this tab until they are saved.
        self.helper.attrs = {"data-warn-unsaved": "true", "data-keep-draft": "true"}
        self.helper.add_input(Submit("submit", "Save my reflection"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not any(cleaned.get(name, "").strip() for name in self.Meta.fields):
            raise forms.ValidationError("Write at least one of the three answers.")
        return cleaned


class SummaryRangeForm(forms.Form):
    """The weeks a printable summary covers: by default the last four, at most a year."""

    MAX_DAYS = 366
    since = forms.DateField(
        label="From", widget=DateInput, error_messages={"required": "Choose the first day."}
    )
    until = forms.DateField(
        label="To", widget=DateInput, error_messages={"required": "Choose the last day."}
    )

    def __init__(self, data, *, owner: User):
        today = owner.today()
        self.default = (owner.week_start_for(today) - datetime.timedelta(weeks=3), today)
        super().__init__(data if data.get("since") or data.get("until") else None)
        self.today = today
        for name, day in zip(("since", "until"), self.default, strict=True):
            self.fields[name].initial = day
            self.fields[name].widget.attrs.update(
                max=today.isoformat(), **{"class": "form-control"}
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until:
            if until > self.today:
                self.add_error("until", "Choose today or an earlier day.")
            elif since < rules.EARLIEST_DATE:
                self.add_error("since", f"Choose a day after {rules.EARLIEST_DATE:%-d %B %Y}.")
            elif since > until:
                self.add_error("since", "Choose a day before the last one.")
            elif (until - since).days > self.MAX_DAYS:
                self.add_error("since", "A summary covers a year at most: choose a later day.")
        return cleaned

    def range(self) -> tuple[datetime.date, datetime.date] | None:
        """The days chosen, the default when nothing was, None when they are refused."""
        if not self.is_bound:
            return self.default
        if not self.is_valid():
            return None
        return self.cleaned_data["since"], self.cleaned_data["until"]


class MessageCheckForm(forms.Form):
    text = forms.CharField(
        label="The message you are about to send",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MESSAGE_LENGTH,
        error_messages={
            "required": "Write or paste the message to check it.",
            "max_length": (
                "This is longer than the %(limit_value)s characters the check reads "
                "(it has %(show_value)s). A message this long may be worth splitting, "
                "or sending in a calmer moment."
            ),
        },
    )
