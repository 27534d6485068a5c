"""Saved searches and the in-app inbox (issue #4)."""

import pytest

from apisupport import run_tasks
from backend.notifications.models import Notice
from backend.notifications.services import notice_create

from sites_support import make_site

pytestmark = pytest.mark.django_db

AREA = {"type": "Polygon", "coordinates": [[[121.40, 31.10], [121.44, 31.10], [121.44, 31.14], [121.40, 31.10]]]}


def _patch(client, url, data):
    return client.patch(url, data, content_type="application/json", HTTP_X_CSRFTOKEN=client.token())


def test_it_saves_lists_and_deletes_a_search(client, users):
    client.login_as("demo_enterprise")
    created = client.post_json(
        "/api/sites/saved-searches", {"name": "园区仓库", "type": "warehouse", "bbox": "121.40,31.10,121.44,31.14"}
    )
    assert created.status_code == 201, created.content
    params = created.json()["params"]
    assert params["types"] == ["warehouse"] and params["bbox"] == [121.40, 31.10, 121.44, 31.14]
    assert [s["name"] for s in client.get("/api/sites/saved-searches").json()["items"]] == ["园区仓库"]
    saved_id = created.json()["id"]
    client.post_json("/api/auth/logout")
    client.login_as("demo_staff")
    assert client.delete(f"/api/sites/saved-searches/{saved_id}", HTTP_X_CSRFTOKEN=client.token()).status_code == 404
    client.post_json("/api/auth/logout")
    client.login_as("demo_enterprise")
    assert client.delete(f"/api/sites/saved-searches/{saved_id}", HTTP_X_CSRFTOKEN=client.token()).status_code == 204


def test_it_notifies_once_when_a_matching_site_comes_back_on_the_market(client, users, owner_unit):
    inside = make_site(owner_unit, name="东湾村1号厂房", lng=121.435, lat=31.105, status="leased", building_area_m2=1200)
    outside = make_site(owner_unit, name="东湾村2号厂房", lng=121.405, lat=31.135, status="leased", building_area_m2=1200)
    client.login_as("demo_enterprise")
    client.post_json("/api/sites/saved-searches", {"name": "三角区厂房", "type": "factory", "polygon": AREA})
    client.post_json("/api/auth/logout")

    client.login_as("demo_owner")
    for site in (inside, outside):
        assert _patch(client, f"/api/sites/{site.id}", {"status": "vacant"}).status_code == 200
    _patch(client, f"/api/sites/{inside.id}", {"status": "leased"})
    _patch(client, f"/api/sites/{inside.id}", {"status": "vacant"})
    client.post_json("/api/auth/logout")
    run_tasks()  # alerts are sent by a worker

    notices = Notice.objects.filter(user__username="demo_enterprise", kind="sites.saved_search")
    assert [(n.title, n.url) for n in notices] == [("有1处新场地符合订阅「三角区厂房」", f"#/sites/{inside.id}")]


def test_it_refuses_a_saved_search_with_a_broken_area(client, users):
    client.login_as("demo_enterprise")
    response = client.post_json("/api/sites/saved-searches", {"name": "x", "polygon": {"type": "Point", "coordinates": [121, 31]}})
    assert response.status_code == 422
    assert "Polygon" in response.json()["errors"]["polygon"]


def test_it_lists_my_notices_with_the_unread_count(client, users):
    for i in range(3):
        notice_create(user=users["enterprise"], kind="sites.inquiry_answer", title=f"回复{i}", url="#/inquiries/1")
    notice_create(user=users["owner"], kind="sites.inquiry", title="别人的")
    client.login_as("demo_enterprise")
    body = client.get("/api/notifications").json()
    assert (body["count"], body["unread"]) == (3, 3)
    assert [n["title"] for n in body["items"]] == ["回复2", "回复1", "回复0"]
    first = body["items"][0]["id"]
    read = client.post_json(f"/api/notifications/{first}/read")
    assert read.status_code == 200 and read.json()["read_at"]
    assert client.get("/api/notifications", {"unread_only": "true"}).json()["count"] == 2
    assert client.post_json("/api/notifications/read-all").json() == {"marked": 2}
    assert client.get("/api/notifications").json()["unread"] == 0


def test_it_hides_other_peoples_notices(client, users):
    theirs = notice_create(user=users["owner"], kind="sites.inquiry", title="别人的")
    client.login_as("demo_enterprise")
    assert client.post_json(f"/api/notifications/{theirs.id}/read").status_code == 404
    assert Notice.objects.get(id=theirs.id).read_at is None


def test_it_needs_a_login_for_the_inbox(client):
    assert client.get("/api/notifications").status_code == 401
