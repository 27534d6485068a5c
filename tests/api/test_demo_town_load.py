import pytest
from django.utils import timezone

from backend.accounts.models import User
from backend.demo.services import DEMO_ACCOUNTS, demo_town_load
from backend.enterprises.models import Enterprise
from backend.sites.models import Site
from backend.visits.models import Visit

# The marker also makes pytest-django create the test database when this module runs alone.
pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EXPECTED_ROLES = {
    "demo_staff": "staff",
    "demo_manager": "manager",
    "demo_enterprise": "enterprise",
    "demo_owner": "owner",
    "demo_admin": "admin",
}


@pytest.fixture(scope="module")
def demo_town(django_db_setup, django_db_blocker):
    # Loaded once for the module (it is 60,000 rows) and removed afterwards by
    # rolling back: the load runs inside an outer atomic block.
    from django.db import transaction
    from django.test import override_settings

    # The function-scoped fast hasher comes too late for a module fixture: use it here as well.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            report = demo_town_load(shift_dates=False)
            yield report
            transaction.set_rollback(True)


def test_it_loads_the_whole_demo_town(demo_town):
    assert demo_town.enterprises == Enterprise.objects.count() == 15_000
    assert Site.objects.count() >= 300
    assert Visit.objects.count() == demo_town.visits > 30_000
    first, last = Visit.objects.order_by("checkin_at").first(), Visit.objects.order_by("checkin_at").last()
    assert (last.checkin_at - first.checkin_at).days >= 360


def test_it_gives_every_demo_account_its_role(demo_town, client):
    for username, role in EXPECTED_ROLES.items():
        assert User.objects.get(username=username).role == role
        response = client.login_as(username)
        assert response.json()["role"] == role
        client.post_json("/api/auth/logout")


def test_it_loads_the_basemap_for_the_map_screen(demo_town, client):
    config = client.get("/api/config").json()
    lat, lng = config["town"]["center"]
    assert abs(lat - 31.12) < 0.05 and abs(lng - 121.42) < 0.05
    kinds = {layer["kind"] for layer in client.get("/api/basemap").json()["items"]}
    assert kinds == {"boundary", "roads"}


def test_it_measures_demo_visits_against_their_enterprise(demo_town):
    visit = Visit.objects.select_related("enterprise").filter(flags=[]).first()
    assert 0 <= visit.distance_m < 300
    assert visit.within_geofence
    assert Visit.objects.filter(within_geofence=False).exists()  # the planted anomalies


def test_it_changes_nothing_when_loaded_twice(demo_town):
    again = demo_town_load(shift_dates=False)
    assert again.already_loaded
    assert Enterprise.objects.count() == 15_000
    assert set(DEMO_ACCOUNTS) <= set(User.objects.values_list("username", flat=True))


def test_it_lets_a_demo_registration_claim_a_company_and_be_verified_at_once(demo_town):
    import re

    from apisupport import ApiClient
    from backend.demo.services import DEMO_JOIN_MOBILES, join_demo_companies
    from backend.sms.backends import LocmemSmsBackend

    companies = join_demo_companies()
    assert [c.contact_mobile for c in companies] == DEMO_JOIN_MOBILES
    assert {c.assigned_staff.username for c in companies} == {"demo_staff"}
    assert not User.objects.filter(mobile__in=DEMO_JOIN_MOBILES).exists()
    company, client = companies[0], ApiClient()
    assert client.post_json("/api/join/sms/send", {"mobile": company.contact_mobile}).status_code == 200
    code = re.search(r"验证码是(\d{6})", LocmemSmsBackend.outbox[-1]["text"]).group(1)
    assert client.post_json("/api/join/register", {"mobile": company.contact_mobile, "code": code}).status_code == 200
    claim = client.post_json("/api/join/claim", {"name": company.name, "uscc": company.uscc})
    assert claim.status_code == 201, claim.content
    assert claim.json()["status"] == "approved" and claim.json()["how_verified"] == "mobile_match"


def test_it_gives_demo_enterprise_a_site_demand_with_suggested_sites(demo_town, client):
    client.login_as("demo_enterprise")
    mine = client.get("/api/demands").json()["items"]
    site = next(d for d in mine if d["category"] == "site")
    body = client.get(f"/api/demands/{site['id']}/site-suggestions").json()
    assert body["needs"]["types"] == ["factory", "office"] and body["can_inquire"] is True
    assert body["count"] >= 5
    assert all(any(r.startswith("距离") for r in s["reasons"]) for s in body["items"])


def test_it_gives_the_demo_town_two_years_of_economic_figures(demo_town, client):
    from backend.economy.compare import shift_months
    from backend.economy.models import MonthlyIndicator

    last = shift_months(timezone.localdate().replace(day=1), -1)
    months = MonthlyIndicator.objects.values_list("month", flat=True).distinct()
    assert len(set(months)) == 24 and max(months) == last
    client.login_as("demo_manager")
    body = client.get("/api/economy/figures", {"metric": "tax", "month": f"{last:%Y-%m}", "kind": "ytd", "scope": "above_scale", "by": "industry"}).json()
    assert body["total"]["enterprises"] > 200
    assert body["total"]["comparisons"]["yoy"]["rule"] == "ratio"  # a believable rate, not "—"
    assert len(body["rows"]) >= 5


def test_it_gives_demo_enterprise_a_believable_policy_calculator(demo_town, client):
    from django.utils import timezone

    client.login_as("demo_enterprise")
    body = client.get("/api/me/policy-matches").json()
    by = {m["title"]: m for m in body["items"]}
    assert body["count"] == 11  # the draft is not shown
    assert by["青枫镇促进软件和信息技术服务业发展扶持办法"]["outcome"] == "eligible"
    assert by["科技型中小企业研发费用补贴"]["outcome"] == "eligible"  # size class derived: 小型 (软件业)
    growth = by["镇级经济贡献奖励（稳增长）"]
    assert growth["outcome"] == "ineligible" and growth["near_miss"]
    assert f"{timezone.localdate().year - 1}年营收还差 120 万元" in growth["shortfalls"]
    assert "过期" in by["高新技术企业认定奖励"]["reasons"][0]["text"]
    assert by["专精特新企业培育奖励"]["outcome"] == "unknown"
    assert by["园区入驻企业租金补贴"]["missing_facts"] == ["所在园区"]
    assert by["制造业技术改造补贴"]["outcome"] == "ineligible"
    assert all(any(r["status"] == "failed" for r in m["reasons"]) for m in body["items"] if m["outcome"] == "ineligible")


def test_it_gives_the_demo_town_a_pipeline_of_projects_across_the_stages(demo_town, client):
    from django.db.models import Count

    from backend.projects.models import Project, StageChange, StageRequest

    assert Project.objects.count() == 120
    by_stage = dict(Project.objects.values_list("stage__code").annotate(n=Count("id")))
    assert set(by_stage) == {"lead", "talks", "signed", "registered", "started", "producing"}
    assert all(n >= 5 for n in by_stage.values())
    # Every project's history leads to its stage: one move per step from 线索.
    for p in Project.objects.select_related("stage")[:30]:
        assert StageChange.objects.filter(project=p, kind="move").count() == p.stage.order - 1
    assert StageRequest.objects.filter(status="pending", requested_by__username="demo_staff").count() == 3
    client.login(username="demo_manager", password="dianxiaoer-demo")
    packet = client.get("/api/projects/packet", {"since": "2000-01-01"}).json()
    assert packet["totals"]["count"] > 0 and packet["stale"] and packet["conversion"]["signed"] > 0
