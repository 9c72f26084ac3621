"""Check the summaries of weeks and months against the entries, or count them again.

    python manage.py summaries --check [--email someone@example.com]
    python manage.py summaries --rebuild [--email someone@example.com]

The summaries are kept with every write (journal.reports.summaries); a check that
finds a difference names each week or month that differs and exits with status 1, and a
rebuild mends it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journal.models import User
from journal.reports.summaries import summaries_differences, summaries_rebuild


class Command(BaseCommand):
    help = "Check the summaries against the entries (--check), or count them again."

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true")
        action.add_argument("--rebuild", action="store_true")
        parser.add_argument("--email", help="Only the journal of this account.")

    def handle(self, *args, check: bool, rebuild: bool, email: str | None, **options) -> None:
        owners = User.objects.order_by("pk")
        if email:
            owners = owners.filter(email=email.lower())
            if not owners.exists():
                raise CommandError(f"No account has the address {email}.")
        differences = 0
        for owner in owners.iterator():
            if rebuild:
                summaries_rebuild(owner=owner)
                continue
            for line in summaries_differences(owner):
                differences += 1
                self.stdout.write(line)
        if rebuild:
            self.stdout.write(f"Counted the weeks of {owners.count()} journal(s) again.")
        elif differences:
            raise CommandError(
                f"{differences} of the summaries differ from their entries: "
                "run `manage.py summaries --rebuild` to count them again."
            )
        else:
            self.stdout.write(f"The summaries of {owners.count()} journal(s) match their entries.")
