"""Mend the days that break the one-day rules, in every journal or in one.

    python manage.py mend_days [--email someone@example.com]

A day holds at most one day of space, and never a day of space beside contact.
Journals written before the rules were enforced, or imported files, can break them;
this folds each extra day of space into the contact (or day of space) logged first
that day, keeping every note, and says what it changed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from journal.models import Interaction
from journal.services import days_mend


class Command(BaseCommand):
    help = "Mend the days that break the one-day rules, keeping every note."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="Only the journal of this account.")

    def handle(self, *args, email: str | None, **options) -> None:
        entries = Interaction.objects.all()
        if email:
            entries = entries.filter(owner__email=email.lower())
        mended = days_mend(entries)
        for line in mended:
            self.stdout.write(line)
        self.stdout.write(
            f"{len(mended)} day(s) mended." if mended else "Every day keeps the rules."
        )
