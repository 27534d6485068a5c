"""Policies through the API: the editor's form, facts with provenance, the calculator, asking."""

import datetime as dt

import pytest
from django.utils import timezone

from apisupport import ApiClient, make_user, valid_uscc
from backend.enterprises.services import enterprise_create
from backend.policies import selectors
from backend.policies.models import EnterpriseFact, Policy

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


def logged_in(user) -> ApiClient:
    client = ApiClient()
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post_json(url, body)


def patch(client, url, body):
    import json

    return client.generic("PATCH", url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=client.token())


GROWTH = {
    "title": "青枫镇制造业企业稳增长奖励", "issuer": "青枫镇经济发展办公室", "document_no": "青经发〔2026〕3号",
    "summary": "上年度营业收入 2000 万元以上且纳税 100 万元以上的制造业企业。", "benefits": "一次性奖励 20 万元",
    "status": "published",
    "rules": {"match": "all", "conditions": [
        {"fact": "revenue", "op": ">=", "number": 2000, "clause": "第三条（一）"},
        {"fact": "tax", "op": ">=", "number": 100, "clause": "第三条（二）"},
    ]},
}
HIGH_TECH = {
    "title": "高新技术企业认定奖励", "issuer": "青枫镇人民政府", "status": "published",
    "rules": {"match": "all", "conditions": [{"fact": "qual_high_tech", "op": "held", "clause": "第二条"}]},
}
VILLAGE = {
    "title": "东湾村集体厂房租金减免", "issuer": "东湾村经济合作社", "status": "published",
    "rules": {"match": "all", "conditions": [{"fact": "village", "op": "in", "values": ["东湾村"], "clause": "第一条"}]},
}


@pytest.fixture
def policies(users):
    admin = logged_in(users["admin"])
    made = {}
    for key, body in (("growth", GROWTH), ("high_tech", HIGH_TECH), ("village", VILLAGE)):
        response = post(admin, "/api/policies", body)
        assert response.status_code == 201, response.content
        made[key] = response.json()["id"]
    return made


def test_it_lets_an_admin_build_a_policy_with_two_conditions_and_shows_them_in_words(users, policies):
    body = logged_in(users["staff"]).get(f"/api/policies/{policies['growth']}").json()
    assert body["rules"]["conditions"][0] == {"fact": "revenue", "op": ">=", "number": 2000.0, "clause": "第三条（一）"}
    assert body["conditions_text"] == ["上一年度营业收入 ≥ 2,000 万元（第三条（一））", "上一年度纳税额 ≥ 100 万元（第三条（二））"]


@pytest.mark.parametrize("role", ["staff", "manager", "enterprise", "owner"])
def test_it_refuses_policy_editing_to_everyone_but_admins(role, users, policies):
    client = logged_in(users[role])
    assert post(client, "/api/policies", GROWTH).status_code == 403
    assert patch(client, f"/api/policies/{policies['growth']}", {"title": "改名后"}).status_code in (403, 404)


def test_it_refuses_a_condition_that_does_not_fit_its_fact_in_chinese(users):
    admin = logged_in(users["admin"])
    bad = {**GROWTH, "rules": {"match": "all", "conditions": [{"fact": "qual_high_tech", "op": ">=", "number": 1}]}}
    response = post(admin, "/api/policies", bad)
    assert response.status_code == 422
    assert "只能用这些比较" in str(response.json()["errors"])
    no_number = {**GROWTH, "rules": {"match": "all", "conditions": [{"fact": "revenue", "op": ">="}]}}
    assert "需要填写数值" in str(post(admin, "/api/policies", no_number).json()["errors"])
    assert post(admin, "/api/policies", {**GROWTH, "rules": {"match": "all", "conditions": [{"fact": "nope", "op": "in"}]}}).status_code == 422


def test_it_hides_drafts_from_everyone_but_admins(users, policies):
    admin = logged_in(users["admin"])
    assert patch(admin, f"/api/policies/{policies['village']}", {"status": "draft"}).status_code == 200
    for role in ("staff", "enterprise"):
        client = logged_in(users[role])
        ids = {p["id"] for p in client.get("/api/policies").json()["items"]}
        assert ids == {policies["growth"], policies["high_tech"]}
        assert client.get(f"/api/policies/{policies['village']}").status_code == 404
    assert admin.get("/api/policies", {"status": "draft"}).json()["count"] == 1
    assert logged_in(users["owner"]).get("/api/policies").status_code == 403


def test_it_keeps_who_said_a_fact_and_when(users, enterprise):
    own = logged_in(users["enterprise"])
    response = post(own, "/api/policies/facts", {"key": "revenue", "year": LAST_YEAR, "number": 1880})
    assert response.status_code == 201, response.content
    assert (response.json()["source"], response.json()["source_label"]) == ("enterprise", "企业自报")
    staff = logged_in(users["staff"])
    fixed = post(staff, "/api/policies/facts", {"enterprise_id": enterprise.id, "key": "tax", "year": LAST_YEAR, "number": 130, "as_of": "2026-03-31"})
    assert fixed.json()["source"] == "staff" and fixed.json()["as_of"] == "2026-03-31"
    facts = staff.get("/api/policies/facts", {"enterprise_id": enterprise.id}).json()
    assert {(f["key"], f["source"]) for f in facts["items"]} == {("revenue", "enterprise"), ("tax", "staff")}
    # A yearly fact needs its year; a staff member names the enterprise.
    assert post(own, "/api/policies/facts", {"key": "revenue", "number": 1}).status_code == 422
    assert post(staff, "/api/policies/facts", {"key": "employees", "number": 1}).status_code == 422


def test_it_keeps_an_enterprise_to_its_own_facts(users, enterprise):
    other = enterprise_create(uscc=valid_uscc("91310112QTHER00"), name="别家企业", lat=31.13, lng=121.43, industry="F")
    own = logged_in(users["enterprise"])
    assert post(own, "/api/policies/facts", {"enterprise_id": other.id, "key": "employees", "number": 9}).status_code == 404
    assert own.get("/api/policies/facts", {"enterprise_id": other.id}).status_code == 404
    assert not EnterpriseFact.objects.filter(enterprise=other).exists()


def _facts(enterprise, **values):
    for key, value in values.items():
        year = LAST_YEAR if key in ("revenue", "tax") else 0
        fields = {"held": value[0], "valid_until": value[1]} if key.startswith("qual_") else (
            {"text": value} if isinstance(value, str) else {"number": value})
        EnterpriseFact.objects.create(enterprise=enterprise, key=key, year=year, source="import", as_of=dt.date(2026, 1, 1), **fields)


def test_it_answers_the_calculator_with_matches_near_misses_and_missing_data(users, enterprise, policies):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _facts(enterprise, revenue=1880, tax=150, qual_high_tech=(True, yesterday))
    body = logged_in(users["enterprise"]).get("/api/me/policy-matches").json()
    by = {m["policy_id"]: m for m in body["items"]}
    assert body["enterprise_id"] == enterprise.id and body["count"] == 3
    growth = by[policies["growth"]]
    assert growth["outcome"] == "ineligible" and growth["near_miss"] is True
    assert growth["shortfalls"] == [f"{LAST_YEAR}年营收还差 120 万元"]
    assert [r["fact"] for r in growth["reasons"]] == ["revenue"]
    assert growth["reasons"][0]["clause"] == "第三条（一）" and growth["reasons"][0]["value"] == "1,880 万元"
    assert {c["status"] for c in growth["conditions"]} == {"met", "failed"}
    ht = by[policies["high_tech"]]
    assert ht["outcome"] == "ineligible" and f"已于 {yesterday.isoformat()} 过期" in ht["reasons"][0]["text"]
    village = by[policies["village"]]
    assert village["outcome"] == "unknown" and village["missing_facts"] == ["所在村（社区）"]
    assert body["counts"] == {"eligible": 0, "unknown": 1, "ineligible": 2, "near_miss": 1}
    # The enterprise supplies its village: the answer changes at once.
    post(logged_in(users["enterprise"]), "/api/policies/facts", {"key": "village", "text": "东湾村"})
    again = logged_in(users["enterprise"]).get("/api/me/policy-matches", {"outcome": "eligible"}).json()
    assert [m["policy_id"] for m in again["items"]] == [policies["village"]]


def test_it_shows_staff_the_same_answers_for_an_enterprise_they_serve(users, enterprise, policies):
    _facts(enterprise, revenue=2500, tax=100)
    mine = logged_in(users["enterprise"]).get("/api/me/policy-matches").json()["items"]
    theirs = logged_in(users["staff"]).get("/api/me/policy-matches", {"enterprise_id": enterprise.id}).json()["items"]
    assert mine == theirs
    assert {m["outcome"] for m in mine if m["policy_id"] == policies["growth"]} == {"eligible"}
    assert logged_in(users["staff"]).get("/api/me/policy-matches").status_code == 422  # whose?
    assert logged_in(users["owner"]).get("/api/me/policy-matches", {"enterprise_id": enterprise.id}).status_code == 403


def test_it_answers_another_enterprise_like_one_that_does_not_exist(users, enterprise, policies):
    other = enterprise_create(uscc=valid_uscc("91310112QTHER00"), name="别家企业", lat=31.13, lng=121.43, industry="F")
    own = logged_in(users["enterprise"])
    assert own.get("/api/me/policy-matches", {"enterprise_id": other.id}).status_code == 404
    assert own.get("/api/me/policy-matches", {"enterprise_id": 987654321}).status_code == 404


def test_it_leaves_out_policies_past_their_date(users, enterprise, policies):
    Policy.objects.filter(id=policies["village"]).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    items = logged_in(users["enterprise"]).get("/api/me/policy-matches").json()["items"]
    assert policies["village"] not in {m["policy_id"] for m in items}


def test_it_turns_a_question_about_a_policy_into_a_consultation(users, enterprise, policies):
    own = logged_in(users["enterprise"])
    response = post(own, f"/api/policies/{policies['growth']}/ask", {"text": "我们营收差一点，今年能申请吗？"})
    assert response.status_code == 201, response.content
    c = own.get(f"/api/consultations/{response.json()['consultation_id']}").json()
    assert c["category"] == "policy" and c["subject"] == "政策咨询：青枫镇制造业企业稳增长奖励"
    assert "青枫镇制造业企业稳增长奖励" in c["messages"][0]["text"]
    assert post(logged_in(users["staff"]), f"/api/policies/{policies['growth']}/ask", {"text": "问"}).status_code == 403


def test_it_never_drops_an_eligible_enterprise_in_the_sql_prefilter(users, policies):
    policy = Policy.objects.get(id=policies["growth"])
    made = []
    for i, (rev, tax) in enumerate([(2000, 100), (1999, 100), (2500, None), (None, 300), (5000, 99.9), (8000, 800)]):
        ent = enterprise_create(uscc=valid_uscc(f"91310112PF{i:03d}00"), name=f"预筛企业{i}", lat=31.1, lng=121.4, industry="C")
        _facts(ent, **{k: v for k, v in (("revenue", rev), ("tax", tax)) if v is not None})
        made.append(ent.id)
    full = selectors.policy_outcomes(policy=policy, enterprise_ids=made, prefilter=False)
    fast = selectors.policy_outcomes(policy=policy, enterprise_ids=made, prefilter=True)
    eligible = {e for e, outcome in full.items() if outcome == "eligible"}
    assert eligible == {e for e, outcome in fast.items() if outcome == "eligible"} == {made[0], made[5]}
    assert len(fast) == 2  # the others never left the database


def test_it_refuses_an_industry_code_that_is_not_gb_t_4754(users, enterprise):
    admin = logged_in(users["admin"])
    bad = {**GROWTH, "rules": {"match": "all", "conditions": [{"fact": "industry_code", "op": "in", "values": ["制造业"]}]}}
    assert "GB/T 4754" in str(post(admin, "/api/policies", bad).json()["errors"])
    response = post(logged_in(users["enterprise"]), "/api/policies/facts", {"key": "industry_code", "text": "C39111"})
    assert response.status_code == 422 and "GB/T 4754" in response.json()["detail"]
    assert post(logged_in(users["enterprise"]), "/api/policies/facts", {"key": "industry_code", "text": "c3911"}).json()["text"] == "C3911"
