"""Your data: the JSON export of everything a user owns, the CSV of their interactions,
and the import of an export into another account, checked as a whole first."""

from __future__ import annotations

import contextlib
import copy
import csv
import datetime
import io
import json
import re
import threading
from collections.abc import Iterator

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.db.models import Max, Min
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.accounts.forms import ProfileForm
from journal.models import (
    AccessLog,
    Interaction,
    InteractionTactic,
    Reflection,
    Share,
    UnsentMessage,
    User,
)
from journal.portability import files
from journal.portability.files import MAX_IMPORT_BYTES, journal_import, read_export
from journal.services import interaction_save
from tests.factories import (
    AccessLogFactory,
    InteractionFactory,
    ReflectionFactory,
    ShareFactory,
    UserFactory,
)

D = datetime.date
NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
EXPORT = reverse("journal:data-export")
CSV = reverse("journal:data-export-csv")
IMPORT = reverse("journal:data-import")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _entry(owner, *, created_at: datetime.datetime | None = None, tactics=(), **fields):
    entry = InteractionFactory.build(owner=owner, **fields)
    interaction_save(interaction=entry, tactics=list(tactics))
    if created_at:
        Interaction.objects.filter(pk=entry.pk).update(created_at=created_at)
        entry.refresh_from_db()
    return entry


@pytest.fixture
def journal(alice, carol_share):
    """alice's journal with something in every part an export holds."""
    alice.partner_pronouns = "she"
    alice.separation_date = D(2026, 6, 1)
    alice.weekly_reminder = True
    alice.save()
    contact = _entry(
        alice,
        date=D(2026, 11, 20),
        time=datetime.time(18, 30),
        channel="text",
        initiator="me",
        approach="pressuring",
        response="cool",
        mood=2,
        note='She said "fine".\nThen nothing.',
        tactics=["guilt", "pleading"],
        created_at=datetime.datetime(2026, 11, 20, 17, 45, 1, 123456, tzinfo=datetime.UTC),
    )
    _entry(
        alice,
        date=D(2026, 11, 19),
        time=None,
        channel="",
        initiator="partner",
        approach="approachable",
        response="warm",
        mood=None,
        note="alice's private words",
        is_private=True,
        tactics=["listened"],
    )
    _entry(alice, date=D(2026, 11, 21), space=True, mood=4, note="")
    ReflectionFactory(
        owner=alice,
        week_start=D(2026, 11, 16),
        went_well="Listened",
        where_pushed="",
        try_next="Space",
    )
    AccessLogFactory(share=carol_share, what=AccessLog.What.ENTRY, target=str(contact.pk))
    ShareFactory(owner=alice, counselor=None, accepted_at=None, email="new@example.com")
    return contact


def _export(client: Client) -> dict:
    response = client.get(EXPORT)
    assert response.status_code == 200
    return json.loads(response.content)


class TestExport:
    def test_is_a_json_attachment_named_for_the_users_day(self, alice_client, alice):
        response = alice_client.get(EXPORT)
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert (
            response["Content-Disposition"]
            == 'attachment; filename="reconnect-export-2026-11-28.json"'
        )
        assert "no-store" in response["Cache-Control"]

    def test_holds_every_field_of_everything_alice_owns(self, alice_client, alice, journal):
        data = _export(alice_client)
        assert (data["schema"], data["version"]) == ("reconnect-export", 2)
        assert data["exported_at"] == "2026-11-28T12:00:00+00:00"
        assert data["account"]["email"] == "alice@example.com"
        assert data["profile"] == {
            "partner_name": "Sam",
            "partner_pronouns": "she",
            "timezone": "Europe/Paris",
            "week_start": 0,
            "separation_date": "2026-06-01",
            "weekly_reminder": True,
            "color_scheme": "system",
            "lock_after": 0,
            "hide_notes": False,
            "country": "",
            "late_from": 22,
        }
        assert [entry["date"] for entry in data["interactions"]] == [
            "2026-11-19",
            "2026-11-20",
            "2026-11-21",
        ]
        assert data["interactions"][1] == {
            "date": "2026-11-20",
            "time": "18:30:00",
            "kind": "contact",
            "channel": "text",
            "initiator": "me",
            "approach": "pressuring",
            "response": "cool",
            "mood": 2,
            "tactics": ["guilt", "pleading"],
            "note": 'She said "fine".\nThen nothing.',
            "is_private": False,
            "created_at": "2026-11-20T17:45:01.123456+00:00",
            "updated_at": "2026-11-28T12:00:00+00:00",
        }
        assert data["interactions"][2]["kind"] == "space"
        assert data["reflections"] == [
            {
                "week_start": "2026-11-16",
                "went_well": "Listened",
                "where_pushed": "",
                "try_next": "Space",
                "created_at": "2026-11-28T12:00:00+00:00",
                "updated_at": "2026-11-28T12:00:00+00:00",
            }
        ]
        assert [(s["email"], s["state"], s["accepted_by"]) for s in data["shares"]] == [
            ("carol@example.com", "active", "carol@example.com"),
            ("new@example.com", "pending", None),
        ]
        assert data["access_log"] == [
            {
                "counselor_email": "carol@example.com",
                "what": "entry",
                "target": str(journal.pk),
                "viewed_at": "2026-11-28T12:00:00+00:00",
            }
        ]

    def test_has_a_key_for_every_field_of_the_models(self, alice_client, alice, journal):
        """A field added to a model must be added to the export, or left out on purpose here."""
        UnsentMessage.objects.create(owner=alice, text="Kept back.", approach="pressuring")
        data = _export(alice_client)

        def fields(model, *left_out):
            # Ids are addresses on this server, not part of the journal: an import
            # gives its entries new ones.
            return {f.name for f in model._meta.concrete_fields} - {"id", "public_id", *left_out}

        assert set(data["profile"]) == set(ProfileForm.Meta.fields)
        # The key a phone gave an offline log only stops that log being sent twice.
        assert set(data["interactions"][0]) == fields(Interaction, "owner", "device_key") | {
            "tactics"
        }
        assert set(data["reflections"][0]) == fields(Reflection, "owner")
        assert set(data["shares"][0]) == fields(Share, "owner", "counselor", "token_hash") | {
            "accepted_by",
            "state",
        }
        assert set(data["access_log"][0]) == fields(AccessLog, "share") | {"counselor_email"}
        assert data["unsent_messages"] == [
            {"text": "Kept back.", "approach": "pressuring", "created_at": data["exported_at"]}
        ]
        assert set(data["unsent_messages"][0]) == fields(UnsentMessage, "owner")

    def test_never_holds_an_invitations_token_hash(self, alice_client, journal):
        content = alice_client.get(EXPORT).content.decode()
        for share in Share.objects.all():
            assert share.token_hash not in content
        assert "token" not in content

    def test_includes_private_entries_since_they_are_alices_own(self, alice_client, journal):
        entries = _export(alice_client)["interactions"]
        assert [e["note"] for e in entries if e["is_private"]] == ["alice's private words"]

    def test_a_counselor_gets_their_own_data_and_nothing_of_a_clients(
        self, journal, carol, bob, dave_share
    ):
        client = Client()
        client.force_login(carol)
        response = client.get(EXPORT)
        data = json.loads(response.content)
        assert data["account"]["email"] == "carol@example.com"
        assert (data["interactions"], data["shares"], data["access_log"]) == ([], [], [])
        assert b"alice" not in response.content
        assert b"private words" not in client.get(CSV).content

    def test_takes_as_many_queries_for_a_long_journal_as_for_a_short_one(
        self, alice_client, alice, journal
    ):
        with CaptureQueriesContext(connection) as short:
            alice_client.get(EXPORT)
        for day in range(30):
            _entry(alice, date=D(2026, 10, 1) + datetime.timedelta(days=day), tactics=[])
        with CaptureQueriesContext(connection) as long:
            alice_client.get(EXPORT)
        assert len(long) == len(short)


class TestCsv:
    def _rows(self, client) -> list[list[str]]:
        response = client.get(CSV)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))

    def test_is_an_attachment_named_for_the_users_day(self, alice_client):
        response = alice_client.get(CSV)
        assert (
            response["Content-Disposition"]
            == 'attachment; filename="reconnect-interactions-2026-11-28.csv"'
        )

    def test_has_a_header_and_a_row_per_interaction(self, alice_client, journal):
        rows = self._rows(alice_client)
        assert rows[0] == [
            "date",
            "time",
            "kind",
            "channel",
            "initiator",
            "approach",
            "response",
            "mood",
            "tactics",
            "private",
            "note",
            "created_at",
            "updated_at",
        ]
        assert len(rows) == 1 + 3
        # created_at in alice's time zone, Paris: an hour ahead of UTC in November.
        assert rows[2] == [
            "2026-11-20",
            "18:30",
            "contact",
            "text",
            "me",
            "pressuring",
            "cool",
            "2",
            "guilt;pleading",
            "no",
            'She said "fine".\nThen nothing.',
            "2026-11-20 18:45:01",
            "2026-11-28 13:00:00",
        ]
        assert rows[1][9] == "yes"
        assert rows[3][2:9] == ["space", "", "", "", "", "4", ""]

    @pytest.mark.parametrize(
        "note, cell",
        [
            (
                '=HYPERLINK("http://evil.example","click")',
                '\'=HYPERLINK("http://evil.example","click")',
            ),
            ("+1 555 0100", "'+1 555 0100"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("a = b, said I", "a = b, said I"),
        ],
    )
    def test_neutralises_cells_a_spreadsheet_would_run_as_formulas(
        self, alice_client, alice, note, cell
    ):
        _entry(alice, date=D(2026, 11, 20), note=note)
        assert self._rows(alice_client)[1][10] == cell


# Import


def _profile(**fields) -> dict:
    return {
        "partner_name": "Sam",
        "partner_pronouns": "she",
        "timezone": "Europe/Paris",
        "week_start": 6,
        "separation_date": "2026-06-01",
        "weekly_reminder": True,
        "color_scheme": "dark",
        **fields,
    }


def _imported_entry(**fields) -> dict:
    return {
        "date": "2026-11-20",
        "time": "18:30:00",
        "kind": "contact",
        "channel": "text",
        "initiator": "me",
        "approach": "approachable",
        "response": "warm",
        "mood": 4,
        "tactics": ["listened"],
        "note": "We talked.",
        "is_private": False,
        "created_at": "2026-11-20T17:45:00.123456+00:00",
        "updated_at": "2026-11-20T17:45:00.123456+00:00",
        **fields,
    }


def _space(**fields) -> dict:
    blank = dict.fromkeys(["channel", "initiator", "approach", "response"], "")
    return _imported_entry(**{"kind": "space", "time": None, "tactics": [], **blank, **fields})


def _reflection(**fields) -> dict:
    return {
        "week_start": "2026-11-15",
        "went_well": "I listened.",
        "where_pushed": "",
        "try_next": "More space.",
        **fields,
    }


def _file(interactions=(), reflections=(), **parts) -> dict:
    return {
        "schema": "reconnect-export",
        "version": 1,
        "exported_at": "2026-11-28T11:00:00+00:00",
        "account": {"email": "old@example.com", "date_joined": "2025-01-01T00:00:00+00:00"},
        "profile": _profile(),
        "interactions": list(interactions),
        "reflections": list(reflections),
        "shares": [],
        "access_log": [],
        **parts,
    }


def _upload(content: dict | bytes, name: str = "reconnect-export.json") -> SimpleUploadedFile:
    if isinstance(content, dict):
        content = json.dumps(content).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def _import(client, content: dict | bytes):
    return client.post(IMPORT, {"file": _upload(content)})


def _state(user) -> dict:
    """Everything an import could write."""
    user = User.objects.get(pk=user.pk)
    return {
        "profile": [
            getattr(user, name)
            for name in ["partner_name", "partner_pronouns", "timezone", "week_start"]
        ]
        + [user.separation_date, user.weekly_reminder],
        "entries": sorted(map(repr, Interaction.objects.values())),
        "tags": sorted(map(repr, InteractionTactic.objects.values())),
        "reflections": sorted(map(repr, Reflection.objects.values())),
        "shares": Share.objects.count(),
        "log": AccessLog.objects.count(),
    }


def _errors(response) -> list[str]:
    assert response.status_code == 200
    assert b"Nothing was imported." in response.content
    return response.context["form"].errors["file"]


BAD_FILES = [
    pytest.param(
        b'{"schema": "reconnect-export", "version": 1,',
        "This file is not a Reconnect export, or it is damaged: it is not valid JSON "
        "(line 1, column 45).",
        id="malformed JSON",
    ),
    pytest.param(
        b"\xff\xfe\x00\x00 binary",
        "This file is not a Reconnect export: it is not a text file.",
        id="not text",
    ),
    pytest.param(
        [],
        "This file is not a Reconnect export: it does not say “schema”: “reconnect-export”.",
        id="a list",
    ),
    pytest.param(
        {**_file(), "schema": "someone-elses-export"},
        "This file is not a Reconnect export: it does not say “schema”: “reconnect-export”.",
        id="wrong schema",
    ),
    pytest.param(
        {**_file(), "version": 3},
        "This export is of version 3; this installation reads versions 1 to 2. Export again "
        "from an installation of the same version.",
        id="wrong version",
    ),
    pytest.param(
        {**_file(), "version": True},
        "This export is of version true; this installation reads versions 1 to 2. Export "
        "again from an installation of the same version.",
        id="a version that is no number",
    ),
    pytest.param(
        _file([_imported_entry(approach="pushy")]),
        'Entry 1 (20 November 2026): “approach” cannot be "pushy"; it is one of '
        '"approachable", "pressuring", "practical".',
        id="bad choice",
    ),
    pytest.param(
        _file([_imported_entry(), _imported_entry(response="furious")]),
        'Entry 2 (20 November 2026): “response” cannot be "furious"; it is one of '
        '"warm", "neutral", "cool", "none".',
        id="bad choice in the second entry",
    ),
    pytest.param(
        _file([_imported_entry(tactics=["listened", "guilt"])]),
        "Entry 1 (20 November 2026): “Tried to make them feel guilty” is pressuring, "
        "but the entry is approachable.",
        id="tag contradicting the approach",
    ),
    pytest.param(
        _file([_imported_entry(tactics=["sulking"])]),
        'Entry 1 (20 November 2026): "sulking" is not a tactic Reconnect knows.',
        id="unknown tactic",
    ),
    pytest.param(
        _file([_space(tactics=["gave_space"])]),
        "Entry 1 (20 November 2026): a day of space has no tactics.",
        id="space with a tactic",
    ),
    pytest.param(
        _file([_imported_entry(approach="", tactics=[])]),
        "Entry 1 (20 November 2026): contact needs an approach: approachable, pressuring or practical.",
        id="contact without approach",
    ),
    pytest.param(
        _file([_imported_entry(date="2026-11-29")]),
        "Entry 1: the date cannot be in the future (2026-11-29).",
        id="future date",
    ),
    pytest.param(
        _file([_imported_entry(date="1899-12-31")]),
        "Entry 1: choose a date after 1 January 1900 (1899-12-31).",
        id="ancient date",
    ),
    pytest.param(
        _file([_imported_entry(date="20 Nov")]),
        'Entry 1: “date” should be a date like 2026-03-02, not "20 Nov".',
        id="not a date",
    ),
    pytest.param(
        _file([_imported_entry(mood=7)]),
        "Entry 1 (20 November 2026): “mood” should be empty (null) or a whole number "
        "from 1 to 5, not 7.",
        id="mood out of range",
    ),
    pytest.param(
        _file([_imported_entry(is_private="yes")]),
        'Entry 1 (20 November 2026): “is_private” should be true or false, not "yes".',
        id="not a boolean",
    ),
    pytest.param(
        _file([_imported_entry(created_at="2026-11-20T17:45:00")]),
        "Entry 1 (20 November 2026): “created_at” should be a date and time with its "
        'offset, like 2026-03-02T18:30:00Z, not "2026-11-20T17:45:00".',
        id="time without offset",
    ),
    pytest.param(
        _file([{k: v for k, v in _imported_entry().items() if k != "note"}]),
        "Entry 1 (20 November 2026): “note” is missing.",
        id="missing key",
    ),
    pytest.param(
        _file([_imported_entry(note="x" * 200_001)]),
        "Entry 1 (20 November 2026): “note” is longer than 200,000 characters.",
        id="note too long",
    ),
    pytest.param(
        _file(profile=_profile(timezone="Mars/Olympus_Mons")),
        "Your settings: “Mars/Olympus_Mons” is not a time zone Reconnect knows.",
        id="unknown time zone",
    ),
    pytest.param(
        _file(profile=_profile(week_start=2)),
        "Your settings: “week_start” cannot be 2; it is one of 0, 6.",
        id="bad week start",
    ),
    pytest.param(
        _file(profile=_profile(color_scheme="neon")),
        'Your settings: “color_scheme” cannot be "neon"; it is one of "system", "light", "dark".',
        id="bad colours",
    ),
    pytest.param(
        _file(reflections=[_reflection(), _reflection(went_well="Again")]),
        "Reflection 2 (week of 15 November 2026): the file has another reflection on this week.",
        id="two reflections on one week",
    ),
    pytest.param(
        _file(reflections=[_reflection(went_well=" ", try_next="")]),
        "Reflection 1 (week of 15 November 2026): all three answers are empty.",
        id="empty reflection",
    ),
    pytest.param(
        {**_file(), "interactions": {}},
        "The file: its entries (“interactions”) should be a list.",
        id="entries not a list",
    ),
    pytest.param(
        _file([_imported_entry(date="2026-11-12"), _space(date="2026-11-12")]),
        "12 November 2026: the file has a day of space and a contact. A day of space "
        "cannot share its day with contact you started, or with another day of space: "
        "delete one of them, "
        "then import again.",
        id="space and contact on one day",
    ),
    pytest.param(
        _file([_space(date="2026-11-12"), _space(date="2026-11-12", note="again")]),
        "12 November 2026: the file has 2 days of space. A day of space cannot share its "
        "day with contact you started, or with another day of space: delete one of them, "
        "then import again.",
        id="two days of space on one day",
    ),
    pytest.param(
        _file([_imported_entry(time="10:00:00+02:00")]),
        "Entry 1 (20 November 2026): “time” should be empty (null) or a time like 18:30, "
        'not "10:00:00+02:00".',
        id="time with an offset",
    ),
    pytest.param(
        _file([_imported_entry(created_at="0001-01-01T00:00:00+05:00")]),
        "Entry 1 (20 November 2026): “created_at” should be a date and time with its "
        'offset, like 2026-03-02T18:30:00Z, not "0001-01-01T00:00:00+05:00".',
        id="a moment before the first there is",
    ),
    pytest.param(
        _file([_imported_entry(note="A walk \ud800")]),
        "Entry 1 (20 November 2026): “note” holds a broken character (a lone surrogate), "
        "which cannot be stored.",
        id="lone surrogate in a note",
    ),
    pytest.param(
        _file(profile=_profile(partner_name="Sa\ud800m")),
        "Your settings: “partner_name” holds a broken character (a lone surrogate), "
        "which cannot be stored.",
        id="lone surrogate in the partner's name",
    ),
    pytest.param(
        _file([_imported_entry(note="A walk\u0000")]),
        "Entry 1 (20 November 2026): “note” holds a NUL character, which cannot be stored.",
        id="NUL in a note",
    ),
    pytest.param(
        b"{" + b" " * MAX_IMPORT_BYTES + b"}",
        f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB, the most an import takes.",
        id="too large",
    ),
]


@pytest.mark.parametrize("content, message", BAD_FILES)
def test_an_import_refuses_a_bad_file_with_its_reason_and_writes_nothing(
    alice_client, alice, journal, content, message
):
    before = _state(alice)
    if isinstance(content, list):
        content = json.dumps(content).encode()
    assert message in _errors(_import(alice_client, content))
    assert _state(alice) == before


def test_an_import_refuses_a_post_that_is_not_a_file(alice_client, alice, journal):
    before = _state(alice)
    response = alice_client.post(IMPORT, {"file": "I am text, not a file"})
    assert _errors(response) == ["Choose the export file to import."]
    assert _state(alice) == before


def test_an_import_lists_every_problem_of_a_file_at_once(alice_client, alice):
    bad = [_imported_entry(mood=9, date=f"2026-11-{day:02}") for day in range(1, 26)]
    errors = _errors(_import(alice_client, _file(bad)))
    assert len(errors) == 21
    assert errors[0].startswith("Entry 1 (1 November 2026): “mood”")
    assert errors[-1] == "…and 5 more problems."


def test_an_import_refuses_a_day_of_space_where_the_journal_has_contact(alice_client, alice):
    _entry(alice, date=D(2026, 11, 20), initiator="me")
    before = _state(alice)
    errors = _errors(_import(alice_client, _file([_space(), _imported_entry(date="2026-11-19")])))
    assert errors == [
        "20 November 2026: the file has a day of space and your journal here has a contact. "
        "A day of space cannot share its day with contact you started, or with another day of "
        "space: delete "
        "one of them, then import again."
    ]
    assert _state(alice) == before


def test_an_import_offers_to_mend_the_days_that_clash_within_the_file(alice_client, alice):
    clashing = _file(
        [
            _imported_entry(note="We argued.", created_at="2026-11-20T19:00:00Z"),
            _space(note="A long walk.", mood=2, created_at="2026-11-20T08:00:00Z"),
            _imported_entry(date="2026-11-19"),
        ]
    )
    errors = _errors(_import(alice_client, clashing))
    assert errors[0].startswith("20 November 2026: the file has a day of space and a contact.")
    assert errors[1] == files.MEND_OFFER
    assert not Interaction.objects.exists()

    response = alice_client.post(IMPORT, {"file": _upload(clashing), "mend_days": "on"})
    assert response.status_code == 302
    said = alice_client.get(response.url).content.decode()
    assert "Imported 2 entries" in said and "1 day that broke the rules was mended" in said
    mended = Interaction.objects.get(date=D(2026, 11, 20))
    assert (mended.kind, mended.note, mended.mood) == ("contact", "We argued.\n\nA long walk.", 4)
    assert Interaction.objects.count() == 2


def test_an_import_judges_the_future_by_the_files_time_zone(alice_client, alice):
    """At noon UTC it is already the next day in Kiritimati (UTC+14), the file's zone."""
    content = _file(
        [_imported_entry(date="2026-11-29")], profile=_profile(timezone="Pacific/Kiritimati")
    )
    assert _import(alice_client, content).status_code == 302
    assert Interaction.objects.get().date == D(2026, 11, 29)


def test_an_import_adds_entries_reflections_and_settings(alice_client, alice):
    pressuring = _imported_entry(
        date="2026-11-18",
        approach="pressuring",
        tactics=["guilt", "ultimatum", "guilt"],
        is_private=True,
        created_at="2026-11-18T09:00:00Z",
    )
    content = _file([_imported_entry(), _space(date="2026-11-21"), pressuring], [_reflection()])
    response = _import(alice_client, content)
    assert response.url == reverse("journal:entry-list")
    alice.refresh_from_db()
    assert (alice.partner_pronouns, alice.week_start, alice.weekly_reminder) == ("she", 6, True)
    assert alice.color_scheme == "dark"
    assert alice.separation_date == D(2026, 6, 1)
    entry = Interaction.objects.get(date=D(2026, 11, 18))
    assert (entry.owner, entry.approach, entry.is_private, entry.tactics) == (
        alice,
        "pressuring",
        True,
        ["guilt", "ultimatum"],
    )
    assert Interaction.objects.get(kind="space").date == D(2026, 11, 21)
    reflection = Reflection.objects.get()
    assert (reflection.owner, reflection.week_start) == (alice, D(2026, 11, 15))
    page = alice_client.get(response.url)
    assert (
        "Imported 3 entries and 1 reflection, and applied your settings." in page.content.decode()
    )


def test_an_import_keeps_the_partners_name_when_the_file_has_none(alice_client, alice):
    _import(alice_client, _file(profile=_profile(partner_name="")))
    alice.refresh_from_db()
    assert alice.partner_name == "Sam"


def test_an_import_keeps_the_colours_when_the_file_has_no_such_setting(alice_client, alice):
    profile = {k: v for k, v in _profile().items() if k != "color_scheme"}
    assert _import(alice_client, _file(profile=profile)).status_code == 302
    alice.refresh_from_db()
    assert alice.color_scheme == "system"


def test_an_import_leaves_out_invitations_and_the_access_log(alice_client, alice, journal):
    exported = _export(alice_client)
    newcomer = UserFactory(email="new-home@example.com")
    client = Client()
    client.force_login(newcomer)
    before = (Share.objects.count(), AccessLog.objects.count())
    assert _import(client, exported).status_code == 302
    assert (Share.objects.count(), AccessLog.objects.count()) == before
    assert not Share.objects.for_owner(newcomer).exists()
    assert b"not imported" in client.get(IMPORT).content


def test_importing_the_same_file_twice_adds_nothing_the_second_time(alice_client, alice):
    # Two quick logs alike in every way are two contacts, and both are kept.
    quick = _imported_entry(time=None, note="", tactics=[], created_at="2026-11-20T08:00:00Z")
    content = _file(
        [_imported_entry(), quick, quick, _space(date="2026-11-21")],
        [_reflection(), _reflection(week_start="2026-11-08")],
    )
    _import(alice_client, content)
    once = _state(alice)
    assert (len(once["entries"]), len(once["tags"]), len(once["reflections"])) == (4, 1, 2)
    response = _import(alice_client, content)
    assert _state(alice) == once
    message = alice_client.get(response.url).content.decode()
    assert "Imported 0 entries and 0 reflections" in message
    assert "4 entries were in your journal already and stayed as before." in message


def test_a_second_import_adds_only_what_is_new_and_updates_reflections(alice_client, alice):
    _import(alice_client, _file([_imported_entry()], [_reflection()]))
    later = _imported_entry(date="2026-11-22", created_at="2026-11-22T10:00:00Z")
    _import(
        alice_client,
        _file([_imported_entry(), later], [_reflection(went_well="I listened, twice.")]),
    )
    assert sorted(Interaction.objects.values_list("date", flat=True)) == [
        D(2026, 11, 20),
        D(2026, 11, 22),
    ]
    assert Reflection.objects.get().went_well == "I listened, twice."


def test_an_import_moves_the_journal_on_so_the_cached_pages_change(alice_client, alice):
    with time_machine.travel(NOW - datetime.timedelta(hours=2), tick=False):
        _entry(alice, date=D(2026, 11, 10), note="logged here first")
    alice.refresh_from_db()
    version = alice.journal_version
    assert b"logged here first" in alice_client.get(reverse("journal:entry-list")).content
    _import(alice_client, _file([_imported_entry(note="brought from the old journal")]))
    imported = Interaction.objects.get(date=D(2026, 11, 20))
    # bulk_create sets auto_now; created_at is the file's, not the import's.
    assert imported.updated_at == NOW
    assert imported.created_at == datetime.datetime(
        2026, 11, 20, 17, 45, 0, 123456, tzinfo=datetime.UTC
    )
    alice.refresh_from_db()
    assert alice.journal_version > version
    page = alice_client.get(reverse("journal:entry-list")).content
    assert b"brought from the old journal" in page


# An import under way, and everyone else.


def _many(count: int) -> list[dict]:
    """`count` entries, four a day from 1 January 2020."""
    return [
        _imported_entry(
            date=(D(2020, 1, 1) + datetime.timedelta(days=n // 4)).isoformat(),
            created_at=f"2026-01-01T00:00:00.{n:06d}+00:00",
        )
        for n in range(count)
    ]


def test_an_import_lets_another_account_write_between_its_chunks(transactional_db, monkeypatch):
    """One person's import never holds up another's save for the whole file: it is
    written a chunk at a time, and the other account's saves land in between."""
    monkeypatch.setattr(files, "CHUNK", 25)
    importer, other = UserFactory(), UserFactory()
    parsed = read_export(_upload(_file(_many(500))), user=importer)
    done, wrote = threading.Event(), threading.Event()
    failures = []
    chunk = files._chunk

    @contextlib.contextmanager
    def chunk_then_wait_for_the_other_account() -> Iterator[None]:
        with chunk():
            yield
        # Whether the other account's save can land before the next chunk begins.
        wrote.clear()
        assert wrote.wait(10), "the other account could not save between two chunks"

    monkeypatch.setattr(files, "_chunk", chunk_then_wait_for_the_other_account)

    def write_until_done() -> None:
        try:
            while not done.is_set():
                entry = Interaction(owner=other, date=D(2026, 11, 2), approach="approachable")
                interaction_save(interaction=entry, tactics=[])
                wrote.set()
                done.wait(0.005)
        except Exception as error:  # noqa: BLE001 (any failure fails the test)
            failures.append(error)
        finally:
            connections.close_all()

    writer = threading.Thread(target=write_until_done)
    writer.start()
    try:
        result = journal_import(user=importer, data=parsed)
    finally:
        done.set()
        writer.join()
    assert failures == []
    assert result.entries_added == Interaction.objects.filter(owner=importer).count() == 500
    ids = Interaction.objects.filter(owner=importer).aggregate(first=Min("pk"), last=Max("pk"))
    meanwhile = Interaction.objects.filter(owner=other, pk__range=(ids["first"], ids["last"]))
    assert meanwhile.exists()
    assert not User.objects.filter(email__startswith=files.HOLDER_PREFIX).exists()


def test_an_import_writes_nothing_if_the_journal_changes_meanwhile(
    alice_client, alice, monkeypatch
):
    stage = files._stage

    def stage_while_alice_logs_in_another_window(holder, plan) -> None:
        stage(holder, plan)
        _entry(alice, date=D(2026, 11, 25), note="saved meanwhile")

    monkeypatch.setattr(files, "_stage", stage_while_alice_logs_in_another_window)
    response = _import(
        alice_client, _file(_many(60), [_reflection()], profile=_profile(partner_name="Alex"))
    )
    assert _errors(response) == [files.JOURNAL_CHANGED]
    assert list(Interaction.objects.values_list("note", flat=True)) == ["saved meanwhile"]
    assert not Reflection.objects.exists()
    assert User.objects.get(pk=alice.pk).partner_name == "Sam"
    assert not User.objects.filter(email__startswith=files.HOLDER_PREFIX).exists()


def test_an_import_clears_what_one_cut_off_midway_left_behind(alice_client, alice):
    def holder(name: str, started: datetime.datetime) -> User:
        user = UserFactory(email=files.HOLDER_PREFIX + name, is_active=False, date_joined=started)
        InteractionFactory(owner=user)
        return user

    cut_off = holder("cut-off", NOW - datetime.timedelta(hours=2))
    under_way = holder("under-way", NOW - datetime.timedelta(minutes=1))
    _import(alice_client, _file([_imported_entry()]))
    assert not User.objects.filter(pk=cut_off.pk).exists()
    assert not Interaction.objects.filter(owner_id=cut_off.pk).exists()
    assert Interaction.objects.filter(owner=under_way).count() == 1
    assert Interaction.objects.filter(owner=alice).count() == 1


def test_no_one_can_sign_in_to_a_holding_account(client, db):
    user = User(email=files.HOLDER_PREFIX + "x", is_active=False)
    user.set_unusable_password()
    user.save()
    response = client.post(reverse("account_login"), {"login": user.email, "password": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


ROUND_TRIP_NOTE = (
    'He said: "I\'m not ready" — and I said nothing.\n'
    "Zweiter Absatz: Grüße, ça va, 你好, مرحبا 💔🙂\r\n"
    "\t'single' and \"double\" quotes, a backslash \\ and </script>\n"
)


def test_a_round_trip_gives_back_the_same_journal(alice_client, alice, journal):
    long_note = ROUND_TRIP_NOTE + "x" * 100_000 + " the end 🌱"
    _entry(
        alice,
        date=D(2026, 11, 22),
        note=long_note,
        tactics=["warmth", "good_memory"],
        approach="approachable",
        created_at=datetime.datetime(2026, 11, 22, 21, 3, 4, 5, tzinfo=datetime.UTC),
    )
    # Two entries that differ by their created_at only.
    for second in (1, 2):
        _entry(
            alice,
            date=D(2026, 11, 10),
            time=None,
            note="",
            channel="",
            mood=None,
            approach="approachable",
            initiator="me",
            response="warm",
            created_at=datetime.datetime(2026, 11, 10, 9, 0, second, tzinfo=datetime.UTC),
        )
    _entry(alice, date=D(2026, 11, 12), approach="practical", note="The school run.", tactics=[])
    ReflectionFactory(
        owner=alice, week_start=D(2026, 11, 23), went_well='Ça va 🙂\n"Better"', try_next=""
    )
    exported = _export(alice_client)
    assert len(exported["interactions"]) == 7
    assert "practical" in {entry["approach"] for entry in exported["interactions"]}

    newcomer = UserFactory(email="moved@example.com", partner_name="", timezone="UTC")
    client = Client()
    client.force_login(newcomer)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        assert _import(client, exported).status_code == 302
        again = _export(client)

    def content(data: dict) -> dict:
        """All but what an import does not carry: the account, sharing, and the
        timestamps an import sets."""
        data = copy.deepcopy(data)
        for name in ("exported_at", "account", "shares", "access_log"):
            del data[name]
        for entry in data["interactions"]:
            del entry["updated_at"]
        for reflection in data["reflections"]:
            del reflection["created_at"], reflection["updated_at"]
        return data

    assert content(again) == content(exported)
    assert {e["updated_at"] for e in again["interactions"]} == {"2026-11-28T13:00:00+00:00"}
    note = Interaction.objects.for_owner(newcomer).get(date=D(2026, 11, 22)).note
    assert note == long_note


def test_a_file_of_the_version_before_practical_contacts_still_imports(alice_client, alice):
    # Version 1 knew two approaches only; its files read as they always did.
    entry = _imported_entry(approach="pressuring", tactics=["pleading"])
    assert _import(alice_client, {**_file([entry]), "version": 1}).status_code == 302
    saved = Interaction.objects.for_owner(alice).get()
    assert (saved.approach, [tag.tactic for tag in saved.tactic_tags.all()]) == (
        "pressuring",
        ["pleading"],
    )


def test_the_import_form_carries_its_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(IMPORT).content.decode()
    assert page.split('id="main"')[1].count('name="csrfmiddlewaretoken"') == 1
    assert 'enctype="multipart/form-data"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(IMPORT, {"file": _upload(_file()), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
