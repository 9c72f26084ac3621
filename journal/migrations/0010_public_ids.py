"""Entries and shares get a random public id for their URLs.

A unique field with a callable default gives every existing row the same value if
added in one step, so the ids are added empty, filled row by row, then made unique.
"""

import uuid

from django.db import migrations, models

BATCH = 2000


def fill_public_ids(apps, schema_editor):
    for name in ("Interaction", "Share"):
        model = apps.get_model("journal", name)
        rows = model.objects.filter(public_id__isnull=True).only("pk")
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            row.public_id = uuid.uuid4()
            batch.append(row)
            if len(batch) == BATCH:
                model.objects.bulk_update(batch, ["public_id"])
                batch = []
        model.objects.bulk_update(batch, ["public_id"])


def unique_public_id():
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0009_access_log_searches"),
    ]

    operations = [
        migrations.AddField(
            model_name="interaction",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="share",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="interaction", name="public_id", field=unique_public_id()
        ),
        migrations.AlterField(model_name="share", name="public_id", field=unique_public_id()),
    ]
