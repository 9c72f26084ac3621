"""A failure explains itself: what was not saved, and that the journal is safe."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from journal.models import Interaction
from reconnect.errors import server_error
from tests.factories import InteractionFactory, UserFactory

QUICK = {"kind": "contact", "approach": "approachable", "initiator": "me", "response": "warm"}


def _failed(error: Exception):
    try:
        raise error
    except type(error):
        return server_error(RequestFactory().get("/"))


def test_the_500_page_is_drawn_without_the_database():
    """No `db` fixture: any query here would fail the test."""
    response = _failed(RuntimeError("a bug"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "What you just sent was not saved. Your journal itself is safe." in page
    assert "will not save it twice" in page
    assert "/static/css/app.css" in page and 'href="/"' in page


@contextmanager
def _read_only_database():
    """The database refuses every write, as a full disk or a read-only file makes it."""
    if connection.vendor == "sqlite":
        on, off = "PRAGMA query_only = ON", "PRAGMA query_only = OFF"
    else:
        on = "SET SESSION default_transaction_read_only = on"
        off = "SET SESSION default_transaction_read_only = off"
    with connection.cursor() as cursor:
        cursor.execute(on)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(off)


def test_a_database_that_cannot_write_gets_a_503_and_reads_still_work(transactional_db, settings):
    alice = UserFactory(partner_name="Sam")
    InteractionFactory(owner=alice, note="written before")
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    settings.DEBUG = False
    with _read_only_database():
        refused = client.post(reverse("journal:entry-quick"), QUICK)
        reads = [
            client.get(reverse(name)).status_code
            for name in ("home", "journal:entry-list", "journal:data-export")
        ]
    page = refused.content.decode()
    assert refused.status_code == 503
    assert refused["Retry-After"] == "60"
    assert "Reconnect cannot save right now" in page
    assert "Your journal is safe and nothing in it is lost" in page
    assert reads == [200, 200, 200]
    assert Interaction.objects.for_owner(alice).count() == 1
