from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import InteractionFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached, so query counts are those of a first visit."""
    cache.clear()


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
