from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from journal.models import (
    Interaction,
    InteractionTactic,
    Reflection,
    User,
)


def interaction_save(*, interaction: Interaction, tactics: list[str]) -> Interaction:
    """Save an interaction and make its tactic tags exactly `tactics`.

    Tags are only ever written here, after saving the interaction: that bumps its
    updated_at, which the caches of everything computed from entries rely on. When
    another request has saved a day the rules keep apart since the form was checked,
    the database refuses it, and this raises the rule's ValidationError.
    """
    try:
        return _interaction_write(interaction, tactics)
    except IntegrityError:
        interaction.clean()
        raise


@transaction.atomic
def _interaction_write(interaction: Interaction, tactics: list[str]) -> Interaction:
    tactics = list(dict.fromkeys(tactics))
    interaction.save()
    interaction.tactic_tags.exclude(tactic__in=tactics).delete()
    existing = set(interaction.tactic_tags.values_list("tactic", flat=True))
    InteractionTactic.objects.bulk_create(
        InteractionTactic(interaction=interaction, tactic=tactic)
        for tactic in tactics
        if tactic not in existing
    )
    return interaction


def reflection_save(*, owner: User, week_start: datetime.date, answers: dict) -> Reflection:
    """Save the reflection on a week: the first save creates it, later ones edit it.

    update_or_create holds the row while it updates and, when two first saves race,
    the loser of the unique constraint edits the winner's row instead of failing.
    """
    reflection, _ = Reflection.objects.update_or_create(
        owner=owner, week_start=week_start, defaults=answers
    )
    return reflection


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
