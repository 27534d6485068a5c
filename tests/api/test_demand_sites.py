"""Needs space: a 场地 demand's structured needs, its suggested idle sites with reasons,
and the site inquiry its enterprise sends from there (once per site, within the daily limit)."""

import pytest

from apisupport import ApiClient, make_user, valid_uscc
from backend.demands.models import Demand, DemandSiteInquiry, DemandTransition
from backend.enterprises.services import enterprise_create
from backend.notifications.models import Notice
from backend.sites.models import Inquiry, OwnerUnit
from sites_support import make_site

pytestmark = pytest.mark.django_db

CENTRE = (31.12, 121.42)  # lat, lng


def as_(user) -> ApiClient:
    client = ApiClient()
    if user is not None:
        client.force_login(user)
    return client


NEEDS = {"types": ["factory"], "area_min_m2": 800, "area_max_m2": 1500, "lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 5}


def raise_site(user, needs=NEEDS, **body):
    payload = {"category": "site", "description": "扩产需要一处厂房", **body}
    if needs is not None:
        payload["site_needs"] = needs
    response = as_(user).post_json("/api/demands", payload)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def sites(owner_unit):
    """Sites around the centre: the best fit, a farther one, a larger one, and ones that must not come."""
    other = OwnerUnit.objects.create(code="OU009", name="南塘村经济合作社")
    east = 0.0105  # ≈ 1 km of longitude at 31°N
    return {
        "best": make_site(owner_unit, name="东湾村1号厂房", village="东湾村", building_area_m2=1200, lng=CENTRE[1] + 0.3 * east),
        "far": make_site(owner_unit, name="东湾村2号厂房", village="东湾村", building_area_m2=1000, lng=CENTRE[1] + 3 * east),
        "big": make_site(other, name="南塘村大厂房", village="南塘村", building_area_m2=1700, lng=CENTRE[1] + 0.5 * east),
        "reserved": make_site(other, name="南塘村洽谈中厂房", village="南塘村", building_area_m2=1100, status="reserved", lng=CENTRE[1] + 0.2 * east),
        "leased": make_site(owner_unit, name="已出租厂房", building_area_m2=1200, status="leased", lng=CENTRE[1] + 0.1 * east),
        "office": make_site(owner_unit, name="办公楼", type="office", building_area_m2=1200, lng=CENTRE[1] + 0.1 * east),
        "tiny": make_site(owner_unit, name="小厂房", building_area_m2=300, lng=CENTRE[1] + 0.1 * east),
        "outside": make_site(owner_unit, name="远处厂房", building_area_m2=1200, lng=CENTRE[1] + 8 * east),
    }


def suggestions(user, demand_id, **query):
    return as_(user).get(f"/api/demands/{demand_id}/site-suggestions", query)


def test_it_suggests_idle_matching_sites_ranked_with_their_reasons(users, sites):
    demand = raise_site(users["enterprise"])
    assert demand["site_needs"]["summary"] == "厂房；800–1,500㎡；所选位置 5 km 内"
    response = suggestions(users["enterprise"], demand["id"])
    assert response.status_code == 200, response.content
    body = response.json()
    names = [s["name"] for s in body["items"]]
    assert names[0] == "东湾村1号厂房"
    assert set(names) == {"东湾村1号厂房", "东湾村2号厂房", "南塘村大厂房", "南塘村洽谈中厂房"}
    best = body["items"][0]
    assert best["reasons"][:3] == ["类型：厂房", "面积 1,200㎡ 在 800–1,500㎡ 之内", "距离 0.3 km"]
    assert best["url"] == f"#/sites/{sites['best'].id}"
    big = next(s for s in body["items"] if s["name"] == "南塘村大厂房")
    assert "面积 1,700㎡，比需求上限 1,500㎡ 大 13%" in big["reasons"]
    reserved = next(s for s in body["items"] if s["name"] == "南塘村洽谈中厂房")
    assert "状态：洽谈中，已有企业在洽谈" in reserved["reasons"]
    scores = [s["score"] for s in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert body["can_inquire"] is True and (body["count"], body["limit"], body["offset"]) == (4, 10, 0)
    one = suggestions(users["enterprise"], demand["id"], limit=1).json()
    assert (one["count"], one["limit"], [s["name"] for s in one["items"]]) == (1, 1, ["东湾村1号厂房"])
    assert suggestions(users["enterprise"], demand["id"], offset=1).status_code == 422


def test_it_matches_a_village_by_the_site_search_text_filter(users, sites):
    demand = raise_site(users["enterprise"], needs={"types": ["factory"], "place": "南塘村"})
    items = suggestions(users["enterprise"], demand["id"]).json()["items"]
    assert {s["name"] for s in items} == {"南塘村大厂房", "南塘村洽谈中厂房"}
    assert "位于南塘村" in items[0]["reasons"]


def test_it_asks_for_needs_instead_of_guessing_for_an_old_demand(users, sites):
    demand = raise_site(users["enterprise"], needs=None)
    body = suggestions(users["enterprise"], demand["id"]).json()
    assert body["items"] == [] and body["needs"]["empty"] is True and body["can_set_needs"] is True


def test_it_lets_the_official_set_the_needs_and_tells_the_enterprise(users, sites):
    demand = raise_site(users["enterprise"], needs=None)
    response = as_(users["manager"]).post_json(f"/api/demands/{demand['id']}/site-needs", {"types": ["factory"], "area_min_m2": 900})
    assert response.status_code == 200, response.content
    detail = response.json()
    assert detail["site_needs"]["summary"] == "厂房；不小于 900㎡"
    step = detail["timeline"][-1]
    assert (step["action"], step["from_status"], step["to_status"]) == ("site_needs", "pending", "pending")
    assert Notice.objects.filter(user=users["enterprise"], kind="demands.progress", body__contains="推荐场地").exists()
    assert suggestions(users["enterprise"], demand["id"]).json()["count"] >= 3


@pytest.mark.parametrize(
    ("needs", "field"),
    [
        ({"area_min_m2": 1500, "area_max_m2": 800}, "area_max_m2"),
        ({"area_min_m2": 0}, "area_min_m2"),
        ({"area_max_m2": 5_000_000}, "area_max_m2"),
        ({"types": ["castle"]}, "types"),
        ({"lat": 31.1, "lng": 121.4}, "radius_km"),
        ({"radius_km": 3}, "radius_km"),
        ({"radius_km": 300, "lat": 31.1, "lng": 121.4}, "radius_km"),
    ],
)
def test_it_refuses_needs_out_of_bounds_with_chinese_messages(users, needs, field):
    response = as_(users["enterprise"]).post_json("/api/demands", {"category": "site", "description": "要场地", "site_needs": needs})
    assert response.status_code == 422, response.content
    text = response.content.decode()
    assert field in text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_it_refuses_site_needs_on_another_category(users):
    response = as_(users["enterprise"]).post_json(
        "/api/demands", {"category": "labour", "description": "招工", "site_needs": {"types": ["factory"]}}
    )
    assert response.status_code == 422
    assert "场地" in response.content.decode()


def test_it_has_no_suggestions_for_another_category(users):
    made = as_(users["enterprise"]).post_json("/api/demands", {"category": "labour", "description": "招工"}).json()
    assert suggestions(users["enterprise"], made["id"]).status_code == 409


def test_it_shows_suggestions_only_to_who_may_see_the_demand(users, sites):
    demand = raise_site(users["enterprise"])
    other_ent = enterprise_create(uscc=valid_uscc("91310112QTHER00"), name="别家企业", lat=31.13, lng=121.43, industry="F")
    stranger = make_user("stranger_ent", "enterprise", enterprise=other_ent)
    assert suggestions(stranger, demand["id"]).status_code == 404
    assert suggestions(users["owner"], demand["id"]).status_code == 404
    assert suggestions(None, demand["id"]).status_code == 401
    # A manager sees the intake queue; an official sees it but sends no inquiry for the company.
    manager = suggestions(users["manager"], demand["id"]).json()
    assert manager["count"] == 4 and manager["can_inquire"] is False
    for_stranger = as_(stranger).post_json(
        f"/api/demands/{demand['id']}/site-inquiries", {"site_id": sites["best"].id, "message": "想看看"}
    )
    assert for_stranger.status_code == 404


def test_it_sends_the_inquiry_once_notes_it_on_the_timeline_and_marks_the_suggestion(users, sites):
    demand = raise_site(users["enterprise"])
    client = as_(users["enterprise"])
    url = f"/api/demands/{demand['id']}/site-inquiries"
    response = client.post_json(url, {"site_id": sites["best"].id, "message": "想下周去看场地"})
    assert response.status_code == 201, response.content
    inquiry = Inquiry.objects.get(id=response.json()["inquiry_id"])
    assert (inquiry.site_id, inquiry.user_id, inquiry.area_needed_m2) == (sites["best"].id, users["enterprise"].id, 1500)
    assert Notice.objects.filter(user=users["owner"], kind="sites.inquiry").count() == 1
    step = DemandTransition.objects.filter(demand_id=demand["id"]).order_by("-id").first()
    assert (step.action, step.from_status, step.to_status) == ("inquire", "pending", "pending")
    assert "东湾村1号厂房" in step.comment
    assert Demand.objects.get(id=demand["id"]).status == "pending"
    again = client.post_json(url, {"site_id": sites["best"].id, "message": "再问一次"})
    assert again.status_code == 409 and again.json()["code"] == "already_inquired"
    assert Inquiry.objects.count() == 1 and DemandSiteInquiry.objects.count() == 1
    marked = {s["id"]: s["inquired"] for s in suggestions(users["enterprise"], demand["id"]).json()["items"]}
    assert marked[sites["best"].id] is True and marked[sites["far"].id] is False


def test_it_refuses_an_official_sending_an_inquiry_for_the_enterprise(users, sites):
    demand = raise_site(users["enterprise"])
    response = as_(users["manager"]).post_json(
        f"/api/demands/{demand['id']}/site-inquiries", {"site_id": sites["best"].id, "message": "代企业咨询"}
    )
    assert response.status_code == 403
    assert Inquiry.objects.count() == 0


def test_it_counts_inquiries_from_a_demand_against_the_site_finders_daily_limit(users, sites, monkeypatch):
    from backend.sites import services as site_services

    monkeypatch.setattr(site_services, "INQUIRIES_PER_DAY", 2)
    demand = raise_site(users["enterprise"])
    client = as_(users["enterprise"])
    answers = [
        client.post_json(f"/api/demands/{demand['id']}/site-inquiries", {"site_id": sites[k].id, "message": "咨询"}).status_code
        for k in ("best", "far", "big")
    ]
    assert answers == [201, 201, 429]
    assert DemandSiteInquiry.objects.count() == 2
    assert DemandTransition.objects.filter(demand_id=demand["id"], action="inquire").count() == 2


def test_it_answers_404_for_an_inquiry_about_a_site_that_does_not_exist(users, sites):
    demand = raise_site(users["enterprise"])
    response = as_(users["enterprise"]).post_json(
        f"/api/demands/{demand['id']}/site-inquiries", {"site_id": 987654321, "message": "咨询"}
    )
    assert response.status_code == 404
    assert DemandTransition.objects.filter(demand_id=demand["id"], action="inquire").count() == 0
