from django.db import migrations, models
from django.db.models import Count


def merge_repeated_days_of_space(apps, schema_editor):
    """One day of space a day: where two requests at once saved two, keep the first,
    with every note, the mood if it had none, and private if either was.

    The constraint comes in the next migration: PostgreSQL cannot build its index in
    the transaction that deleted rows with foreign keys to them."""
    Interaction = apps.get_model("journal", "Interaction")
    spaces = Interaction.objects.filter(kind="space")
    repeated = spaces.values("owner", "date").annotate(n=Count("pk")).filter(n__gt=1)
    for day in repeated:
        kept, *others = spaces.filter(owner=day["owner"], date=day["date"]).order_by("pk")
        notes = [entry.note for entry in (kept, *others) if entry.note.strip()]
        kept.note = "\n\n".join(dict.fromkeys(notes))
        kept.mood = kept.mood or next((e.mood for e in others if e.mood), None)
        kept.is_private = any(entry.is_private for entry in (kept, *others))
        kept.save(update_fields=["note", "mood", "is_private", "updated_at"])
        Interaction.objects.filter(pk__in=[entry.pk for entry in others]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0006_reminder_claim'),
    ]

    operations = [
        migrations.RunPython(merge_repeated_days_of_space, migrations.RunPython.noop),
    ]
