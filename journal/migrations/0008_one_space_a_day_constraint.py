from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0007_one_space_a_day'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='interaction',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'space')), fields=('owner', 'date'), name='interaction_one_space_a_day'),
        ),
    ]
