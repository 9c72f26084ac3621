from django.apps import AppConfig
from django.db.models.signals import post_migrate


class JournalConfig(AppConfig):
    name = "journal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the receiver that notes when a session starts.
        from journal import middleware  # noqa: F401
        from reconnect import logging

        logging.install()
        post_migrate.connect(_summaries_after_migrate, sender=self)


def _summaries_after_migrate(sender, apps=None, **kwargs) -> None:
    """After a migration, count the weeks of every journal that has entries but no
    summaries yet (those written before the summaries were kept)."""
    from journal.reports.summaries import summaries_missing_build

    # Migrated back to before the summaries, there is nothing to build.
    if apps is None or "summary" in apps.all_models["journal"]:
        summaries_missing_build()
