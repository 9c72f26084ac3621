from django.db import migrations, models


def note_counselors(apps, schema_editor):
    """Every account that has accepted an invitation counsels."""
    User = apps.get_model("journal", "User")
    User.objects.filter(client_shares__isnull=False).update(counsels=True)


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0024_share_client_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="counsels",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(note_counselors, migrations.RunPython.noop),
    ]
