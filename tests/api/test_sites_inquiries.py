"""Inquiries: an enterprise asks, the owner unit answers, the town team sees all (issue #4)."""

import datetime as dt

import pytest
import time_machine

from backend.accounts.models import User
from backend.notifications.models import Notice
from backend.sites import services
from backend.sites.models import Inquiry, OwnerUnit, Site

from apisupport import make_user
from sites_support import make_site

pytestmark = pytest.mark.django_db

ASK = {"area_needed": 800, "industry": "机械加工", "message": "想租800平方米左右的厂房，需要行车。", "phone": "13900001111"}


@pytest.fixture
def other_unit_owner(db):
    unit = OwnerUnit.objects.create(code="OU002", name="青枫镇南塘村经济合作社")
    make_user("owner_ou002", "owner", owner_unit=unit, password="dianxiaoer-demo")
    return unit


@pytest.fixture
def site(owner_unit):
    return make_site(owner_unit, name="东湾村1号厂房")


def _ask(client, site, **overrides):
    return client.post_json(f"/api/sites/{site.id}/inquiries", ASK | overrides)


def test_it_sends_an_inquiry_to_the_owner_unit_with_a_notice(client, users, site):
    client.login_as("demo_enterprise")
    response = _ask(client, site)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["site"] == {"id": site.id, "name": "东湾村1号厂房", "owner_name": "青枫镇东湾村经济合作社"}
    assert body["enterprise_name"] == "上海青枫示范科技有限公司"
    assert (body["area_needed_m2"], body["status"], body["can_answer"]) == (800, "new", False)
    notice = Notice.objects.get(user__username="demo_owner")
    assert notice.kind == "sites.inquiry"
    assert "东湾村1号厂房" in notice.title and "800" in notice.body
    assert notice.url == f"#/inquiries/{body['id']}"


def test_it_refuses_anonymous_inquiries(client, site):
    assert _ask(client, site).status_code == 401


def test_it_uses_the_account_mobile_when_no_phone_is_given(client, users, site):
    client.login_as("demo_enterprise")
    body = _ask(client, site, phone=None).json()
    assert body["phone"] == "13800001234"


def test_it_asks_for_a_phone_when_the_account_has_none(client, users, site):
    client.login_as("demo_staff")
    response = _ask(client, site, phone=None)
    assert response.status_code == 422
    assert response.json()["errors"]["phone"] == "请填写联系电话，方便资源持有单位回复您"


def test_it_refuses_a_malformed_inquiry_with_field_messages(client, users, site):
    client.login_as("demo_enterprise")
    response = _ask(client, site, message="", phone="12345", budget=1)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["message"] == "此项不能为空"
    assert errors["phone"] == "格式不正确"
    assert errors["budget"] == "不允许提交此字段"
    assert not Inquiry.objects.exists()


def test_it_shows_inquiries_to_the_owner_unit_and_the_town_team_only(client, users, site, other_unit_owner):
    client.login_as("demo_enterprise")
    inquiry_id = _ask(client, site).json()["id"]
    client.post_json("/api/auth/logout")

    seen = {}
    for username in ("demo_owner", "owner_ou002", "demo_staff", "demo_manager", "demo_admin", "demo_enterprise"):
        client.login_as(username)
        listed = client.get("/api/sites/inquiries").json()
        one = client.get(f"/api/sites/inquiries/{inquiry_id}")
        seen[username] = (listed["count"], one.status_code)
        client.post_json("/api/auth/logout")
    assert seen == {
        "demo_owner": (1, 200),
        "owner_ou002": (0, 404),  # another unit's: not even its existence
        "demo_staff": (1, 200),
        "demo_manager": (1, 200),
        "demo_admin": (1, 200),
        "demo_enterprise": (1, 200),  # their own
    }


def test_it_lets_the_owner_answer_and_set_the_status(client, users, site):
    client.login_as("demo_enterprise")
    inquiry_id = _ask(client, site).json()["id"]
    client.post_json("/api/auth/logout")
    client.login_as("demo_owner")
    assert client.get("/api/sites/inquiries", {"status": "new"}).json()["items"][0]["can_answer"] is True
    response = client.post_json(
        f"/api/sites/inquiries/{inquiry_id}/answer", {"answer": "欢迎周三来看场地。", "site_status": "reserved"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "answered"
    assert Site.objects.get(id=site.id).status == "reserved"
    notice = Notice.objects.get(user__username="demo_enterprise")
    assert notice.kind == "sites.inquiry_answer" and notice.body == "欢迎周三来看场地。"


def test_it_keeps_the_first_answer_when_a_second_one_comes(client, users, site):
    client.login_as("demo_enterprise")
    inquiry_id = _ask(client, site).json()["id"]
    client.post_json("/api/auth/logout")
    client.login_as("demo_owner")
    url = f"/api/sites/inquiries/{inquiry_id}/answer"
    assert client.post_json(url, {"answer": "欢迎周三来看场地。"}).status_code == 200
    again = client.post_json(url, {"answer": "改成周四吧。", "site_status": "leased"})
    assert again.status_code == 409 and again.json()["code"] == "already_answered"
    assert Inquiry.objects.get().answer == "欢迎周三来看场地。"
    assert Site.objects.get(id=site.id).status == site.status
    assert Notice.objects.filter(user__username="demo_enterprise", kind="sites.inquiry_answer").count() == 1


def test_it_does_not_let_the_town_team_or_another_owner_answer(client, users, site, other_unit_owner):
    client.login_as("demo_enterprise")
    inquiry_id = _ask(client, site).json()["id"]
    client.post_json("/api/auth/logout")
    client.login_as("demo_staff")
    assert client.post_json(f"/api/sites/inquiries/{inquiry_id}/answer", {"answer": "好"}).status_code == 403
    client.post_json("/api/auth/logout")
    client.login_as("owner_ou002")
    assert client.post_json(f"/api/sites/inquiries/{inquiry_id}/answer", {"answer": "好"}).status_code == 404
    assert Inquiry.objects.get().status == "new"


def test_it_limits_inquiries_per_day(client, users, site):
    client.login_as("demo_enterprise")
    # Inside one fixed daily window, wherever the real clock is.
    with time_machine.travel(dt.datetime(2026, 10, 30, 2, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(services.INQUIRIES_PER_DAY):
            assert _ask(client, site).status_code == 201
        response = _ask(client, site)
    assert response.status_code == 429 and "Retry-After" in response
