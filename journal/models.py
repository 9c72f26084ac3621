from __future__ import annotations

import datetime
import hashlib
import uuid
import zoneinfo
from collections.abc import Iterable
from functools import cached_property, reduce
from operator import or_

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Length, Substr
from django.db.models.lookups import GreaterThan
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from journal import rules
from journal.choices import (
    MOOD_CHOICES,
    Approach,
    Channel,
    ColorScheme,
    Country,
    Initiator,
    Kind,
    LateFrom,
    LockAfter,
    Pronouns,
    Response,
    Tactic,
    WeekStart,
)

# How much of a note a list shows.
PREVIEW_LENGTH = 200

PRONOUN_FORMS = {
    Pronouns.SHE: {"object": "her", "possessive": "her"},
    Pronouns.HE: {"object": "him", "possessive": "his"},
    Pronouns.THEY: {"object": "them", "possessive": "their"},
}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email: str | None) -> User:
        # Addresses are stored in lower case; let people sign in however they type it.
        return self.get(email=(email or "").lower())

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def lock_for_writes(self, pk: int) -> None:
        """Hold the person's row until the transaction ends, so their writes that
        check the journal first go one at a time. (SQLite's write lock, taken at
        BEGIN, orders every write already; this is for PostgreSQL.)"""
        if connection.features.has_select_for_update:
            list(self.select_for_update().filter(pk=pk).values_list("pk"))


class User(AbstractBaseUser, PermissionsMixin):
    """An account, signed in by email. The journal settings live here too."""

    email = models.EmailField("email address", unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    partner_name = models.CharField(
        "partner's name", max_length=60, blank=True, help_text="Or a nickname only you know."
    )
    partner_pronouns = models.CharField(
        "partner's pronouns", max_length=8, choices=Pronouns.choices, default=Pronouns.THEY
    )
    timezone = models.CharField("time zone", max_length=64, default="UTC")
    week_start = models.PositiveSmallIntegerField(
        "weeks start on", choices=WeekStart.choices, default=WeekStart.MONDAY
    )
    separation_date = models.DateField("date you separated", null=True, blank=True)
    weekly_reminder = models.BooleanField(
        "email me a weekly reminder to reflect",
        default=False,
        help_text="Sent once a week, after your week ends, with the week's numbers.",
    )
    color_scheme = models.CharField(
        "colours", max_length=8, choices=ColorScheme.choices, default=ColorScheme.SYSTEM
    )
    lock_after = models.PositiveSmallIntegerField(
        "lock the journal after",
        choices=LockAfter.choices,
        default=LockAfter.FIFTEEN,
        help_text="Unused this long, the journal asks for your password before it shows "
        "anything, in case someone else picks up your phone.",
    )
    hide_notes = models.BooleanField(
        "hide my notes in lists",
        default=False,
        help_text="Lists and Today show no note text; an entry's own page still does.",
    )
    country = models.CharField(
        "where you live",
        max_length=2,
        choices=Country.choices,
        blank=True,
        help_text="For the support lines the journal shows you, should you need them.",
    )
    late_from = models.PositiveSmallIntegerField(
        "late at night starts at",
        choices=LateFrom.choices,
        default=LateFrom.TEN,
        help_text="Until 5 in the morning. Trends compare how contact you start this late "
        "goes, and Check a message mentions a long message sent then.",
    )
    # Set once this account accepts a client's invitation: the main navigation then
    # lists its clients, without asking the database on every page.
    counsels = models.BooleanField(default=False, editable=False)
    # Moved on by every write to the journal's entries, in the write's own
    # transaction (journal.reports.summaries): whatever is computed from the entries
    # is cached under it, and reading it costs nothing, as the row is read anyway.
    journal_version = models.PositiveBigIntegerField(default=0, editable=False)
    # The same, moved only when the days with pressuring contact change: the
    # longest pressure-free run, which reads every week, is cached under it.
    pressure_version = models.PositiveBigIntegerField(default=0, editable=False)
    # The same, moved only when a week before the journal's recent ones changes
    # (journal.reports.summaries.settled_before): the insights' cases of those
    # weeks, which read every week, are cached under it.
    settled_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = UserManager()

    # The journal's settings, which the person chooses (Settings, the admin).
    SETTINGS = [
        "partner_name",
        "partner_pronouns",
        "timezone",
        "week_start",
        "separation_date",
        "weekly_reminder",
        "color_scheme",
        "lock_after",
        "hide_notes",
        "country",
        "late_from",
    ]
    # The settings the summaries are counted by: a change counts them all again.
    SUMMARIZED = ["week_start", "late_from"]
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    # Only ever moved by an UPDATE of their own (see journal.reports.summaries).
    VERSIONS = ["journal_version", "pressure_version", "settled_version"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        # A user read before a write to the journal would otherwise set its versions
        # back on saving, and a page cached under an old version be shown again.
        if kwargs.get("update_fields") is None and not self._state.adding:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.VERSIONS
            ]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.timezone not in zoneinfo.available_timezones():
            raise ValidationError({"timezone": "Choose a time zone from the list."})

    @property
    def is_onboarded(self) -> bool:
        return bool(self.partner_name)

    @property
    def partner(self) -> str:
        """The partner's name, for the middle of a sentence; `capfirst` it to start one."""
        return self.partner_name or "your partner"

    @property
    def partner_words(self) -> dict[str, str]:
        """How the app speaks of the partner: by name, and with the chosen pronouns."""
        pronouns = PRONOUN_FORMS[Pronouns(self.partner_pronouns)]
        return {
            "partner": self.partner,
            "Partner": capfirst(self.partner),
            "them": pronouns["object"],
            "their": pronouns["possessive"],
        }

    @cached_property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> datetime.date:
        """Today's date where the user lives, not where the server is."""
        return timezone.localdate(timezone=self.tzinfo)

    def week_start_for(self, day: datetime.date) -> datetime.date:
        return day - datetime.timedelta(days=(day.weekday() - self.week_start) % 7)


class InteractionQuerySet(models.QuerySet):
    def for_owner(self, user: User) -> InteractionQuerySet:
        return self.filter(owner=user)

    def between(self, start: datetime.date, end: datetime.date) -> InteractionQuerySet:
        """Entries dated from start up to, but not including, end."""
        return self.filter(date__gte=start, date__lt=end)

    def in_week(self, start: datetime.date) -> InteractionQuerySet:
        return self.between(start, start + datetime.timedelta(days=7))

    def in_weeks(self, starts: Iterable[datetime.date]) -> InteractionQuerySet:
        """Entries of the weeks beginning on `starts` (at least one)."""
        week = datetime.timedelta(days=7)
        return self.filter(
            reduce(or_, (Q(date__gte=start, date__lt=start + week) for start in starts))
        )

    def with_tactics(self) -> InteractionQuerySet:
        return self.prefetch_related("tactic_tags")

    # Set by without_private() and kept by every queryset made from this one, so that
    # what these entries say of their days (with_day) never draws on a private one.
    _without_private = False

    def _clone(self) -> InteractionQuerySet:
        clone = super()._clone()  # type: ignore[misc]  # Django's own, untyped in the stubs
        clone._without_private = self._without_private
        return clone

    def without_private(self) -> InteractionQuerySet:
        """These entries but the private ones: what a counselor may ever see."""
        entries = self.filter(is_private=False)
        entries._without_private = True
        return entries

    def with_day(self) -> InteractionQuerySet:
        """Each entry with `partner_reached_out`: whether the partner started contact
        on its day, which makes a day of space read "I did not reach out". Among
        entries without the private ones, a private contact is not asked: it cannot
        show through a shared day of space."""
        partner = Interaction.objects.filter(
            owner=OuterRef("owner"),
            date=OuterRef("date"),
            kind=Kind.CONTACT,
            initiator=Initiator.PARTNER,
        )
        if self._without_private:
            partner = partner.filter(is_private=False)
        return self.annotate(partner_reached_out=Exists(partner))

    def for_list(self) -> InteractionQuerySet:
        """Entries for a list: tactics prefetched, and only the start of each note."""
        return (
            self.with_tactics()
            .with_day()
            .defer("note")
            .annotate(
                preview=Substr("note", 1, PREVIEW_LENGTH),
                preview_is_partial=GreaterThan(Length("note"), PREVIEW_LENGTH),
            )
        )

    def hard_stretch(self) -> bool:
        """Whether the last moods logged among these entries call for care before
        advice (see rules.hard_stretch)."""
        # The model's own order is newest first; nothing else of the entries is needed.
        moods = self.exclude(mood=None).values_list("mood", flat=True)
        return rules.hard_stretch(moods[: rules.RECENT_MOODS])

    def counts(self) -> dict[str, int]:
        """Contacts by approach, partner-initiated contacts and days of space."""
        return self.aggregate(**contact_tallies())

    def per_day(self) -> InteractionQuerySet:
        """The same tallies for each date that has entries."""
        return self.values("date").annotate(**contact_tallies()).order_by("date")


def contact_tallies() -> dict[str, Count]:
    contact = Q(kind=Kind.CONTACT)
    return {
        "approachable": Count("pk", filter=contact & Q(approach=Approach.APPROACHABLE)),
        "pressuring": Count("pk", filter=contact & Q(approach=Approach.PRESSURING)),
        "practical": Count("pk", filter=contact & Q(approach=Approach.PRACTICAL)),
        "partner_initiated": Count("pk", filter=contact & Q(initiator=Initiator.PARTNER)),
        "me_initiated": Count("pk", filter=contact & Q(initiator=Initiator.ME)),
        "space": Count("date", filter=Q(kind=Kind.SPACE), distinct=True),
    }


class SummaryQuerySet(models.QuerySet):
    def of(self, owner: User, *, shared: bool) -> SummaryQuerySet:
        """The summaries of `owner`'s journal: of all its entries, or (`shared`) of
        those a counselor may ever see.

        `shared` is compared as a value, `shared = false`, which the unique index on
        (owner, shared, span, start) can look up; Django would write `NOT shared`,
        which SQLite cannot, and so would read every summary of the journal.
        """
        return self.filter(owner=owner, shared=Value(shared))


class Summary(models.Model):
    """What a week, or a month, of a journal adds up to, kept up to date in the
    transaction of every write to its entries (journal.reports.summaries), so that
    the trends read a row a week, or for a long range a row a month, rather than
    every entry.

    Each week and month has two rows: one of all its entries, and one of only those
    a counselor may ever see (`shared`: none private). A month adds up the weeks that
    start in it.
    """

    class Span(models.TextChoices):
        WEEK = "week"
        MONTH = "month"

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    span = models.CharField(max_length=5, choices=Span.choices)
    # The week's first day, or the month's.
    start = models.DateField()
    shared = models.BooleanField()
    entries = models.PositiveIntegerField(default=0)
    approachable = models.PositiveIntegerField(default=0)
    pressuring = models.PositiveIntegerField(default=0)
    practical = models.PositiveIntegerField(default=0)
    partner_initiated = models.PositiveIntegerField(default=0)
    me_initiated = models.PositiveIntegerField(default=0)
    space = models.PositiveIntegerField(default=0)
    mood_total = models.PositiveIntegerField(default=0)
    mood_count = models.PositiveIntegerField(default=0)
    # Bit n is set when the week's day n (0 is its first) had pressuring contact;
    # the days counted, which add up over weeks as the bits do not.
    pressuring_mask = models.PositiveSmallIntegerField(default=0)
    pressuring_days = models.PositiveSmallIntegerField(default=0)
    # The same for the days of space, and the days the partner reached out: what
    # the insights compare (journal.reports.insights).
    space_mask = models.PositiveSmallIntegerField(default=0)
    partner_mask = models.PositiveSmallIntegerField(default=0)
    # Mood logged with approachable and with pressuring contact.
    approachable_mood_total = models.PositiveIntegerField(default=0)
    approachable_mood_count = models.PositiveIntegerField(default=0)
    pressuring_mood_total = models.PositiveIntegerField(default=0)
    pressuring_mood_count = models.PositiveIntegerField(default=0)
    # Contact the person started, with a time and the partner's response logged:
    # late at night (the person's `late_from` until 5 am), or earlier, and how much
    # of each was answered warmly.
    late_started = models.PositiveIntegerField(default=0)
    late_started_warm = models.PositiveIntegerField(default=0)
    daytime_started = models.PositiveIntegerField(default=0)
    daytime_started_warm = models.PositiveIntegerField(default=0)
    # Tags by tactic, one column each (named as in journal.choices.Tactic), so that
    # a long range adds its weeks up in SQL.
    guilt = models.PositiveIntegerField(default=0)
    jealousy = models.PositiveIntegerField(default=0)
    obligation = models.PositiveIntegerField(default=0)
    seduction = models.PositiveIntegerField(default=0)
    indifference = models.PositiveIntegerField(default=0)
    ultimatum = models.PositiveIntegerField(default=0)
    pleading = models.PositiveIntegerField(default=0)
    light_conversation = models.PositiveIntegerField(default=0)
    good_memory = models.PositiveIntegerField(default=0)
    gave_space = models.PositiveIntegerField(default=0)
    listened = models.PositiveIntegerField(default=0)
    agreeable = models.PositiveIntegerField(default=0)
    warmth = models.PositiveIntegerField(default=0)
    # The partner's responses, by approach and response.
    approachable_warm = models.PositiveIntegerField(default=0)
    approachable_neutral = models.PositiveIntegerField(default=0)
    approachable_cool = models.PositiveIntegerField(default=0)
    approachable_none = models.PositiveIntegerField(default=0)
    pressuring_warm = models.PositiveIntegerField(default=0)
    pressuring_neutral = models.PositiveIntegerField(default=0)
    pressuring_cool = models.PositiveIntegerField(default=0)
    pressuring_none = models.PositiveIntegerField(default=0)
    practical_warm = models.PositiveIntegerField(default=0)
    practical_neutral = models.PositiveIntegerField(default=0)
    practical_cool = models.PositiveIntegerField(default=0)
    practical_none = models.PositiveIntegerField(default=0)

    objects = SummaryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "shared", "span", "start"], name="summary_one_a_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner}: {self.span} of {self.start:%Y-%m-%d}"


class Interaction(models.Model):
    """One contact with the partner, or a day of space kept on purpose."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="interactions")
    # Addresses the entry in URLs; the sequential primary key stays internal, so
    # nobody can count or date the entries they are not shown.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CONTACT)
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    initiator = models.CharField(
        "who reached out first", max_length=12, choices=Initiator.choices, blank=True
    )
    approach = models.CharField(max_length=12, choices=Approach.choices, blank=True)
    response = models.CharField(
        "partner's response", max_length=8, choices=Response.choices, blank=True
    )
    mood = models.PositiveSmallIntegerField(
        "my mood",
        null=True,
        blank=True,
        choices=MOOD_CHOICES,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    note = models.TextField(blank=True)
    is_private = models.BooleanField(
        "private", default=False, help_text="Never shown to a counselor you share with."
    )
    # Chosen by the phone for a log it kept while offline: sent again, it finds this
    # entry instead of writing a second one.
    device_key = models.UUIDField(null=True, blank=True, editable=False)
    # Not auto_now_add: an import keeps when each entry was first written.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InteractionQuerySet.as_manager()

    # Set by a form when contact the person started takes the place of that day's
    # day of space: saving folds the day of space into it. Not stored.
    replaces_space = False

    # What the person writes of an entry (the full form, an imported file); tactic
    # tags are rows of their own.
    WRITTEN = [
        "kind",
        "date",
        "time",
        "channel",
        "initiator",
        "approach",
        "response",
        "mood",
        "note",
        "is_private",
    ]

    class Meta:
        ordering = [
            models.F("date").desc(),
            models.F("time").desc(nulls_last=True),
            models.F("created_at").desc(),
        ]
        indexes = [
            models.Index(fields=["owner", "date"], name="interaction_owner_date"),
            # What a counselor may see, counted and listed without reading the rows.
            models.Index(
                fields=["owner", "date"],
                condition=Q(is_private=False),
                name="interaction_shared_date",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=Kind.SPACE) | ~Q(approach=""),
                name="interaction_contact_has_approach",
            ),
            models.CheckConstraint(
                condition=Q(kind=Kind.CONTACT)
                | Q(approach="", channel="", initiator="", response=""),
                name="interaction_space_has_no_contact",
            ),
            models.UniqueConstraint(
                fields=["owner", "date"],
                condition=Q(kind=Kind.SPACE),
                name="interaction_one_space_a_day",
            ),
            models.UniqueConstraint(
                fields=["owner", "device_key"], name="interaction_once_per_device_key"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == Kind.SPACE:
            return f"{self.date:%Y-%m-%d}: gave space"
        return f"{self.date:%Y-%m-%d}: {self.get_approach_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("journal:entry-detail", args=[self.public_id])

    @property
    def is_space(self) -> bool:
        return self.kind == Kind.SPACE

    @cached_property
    def tactics(self) -> list[Tactic]:
        return [Tactic(tag.tactic) for tag in self.tactic_tags.all()]

    def clean(self) -> None:
        super().clean()
        details = {name: getattr(self, name) for name in rules.CONTACT_DETAILS}
        problems = rules.contact_problems(self.kind, details)
        if not problems and self.owner_id and self.date:
            same_day = Interaction.objects.filter(owner=self.owner_id, date=self.date)
            others = same_day.exclude(pk=self.pk).values_list("kind", "initiator")
            # A contact that takes the place of the day's space is saved with it
            # folded in (journal.services.interaction_save).
            spaces = 0 if self.replaces_space else sum(kind == Kind.SPACE for kind, _ in others)
            contacts = sum(rules.breaks_space(kind, initiator) for kind, initiator in others)
            problems = rules.day_problems(
                self.kind, self.initiator, spaces_that_day=spaces, contacts_that_day=contacts
            )
        if problems:
            raise rules.validation_error(problems)

    def validate_constraints(self, exclude=None) -> None:
        """Nothing more to ask the database before a save: the constraints repeat the
        rules clean() applies, in its own words; the database still holds them."""


class InteractionTactic(models.Model):
    """A tactic tag on an interaction; one row per tag so trends can count them in SQL."""

    interaction = models.ForeignKey(
        Interaction, on_delete=models.CASCADE, related_name="tactic_tags"
    )
    tactic = models.CharField(max_length=20, choices=Tactic.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interaction", "tactic"], name="interaction_tactic_unique"
            )
        ]

    def __str__(self) -> str:
        return self.get_tactic_display()


class ReflectionQuerySet(models.QuerySet):
    def for_owner(self, user: User) -> ReflectionQuerySet:
        return self.filter(owner=user)


class Reflection(models.Model):
    """A user's look back at one week: three answers, one reflection per week."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reflections")
    week_start = models.DateField()
    went_well = models.TextField("What went well?", blank=True)
    where_pushed = models.TextField("Where did I push?", blank=True)
    try_next = models.TextField("What will I try next week?", blank=True)
    # Not auto_now_add: an import keeps when each reflection was first written.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "week_start"], name="reflection_one_per_week")
        ]

    def __str__(self) -> str:
        return f"Reflection on the week of {self.week_start:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("journal:review-week", args=[self.week_start])


class UnsentMessage(models.Model):
    """A message the person checked and chose not to send, kept for them alone: no
    counselor ever sees one, whatever they share."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="unsent_messages")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    text = models.TextField()
    # How the check read it: pressuring or approachable.
    approach = models.CharField(max_length=12, choices=Approach.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "created_at"], name="unsent_owner_created")]

    def __str__(self) -> str:
        return f"{self.owner}: unsent, {self.created_at:%Y-%m-%d}"


class ReminderSent(models.Model):
    """The weekly reminder a user was sent; the constraint makes sending idempotent.

    A row is claimed before the email goes and marked sent after it went.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders_sent")
    week_start = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="reminder_once_per_week")
        ]

    def __str__(self) -> str:
        return f"Reminder for the week of {self.week_start:%Y-%m-%d}"


INVITATION_DAYS = 14


def token_hash(token: str) -> str:
    """Invitation tokens are stored only as this hash, so a database leak grants nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class ShareQuerySet(models.QuerySet):
    def for_owner(self, user: User) -> ShareQuerySet:
        return self.filter(owner=user)

    def for_counselor(self, user: User) -> ShareQuerySet:
        return self.filter(counselor=user)


class Share(models.Model):
    """A journaler's invitation to a counselor, and once accepted, the counselor's access.

    The journaler chooses the scope: entries from a date onward (or all), weekly
    reflections or not, and optionally the last day of access. Private entries are
    never shared, whatever the scope.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Invitation pending"
        INVITATION_EXPIRED = "invitation_expired", "Invitation expired"
        CANCELLED = "cancelled", "Invitation cancelled"
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Access expired"
        REVOKED = "revoked", "Revoked"
        ENDED = "ended", "Ended: the counselor's account was deleted"

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="shares")
    # Addresses the share in URLs, the counselor's pages of the journal included.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("counselor's email address")
    # Kept when the counselor's account goes, so the journaler keeps the access log.
    counselor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="client_shares"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    entries_since = models.DateField(
        "share entries from",
        null=True,
        blank=True,
        help_text="Leave empty to share every entry. Private entries are never shared.",
    )
    include_reflections = models.BooleanField("share my weekly reflections", default=False)
    # How the counselor sees the client: a name the client chooses (see display_name).
    client_name = models.CharField(
        "your name as your counselor sees it",
        max_length=80,
        blank=True,
        help_text="Leave empty to be shown by your email address.",
    )
    require_two_factor = models.BooleanField(
        "ask them to sign in with a second step",
        default=False,
        help_text=(
            "They can then read your journal only after signing in with an authenticator "
            "app or a passkey as well as their password."
        ),
    )
    access_until = models.DateField(
        "access ends after",
        null=True,
        blank=True,
        help_text="Optional: the last day the counselor can see your journal.",
    )
    invited_at = models.DateTimeField(default=timezone.now)
    invitation_expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-invited_at"]

    def __str__(self) -> str:
        return f"{self.owner} → {self.email} ({self.get_state_display()})"

    @property
    def display_name(self) -> str:
        """The client, as their counselor sees them."""
        return self.client_name or self.owner.email

    @property
    def introduced_as(self) -> str:
        """The client in an invitation, to someone who may not know the name yet."""
        name, email = self.display_name, self.owner.email
        return name if name == email else f"{name} ({email})"

    @property
    def scope(self) -> rules.Scope:
        return rules.Scope(self.entries_since, self.include_reflections, self.access_until)

    def clean(self) -> None:
        super().clean()
        if self.pk is None:
            return
        saved = Share.objects.filter(pk=self.pk).first()
        problems = rules.scope_problems(saved.scope, self.scope) if saved else []
        if problems:
            raise rules.validation_error(problems)

    @property
    def state(self) -> State:
        if self.revoked_at:
            return self.State.REVOKED
        if self.cancelled_at:
            return self.State.CANCELLED
        if self.accepted_at is None:
            if timezone.now() >= self.invitation_expires_at:
                return self.State.INVITATION_EXPIRED
            return self.State.PENDING
        if self.counselor_id is None:
            return self.State.ENDED
        if self.access_until and self.owner.today() > self.access_until:
            return self.State.EXPIRED
        return self.State.ACTIVE

    def get_state_display(self) -> str:
        return self.state.label

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    def visible_entries(self) -> InteractionQuerySet:
        """The client's entries this counselor may see: never a private one."""
        entries = Interaction.objects.for_owner(self.owner).without_private()
        if self.entries_since:
            entries = entries.filter(date__gte=self.entries_since)
        return entries

    def visible_reflections(self) -> ReflectionQuerySet:
        if not self.include_reflections:
            return Reflection.objects.none()
        reflections = Reflection.objects.for_owner(self.owner)
        if self.entries_since:
            # Only weeks that begin within the scope: a reflection on a week that
            # began before it speaks of days the counselor may not see.
            reflections = reflections.filter(week_start__gte=self.entries_since)
        return reflections

    def accept(self, user: User) -> bool:
        """Bind the invitation to `user` if it is still pending; whether this call did.

        One conditional update: when two accounts accept at once, exactly one wins.
        """
        now = timezone.now()
        pending = Share.objects.filter(
            pk=self.pk,
            accepted_at=None,
            cancelled_at=None,
            revoked_at=None,
            invitation_expires_at__gt=now,
        )
        if not pending.update(counselor=user, accepted_at=now):
            self.refresh_from_db()
            return False
        User.objects.filter(pk=user.pk).update(counsels=True)
        user.counsels = True
        self.counselor, self.accepted_at = user, now
        return True

    def cancel(self) -> None:
        self.cancelled_at = timezone.now()
        self.save(update_fields=["cancelled_at"])

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


TARGET_LENGTH = 300


def entry_words(entry: Interaction) -> str:
    """An entry as the access log names it: its date, and time if it has one."""
    words = f"{entry.date:%-d %B %Y}"
    return f"{words}, {entry.time:%H:%M}" if entry.time else words


class AccessLog(models.Model):
    """One page a counselor opened in a client's journal. It records no entry text."""

    class What(models.TextChoices):
        JOURNAL = "journal", "the journal"
        ENTRY = "entry", "an entry"
        CALENDAR = "calendar", "the calendar"
        TRENDS = "trends", "the trends"
        GUIDANCE = "guidance", "the guidance"
        REVIEWS = "reviews", "the weekly reviews"
        REVIEW = "review", "a week's review"
        SUMMARY = "summary", "a summary for a session"

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="access_log")
    viewed_at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=10, choices=What.choices)
    # Which entry (its date and time), week (its first day), month, range or principle,
    # in words, or the counselor's own search words and filters; never any of the
    # journal's text, nor an id.
    target = models.CharField(max_length=TARGET_LENGTH, blank=True)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["share", "viewed_at"], name="accesslog_share_viewed")]

    def __str__(self) -> str:
        return f"{self.share.email} viewed {self.description} at {self.viewed_at}"

    @property
    def description(self) -> str:
        """What was opened, in words ("Entry of 2 December 2026"), never by an id: the
        target is written in words when the visit is logged."""
        if self.target and self.what == self.What.ENTRY:
            return f"Entry of {self.target}"
        if self.target and self.what == self.What.REVIEW:
            return f"Week of {self.target}"
        label = capfirst(self.get_what_display())
        return f"{label}: {self.target}" if self.target else label


class Submission(models.Model):
    """A form post that wrote something, by the key the form was drawn with.

    A second post of the same form (a double tap, Back and send again, a retry after
    an answer that never came) finds its key here and gets the first post's answer
    instead of writing again (see `journal.services.submit_once`).
    """

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    # Where the first post led; empty while a write in steps (an import) is under way.
    answer = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="submission_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.owner} posted {self.key}"


class Device(models.Model):
    """Where a person is signed in: one row per session, which Settings lists and can end."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    session_key = models.CharField(max_length=40, unique=True)
    # The browser as it names itself, cut short; shown as "Firefox on Android".
    agent = models.CharField(max_length=300, blank=True)
    signed_in_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.user} on {self.name}"

    @classmethod
    def note(cls, request: HttpRequest, user: User) -> None:
        """Record that `user` is signed in on this request's session and browser."""
        cls.objects.update_or_create(
            session_key=request.session.session_key,
            defaults={"user": user, "agent": request.META.get("HTTP_USER_AGENT", "")[:300]},
        )

    @property
    def name(self) -> str:
        """The browser and system, from the user agent: enough to tell devices apart."""
        agent = self.agent
        browser = next((name for key, name in BROWSERS if key in agent), "A browser")
        system = next((name for key, name in SYSTEMS if key in agent), "")
        return f"{browser} on {system}" if system else browser


# Searched in this order: Edge and Chrome both say "Chrome", Chrome says "Safari".
BROWSERS = [
    ("Firefox/", "Firefox"),
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "a Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


class OutgoingMail(models.Model):
    """An email on its way out. With the outbox on (EMAIL_OUTBOX), a request only
    writes one of these; `manage.py send_outbox`, run every minute, sends them. So
    no answer waits for a mail server, nor takes longer when an address has an
    account."""

    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.TextField()
    body = models.TextField()
    html = models.TextField(blank=True)
    from_email = models.CharField(max_length=300)
    recipients = models.JSONField()
    # Taken by a run of send_outbox; taken again if that run died (see journal.mail).
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outgoingmail_waiting")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)}"
