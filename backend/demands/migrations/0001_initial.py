import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Take over visits' VisitDemand table with its rows: state only, no data is copied.

    0002 then renames the table to demands_visitdemand (ALTER TABLE … RENAME on both
    SQLite and PostgreSQL: the rows and ids stay).
    """

    initial = True

    dependencies = [
        ("visits", "0008_visit_demand_moved_to_demands"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="VisitDemand",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "category",
                            models.CharField(
                                choices=[
                                    ("labour", "用工"),
                                    ("finance", "融资"),
                                    ("site", "场地"),
                                    ("policy", "政策"),
                                    ("approvals", "审批"),
                                    ("logistics", "物流"),
                                    ("energy", "能源"),
                                    ("other", "其他"),
                                ],
                                max_length=12,
                            ),
                        ),
                        ("text", models.TextField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "visit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="demands", to="visits.visit"
                            ),
                        ),
                    ],
                    options={"db_table": "visits_visitdemand"},
                ),
            ],
            database_operations=[],
        ),
    ]
