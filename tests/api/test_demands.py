"""The demands ledger through its API: raise, assign, verify, handle, resolve, rate."""

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from apisupport import ApiClient, make_user, valid_uscc
from backend.accounts.models import OrgUnit, User
from backend.api import api
from backend.demands import flow
from backend.demands.models import Demand, DemandTransition
from backend.enterprises.services import enterprise_create
from backend.notifications.models import Notice
from backend.visits.models import Visit

pytestmark = pytest.mark.django_db


def as_(user) -> ApiClient:
    client = ApiClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def cast(users, enterprise, town):
    """Everyone a demand can meet: its team, another team, its enterprise, another one."""
    other_team = OrgUnit.objects.create(code="T2", name="招商二组", kind="team")
    other_ent = enterprise_create(uscc=valid_uscc("91310112QTHER00"), name="别家企业", lat=31.13, lng=121.43, industry="F")
    return {
        **users,
        "assignee": users["staff"],
        "teammate": make_user("teammate", "staff", org_unit=town["team"]),
        "other_manager": make_user("other_manager", "manager", org_unit=other_team),
        "other_staff": make_user("other_staff", "staff", org_unit=other_team),
        "other_enterprise": make_user("other_ent_user", "enterprise", enterprise=other_ent),
        "anonymous": None,
        "other_ent": other_ent,
        "other_team": other_team,
    }


def raise_(user, **body):
    response = as_(user).post_json("/api/demands", {"category": "labour", "description": "需要招聘20名熟练工", **body})
    assert response.status_code == 201, response.content
    return response.json()


def act(user, demand_id, action, body=None):
    return as_(user).post_json(f"/api/demands/{demand_id}/{action}", body or {})


BODIES = {
    "verify": {"comment": "已电话联系企业核实"},
    "handle": {},
    "resolve": {"resolution": "已对接人社所，推荐了三场招聘会"},
    "rate": {"rating": "satisfied"},
}


def demand_in(cast, status: str) -> int:
    """An app-raised demand of our enterprise, taken through the flow to `status` (assigned to our staff member)."""
    d = raise_(cast["enterprise"])["id"]
    steps = [
        ("assigned", cast["manager"], "assign", {"assignee_id": cast["assignee"].id}),
        ("verifying", cast["assignee"], "verify", {}),
        ("handling", cast["assignee"], "handle", {}),
        ("resolved", cast["assignee"], "resolve", BODIES["resolve"]),
        ("closed", cast["enterprise"], "rate", BODIES["rate"]),
    ]
    for reached, user, action, body in steps:
        if Demand.objects.get(id=d).status == status:
            break
        assert act(user, d, action, body).status_code == 200, reached
    assert Demand.objects.get(id=d).status == status
    return d


# --- the whole life ----------------------------------------------------------------------------


def test_it_takes_an_app_raised_demand_through_its_whole_life_and_tells_the_enterprise_each_step(cast):
    ent_user, manager, staff = cast["enterprise"], cast["manager"], cast["assignee"]
    created = raise_(ent_user, description="用电增容，希望年内完成", category="energy")
    d = created["id"]
    assert created["channel"] == "app" and created["status"] == "pending" and created["status_label"] == "待交办"
    assert created["deadline"] is None and created["deadline_explained"] == ""
    assert created["actions"] == []
    # The intake queue: a manager sees it and may assign it; the staff member does not see it yet.
    assert as_(manager).get(f"/api/demands/{d}").json()["actions"] == ["assign"]
    assert as_(staff).get(f"/api/demands/{d}").status_code == 404

    out = act(manager, d, "assign", {"assignee_id": staff.id, "comment": "请一周内联系企业"}).json()
    assert (out["status"], out["assignee_id"], out["assignee_name"]) == ("assigned", staff.id, "王小明")
    assert as_(staff).get(f"/api/demands/{d}").json()["actions"] == ["verify"]
    assert act(staff, d, "verify", BODIES["verify"]).json()["status_label"] == "核查研判"
    assert act(staff, d, "handle").json()["status_label"] == "处办中"
    out = act(staff, d, "resolve", BODIES["resolve"]).json()
    assert out["status_label"] == "已办结" and out["resolution"] == BODIES["resolve"]["resolution"]
    assert as_(ent_user).get(f"/api/demands/{d}").json()["actions"] == ["rate"]
    out = act(ent_user, d, "rate", {"rating": "satisfied", "comment": "很及时"}).json()
    assert (out["status"], out["status_label"], out["rating_label"]) == ("closed", "已回访", "满意")
    assert out["actions"] == []

    timeline = out["timeline"]
    assert [(t["from_status"], t["to_status"], t["action"]) for t in timeline] == [
        ("", "pending", "raise"), ("pending", "assigned", "assign"), ("assigned", "verifying", "verify"),
        ("verifying", "handling", "handle"), ("handling", "resolved", "resolve"), ("resolved", "closed", "rate"),
    ]
    assert [t["actor_name"] for t in timeline] == [ent_user.username, manager.username, "王小明", "王小明", "王小明", ent_user.username]
    assert timeline[1]["comment"] == "请一周内联系企业" and timeline[5]["rating"] == "satisfied"
    assert timeline[1]["to_label"] == "已交办" and timeline[0]["action_label"] == "提出诉求"
    # The enterprise heard of every step; the official heard they were given it.
    progress = Notice.objects.filter(user=ent_user, kind="demands.progress").order_by("id")
    assert progress.count() == 6
    assert all(n.url == f"#/demands/{d}" for n in progress)
    assert "已交办给王小明" in progress[1].body
    assert Notice.objects.filter(user=staff, kind="demands.assigned").count() == 1


def test_it_takes_a_phone_call_down_for_an_enterprise(cast, enterprise):
    out = raise_(cast["staff"], enterprise_id=enterprise.id, category="finance", description="咨询贴息贷款")
    assert (out["channel"], out["channel_label"], out["enterprise_id"]) == ("phone", "电话代为登记", enterprise.id)
    assert out["raised_by_name"] == "王小明"
    assert Notice.objects.filter(user=cast["enterprise"], kind="demands.progress").count() == 1
    # Staff must say for whom; an admin may take calls too.
    response = as_(cast["staff"]).post_json("/api/demands", {"category": "labour", "description": "招工"})
    assert response.status_code == 422 and "enterprise_id" in response.json()["errors"]
    assert raise_(cast["admin"], enterprise_id=cast["other_ent"].id)["channel"] == "phone"
    missing = as_(cast["staff"]).post_json("/api/demands", {"category": "labour", "description": "招工", "enterprise_id": 987654321})
    assert missing.status_code == 404


def test_it_lets_an_enterprise_raise_only_for_itself(cast, enterprise):
    assert raise_(cast["enterprise"], enterprise_id=enterprise.id)["enterprise_id"] == enterprise.id
    other = as_(cast["enterprise"]).post_json(
        "/api/demands", {"category": "labour", "description": "招工", "enterprise_id": cast["other_ent"].id}
    )
    assert other.status_code == 404
    assert as_(cast["owner"]).post_json("/api/demands", {"category": "labour", "description": "招工", "enterprise_id": enterprise.id}).status_code == 403
    assert as_(None).post_json("/api/demands", {"category": "labour", "description": "招工"}).status_code == 401
    unlinked = make_user("unlinked_ent", "enterprise")
    response = as_(unlinked).post_json("/api/demands", {"category": "labour", "description": "招工"})
    assert response.status_code == 403 and response.json()["code"] == "no_enterprise"


# --- each transition × role ---------------------------------------------------------------------

ACTION_CASES = {
    # action: (status it starts from, body, who may, who sees it but may not (403); everyone else: 404 / 401)
    "assign": ("pending", None, {"manager", "other_manager", "admin"}, {"enterprise"}),
    "verify": ("assigned", BODIES["verify"], {"assignee", "manager", "admin"}, {"enterprise"}),
    "handle": ("verifying", BODIES["handle"], {"assignee", "manager", "admin"}, {"enterprise"}),
    "resolve": ("handling", BODIES["resolve"], {"assignee", "manager", "admin"}, {"enterprise"}),
    "rate": ("resolved", BODIES["rate"], {"enterprise"}, {"assignee", "manager", "admin"}),
}
WHO = ["anonymous", "assignee", "teammate", "manager", "other_manager", "other_staff", "enterprise", "other_enterprise", "owner", "admin"]


@pytest.mark.parametrize("action", list(ACTION_CASES))
def test_it_lets_exactly_the_right_people_take_each_step(cast, action):
    start, body, allowed, seen_only = ACTION_CASES[action]
    got = {}
    for who in WHO:
        d = demand_in(cast, start)
        if action == "assign":
            body = {"assignee_id": cast["assignee"].id}
        response = act(cast[who], d, action, body)
        got[who] = response.status_code
        if response.status_code == 200:
            assert Demand.objects.get(id=d).status == flow.find(source=start, action=action, outcome=(body or {}).get("rating", "")).target
        else:
            assert Demand.objects.get(id=d).status == start
            assert DemandTransition.objects.filter(demand_id=d, action=action).count() == 0
    expected = {
        who: 200 if who in allowed else 403 if who in seen_only else 401 if who == "anonymous" else 404 for who in WHO
    }
    assert got == expected


def test_it_matches_the_flow_table_to_the_endpoints():
    schema = api.get_openapi_schema(path_prefix="/api/")
    posted = {p.rsplit("/", 1)[1] for p, ops in schema["paths"].items() if p.startswith("/api/demands/{demand_id}/") and "post" in ops}
    # Posted to a demand but changing no status, so not steps of the flow: attachments, and a
    # 场地 demand's needs and the site inquiries sent from it (timeline notes).
    not_steps = {"attachments", "site-needs", "site-inquiries"}
    assert posted - not_steps == set(flow.ACTIONS) == {t.action for t in flow.TRANSITIONS}
    # Every status but the last is left by some step, and every step lands on a known status.
    statuses = set(Demand.Status.values)
    assert {t.source for t in flow.TRANSITIONS} == statuses - {"closed"}
    assert {t.target for t in flow.TRANSITIONS} <= statuses


# --- illegal and concurrent steps ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "who"),
    [("pending", "verify", "admin"), ("assigned", "resolve", "assignee"), ("handling", "rate", "enterprise"),
     ("closed", "assign", "admin"), ("resolved", "resolve", "manager"), ("closed", "rate", "enterprise")],
)
def test_it_refuses_a_step_the_status_does_not_allow_with_409(cast, status, action, who):
    d = demand_in(cast, status)
    body = {"assignee_id": cast["assignee"].id} if action == "assign" else BODIES[action]
    response = act(cast[who], d, action, body)
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert "不能进行" in response.json()["detail"]
    assert Demand.objects.get(id=d).status == status
    assert DemandTransition.objects.filter(demand_id=d).count() == 1 + [s for s in Demand.Status.values].index(status)


def test_it_lets_only_the_first_of_two_simultaneous_steps_win(cast, monkeypatch):
    from backend.demands import selectors

    d = demand_in(cast, "assigned")
    stale = selectors.demand_get(user=cast["admin"], demand_id=d)
    assert act(cast["assignee"], d, "verify").status_code == 200
    # The manager's request read the demand before the staff member's step was written.
    monkeypatch.setattr(selectors, "demand_get", lambda **kw: stale)
    response = act(cast["manager"], d, "verify")
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"
    assert "刚刚已被他人处理" in response.json()["detail"]
    assert DemandTransition.objects.filter(demand_id=d, action="verify").count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_records_one_step_when_many_people_take_it_at_once(cast):
    d = demand_in(cast, "handling")
    n = 8
    barrier = Barrier(n)
    people = [cast["assignee"], cast["manager"], cast["admin"]]
    clients = [as_(people[i % len(people)]) for i in range(n)]

    def send(i):
        try:
            barrier.wait(timeout=30)
            return act_with(clients[i], d)
        finally:
            connection.close()

    def act_with(client, demand_id):
        return client.post_json(f"/api/demands/{demand_id}/resolve", BODIES["resolve"]).status_code

    with ThreadPoolExecutor(max_workers=n) as pool:
        statuses = sorted(pool.map(send, range(n)))
    assert statuses == [200] + [409] * (n - 1)
    assert DemandTransition.objects.filter(demand_id=d, action="resolve").count() == 1
    assert Demand.objects.get(id=d).status == "resolved"


# --- ratings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rating", ["basically_satisfied", "unsatisfied"])
def test_it_reopens_a_demand_the_enterprise_is_not_fully_satisfied_with(cast, rating):
    d = demand_in(cast, "resolved")
    out = act(cast["enterprise"], d, "rate", {"rating": rating, "comment": "只解决了一半"}).json()
    assert out["status"] == "handling" and out["rating"] == rating
    assert out["timeline"][-1]["from_status"] == "resolved" and out["timeline"][-1]["to_status"] == "handling"
    assert out["timeline"][-1]["comment"] == "只解决了一半"
    # The official is told it came back, and can resolve it again; then it can close.
    assert Notice.objects.filter(user=cast["assignee"], kind="demands.assigned").count() == 2
    assert as_(cast["assignee"]).get(f"/api/demands/{d}").json()["actions"] == ["resolve"]
    assert act(cast["assignee"], d, "resolve", {"resolution": "补充对接了职业学校"}).status_code == 200
    final = act(cast["enterprise"], d, "rate", {"rating": "satisfied"}).json()
    assert final["status"] == "closed" and final["rating"] == "satisfied"
    assert [t["rating"] for t in final["timeline"] if t["action"] == "rate"] == [rating, "satisfied"]


# --- the transition table is append-only ------------------------------------------------------


def test_it_never_rewrites_or_removes_a_recorded_step(cast):
    d = demand_in(cast, "assigned")
    step = DemandTransition.objects.filter(demand_id=d).order_by("id").last()
    step.comment = "改写历史"
    with pytest.raises(TypeError):
        step.save()
    with pytest.raises(TypeError):
        step.delete()
    with pytest.raises(TypeError):
        DemandTransition.objects.filter(demand_id=d).update(comment="改写历史")
    with pytest.raises(TypeError):
        DemandTransition.objects.filter(demand_id=d).delete()
    with pytest.raises(TypeError):
        DemandTransition.objects.bulk_update([step], ["comment"])
    assert not DemandTransition.objects.filter(comment="改写历史").exists()
    # And the API has no way to change or remove anything of a demand but its steps.
    schema = api.get_openapi_schema(path_prefix="/api/")
    methods = {m for p, ops in schema["paths"].items() if p.startswith("/api/demands") for m in ops}
    assert methods == {"get", "post"}


# --- who sees what ------------------------------------------------------------------------------


def ids(user, **query):
    response = as_(user).get("/api/demands", query)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {"items", "count", "limit", "offset"}
    return {item["id"] for item in body["items"]}


def test_it_lists_to_each_role_what_it_may_see(cast, enterprise):
    app_pending = raise_(cast["enterprise"])["id"]  # intake queue
    by_phone_mine = raise_(cast["staff"], enterprise_id=enterprise.id)["id"]
    other_team = raise_(cast["other_staff"], enterprise_id=cast["other_ent"].id)["id"]
    assigned_to_staff = demand_in(cast, "assigned")
    assert act(cast["other_manager"], other_team, "assign", {"assignee_id": cast["other_staff"].id}).status_code == 200

    assert ids(cast["staff"]) == {by_phone_mine, assigned_to_staff}
    assert ids(cast["teammate"]) == set()
    assert ids(cast["manager"]) == {app_pending, by_phone_mine, assigned_to_staff}
    # The intake queue is every manager's; a demand once assigned stays with the assignee's team.
    assert ids(cast["other_manager"]) == {app_pending, by_phone_mine, other_team}
    assert ids(cast["enterprise"]) == {app_pending, by_phone_mine, assigned_to_staff}
    assert ids(cast["other_enterprise"]) == {other_team}
    assert ids(cast["owner"]) == set()
    assert ids(cast["admin"]) == {app_pending, by_phone_mine, other_team, assigned_to_staff}


def test_it_keeps_showing_a_demand_to_the_manager_who_handed_it_to_another_team(cast):
    d = raise_(cast["enterprise"])["id"]
    response = act(cast["manager"], d, "assign", {"assignee_id": cast["other_staff"].id})
    assert response.status_code == 200 and response.json()["actions"] == []
    assert d in ids(cast["manager"])
    assert d in ids(cast["other_manager"])  # the assignee's manager supervises it
    assert act(cast["other_manager"], d, "verify").status_code == 200
    assert act(cast["manager"], d, "handle").status_code == 403


def test_it_filters_by_status_enterprise_and_what_is_assigned_to_me(cast, enterprise):
    waiting = raise_(cast["enterprise"])["id"]
    mine = demand_in(cast, "assigned")
    elsewhere = raise_(cast["admin"], enterprise_id=cast["other_ent"].id)["id"]
    assert ids(cast["admin"], status="assigned") == {mine}
    assert ids(cast["admin"], enterprise_id=cast["other_ent"].id) == {elsewhere}
    assert ids(cast["admin"], status="pending") == {waiting, elsewhere}
    assert ids(cast["assignee"], assigned_to_me="true") == {mine}
    assert ids(cast["manager"], assigned_to_me="true") == set()
    assert as_(cast["admin"]).get("/api/demands", {"late": "true"}).status_code == 422
    assert as_(cast["admin"]).get("/api/demands", {"status": "lost"}).status_code == 422


def test_it_lists_only_open_demands_past_their_deadline_as_overdue(cast):
    from django.utils import timezone

    past = timezone.now() - dt.timedelta(hours=1)
    late, later = demand_in(cast, "handling"), demand_in(cast, "assigned")
    on_time, done = demand_in(cast, "verifying"), demand_in(cast, "resolved")
    Demand.objects.filter(id__in=[late, done]).update(deadline=past - dt.timedelta(days=1))
    Demand.objects.filter(id=later).update(deadline=past)
    Demand.objects.filter(id=on_time).update(deadline=timezone.now() + dt.timedelta(days=1))
    raise_(cast["enterprise"])  # 待交办: no clock yet
    items = as_(cast["manager"]).get("/api/demands", {"overdue": "true"}).json()["items"]
    assert [d["id"] for d in items] == [late, later]  # the longest overdue first
    assert ids(cast["assignee"], overdue="true", assigned_to_me="true") == {late, later}
    assert ids(cast["other_manager"], overdue="true") == set()


def test_it_lets_a_whole_department_take_up_a_demand_assigned_to_it(cast, town):
    d = raise_(cast["enterprise"])["id"]
    out = act(cast["admin"], d, "assign", {"assignee_unit_id": town["team"].id}).json()
    assert (out["assignee_id"], out["assignee_unit_id"], out["assignee_unit_name"]) == (None, town["team"].id, "招商一组")
    assert d in ids(cast["teammate"], assigned_to_me="true")
    assert d in ids(cast["manager"], assigned_to_me="true")
    assert as_(cast["other_staff"]).get(f"/api/demands/{d}").status_code == 404
    assert act(cast["teammate"], d, "verify").status_code == 200
    assert act(cast["manager"], d, "handle").status_code == 200


# --- visits still record demands ----------------------------------------------------------------


def test_it_turns_demands_written_at_check_out_into_ledger_entries(cast, enterprise):
    staff = as_(cast["staff"])
    now = dt.datetime.now(dt.UTC)
    at = {"lat": enterprise.lat, "lng": enterprise.lng, "accuracy_m": 10}
    visit = staff.post_json("/api/visits/checkin", {
        "client_id": str(uuid.uuid4()), "enterprise_id": enterprise.id, **at,
        "captured_at": (now - dt.timedelta(minutes=30)).isoformat(),
    }).json()
    body = {
        "client_id": str(uuid.uuid4()), **at, "captured_at": (now - dt.timedelta(minutes=1)).isoformat(),
        "purpose": "demand_collection", "people_met": "李总", "summary": "了解用工",
        "demands": [{"category": "labour", "text": "需要招聘20名熟练工"}, {"category": "site", "text": "想扩租800平厂房"}],
    }
    out = staff.post_json(f"/api/visits/{visit['client_id']}/checkout", body)
    assert out.status_code == 200, out.content
    got = staff.get(f"/api/visits/{visit['id']}").json()["demands"]
    assert [(d["category"], d["text"]) for d in got] == [("labour", "需要招聘20名熟练工"), ("site", "想扩租800平厂房")]
    ledger = Demand.objects.filter(visit_id=visit["id"]).order_by("id")
    assert [(d.channel, d.status, d.raised_by_id, d.enterprise_id) for d in ledger] == [
        ("visit", "pending", cast["staff"].id, enterprise.id)
    ] * 2
    assert ids(cast["staff"]) == {d.id for d in ledger}
    assert Notice.objects.filter(user=cast["enterprise"], kind="demands.progress").count() == 1
    # The same check-out sent again (an offline phone's retry) records nothing twice.
    assert staff.post_json(f"/api/visits/{visit['client_id']}/checkout", body).status_code == 200
    assert Demand.objects.filter(visit_id=visit["id"]).count() == 2
    assert Visit.objects.get(id=visit["id"]).demands.count() == 2


# --- bounded inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"category": "labour", "description": "x" * 1001},
        {"category": "labour", "description": "招工\x00"},
        {"category": "labour", "description": "   "},
        {"category": "mystery", "description": "招工"},
        {"category": "labour", "description": "招工", "channel": "phone"},
        {"category": "labour", "description": "招工", "enterprise_id": 2**63},
    ],
)
def test_it_refuses_a_malformed_demand_with_field_messages(cast, body):
    response = as_(cast["enterprise"]).post_json("/api/demands", body)
    assert response.status_code == 422
    assert response.json()["errors"]


def test_it_refuses_a_malformed_assignment(cast, town):
    d = raise_(cast["enterprise"])["id"]
    manager = cast["manager"]
    for body, field in [
        ({}, "assignee_id"),
        ({"assignee_id": cast["staff"].id, "assignee_unit_id": town["team"].id}, "assignee_id"),
        ({"assignee_id": cast["enterprise"].id}, "assignee_id"),
        ({"assignee_unit_id": 987654321}, "assignee_unit_id"),
        ({"assignee_id": cast["staff"].id, "comment": "c" * 1001}, "comment"),
    ]:
        response = act(manager, d, "assign", body)
        assert response.status_code == 422, body
        assert field in response.json()["errors"], (body, response.json())
    inactive = User.objects.create_user(username="gone", password="x" * 12, role="staff", is_active=False)
    assert act(manager, d, "assign", {"assignee_id": inactive.id}).status_code == 422
    assert Demand.objects.get(id=d).status == "pending"
    assert act(manager, d, "rate", {"rating": "great"}).status_code == 422
    resolved = demand_in(cast, "handling")
    assert act(cast["assignee"], resolved, "resolve", {"resolution": ""}).status_code == 422


def test_it_limits_how_many_demands_one_account_raises_a_day(cast, settings):
    from backend.demands import services

    for _ in range(services.DEMANDS_PER_DAY):
        raise_(cast["enterprise"])
    response = as_(cast["enterprise"]).post_json("/api/demands", {"category": "labour", "description": "招工"})
    assert response.status_code == 429 and response.json()["code"] == "demand_throttled"


def test_it_answers_a_detail_with_an_unknown_id_as_not_found(cast):
    assert as_(cast["admin"]).get("/api/demands/987654321").status_code == 404
    assert act(cast["admin"], 987654321, "verify").status_code == 404
