"""Every account's address in django-allauth's table, as not yet confirmed.

Nobody's address was ever confirmed before; each person is asked for a code mailed
to it at their next sign-in.
"""

from django.db import migrations


def add_addresses(apps, schema_editor):
    User = apps.get_model("journal", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=pk, email=email, primary=True, verified=False)
        for pk, email in User.objects.values_list("pk", "email").iterator()
        if pk not in known
    )


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0018_submission_key_holds_the_answers"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(add_addresses, migrations.RunPython.noop)]
