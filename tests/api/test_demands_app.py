"""The demands app's history: VisitDemand moved from visits with its rows, then became the ledger's Demand."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from backend.demands.models import Demand, DemandTransition

BEFORE_LEDGER = ("demands", "0002_own_table_name")


def _old_world(executor, *, app_state):
    """The models as they were at `app_state`, with every other app at its latest — except
    apps whose history needs a later visits or demands (consultations link to demands),
    which would bring those later models back in."""
    executor.loader.build_graph()
    graph = executor.loader.graph
    allowed = {node for target in app_state if target[1] for node in graph.forwards_plan(target)}
    others = [
        leaf for leaf in graph.leaf_nodes()
        if leaf[0] not in ("visits", "demands")
        and not any(n[0] in ("visits", "demands") and n not in allowed for n in graph.forwards_plan(leaf))
    ]
    return executor.loader.project_state([*others, *app_state]).apps


def _visit(old, *, staff, ent, when):
    Visit = old.get_model("visits", "Visit")
    return Visit.objects.create(
        client_id=uuid.uuid4(), staff=staff, enterprise=ent, checkin_at=when, checkin_received_at=when,
        checkin_lat=31.1, checkin_lng=121.4, distance_m=5, within_geofence=True,
    )


def _to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_it_keeps_every_demand_when_the_table_moves_to_the_demands_app():
    executor = MigrationExecutor(connection)
    executor.migrate([("visits", "0007_rating_verification"), ("demands", None)])
    old = _old_world(executor, app_state=[("visits", "0007_rating_verification")])
    staff = old.get_model("accounts", "User").objects.create(username="mover", role="staff")
    ent = old.get_model("enterprises", "Enterprise").objects.create(
        uscc="91350100M000100Y43", name="老企业", lat=31.1, lng=121.4, industry="C"
    )
    visit = _visit(old, staff=staff, ent=ent, when=dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC))
    OldDemand = old.get_model("visits", "VisitDemand")
    made = [OldDemand.objects.create(visit=visit, category=c, text=f"诉求{c}") for c in ("labour", "finance", "site")]

    _to_latest()

    moved = list(Demand.objects.order_by("id").values_list("id", "visit_id", "category", "description"))
    assert moved == [(d.id, visit.id, d.category, d.text) for d in made]
    assert "visits_visitdemand" not in connection.introspection.table_names()
    assert "demands_visitdemand" not in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_it_turns_every_visit_demand_into_a_waiting_ledger_entry_with_its_first_step():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_LEDGER])
    old = _old_world(executor, app_state=[("visits", "0008_visit_demand_moved_to_demands"), BEFORE_LEDGER])
    User = old.get_model("accounts", "User")
    Enterprise = old.get_model("enterprises", "Enterprise")
    VisitDemand = old.get_model("demands", "VisitDemand")
    alice = User.objects.create(username="alice", role="staff")
    bob = User.objects.create(username="bob", role="staff")
    ent_a = Enterprise.objects.create(uscc="91350100M000100Y43", name="甲企业", lat=31.1, lng=121.4, industry="C")
    ent_b = Enterprise.objects.create(uscc="91310112QTHER0000B", name="乙企业", lat=31.2, lng=121.5, industry="F")
    t1 = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)
    t2 = dt.datetime(2026, 9, 14, 7, 0, tzinfo=dt.UTC)
    v1 = _visit(old, staff=alice, ent=ent_a, when=t1)
    v2 = _visit(old, staff=bob, ent=ent_b, when=t2)
    rows = [
        VisitDemand.objects.create(visit=v1, category="labour", text="需要招聘20名熟练工"),
        VisitDemand.objects.create(visit=v1, category="energy", text="用电增容"),
        VisitDemand.objects.create(visit=v2, category="site", text="想找一处800平厂房"),
    ]
    # auto_now_add stamped "now": give them the times of their visits, as real rows have.
    for row, at in zip(rows, (t1, t1, t2)):
        VisitDemand.objects.filter(id=row.id).update(created_at=at)

    _to_latest()

    got = list(
        Demand.objects.order_by("id").values_list(
            "id", "visit_id", "enterprise_id", "raised_by_id", "category", "description", "channel", "status",
            "created_at", "assignee_id", "deadline",
        )
    )
    assert got == [
        (rows[0].id, v1.id, ent_a.id, alice.id, "labour", "需要招聘20名熟练工", "visit", "pending", t1, None, None),
        (rows[1].id, v1.id, ent_a.id, alice.id, "energy", "用电增容", "visit", "pending", t1, None, None),
        (rows[2].id, v2.id, ent_b.id, bob.id, "site", "想找一处800平厂房", "visit", "pending", t2, None, None),
    ]
    steps = list(DemandTransition.objects.order_by("demand_id").values_list("demand_id", "actor_id", "at", "from_status", "to_status"))
    assert steps == [(rows[0].id, alice.id, t1, "", "pending"), (rows[1].id, alice.id, t1, "", "pending"), (rows[2].id, bob.id, t2, "", "pending")]
    assert "demands_visitdemand" not in connection.introspection.table_names()
    # New demands continue after the copied ids (PostgreSQL's identity was moved on).
    fresh = Demand.objects.create(
        enterprise_id=ent_a.id, raised_by_id=alice.id, channel="phone", category="other", description="新诉求"
    )
    assert fresh.id > rows[-1].id


@pytest.mark.django_db(transaction=True)
def test_it_gives_the_visit_demands_back_when_the_ledger_migration_is_reversed(users, enterprise):
    when = dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC)
    from backend.visits.models import Visit

    visit = Visit.objects.create(
        client_id=uuid.uuid4(), staff=users["staff"], enterprise=enterprise, checkin_at=when, checkin_received_at=when,
        checkin_lat=31.1, checkin_lng=121.4, distance_m=5, within_geofence=True,
    )
    kept = Demand.objects.create(
        enterprise=enterprise, raised_by=users["staff"], channel="visit", visit=visit, category="labour", description="招工"
    )
    DemandTransition.objects.create(demand=kept, actor=users["staff"], action="raise", to_status="pending")
    Demand.objects.create(enterprise=enterprise, raised_by=users["enterprise"], channel="app", category="site", description="找厂房")

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_LEDGER])
    old = _old_world(executor, app_state=[("visits", "0008_visit_demand_moved_to_demands"), BEFORE_LEDGER])
    back = list(old.get_model("demands", "VisitDemand").objects.values_list("id", "visit_id", "category", "text"))
    assert back == [(kept.id, visit.id, "labour", "招工")]  # what the old model can hold: visit demands only

    _to_latest()
    assert list(Demand.objects.values_list("id", "channel", "description")) == [(kept.id, "visit", "招工")]
