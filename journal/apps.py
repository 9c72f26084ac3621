from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the receiver that notes when a session starts.
        from journal import middleware  # noqa: F401
        from reconnect import logging

        logging.install()
