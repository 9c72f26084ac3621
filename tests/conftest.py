from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from tests.factories import NOW, InteractionFactory, ShareFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached, so query counts are those of a first visit."""
    for each in caches.all():
        each.clear()


@pytest.fixture
def alice(db):
    """The journaler whose journal the tests look at."""
    return UserFactory(email="alice@example.com", partner_name="Sam", timezone="Europe/Paris")


@pytest.fixture
def bob(db):
    """Another journaler, who must never see alice's entries."""
    return UserFactory(email="bob@example.com", partner_name="Robin")


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob)
    return client


@pytest.fixture
def alice_entry(alice):
    return InteractionFactory(owner=alice, note="alice's private words")


def _counselor_of(owner, email: str, **scope):
    counselor = UserFactory(email=email, partner_name="Lee")
    share = ShareFactory(owner=owner, counselor=counselor, email=email, **scope)
    return counselor, share


@pytest.fixture
def carol_share(alice):
    """carol: alice's counselor, who may read alice's journal."""
    return _counselor_of(alice, "carol@example.com")[1]


@pytest.fixture
def carol(carol_share):
    return carol_share.counselor


@pytest.fixture
def dave_share(bob):
    """dave: a counselor of bob only."""
    return _counselor_of(bob, "dave@example.com")[1]


@pytest.fixture
def erin_share(alice):
    """erin: alice's counselor, whose access alice revoked."""
    return _counselor_of(alice, "erin@example.com", revoked_at=timezone.now())[1]


@pytest.fixture
def frank_share(alice):
    """frank: alice's counselor, whose access has expired."""
    yesterday = alice.today() - datetime.timedelta(days=1)
    return _counselor_of(alice, "frank@example.com", access_until=yesterday)[1]


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", is_staff=True, partner_name="Ash")


@pytest.fixture
def frozen():
    """The clock stopped at NOW, for tests that count days and weeks."""
    with time_machine.travel(NOW, tick=False):
        yield
