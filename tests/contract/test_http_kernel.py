"""The shared HTTP kernel (backend/kernel/), checked against the API's own route list.

A new endpoint is covered as soon as it is mounted: it must refuse unknown
query parameters, check CSRF on unsafe methods, and answer a list with the one
envelope (or be declared "not a list" below, with a reason).
"""

import json
import re
import uuid

import pytest
from django.test import Client

from apisupport import ApiClient
from backend.api import api

pytestmark = pytest.mark.django_db

# GETs whose answer is one thing, not a list a client pages through.
NOT_LISTS = {
    "/api/health": "the load balancer's liveness check",
    "/api/config": "map settings",
    "/api/auth/csrf": "sets a cookie (204)",
    "/api/auth/me": "one user",
    "/api/enterprises/{enterprise_id}": "one enterprise",
    "/api/visits/{visit_id}": "one visit",
    "/api/visits/{visit_id}/photos/{photo_id}": "a file",
    "/api/visits/{visit_id}/rating-qr.svg": "a file",
    "/api/ratings/{token}": "one visit to rate",
    "/api/trails": "one staff member's day: a document whose parts are in time order",
    "/api/reports/team": "a report over a date range (one row per team member, with totals)",
    "/api/reports/team/export": "a file",
    "/api/reports/visits/export": "a file",
    "/api/reports/trends": "a time series over the asked range",
    "/api/reports/dashboard": "one month's figures",
    "/api/sites/clusters": "a summary of one map view, bounded by the grid",
    "/api/sites/options": "the filter sheet's choices",
    "/api/sites/{site_id}": "one site",
    "/api/sites/inquiries/{inquiry_id}": "one inquiry",
    "/api/sites/{site_id}/photos/{photo_id}": "a file",
    "/api/demands/{demand_id}": "one demand with its timeline",
    # A top-N list in the envelope, but of one demand that must exist: tests/api/test_demand_sites.py pages it.
    "/api/demands/{demand_id}/site-suggestions": "one 场地 demand's best matches (top-N, envelope checked in test_demand_sites)",
    "/api/consultations/{consultation_id}": "one consultation with its thread",
    "/api/consultations/reassign-targets": "the 转派 form's choices: the town's departments and officials (bounded, TARGETS_MAX)",
    "/api/consultations/stats": "one month's on-time rates, a row per official (the rows themselves: /stats/rows)",
    "/api/demands/board": "one board of figures, each with what it counts",
    "/api/demands/export": "a file",
    "/api/demands/{demand_id}/attachments/{attachment_id}": "a file",
    "/api/consultations/{consultation_id}/attachments/{attachment_id}": "a file",
    "/api/jobs/{job_id}": "one background job",
    "/api/jobs/{job_id}/file": "a file",
    "/api/notifications/batches/{batch_id}": "one batch's delivery counts",
    "/api/notifications/push/config": "push settings and my device count",
    "/api/workdays/{year}": "one year's holiday schedule",
    "/api/join/status": "my latest claim and whether I am verified",
    "/api/economy/figures": "one month's figures by group, each with what it compares",
    "/api/economy/trend": "a time series over the asked months (bounded: at most 60)",
    "/api/economy/indicators/{indicator_id}": "one enterprise-month with its corrections",
    "/api/policies/{policy_id}": "one policy",
    "/api/policies/catalogue": "the editor's fact catalogue (bounded: backend/policies/facts.py)",
    "/api/projects/{project_id}": "one project with its timeline and follow-ups",
    "/api/projects/{project_id}/attachments/{attachment_id}": "a file",
    "/api/projects/dashboard": "figures per month and per industry",
    "/api/projects/packet": "the 调度会 packet: one document of stage rows, stale and overdue lists, conversion (or a file)",
}
# Query parameters a list needs before it answers at all.
REQUIRED_QUERY = {
    "/api/enterprises/nearby": {"lat": "31.12", "lng": "121.42"},
    "/api/consultations/stats": {"month": "2026-11"},
    "/api/consultations/stats/rows": {"month": "2026-11"},
    "/api/economy/rows": {"month": "2026-10"},
    # Whose: the town team names the enterprise (a callable gets the test's enterprise).
    "/api/policies/facts": {"enterprise_id": lambda enterprise: enterprise.id},
    "/api/me/policy-matches": {"enterprise_id": lambda enterprise: enterprise.id},
}
ENVELOPE = {"items", "count", "limit", "offset"}


def operations() -> list[tuple[str, str, dict]]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    return [(method.upper(), path, op) for path, ops in schema["paths"].items() for method, op in ops.items()]


def concrete(path: str) -> str:
    """A URL for a path template: some id, a UUID, a flag, a token (none of them need exist)."""
    values = {"visit_ref": str(uuid.uuid4()), "job_id": str(uuid.uuid4()), "flag": "outside_geofence", "token": "a" * 22,
              "year": "2027"}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "987654321"), path)


def resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def logged_in(user) -> ApiClient:
    client = ApiClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_it_refuses_an_unknown_query_parameter_on_every_operation(role, users):
    client = ApiClient() if role == "anonymous" else logged_in(users[role])
    token = client.token()
    wrong = []
    for method, path, _ in operations():
        response = client.generic(method, concrete(path) + "?zz_unknown=1", HTTP_X_CSRFTOKEN=token)
        body = response.json() if response["Content-Type"].startswith("application/json") else {}
        if response.status_code != 422 or "zz_unknown" not in body.get("errors", {}):
            wrong.append(f"{method} {path} → {response.status_code}")
    assert wrong == []


def test_it_names_the_unknown_parameter_in_chinese(client):
    response = client.get("/api/sites", {"bbox": "121.3,31.0,121.5,31.2", "area_mim": "500"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"area_mim": "不允许提交此字段"}
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("role", ["anonymous", "staff", "admin"])
def test_it_checks_csrf_on_every_unsafe_operation(role, users):
    client = ApiClient() if role == "anonymous" else logged_in(users[role])
    client.token()  # the cookie is there; the header is not
    unchecked = []
    for method, path, _ in operations():
        if method == "GET":
            continue
        response = client.generic(method, concrete(path), data="{}", content_type="application/json")
        if response.status_code != 403 or response.json().get("code") != "csrf_failed":
            unchecked.append(f"{method} {path} → {response.status_code}")
    assert unchecked == []


def test_it_checks_csrf_for_an_anonymous_login_and_rating(client, users):
    # The two that used to rely on a helper each endpoint had to remember to call.
    login = client.post("/api/auth/login", {"username": "demo_staff", "password": "dianxiaoer-demo"}, content_type="application/json")
    assert (login.status_code, login.json()["detail"]) == (403, "CSRF 校验失败，请刷新页面后重试")
    rate = client.post("/api/ratings/" + "a" * 22, {"stars": 5}, content_type="application/json")
    assert rate.status_code == 403
    assert client.post_json("/api/auth/login", {"username": "demo_staff", "password": "dianxiaoer-demo"}).status_code == 200


def test_it_answers_every_list_with_the_one_envelope(users, enterprise):
    schema = api.get_openapi_schema(path_prefix="/api/")
    client = logged_in(users["admin"])
    wrong = []
    gets = [(path, op) for method, path, op in operations() if method == "GET"]
    assert set(NOT_LISTS) <= {path for path, _ in gets}, "NOT_LISTS names a route that no longer exists"
    for path, op in gets:
        ok = op["responses"].get(200) or op["responses"].get("200") or {}  # ninja's keys are ints
        content = ok.get("content", {}).get("application/json", {})
        answer = resolve(schema, content.get("schema", {})) if content else {}
        if answer.get("type") == "array":
            wrong.append(f"{path}: a bare array; lists answer with {sorted(ENVELOPE)}")
            continue
        if path in NOT_LISTS:
            continue
        documented = set(answer.get("properties", {}))
        if not ENVELOPE <= documented:
            wrong.append(f"{path}: documents {sorted(documented)}; a list needs {sorted(ENVELOPE)} (or a NOT_LISTS entry)")
            continue
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        query = {k: v(enterprise) if callable(v) else v for k, v in REQUIRED_QUERY.get(path, {}).items()}
        query.update({k: v for k, v in (("limit", "1"), ("offset", "0")) if k in declared})
        response = client.get(path, query)
        body = response.json()
        if response.status_code != 200 or not ENVELOPE <= set(body) or not isinstance(body["items"], list):
            wrong.append(f"{path}: answered {response.status_code} {sorted(body) if isinstance(body, dict) else type(body)}")
        elif "limit" in query and (body["limit"] != 1 or len(body["items"]) > 1 or body["offset"] != 0):
            wrong.append(f"{path}: limit=1&offset=0 gave limit={body['limit']} offset={body['offset']} and {len(body['items'])} items")
    assert wrong == []


def test_it_pages_a_list_and_counts_every_match(users):
    from backend.notifications.models import Notice

    for i in range(5):
        Notice.objects.create(user=users["staff"], kind="test", title=f"通知{i}")
    client = logged_in(users["staff"])
    body = client.get("/api/notifications", {"limit": 2, "offset": 2}).json()
    assert (body["count"], body["limit"], body["offset"], body["unread"]) == (5, 2, 2, 5)
    assert [n["title"] for n in body["items"]] == ["通知2", "通知1"]


def test_it_names_no_database_engine_to_anonymous_health_checks(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    for engine in ("sqlite", "postgresql"):
        assert engine not in response.content.decode().lower()


def test_it_answers_an_oversize_json_body_with_the_json_413(users, settings):
    client = logged_in(users["staff"])
    body = json.dumps({"summary": "x" * (10 * 1024 * 1024)})
    response = client.post(f"/api/visits/{uuid.uuid4()}/checkout", body, content_type="application/json",
                           HTTP_X_CSRFTOKEN=client.token())
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "too_large"


def test_it_answers_an_oversize_form_outside_the_api_with_json_413(settings):
    # Django reads the admin login form (for its CSRF token) before the view: the 400 handler maps it.
    response = Client().post("/admin/login/", {"username": "x", "password": "y" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_it_refuses_json_that_python_accepts_but_json_does_not(users):
    client = logged_in(users["staff"])
    body = '{"client_id": "%s", "enterprise_id": 1, "lat": NaN, "lng": Infinity, "captured_at": "2026-11-17T10:00:00+08:00"}' % uuid.uuid4()
    response = client.post("/api/visits/checkin", body, content_type="application/json", HTTP_X_CSRFTOKEN=client.token())
    assert response.status_code == 400
    assert response.json() == {"detail": "提交的内容不是有效的 JSON", "code": "invalid_json"}
