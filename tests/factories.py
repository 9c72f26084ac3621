from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from journal.choices import Approach, Channel, Initiator, Kind, Response, Tactic
from journal.models import Interaction, InteractionTactic, User

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.django.Password(PASSWORD)
    partner_name = factory.Faker("first_name")
    timezone = "Europe/London"


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


class InteractionTacticFactory(DjangoModelFactory):
    class Meta:
        model = InteractionTactic

    interaction = factory.SubFactory(InteractionFactory, approach=Approach.PRESSURING)
    tactic = Tactic.GUILT
