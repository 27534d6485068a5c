from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("demands", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="visitdemand", table=None),
    ]
