"""Fill an account with years of realistic entries, for benchmarks and load tests."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandParser

from journal.demo import journal_generate, per_day_for
from journal.models import User

PASSWORD = "reconnect-bench"


class Command(BaseCommand):
    help = "Create an account with N years of entries at a few interactions a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--email", default="bench@example.com")
        parser.add_argument("--per-day", type=float, default=2.5, dest="per_day")
        parser.add_argument(
            "--entries", type=int, help="About this many entries in all (instead of --per-day)."
        )
        parser.add_argument("--seed", type=int, default=0)

    def handle(
        self,
        *args,
        years: int,
        email: str,
        per_day: float,
        entries: int | None,
        seed: int,
        **options,
    ):
        user, created = User.objects.get_or_create(
            email=email, defaults={"partner_name": "Sam", "timezone": "Europe/London"}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        else:
            user.interactions.all().delete()
        end = user.today()
        start = end - datetime.timedelta(days=round(365.25 * years))
        if entries:
            per_day = per_day_for(entries, (end - start).days + 1)
        count = journal_generate(user=user, start=start, end=end, seed=seed, per_day=per_day)
        self.stdout.write(f"{email}: {count} entries over {years} years (password {PASSWORD}).")
