from __future__ import annotations

from django.db import transaction

from journal.models import Interaction, InteractionTactic


@transaction.atomic
def interaction_save(*, interaction: Interaction, tactics: list[str]) -> Interaction:
    """Save an interaction and make its tactic tags exactly `tactics`."""
    interaction.save()
    interaction.tactic_tags.exclude(tactic__in=tactics).delete()
    existing = set(interaction.tactic_tags.values_list("tactic", flat=True))
    InteractionTactic.objects.bulk_create(
        InteractionTactic(interaction=interaction, tactic=tactic)
        for tactic in tactics
        if tactic not in existing
    )
    return interaction
