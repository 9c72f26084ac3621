from __future__ import annotations

import datetime
import uuid

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from factory.django import DjangoModelFactory

from journal.choices import Approach, Channel, Initiator, Kind, Response, Tactic
from journal.models import (
    AccessLog,
    Device,
    Interaction,
    InteractionTactic,
    Reflection,
    ReminderSent,
    Share,
    Submission,
    User,
    token_hash,
)
from journal.reports.summaries import summaries_refresh

PASSWORD = "correct horse battery staple"
# A Saturday; with Monday weeks the current week is 23–29 November 2026.
NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.django.Password(PASSWORD)
    partner_name = factory.Faker("first_name")
    timezone = "Europe/London"
    # Tests travel in time between signing in and asking for a page; the lock has
    # tests of its own.
    lock_after = 0

    @factory.post_generation
    def email_verified(obj, create, extracted, **kwargs):
        """A confirmed address, as every account that can sign in has (False: not yet)."""
        if create:
            EmailAddress.objects.update_or_create(
                user=obj,
                email=obj.email,
                defaults={"primary": True, "verified": extracted is not False},
            )


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = Interaction

    owner = factory.SubFactory(UserFactory)
    kind = Kind.CONTACT
    date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=1))
    channel = factory.Iterator(Channel.values)
    initiator = factory.Iterator(Initiator.values)
    approach = factory.Iterator([Approach.APPROACHABLE, Approach.PRESSURING])
    response = factory.Iterator(Response.values)
    mood = factory.Iterator([1, 2, 3, 4, 5])
    note = factory.Faker("paragraph")

    class Params:
        space = factory.Trait(kind=Kind.SPACE, channel="", initiator="", approach="", response="")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Counted into the weekly summaries, as every write of the journal's own is.
        if isinstance(kwargs.get("date"), str):
            kwargs["date"] = datetime.date.fromisoformat(kwargs["date"])
        entry = super()._create(model_class, *args, **kwargs)
        summaries_refresh(owner=entry.owner, dates=[entry.date])
        return entry


class InteractionTacticFactory(DjangoModelFactory):
    class Meta:
        model = InteractionTactic

    interaction = factory.SubFactory(InteractionFactory, approach=Approach.PRESSURING)
    tactic = Tactic.GUILT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        tag = super()._create(model_class, *args, **kwargs)
        entry = tag.interaction
        summaries_refresh(owner=entry.owner, dates=[entry.date])
        return tag


class ReflectionFactory(DjangoModelFactory):
    class Meta:
        model = Reflection

    owner = factory.SubFactory(UserFactory)
    week_start = factory.LazyAttribute(lambda r: r.owner.week_start_for(r.owner.today()))
    went_well = factory.Faker("sentence")
    where_pushed = factory.Faker("sentence")
    try_next = factory.Faker("sentence")


class ReminderSentFactory(DjangoModelFactory):
    class Meta:
        model = ReminderSent

    user = factory.SubFactory(UserFactory)
    week_start = factory.LazyAttribute(lambda r: r.user.week_start_for(r.user.today()))


class ShareFactory(DjangoModelFactory):
    """An accepted share; `counselor=None, accepted_at=None` makes a pending invitation."""

    class Meta:
        model = Share
        skip_postgeneration_save = True

    class Params:
        token = factory.Sequence(lambda n: f"invitation-token-{n}")

    owner = factory.SubFactory(UserFactory)
    counselor = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(
        lambda s: s.counselor.email if s.counselor else "new@example.com"
    )
    token_hash = factory.LazyAttribute(lambda s: token_hash(s.token))
    # Not the form's default: most tests need a share that includes them.
    include_reflections = True
    invitation_expires_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=14)
    )
    accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def counsels(share, create, extracted, **kwargs):
        """An accepted share makes its counselor an account that counsels, as accepting does."""
        if create and share.counselor:
            User.objects.filter(pk=share.counselor.pk).update(counsels=True)
            share.counselor.counsels = True


class AccessLogFactory(DjangoModelFactory):
    class Meta:
        model = AccessLog

    share = factory.SubFactory(ShareFactory)
    what = AccessLog.What.JOURNAL


def log(user, day, approach=Approach.APPROACHABLE, tactics=(), **fields) -> Interaction:
    """An interaction of `user`'s on `day`, tagged with `tactics`."""
    entry = InteractionFactory(owner=user, date=day, approach=approach, **fields)
    for tactic in tactics:
        InteractionTactic.objects.create(interaction=entry, tactic=tactic)
    if tactics:
        summaries_refresh(owner=user, dates=[day])
    return entry


class SubmissionFactory(DjangoModelFactory):
    class Meta:
        model = Submission

    owner = factory.SubFactory(UserFactory)
    key = factory.LazyFunction(uuid.uuid4)
    answer = "/journal/"


class DeviceFactory(DjangoModelFactory):
    class Meta:
        model = Device

    user = factory.SubFactory(UserFactory)
    session_key = factory.Sequence(lambda n: f"{n:040d}")
    agent = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
