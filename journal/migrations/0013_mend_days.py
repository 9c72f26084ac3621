"""Mend the days that break the one-day rules, as `manage.py mend_days` does, and say
what changed: two tabs could save a day of space beside contact before the rule was
checked inside the write."""

from django.db import migrations


def mend(apps, schema_editor):
    from journal.services import days_mend

    for line in days_mend(apps.get_model("journal", "Interaction").objects.all()):
        print(f"  {line}")


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0012_submissions"),
    ]

    operations = [
        migrations.RunPython(mend, migrations.RunPython.noop),
    ]
