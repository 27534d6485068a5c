from django.core.management.color import no_style
from django.db import migrations

CHUNK = 2000
NOTE = "走访时记录（由原走访诉求迁入台账）"


def _chunks(rows):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def into_ledger(apps, schema_editor):
    """Every VisitDemand becomes a Demand of channel "visit", 待交办 (nothing was done with
    them: a line of text that went nowhere), with the same id, enterprise and staff of its
    visit, and its time; and one "raise" step by that staff member at that time."""
    VisitDemand = apps.get_model("demands", "VisitDemand")
    Demand = apps.get_model("demands", "Demand")
    Transition = apps.get_model("demands", "DemandTransition")
    rows = (
        VisitDemand.objects.order_by("id")
        .values_list("id", "visit_id", "visit__enterprise_id", "visit__staff_id", "category", "text", "created_at")
        .iterator(chunk_size=CHUNK)
    )
    copied = 0
    for chunk in _chunks(rows):
        Demand.objects.bulk_create(
            [
                Demand(
                    id=id_, visit_id=visit_id, enterprise_id=enterprise_id, raised_by_id=staff_id, category=category,
                    description=text, channel="visit", status="pending", created_at=at, updated_at=at,
                )
                for id_, visit_id, enterprise_id, staff_id, category, text, at in chunk
            ]
        )
        Transition.objects.bulk_create(
            [
                Transition(
                    demand_id=id_, actor_id=staff_id, at=at, action="raise", from_status="", to_status="pending", comment=NOTE
                )
                for id_, _, _, staff_id, _, _, at in chunk
            ]
        )
        copied += len(chunk)
    if copied:
        # Ids were given explicitly: PostgreSQL's identity must continue after the largest.
        with schema_editor.connection.cursor() as cursor:
            for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Demand]):
                cursor.execute(sql)


def out_of_ledger(apps, schema_editor):
    """Back to VisitDemand: the visit demands (what they said, not what was done with them)."""
    VisitDemand = apps.get_model("demands", "VisitDemand")
    Demand = apps.get_model("demands", "Demand")
    Transition = apps.get_model("demands", "DemandTransition")
    rows = (
        Demand.objects.filter(visit__isnull=False)
        .order_by("id")
        .values_list("id", "visit_id", "category", "description", "created_at")
        .iterator(chunk_size=CHUNK)
    )
    for chunk in _chunks(rows):
        VisitDemand.objects.bulk_create(
            [VisitDemand(id=id_, visit_id=v, category=c, text=t, created_at=at) for id_, v, c, t, at in chunk]
        )
    Transition.objects.all().delete()
    Demand.objects.all().delete()
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [VisitDemand]):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("demands", "0003_demand_ledger"),
    ]

    operations = [
        migrations.RunPython(into_ledger, out_of_ledger),
    ]
