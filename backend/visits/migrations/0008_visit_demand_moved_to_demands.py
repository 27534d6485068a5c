from django.db import migrations


class Migration(migrations.Migration):
    """VisitDemand now belongs to the demands app (demands 0001 takes the table over as it is)."""

    dependencies = [
        ("visits", "0007_rating_verification"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="VisitDemand")],
            database_operations=[],
        ),
    ]
