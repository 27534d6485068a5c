"""The first 已办结 of each demand and whether it was on time: what the on-time rate counts.

Backfilled from the transitions. For a demand reopened since, the deadline it had at its
first resolution is gone (the reopening counted a new one), so the backfill compares with
the deadline it has now; from here on `demand_resolve` stores the judgement when it happens.
"""

from django.db import migrations, models
from django.db.models import Min


def backfill(apps, schema_editor):
    Demand = apps.get_model("demands", "Demand")
    Transition = apps.get_model("demands", "DemandTransition")
    firsts = dict(
        Transition.objects.filter(action="resolve").values("demand_id").annotate(at=Min("at")).values_list("demand_id", "at")
    )
    changed = []
    for demand in Demand.objects.filter(id__in=list(firsts)).only("id", "deadline").iterator(chunk_size=2000):
        at = firsts[demand.id]
        demand.first_resolved_at = at
        demand.resolved_on_time = None if demand.deadline is None else at <= demand.deadline
        changed.append(demand)
    Demand.objects.bulk_update(changed, ["first_resolved_at", "resolved_on_time"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("demands", "0007_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="demand",
            name="first_resolved_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="demand",
            name="resolved_on_time",
            field=models.BooleanField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="demand",
            index=models.Index(fields=["first_resolved_at"], name="demand_first_resolved"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
