"""A full database cache gives up computed pages before the counts of sign-in tries."""

from __future__ import annotations

from django.core.cache import caches
from django.core.management import call_command

from reconnect.settings import cache_from_url


def test_a_full_database_cache_keeps_the_sign_in_counts(settings, transactional_db):
    settings.CACHES = {
        **settings.CACHES,
        "full": {**cache_from_url("db://test_cache_full"), "OPTIONS": {"MAX_ENTRIES": 10}},
    }
    call_command("createcachetable", "--database", "default")
    cache = caches["full"]
    cache.set("allauth:rl:allauth.account:login_failed:5/900s/key:abc", [1.0], 900)
    cache.set("allauth.mfa.totp.used?user=1&code=123456", 1, 60)
    for n in range(40):
        cache.set(f"fragment:entry-page:{n}", "x", 300)
    assert cache.get("allauth:rl:allauth.account:login_failed:5/900s/key:abc") == [1.0]
    assert cache.get("allauth.mfa.totp.used?user=1&code=123456") == 1
    assert cache.get("fragment:entry-page:0") is None
