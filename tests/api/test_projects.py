"""招商项目 through its API: leads, the stage pipeline with its approval gate and evidence,
follow-ups, reassignment, and the 调度会 packet."""

import datetime as dt
import io
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from threading import Barrier

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from apisupport import ApiClient, make_user
from backend.accounts.models import OrgUnit
from backend.projects.models import FollowUp, Project, Stage, StageChange, StageRequest
from backend.projects.selectors import stages_for
from backend.visits.models import Visit

pytestmark = pytest.mark.django_db

PIPELINE = ["lead", "talks", "signed", "registered", "started", "producing"]


def as_(user) -> ApiClient:
    client = ApiClient()
    if user is not None:
        client.force_login(user)
    return client


def jpeg(colour=(10, 90, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def cast(users, enterprise, town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    other_team = OrgUnit.objects.create(code="T2", name="招商二组", kind="team", parent=town["town"])
    return {
        **users,
        "teammate": make_user("teammate", "staff", org_unit=town["team"]),
        "second_manager": make_user("second_manager", "manager", org_unit=town["team"]),
        "other_manager": make_user("other_manager", "manager", org_unit=other_team),
        "other_staff": make_user("other_staff", "staff", org_unit=other_team),
        "anonymous": None,
        "other_team": other_team,
    }


def create(user, **body):
    response = as_(user).post_json("/api/projects", {
        "name": "新能源电池包项目", "investor_name": "苏州某新能源公司", "investment_wan": "12000.50", "source": "fair",
        **body,
    })
    assert response.status_code == 201, response.content
    return response.json()


def move(user, pid, to, **body):
    return as_(user).post_json(f"/api/projects/{pid}/move", {"to": to, **body})


def upload(user, pid, colour=(10, 90, 200)) -> int:
    client = as_(user)
    f = io.BytesIO(jpeg(colour))
    f.name = "合同.jpg"
    response = client.post(f"/api/projects/{pid}/attachments", {"file": f}, HTTP_X_CSRFTOKEN=client.token())
    assert response.status_code == 201, response.content
    return response.json()["id"]


def decide(user, pid, approve=True):
    return as_(user).post_json(f"/api/projects/{pid}/decide", {"approve": approve, "comment": "同意"})


# --- the pipeline as every role ----------------------------------------------------------------

# Who approves each role's request for 签约: never the one who asked.
APPROVER = {"staff": "manager", "manager": "second_manager", "admin": "manager"}


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_it_moves_a_project_through_every_stage_as_every_role_recording_every_change(cast, role):
    me = cast[role]
    p = create(me, lead_id=None if role != "admin" else cast["staff"].id)["id"]
    assert Project.objects.get(id=p).stage.code == "lead"
    # Skipping a stage, or moving to where it is, is refused in Chinese and changes nothing.
    r = move(me, p, "signed")
    assert r.status_code == 409 and r.json()["code"] == "stage_skipped" and "不能跳过阶段" in r.json()["detail"]
    assert move(me, p, "lead").status_code == 409
    assert move(me, p, "talks", comment="首次洽谈").status_code == 200
    # 签约 needs a contract, then a manager's approval.
    r = move(me, p, "signed")
    assert r.status_code == 409 and r.json()["code"] == "evidence_required" and "签约合同" in r.json()["detail"]
    contract = upload(me, p)
    r = move(me, p, "signed", evidence_id=contract, comment="已谈妥")
    assert r.status_code == 200 and r.json()["stage"] == "talks" and r.json()["pending_approval"] is True
    # The approval gate: not by the one who asked, not by another team's manager, not by staff.
    assert decide(me, p).status_code == 403
    assert decide(cast["other_manager"], p).status_code == 404
    assert decide(cast["teammate"], p).status_code == 403
    assert move(me, p, "signed", evidence_id=contract).status_code == 409  # one request at a time
    assert Project.objects.get(id=p).stage.code == "talks"
    r = decide(cast[APPROVER[role]], p)
    assert r.status_code == 200, r.content
    assert (r.json()["stage"], r.json()["probability"]) == ("signed", 60)
    assert move(me, p, "registered").status_code == 409  # the business licence first
    licence = upload(me, p, colour=(200, 10, 10))
    assert move(me, p, "registered", evidence_id=licence).status_code == 200
    assert move(me, p, "started").status_code == 200
    r = move(me, p, "producing")
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["probability"] == 100
    r = move(me, p, "started")
    assert r.status_code == 409 and r.json()["code"] == "project_closed"
    # 100 % of changes recorded: one row per move, a chain from 线索 to 投产, each with who and when.
    moves = list(StageChange.objects.filter(project_id=p, kind="move").order_by("at", "id"))
    assert [(c.from_stage.code, c.to_stage.code) for c in moves] == list(zip(PIPELINE, PIPELINE[1:]))
    assert all(c.actor_id == me.id and c.at for c in moves)
    signed = moves[1]
    assert signed.approved_by_id == cast[APPROVER[role]].id and signed.evidence_id == contract
    assert list(StageChange.objects.filter(project_id=p).values_list("kind", flat=True).order_by("at", "id")) == [
        "created", "move", "requested", "move", "move", "move", "move",
    ]
    timeline = as_(me).get(f"/api/projects/{p}").json()["timeline"]
    assert [t["kind"] for t in timeline].count("move") == 5


@pytest.mark.parametrize("role", ["enterprise", "owner", "anonymous"])
def test_it_lets_no_one_outside_the_team_move_or_see_a_project(cast, role):
    p = create(cast["staff"])["id"]
    expected = 401 if role == "anonymous" else 403
    for to in PIPELINE:
        assert move(cast[role], p, to).status_code == expected
    assert decide(cast[role], p).status_code == expected
    assert as_(cast[role]).get(f"/api/projects/{p}").status_code == expected
    assert as_(cast[role]).get("/api/projects").status_code == expected
    assert as_(cast[role]).get("/api/projects/packet", {"since": "2026-01-01"}).status_code == expected
    assert StageChange.objects.filter(project_id=p).count() == 1  # only its creation


def test_it_refuses_a_rejected_request_and_keeps_the_project_where_it_was(cast):
    p = create(cast["staff"])["id"]
    move(cast["staff"], p, "talks")
    move(cast["staff"], p, "signed", evidence_id=upload(cast["staff"], p))
    r = decide(cast["manager"], p, approve=False)
    assert r.status_code == 200 and r.json()["stage"] == "talks" and r.json()["request"] is None
    assert StageRequest.objects.get(project_id=p).status == "rejected"
    assert decide(cast["manager"], p).status_code == 409  # nothing pending now
    assert StageChange.objects.filter(project_id=p, kind="rejected").count() == 1


def test_it_moves_back_a_stage_without_approval_and_the_probability_follows(cast):
    p = create(cast["staff"])["id"]
    move(cast["staff"], p, "talks")
    r = move(cast["staff"], p, "lead", comment="对方暂缓")
    assert r.status_code == 200 and (r.json()["stage"], r.json()["probability"]) == ("lead", 10)


def test_it_takes_the_stages_of_the_project_s_own_town(cast, town):
    for s in stages_for(town_id=None):
        Stage.objects.create(
            town=town["town"], code=s.code, name=s.name, phase=s.phase, order=s.order, probability=s.probability // 2,
            stale_days=30, evidence_required="", needs_approval=False,
        )
    p = create(cast["staff"])["id"]
    r = move(cast["staff"], p, "talks")
    assert r.json()["probability"] == 15
    r = move(cast["staff"], p, "signed")  # this town asks neither a contract nor an approval
    assert r.status_code == 200 and r.json()["stage"] == "signed"
    assert [s["stale_days"] for s in as_(cast["staff"]).get("/api/projects/stages").json()["items"]] == [30] * 6


def test_it_refuses_an_unknown_stage_and_a_bad_amount_with_422(cast):
    p = create(cast["staff"])["id"]
    assert move(cast["staff"], p, "nowhere").status_code == 422
    for amount in ("-1", "10000000.01", "1.001", "NaN"):
        r = as_(cast["staff"]).post_json("/api/projects", {"name": "x", "investor_name": "y", "investment_wan": amount, "source": "fair"})
        assert r.status_code == 422, amount
    r = as_(cast["staff"]).post_json("/api/projects", {"name": "x", "investment_wan": "1", "source": "fair"})
    assert r.status_code == 422 and "投资方" in r.json()["detail"] + str(r.json().get("errors"))
    assert as_(cast["staff"]).get("/api/projects", {"stge": "lead"}).status_code == 422


@pytest.mark.django_db(transaction=True)
def test_it_records_one_move_when_many_people_move_at_once(cast):
    p = create(cast["staff"])["id"]
    n = 8
    barrier = Barrier(n)
    people = [cast["staff"], cast["manager"], cast["admin"], cast["teammate"]]
    clients = [as_(people[i % len(people)]) for i in range(n)]
    for c in clients:
        c.token()

    def send(i):
        try:
            barrier.wait(timeout=30)
            return clients[i].post_json(f"/api/projects/{p}/move", {"to": "talks"}).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        statuses = sorted(pool.map(send, range(n)))
    assert statuses == [200] + [409] * (n - 1)
    assert StageChange.objects.filter(project_id=p, kind="move").count() == 1


# --- follow-ups and reassignment ----------------------------------------------------------------


def test_it_keeps_the_stage_and_every_follow_up_when_the_lead_changes(cast):
    p = create(cast["staff"])["id"]
    move(cast["staff"], p, "talks")
    for i in range(5):
        r = as_(cast["staff"]).post_json(f"/api/projects/{p}/follow-ups", {
            "note": f"第{i + 1}次电话沟通", "next_step": "发送政策清单", "next_due": "2026-12-31",
        })
        assert r.status_code == 201, r.content
    assert as_(cast["staff"]).post_json(f"/api/projects/{p}/reassign", {"lead_id": cast["teammate"].id}).status_code == 403
    r = as_(cast["manager"]).post_json(f"/api/projects/{p}/reassign", {"lead_id": cast["teammate"].id, "comment": "工作调整"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["lead_id"], body["stage"], body["probability"]) == (cast["teammate"].id, "talks", 30)
    assert len(body["follow_ups"]) == 5 and FollowUp.objects.filter(project_id=p).count() == 5  # 0 lost
    assert as_(cast["teammate"]).get(f"/api/projects/{p}").json()["follow_ups"] == body["follow_ups"]
    assert StageChange.objects.filter(project_id=p, kind="reassigned").count() == 1
    # Another unit's official is not this manager's to hand it to.
    r = as_(cast["manager"]).post_json(f"/api/projects/{p}/reassign", {"lead_id": cast["other_staff"].id})
    assert r.status_code == 422


def test_it_starts_a_lead_from_a_visit_with_its_enterprise(cast, enterprise):
    now = timezone.now()
    visit = Visit.objects.create(
        client_id=uuid.uuid4(), staff=cast["staff"], enterprise=enterprise, checkin_at=now, checkin_received_at=now,
        checkin_lat=31.12, checkin_lng=121.42, distance_m=10, within_geofence=True,
    )
    body = create(cast["staff"], investor_name="", enterprise_id=enterprise.id, visit_ids=[visit.id], source="visit")
    assert (body["investor"], body["visit_ids"], body["industry"]) == (enterprise.name, [visit.id], "C")
    # Another official's visit is not one to link.
    r = as_(cast["other_staff"]).post_json("/api/projects", {
        "name": "x", "enterprise_id": enterprise.id, "investment_wan": "1", "source": "visit", "visit_ids": [visit.id],
    })
    assert r.status_code == 422


def test_it_shows_each_official_the_projects_of_their_team(cast):
    mine = create(cast["staff"])["id"]
    theirs = create(cast["other_staff"])["id"]

    def ids(user):
        return {p["id"] for p in as_(user).get("/api/projects").json()["items"]}

    assert ids(cast["staff"]) == ids(cast["teammate"]) == ids(cast["manager"]) == {mine}
    assert ids(cast["other_manager"]) == {theirs}
    assert ids(cast["admin"]) == {mine, theirs}
    assert as_(cast["staff"]).get(f"/api/projects/{theirs}").status_code == 404


# --- the 调度会 packet ----------------------------------------------------------------------------


def _fixture_world(cast):
    """Six projects with known figures, as of 2026-11-30 (meeting), last meeting 2026-11-16."""
    staff = cast["staff"]
    stages = {s.code: s for s in stages_for(town_id=None)}
    tz = timezone.get_current_timezone()

    def at(day):
        return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=tz)

    def project(name, code, wan, *, activity, status="active", signed=None, landed=None):
        s = stages[code]
        return Project.objects.create(
            name=name, investor_name="某公司", investment_wan=Decimal(wan), source="fair", lead=staff,
            team=staff.org_unit, stage=s, probability=s.probability, status=status, last_activity_at=at(activity),
            stage_entered_at=at(activity), signed_at=at(signed) if signed else None, landed_at=at(landed) if landed else None,
            created_by=staff,
        )

    a = project("=HYPERLINK(\"http://x\")", "lead", "1000", activity="2026-11-10")  # idle 20 days: stale
    b = project("B 洽谈", "talks", "2000", activity="2026-11-20")
    c = project("C 洽谈", "talks", "3000", activity="2026-11-25")
    d = project("D 签约", "signed", "5000", activity="2026-11-18", signed="2026-11-18")
    e = project("E 开工", "started", "8000", activity="2026-11-01", signed="2026-10-01", landed="2026-10-15")
    project("F 终止", "signed", "9000", activity="2026-11-01", status="dropped", signed="2026-09-01")
    StageChange.objects.create(project=b, kind="move", actor=staff, at=at("2026-11-20"), from_stage=stages["lead"], to_stage=stages["talks"])
    StageChange.objects.create(project=d, kind="move", actor=staff, at=at("2026-11-18"), from_stage=stages["talks"], to_stage=stages["signed"])
    StageChange.objects.create(project=c, kind="move", actor=staff, at=at("2026-11-02"), from_stage=stages["lead"], to_stage=stages["talks"])
    FollowUp.objects.create(project=c, author=staff, at=at("2026-11-25"), note="n", next_step="报送用地需求", next_due=dt.date(2026, 11, 27))
    FollowUp.objects.create(project=b, author=staff, at=at("2026-11-20"), note="n", next_step="约见", next_due=dt.date(2026, 12, 5))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


EXPECTED_STAGES = [
    # code, count, planned, weighted, changed since the last meeting
    ("lead", 1, 1000.0, 100.0, 0),
    ("talks", 2, 5000.0, 1500.0, 1),
    ("signed", 1, 5000.0, 3000.0, 1),
    ("started", 1, 8000.0, 7200.0, 0),
]


def test_it_builds_the_packet_with_the_fixture_s_expected_figures(cast):
    from backend.projects.selectors import packet_build

    w = _fixture_world(cast)
    packet = packet_build(user=cast["manager"], since=dt.date(2026, 11, 16), today=dt.date(2026, 11, 30))
    assert [(s["code"], s["count"], s["planned_wan"], s["weighted_wan"], s["changed"]) for s in packet["stages"]] == EXPECTED_STAGES
    assert packet["totals"] == {"count": 5, "planned_wan": 19000.0, "weighted_wan": 11800.0}
    assert packet["changed"] == 2
    # Stale: 线索 idle 20 days ≥ 14; 开工 idle 29 days; 签约 idle 12 days is not.
    assert [(r["id"], r["days_idle"]) for r in packet["stale"]] == [(w["e"].id, 29), (w["a"].id, 20)]
    assert [(r["id"], r["next_step"], r["days_overdue"]) for r in packet["overdue"]] == [(w["c"].id, "报送用地需求", 3)]
    assert packet["conversion"] == {"signed": 3, "landed": 1, "rate": 33.3}
    # Another team's manager sees none of it.
    other = packet_build(user=cast["other_manager"], since=dt.date(2026, 11, 16), today=dt.date(2026, 11, 30))
    assert other["totals"]["count"] == 0


def test_it_gives_the_packet_as_a_workbook_with_formulas_neutralised(cast):
    _fixture_world(cast)
    r = as_(cast["manager"]).get("/api/projects/packet", {"since": "2026-11-16", "format": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["分阶段汇总", "项目清单", "阶段变更", "停滞项目", "逾期下一步"]
    names = [row[1] for row in wb["项目清单"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://x\")" in names
    assert all(cell.data_type != "f" for row in wb["项目清单"].iter_rows() for cell in row)
    summary = {row[0]: row for row in wb["分阶段汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["洽谈"][1:5] == (2, 5000, 30, 1500)
    j = as_(cast["manager"]).get("/api/projects/packet", {"since": "2026-11-16"}).json()
    assert [s["code"] for s in j["stages"]] == ["lead", "talks", "signed", "started"]


def test_it_counts_leads_signings_and_landings_per_month_and_investment_by_industry(cast):
    from backend.projects.selectors import dashboard

    w = _fixture_world(cast)
    Project.objects.filter(id=w["e"].id).update(industry="C", expected_tax_wan=Decimal("300"))
    Project.objects.filter(id=w["d"].id).update(industry="C", expected_tax_wan=Decimal("100"))
    board = dashboard(user=cast["manager"], months=3, today=dt.date(2026, 11, 30))
    assert [m["month"] for m in board["months"]] == ["2026-09", "2026-10", "2026-11"]
    assert [(m["signed"], m["landed"]) for m in board["months"]] == [(1, 0), (1, 1), (1, 0)]  # F (dropped) signed in Sept
    c = next(r for r in board["industries"] if r["industry"] == "C")
    assert (c["label"], c["count"], c["investment_wan"], c["expected_tax_wan"]) == ("制造业", 2, 13000.0, 400.0)
    r = as_(cast["staff"]).get("/api/projects/dashboard", {"months": 40})
    assert r.status_code == 422


def test_it_tells_the_manager_of_a_request_and_the_requester_of_the_decision(cast):
    from backend.notifications.models import Notice

    p = create(cast["staff"])["id"]
    move(cast["staff"], p, "talks")
    move(cast["staff"], p, "signed", evidence_id=upload(cast["staff"], p))
    asked = Notice.objects.filter(kind="projects.request")
    assert set(asked.values_list("user_id", flat=True)) == {cast["manager"].id, cast["second_manager"].id}
    decide(cast["manager"], p)
    told = Notice.objects.get(kind="projects.decided")
    assert told.user_id == cast["staff"].id and "已批准" in told.title


def test_it_lets_an_admin_set_a_town_s_stages_in_the_admin(client, users):
    users["admin"].is_staff = users["admin"].is_superuser = True  # the deployment's own superuser (docs/deploy.md)
    users["admin"].save()
    stages_for(town_id=None)  # the default pipeline, as a fresh database has it
    client.login_as("demo_admin")
    page = client.get("/admin/projects/stage/")
    assert page.status_code == 200
    assert all(name in page.content.decode() for name in ("线索", "洽谈", "签约"))
