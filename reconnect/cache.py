"""Keys of the database cache, ordered so that a full cache keeps what matters.

When the cache table holds more than MAX_ENTRIES, Django deletes its lowest keys
first. Computed pages and trends come back by themselves at the next request;
django-allauth's entries (the counts of sign-in attempts, the authenticator codes
already used) must not vanish before their time, or a full cache would let guesses
and replayed codes through. Their keys sort last.
"""

from __future__ import annotations

# After every letter, digit and ":" that start the other keys.
LAST = "~"


def make_key(key: str, key_prefix: str, version: int) -> str:
    rank = LAST if key.startswith("allauth") else ""
    return f"{rank}{key_prefix}:{version}:{key}"
