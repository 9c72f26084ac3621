"""Running the app: the health check, the shared cache, and mail that never holds the database."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
import redis
import time_machine
from django.core import mail
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deploy.stack import free_port
from journal.models import Interaction, OutgoingMail, Share
from reconnect.settings import cache_from_url
from tests.factories import NOW, InteractionFactory, UserFactory, log

MAIL_SECONDS = 3
ROOT = Path(__file__).resolve().parent.parent


class TestHealthCheck:
    def test_answers_ok_without_a_session_or_a_log_line(self, db, client, caplog):
        caplog.set_level("DEBUG")
        response = client.get("/healthz")
        assert (response.status_code, response.content) == (200, b"ok\n")
        assert response["Cache-Control"] == "no-store"
        assert not response.cookies
        assert not [r for r in caplog.records if r.name.startswith(("django", "reconnect"))]

    def test_answers_whatever_host_the_proxy_asks_with(self, db, client):
        assert client.get("/healthz", HTTP_HOST="10.1.2.3:8001").status_code == 200

    def test_answers_503_when_the_database_is_unreachable(self, transactional_db, client):
        settings_dict = connection.settings_dict
        saved = dict(settings_dict)
        connection.close()
        if connection.vendor == "sqlite":
            settings_dict["NAME"] = "/nonexistent/folder/reconnect.sqlite3"
        else:
            settings_dict.update(HOST="127.0.0.1", PORT="1")
        try:
            response = client.get("/healthz")
        finally:
            connection.close()
            settings_dict.update(saved)
        assert (response.status_code, response.content) == (503, b"unavailable\n")
        assert client.get("/healthz").status_code == 200

    def test_answers_503_when_the_cache_is_unreachable(self, db, client, settings):
        settings.CACHES = {"default": cache_from_url("redis://127.0.0.1:1/0")}
        assert client.get("/healthz").status_code == 503


@pytest.fixture(scope="module")
def redis_url():
    """A Redis server of its own on loopback, for the tests of this module."""
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing (apt-get install redis-server)")
        pytest.skip("needs redis-server (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_with_redis_sign_ins_are_counted_where_every_app_server_reads(
    redis_url, settings, client, alice_client, alice
):
    """The rate limits go to the shared cache; trends and pages stay in this
    process, where the journal's version on the user's row keeps them fresh."""
    settings.CACHES = {**settings.CACHES, "default": cache_from_url(redis_url)}
    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    client.post(reverse("account_login"), {"login": alice.email, "password": "wrong"})
    assert store.dbsize() > 0
    counted = store.dbsize()
    log(alice, alice.today(), "approachable")
    assert alice_client.get(reverse("journal:trends")).status_code == 200
    assert store.dbsize() == counted
    assert len(caches["pages"]._cache) > 0
    assert alice_client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    "url, backend",
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("db://reconnect_cache", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://10.0.0.2:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_is_chosen_by_one_url(url, backend):
    assert cache_from_url(url)["BACKEND"] == backend


def test_the_database_cache_keeps_its_table_name():
    assert cache_from_url("db://reconnect_cache")["LOCATION"] == "reconnect_cache"


@pytest.mark.parametrize("url", ["memcached://127.0.0.1", "db://", "reconnect_cache"])
def test_a_cache_url_it_cannot_read_stops_the_app(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be"):
        cache_from_url(url)


def test_the_example_environment_file_lists_every_variable_the_app_reads():
    read = set()
    for path in ("reconnect/settings.py", "deploy/gunicorn.conf.py"):
        source = (ROOT / path).read_text()
        read |= set(re.findall(r'(?:env_\w+|os\.environ\.get)\(\s*"([A-Z_]+)"', source))
    listed = set(
        re.findall(r"^#?([A-Z_]+)=", (ROOT / "deploy/reconnect.env.example").read_text(), re.M)
    )
    assert "SECRET_KEY" in read and "WEB_WORKERS" in read
    assert read - listed == set()


@pytest.mark.parametrize("extra, lock", [(None, "base.txt"), ("dev", "dev.txt")])
def test_the_lock_files_pin_what_pyproject_asks_for(extra, lock):
    """A change to pyproject.toml without `make lock` would install something else."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    pinned = set(
        re.findall(r"^([a-z0-9-]+==\S+)", (ROOT / "requirements" / lock).read_text(), re.M)
    )
    for requirement in wanted:
        name, version = re.fullmatch(r"([\w.-]+)(?:\[[\w,-]+\])?==(\S+)", requirement).groups()
        assert f"{name.lower().replace('_', '-')}=={version}" in pinned, requirement


def test_gunicorn_accepts_the_production_configuration():
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", "deploy/gunicorn.conf.py"]
        + ["reconnect.wsgi"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_accepts_the_units(tmp_path):
    """The units as installed, but for the paths: this checkout and this virtual environment."""
    units = sorted((ROOT / "deploy/systemd").iterdir())
    for unit in units:
        text = unit.read_text().replace("/srv/reconnect/.venv", sys.prefix)
        (tmp_path / unit.name).write_text(text.replace("/srv/reconnect", str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / unit.name) for unit in units)],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert {unit.name for unit in units} >= {
        "reconnect.service",
        "reconnect-reminders.timer",
        "reconnect-backup.timer",
        "reconnect-mail.timer",
    }


class SlowEmailBackend(EmailBackend):
    """A mail server that takes MAIL_SECONDS to accept a message."""

    sending = threading.Event()

    def send_messages(self, messages):
        self.sending.set()
        time.sleep(MAIL_SECONDS)
        return super().send_messages(messages)


def _invite_someone() -> None:
    client = Client()
    client.force_login(UserFactory(email="inviter@example.com"))
    response = client.post(reverse("journal:sharing"), {"email": "counselor@example.com"})
    assert response.status_code == 302


def _send_reminders() -> None:
    UserFactory(email="reminded@example.com", timezone="UTC", weekly_reminder=True)
    call_command("send_weekly_reminders", stdout=io.StringIO())


@time_machine.travel(NOW)  # 12:00 UTC on a Saturday: a reminder is due
@pytest.mark.parametrize("send", [_invite_someone, _send_reminders])
def test_a_slow_mail_server_does_not_hold_up_anyone_elses_write(transactional_db, settings, send):
    settings.EMAIL_BACKEND = f"{__name__}.SlowEmailBackend"
    SlowEmailBackend.sending.clear()
    writer = Client()
    writer.force_login(UserFactory(email="writer@example.com", timezone="UTC"))

    def sender() -> None:
        try:
            send()
        finally:
            connections.close_all()

    thread = threading.Thread(target=sender)
    thread.start()
    try:
        assert SlowEmailBackend.sending.wait(timeout=30), "no mail was sent"
        started = time.perf_counter()
        response = writer.post(
            reverse("journal:entry-quick"),
            {"kind": "contact", "approach": "approachable", "initiator": "me", "response": "warm"},
        )
        waited = time.perf_counter() - started
    finally:
        thread.join()
    assert response.status_code == 302
    assert Interaction.objects.filter(owner__email="writer@example.com").count() == 1
    assert waited < 0.5, f"the write waited {waited:.2f} s for the mail server"
    assert len(mail.outbox) == 1
    if send is _invite_someone:
        assert Share.objects.get().email == "counselor@example.com"


def test_an_empty_setting_means_its_default(tmp_path):
    env = {**os.environ, "DEBUG": "true", "STATIC_ROOT": "", "CACHE_URL": "", "DATABASE_URL": ""}
    code = (
        "import reconnect.settings as s;"
        "print(s.STATIC_ROOT == s.BASE_DIR / 'staticfiles', s.CACHES['default']['BACKEND'],"
        " s.DATABASES['default']['ENGINE'])"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert output.stdout.split() == [
        "True",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.db.backends.sqlite3",
    ]


def test_the_example_environment_starts_nothing_until_a_secret_key_is_set():
    example = (ROOT / "deploy/reconnect.env.example").read_text()
    assert re.search(r"^SECRET_KEY=$", example, re.MULTILINE)


def test_commands_that_need_no_secret_key_run_with_no_environment():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_cache_keeps_one_copy_of_each_part_however_often_the_journal_changes(
    alice_client, alice
):
    """Each change makes the cached trends and page parts stale: they are replaced,
    not left beside the new ones, so a long-running worker's cache does not grow."""
    entry = InteractionFactory(owner=alice, note="first words")
    week = alice.week_start_for(alice.today())
    pages = [
        reverse("home"),
        reverse("journal:entry-list"),
        reverse("journal:trends") + "?range=4w",
        reverse("journal:trends") + "?range=all",
        reverse("guidance:index"),
        reverse("journal:review-week", args=[week]),
    ]

    def read_every_page() -> int:
        for url in pages:
            assert alice_client.get(url).status_code == 200
        return len(caches["pages"]._cache)  # the per-process cache's own entries

    kept = read_every_page()
    for n in range(5):
        alice_client.post(
            reverse("journal:entry-update", args=[entry.public_id]),
            {"kind": "contact", "date": entry.date, "approach": "pressuring", "note": f"{n}"},
        )
        assert Interaction.objects.get(pk=entry.pk).note == f"{n}"
        assert read_every_page() == kept


class FailingEmailBackend(EmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


class TestOutbox:
    @pytest.fixture(autouse=True)
    def outbox(self, settings):
        settings.EMAIL_BACKEND = "journal.mail.OutboxBackend"
        settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def test_a_password_reset_writes_the_mail_and_sends_nothing_in_the_request(self, client, db):
        UserFactory(email="jo@example.com")
        response = client.post(reverse("account_reset_password"), {"email": "jo@example.com"})
        assert response.status_code == 302
        assert mail.outbox == []
        waiting = OutgoingMail.objects.get()
        assert (waiting.recipients, waiting.sent_at) == (["jo@example.com"], None)

        out = io.StringIO()
        call_command("send_outbox", stdout=out)
        assert out.getvalue() == "1 sent, 0 failed and kept for the next run.\n"
        assert [m.to for m in mail.outbox] == [["jo@example.com"]]
        assert mail.outbox[0].subject == waiting.subject
        assert "/accounts/password/reset/key/" in mail.outbox[0].body
        call_command("send_outbox", stdout=io.StringIO())
        assert len(mail.outbox) == 1
        sent = OutgoingMail.objects.get()
        # The link it held opens the account: not kept once sent.
        assert sent.sent_at is not None and (sent.body, sent.html) == ("", "")

    def test_a_refused_mail_is_kept_and_sent_by_a_later_run(self, db, settings):
        send_mail("Hello", "Body", None, ["jo@example.com"])
        settings.OUTBOX_DELIVERY_BACKEND = f"{__name__}.FailingEmailBackend"
        call_command("send_outbox", stdout=io.StringIO())
        waiting = OutgoingMail.objects.get()
        assert (waiting.sent_at, waiting.attempts) == (None, 1)
        assert "the mail server is down" in waiting.last_error
        settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("send_outbox", stdout=io.StringIO())
        assert [m.subject for m in mail.outbox] == ["Hello"]

    def test_sent_mail_is_deleted_after_a_week(self, db):
        send_mail("Hello", "Body", None, ["jo@example.com"])
        call_command("send_outbox", stdout=io.StringIO())
        OutgoingMail.objects.update(sent_at=timezone.now() - datetime.timedelta(days=8))
        call_command("send_outbox", stdout=io.StringIO())
        assert not OutgoingMail.objects.exists()

    def test_a_mail_that_cannot_be_sent_for_days_is_given_up(self, db, settings, caplog):
        send_mail("Hello", "Body", None, ["jo@example.com"])
        OutgoingMail.objects.update(created_at=timezone.now() - datetime.timedelta(days=4))
        call_command("send_outbox", stdout=io.StringIO())
        assert not OutgoingMail.objects.exists() and mail.outbox == []
        assert "1 mail(s) could not be sent in 3 days" in caplog.text

    def test_a_mail_claimed_by_another_run_is_left_to_it(self, db):
        send_mail("Hello", "Body", None, ["jo@example.com"])
        OutgoingMail.objects.update(claimed_at=timezone.now())
        call_command("send_outbox", stdout=io.StringIO())
        assert mail.outbox == []
