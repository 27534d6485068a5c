"""VisitDemand moved from visits to the demands app with its rows."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from backend.demands.models import VisitDemand


@pytest.mark.django_db(transaction=True)
def test_it_keeps_every_demand_when_the_table_moves_to_the_demands_app():
    executor = MigrationExecutor(connection)
    executor.migrate([("visits", "0007_rating_verification"), ("demands", None)])
    executor.loader.build_graph()
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in ("visits", "demands")]
    old = executor.loader.project_state([*others, ("visits", "0007_rating_verification")]).apps
    User = old.get_model("accounts", "User")
    Enterprise = old.get_model("enterprises", "Enterprise")
    Visit = old.get_model("visits", "Visit")
    OldDemand = old.get_model("visits", "VisitDemand")
    staff = User.objects.create(username="mover", role="staff")
    ent = Enterprise.objects.create(uscc="91350100M000100Y43", name="老企业", lat=31.1, lng=121.4, industry="C")
    when = dt.datetime(2026, 11, 10, 2, tzinfo=dt.timezone.utc)
    visit = Visit.objects.create(
        client_id=uuid.uuid4(), staff=staff, enterprise=ent, checkin_at=when, checkin_received_at=when,
        checkin_lat=31.1, checkin_lng=121.4, distance_m=5, within_geofence=True,
    )
    made = [OldDemand.objects.create(visit=visit, category=c, text=f"诉求{c}") for c in ("labour", "finance", "site")]

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = list(VisitDemand.objects.order_by("id").values_list("id", "visit_id", "category", "text"))
    assert moved == [(d.id, visit.id, d.category, d.text) for d in made]
    assert VisitDemand._meta.db_table == "demands_visitdemand"
    assert "visits_visitdemand" not in connection.introspection.table_names()
    # New rows continue the id sequence (PostgreSQL keeps the identity through the rename).
    assert VisitDemand.objects.create(visit_id=visit.id, category="other", text="新诉求").id > made[-1].id
