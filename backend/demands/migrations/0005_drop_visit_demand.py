from django.db import migrations


class Migration(migrations.Migration):
    """VisitDemand's rows are Demands now (0004)."""

    dependencies = [
        ("demands", "0004_visit_demands_into_ledger"),
    ]

    operations = [
        migrations.DeleteModel(name="VisitDemand"),
    ]
