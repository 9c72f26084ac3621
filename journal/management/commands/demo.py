"""Create (or reset) a demo journaler with three months of entries.

Run it as often as you like: the demo account is deleted and made again each time,
so the demo always ends today and never grows a second copy of the journal.
"""

from __future__ import annotations

import datetime
import os
import secrets

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from journal.choices import Pronouns, WeekStart
from journal.demo import journal_generate
from journal.models import Share, User, token_hash
from journal.services import reflection_save

DAYS = 90
COUNSELOR_EMAIL = "counselor@example.com"
# How the demo journaler is shown to their counselor.
DEMO_NAME = "Jo"
REFLECTIONS = [
    {
        "went_well": "We talked about the holidays without arguing. I kept it short.",
        "where_pushed": "I asked again when Sam would decide. I could feel it land badly.",
        "try_next": "Wait for Sam to bring up plans, and keep my messages light.",
    },
    {
        "went_well": "Sam laughed when I mentioned the trip to the coast.",
        "where_pushed": "",
        "try_next": "Give more space at the weekend.",
    },
    {
        "went_well": "I noticed the urge to make Sam feel guilty, and didn't act on it.",
        "where_pushed": "Two long messages on Tuesday night.",
        "try_next": "One message a day at most, and nothing after 9 pm.",
    },
]
# Addresses no real person can own (RFC 2606 and RFC 6761). Anything else might be
# somebody's actual journal, which a demo must never wipe without being told to.
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = (".test", ".example", ".invalid", ".localhost")


class Command(BaseCommand):
    help = "Create or reset a demo journaler with about three months of entries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="demo@example.com")
        parser.add_argument("--password", default="reconnect-demo")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an existing account even if its address is not a reserved "
            "example address.",
        )

    def handle(self, *args, email: str, password: str, force: bool, **options) -> None:
        email = User.objects.normalize_email(email).lower()
        with transaction.atomic():
            existing = User.objects.filter(email=email).first()
            if existing and not force and not _is_reserved(email):
                raise CommandError(
                    f"{email} already has an account that may be real; "
                    "use --force to replace it with the demo."
                )
            if existing:
                # Deleting the account takes everything hanging off it with it, so a
                # reset leaves no reflections or shares pointing at old entries.
                existing.delete()
            user = User.objects.create_user(
                email,
                password,
                partner_name="Sam",
                partner_pronouns=Pronouns.THEY,
                timezone="Europe/London",
                week_start=WeekStart.MONDAY,
            )
            today = user.today()
            user.separation_date = today - datetime.timedelta(days=122)
            user.weekly_reminder = True
            user.save(update_fields=["separation_date", "weekly_reminder"])
            created = journal_generate(
                user=user, start=today - datetime.timedelta(days=DAYS - 1), end=today
            )
            # Reflections on a few earlier weeks; the week just ended is left to do.
            this_week = user.week_start_for(today)
            for weeks_ago, answers in zip(
                range(2, 2 + len(REFLECTIONS)), REFLECTIONS, strict=True
            ):
                reflection_save(
                    owner=user,
                    week_start=this_week - datetime.timedelta(weeks=weeks_ago),
                    answers=answers,
                )
            # A counselor the demo journaler shares with, to see the other side.
            User.objects.filter(email=COUNSELOR_EMAIL).delete()
            counselor = User.objects.create_user(COUNSELOR_EMAIL, password, counsels=True)
            # Demo addresses that no one reads: marked confirmed, so they sign in.
            EmailAddress.objects.bulk_create(
                EmailAddress(user=account, email=account.email, primary=True, verified=True)
                for account in (user, counselor)
            )
            Share.objects.create(
                owner=user,
                email=COUNSELOR_EMAIL,
                counselor=counselor,
                client_name=DEMO_NAME,
                include_reflections=True,
                token_hash=token_hash(secrets.token_urlsafe(32)),
                invitation_expires_at=timezone.now(),
                accepted_at=timezone.now(),
            )

        self.stdout.write(self.style.SUCCESS(f"Demo journal ready: {created} entries."))
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"Run `make run`, open http://127.0.0.1:{port}/ and sign in with")
        self.stdout.write(f"  email:    {email}")
        self.stdout.write(f"  password: {password}")
        self.stdout.write(
            f"or, to see it as their counselor, as {COUNSELOR_EMAIL} (same password)."
        )


def _is_reserved(email: str) -> bool:
    domain = email.rpartition("@")[2]
    return domain in RESERVED_DOMAINS or domain.endswith(RESERVED_TLDS)
