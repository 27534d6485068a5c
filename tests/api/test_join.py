"""Joining (企业入驻): register by SMS code, claim a company, staff verify it (issue 13 item 6)."""

import re

import pytest

from apisupport import ApiClient, make_user, valid_uscc
from backend.accounts.models import OrgUnit, User
from backend.enterprises.models import Enterprise, EnterpriseMember
from backend.enterprises.services import enterprise_create
from backend.join import services as join_services
from backend.join.models import Claim
from backend.join.names import names_match
from backend.notifications.models import Notice
from backend.sms.backends import LocmemSmsBackend

pytestmark = pytest.mark.django_db

NEW_MOBILE = "13912345678"


def _code_to(mobile: str) -> str:
    sent = [m for m in LocmemSmsBackend.outbox if m["mobile"] == mobile]
    return re.search(r"验证码是(\d{6})", sent[-1]["text"]).group(1)


def register(client: ApiClient, mobile: str = NEW_MOBILE, **extra):
    assert client.post_json("/api/join/sms/send", {"mobile": mobile}, **extra).status_code == 200
    return client.post_json("/api/join/register", {"mobile": mobile, "code": _code_to(mobile)}, **extra)


@pytest.fixture
def registered(users):
    client = ApiClient()
    response = register(client)
    assert response.status_code == 200, response.content
    return client


@pytest.fixture
def assigned(users):
    """A registry enterprise nobody acts for yet, assigned to the team's staff member, with a contact mobile."""
    return enterprise_create(
        uscc=valid_uscc("91310112JMJX000"), name="上海青枫精密机械有限公司", lat=31.12, lng=121.42, industry="C",
        assigned_staff_id=users["staff"].id, contact_mobile=NEW_MOBILE,
    )


def claim(client, enterprise=None, **body):
    payload = {"name": enterprise.name, "uscc": enterprise.uscc} if enterprise else {}
    return client.post_json("/api/join/claim", payload | body)


# --- registering --------------------------------------------------------------------------------


def test_it_registers_a_new_mobile_as_an_unverified_enterprise_account_and_logs_it_in(users):
    client = ApiClient()
    response = register(client)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] is True
    assert body["role"] == "enterprise"
    assert body["enterprise_id"] is None
    user = User.objects.get(mobile=NEW_MOBILE)
    assert not user.has_usable_password()
    assert client.get("/api/auth/me").json()["id"] == user.id
    assert client.get("/api/join/status").json() == {"verified": False, "enterprise_id": None, "status_text": "未认领", "claim": None}


def test_it_sends_a_registration_code_to_known_and_unknown_numbers_alike(users):
    known, unknown = ApiClient(), ApiClient()
    a = known.post_json("/api/join/sms/send", {"mobile": "13800001234"})  # demo_enterprise's number
    b = unknown.post_json("/api/join/sms/send", {"mobile": NEW_MOBILE})
    assert (a.status_code, a.json()) == (b.status_code, b.json())
    assert [m["mobile"] for m in LocmemSmsBackend.outbox] == ["13800001234", NEW_MOBILE]
    # The holder of a known number's code simply logs into that account.
    response = known.post_json("/api/join/register", {"mobile": "13800001234", "code": _code_to("13800001234")})
    assert response.status_code == 200
    assert (response.json()["created"], response.json()["username"]) == (False, "demo_enterprise")


def test_it_keeps_registration_and_login_codes_apart(users, client):
    client.post_json("/api/auth/sms/send", {"mobile": "13800001234"})
    login_code = _code_to("13800001234")
    response = client.post_json("/api/join/register", {"mobile": "13800001234", "code": login_code})
    assert response.status_code == 401
    assert "验证码" in response.json()["detail"]


def test_it_refuses_a_wrong_code_and_keeps_csrf_on_registration(users, client):
    client.post_json("/api/join/sms/send", {"mobile": NEW_MOBILE})
    wrong = "000000" if _code_to(NEW_MOBILE) != "000000" else "111111"
    response = client.post_json("/api/join/register", {"mobile": NEW_MOBILE, "code": wrong})
    assert (response.status_code, response.json()["detail"]) == (401, "验证码错误")
    response = client.post_json("/api/join/register", {"mobile": NEW_MOBILE, "code": _code_to(NEW_MOBILE)}, csrf=False)
    assert (response.status_code, response.json()["code"]) == (403, "csrf_failed")
    assert not User.objects.filter(mobile=NEW_MOBILE).exists()


def test_it_refuses_to_register_a_number_that_belongs_to_a_staff_account(users, client):
    User.objects.filter(id=users["staff"].id).update(mobile=NEW_MOBILE)
    response = register(client)
    assert response.status_code == 409
    assert response.json()["detail"] == "该手机号已用于其他账号，请使用原账号登录或联系管理员"
    assert client.get("/api/auth/me").status_code == 401


def test_it_rate_limits_registration_codes_per_number_shared_with_login_codes(users, client):
    assert client.post_json("/api/join/sms/send", {"mobile": "13800001234"}).status_code == 200
    for url in ("/api/join/sms/send", "/api/auth/sms/send"):
        response = ApiClient().post_json(url, {"mobile": "13800001234"}, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 429
        assert "频繁" in response.json()["detail"]
    assert len(LocmemSmsBackend.outbox) == 1


def test_it_does_not_let_a_guesser_elsewhere_lock_the_owner_of_the_number_out(users, settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 100  # the code's own budget is tested in test_auth
    owner = ApiClient()
    owner.post_json("/api/join/sms/send", {"mobile": NEW_MOBILE}, REMOTE_ADDR="10.0.0.7")
    guesser = ApiClient()
    statuses = [
        guesser.post_json("/api/join/register", {"mobile": NEW_MOBILE, "code": f"{i:06d}"}, REMOTE_ADDR="10.6.6.6").status_code
        for i in range(settings.LOGIN_FAILURE_LIMIT + 1)
        if f"{i:06d}" != _code_to(NEW_MOBILE)
    ]
    assert statuses[-1] == 429
    response = owner.post_json("/api/join/register", {"mobile": NEW_MOBILE, "code": _code_to(NEW_MOBILE)}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200


# --- claiming -----------------------------------------------------------------------------------


def test_it_verifies_at_once_when_the_mobile_is_the_registry_contact(registered, assigned):
    response = claim(registered, assigned)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["status_text"], body["how_verified"]) == ("approved", "已通过", "mobile_match")
    status = registered.get("/api/join/status").json()
    assert (status["verified"], status["enterprise_id"], status["status_text"]) == (True, assigned.id, "已通过")
    assert registered.get(f"/api/enterprises/{assigned.id}").status_code == 200
    assert EnterpriseMember.objects.filter(user__mobile=NEW_MOBILE, enterprise=assigned, until__isnull=True).exists()


def test_it_accepts_the_usual_variants_of_a_company_name():
    registered = "上海青枫精密机械有限公司"
    for typed in ("上海青枫精密机械有限责任公司", "上海青枫精密机械", " 上海青枫精密机械有限公司　", "上海青枫精密机械（有限公司）"):
        assert names_match(typed, registered), typed
    assert names_match("青枫（上海）示范科技有限公司", "青枫(上海)示范科技有限公司")
    assert not names_match("上海青枫另一家科技有限公司", registered)
    assert not names_match("有限公司", registered)


def test_it_refuses_a_name_that_is_not_the_registered_one_without_revealing_it(registered, assigned):
    response = claim(registered, assigned, name="上海别家科技有限公司")
    assert response.status_code == 422
    assert response.json()["errors"]["name"] == "企业名称与该统一社会信用代码登记的名称不一致，请按营业执照上的名称填写"
    assert assigned.name not in response.json()["detail"]
    assert not Claim.objects.exists()


def test_it_refuses_a_wrong_check_character_with_a_chinese_message(registered, assigned):
    wrong = "4" if assigned.uscc[17] != "4" else "5"
    response = claim(registered, name=assigned.name, uscc=assigned.uscc[:17] + wrong)
    assert response.status_code == 422
    assert response.json()["errors"]["uscc"] == "统一社会信用代码校验位不正确，请核对后重新输入"


def test_it_sends_a_claim_without_a_matching_mobile_to_the_assigned_staff_who_approve_it(registered, assigned, users):
    Enterprise.objects.filter(id=assigned.id).update(contact_mobile="13700000000")
    response = claim(registered, assigned, name="上海青枫精密机械有限责任公司")
    assert response.status_code == 201
    body = response.json()
    assert (body["status_text"], body["note"]) == ("待核实", join_services.NOTE_NO_MOBILE_MATCH)
    status = registered.get("/api/join/status").json()
    assert (status["verified"], status["status_text"]) == (False, "待核实")
    # The assigned staff member and their team's manager are told; the admins are not.
    told = set(Notice.objects.filter(kind="join.claim_pending").values_list("user__username", flat=True))
    assert told == {"demo_staff", "demo_manager"}

    staff = ApiClient()
    staff.force_login(users["staff"])
    listed = staff.get("/api/join/claims").json()
    assert [c["id"] for c in listed["items"]] == [body["id"]]
    assert listed["items"][0]["claimant_mobile"] == NEW_MOBILE
    response = staff.post_json(f"/api/join/claims/{body['id']}/approve", {"reason": "已核对营业执照"})
    assert response.status_code == 200, response.content
    assert (response.json()["status_text"], response.json()["how_verified"], response.json()["decided_by"]) == ("已通过", "staff", "王小明")
    assert registered.get("/api/join/status").json()["verified"] is True
    assert registered.get(f"/api/enterprises/{assigned.id}").status_code == 200
    claimant = User.objects.get(mobile=NEW_MOBILE)
    assert Notice.objects.filter(user=claimant, kind="join.claim_approved").count() == 1
    again = staff.post_json(f"/api/join/claims/{body['id']}/approve", {})
    assert (again.status_code, again.json()["detail"]) == (409, "该认领已处理（已通过）")


def test_it_tells_the_claimant_why_a_claim_was_rejected(registered, assigned, users):
    Enterprise.objects.filter(id=assigned.id).update(contact_mobile="")
    claim_id = claim(registered, assigned).json()["id"]
    manager = ApiClient()
    manager.force_login(users["manager"])
    assert manager.post_json(f"/api/join/claims/{claim_id}/reject", {"reason": ""}).status_code == 422
    response = manager.post_json(f"/api/join/claims/{claim_id}/reject", {"reason": "营业执照与名称不符"})
    assert response.status_code == 200
    status = registered.get("/api/join/status").json()
    assert (status["verified"], status["status_text"]) == (False, "未通过：营业执照与名称不符")
    assert status["claim"]["reason"] == "营业执照与名称不符"
    notice = Notice.objects.get(kind="join.claim_rejected")
    assert "营业执照与名称不符" in notice.body
    assert not EnterpriseMember.objects.filter(user__mobile=NEW_MOBILE).exists()
    # Decided: a new claim may follow.
    assert claim(registered, assigned).status_code == 201


def test_it_creates_a_pending_entry_for_a_company_missing_from_the_registry(registered, users):
    uscc = valid_uscc("91310112NEWC000")
    response = claim(registered, name="上海新来的科技有限公司", uscc=uscc)
    assert response.status_code == 201
    assert (response.json()["status_text"], response.json()["note"]) == ("待核实", join_services.NOTE_NOT_IN_REGISTRY)
    entry = Enterprise.objects.get(uscc=uscc)
    assert (entry.pending, entry.name, entry.lat, entry.assigned_staff_id) == (True, "上海新来的科技有限公司", None, None)
    # Nobody is assigned to a new entry: the admins verify it, field staff do not see it.
    assert set(Notice.objects.filter(kind="join.claim_pending").values_list("user__username", flat=True)) == {"demo_admin"}
    staff = ApiClient()
    staff.force_login(users["staff"])
    assert staff.get("/api/join/claims").json()["count"] == 0
    admin = ApiClient()
    admin.force_login(users["admin"])
    item = admin.get("/api/join/claims").json()["items"][0]
    assert (item["enterprise_pending"], item["enterprise_name"]) == (True, "上海新来的科技有限公司")
    assert admin.post_json(f"/api/join/claims/{item['id']}/approve", {}).status_code == 200
    entry.refresh_from_db()
    assert entry.pending is False
    assert registered.get("/api/join/status").json()["enterprise_id"] == entry.id


def test_it_leaves_a_pending_entry_out_of_the_dashboards_registry_count(registered, users):
    admin = ApiClient()
    admin.force_login(users["admin"])
    before = admin.get("/api/reports/dashboard").json()["enterprises"]["total"]
    claim(registered, name="上海新来的科技有限公司", uscc=valid_uscc("91310112NEWC000"))
    assert admin.get("/api/reports/dashboard").json()["enterprises"]["total"] == before
    claim_id = Claim.objects.get().id
    admin.post_json(f"/api/join/claims/{claim_id}/approve", {})
    assert admin.get("/api/reports/dashboard").json()["enterprises"]["total"] == before + 1


def test_it_refuses_a_check_in_at_a_pending_entry_without_a_location(registered, users):
    import uuid

    from django.utils import timezone

    claim(registered, name="上海新来的科技有限公司", uscc=valid_uscc("91310112NEWC000"))
    entry = Enterprise.objects.get(pending=True)
    staff = ApiClient()
    staff.force_login(users["staff"])
    response = staff.post_json("/api/visits/checkin", {
        "client_id": str(uuid.uuid4()), "enterprise_id": entry.id, "lat": 31.12, "lng": 121.42, "accuracy_m": 10,
        "speed": None, "heading": None, "captured_at": timezone.now().isoformat(), "queued": False,
    })
    assert response.status_code == 422
    assert "待核实登记" in response.json()["errors"]["enterprise_id"]


def test_it_allows_one_open_claim_per_account(registered, assigned):
    Enterprise.objects.filter(id=assigned.id).update(contact_mobile="")
    assert claim(registered, assigned).status_code == 201
    response = claim(registered, name="上海新来的科技有限公司", uscc=valid_uscc("91310112NEWC000"))
    assert (response.status_code, response.json()["detail"]) == (409, "您已有一份待核实的认领，请等待工作人员处理")
    assert not Enterprise.objects.filter(pending=True).exists()


def test_it_sends_a_claim_on_an_already_claimed_company_to_staff_even_with_a_matching_mobile(registered, enterprise, users):
    # demo_enterprise already acts for it (a verified member); the new claimant's mobile is the contact.
    Enterprise.objects.filter(id=enterprise.id).update(contact_mobile=NEW_MOBILE)
    response = claim(registered, enterprise)
    assert response.status_code == 201
    assert (response.json()["status_text"], response.json()["note"]) == ("待核实", "该企业已有核实的企业用户，需工作人员核实后开通")


def test_it_refuses_a_second_claim_from_a_verified_member(users, enterprise):
    client = ApiClient()
    client.force_login(users["enterprise"])
    response = claim(client, enterprise)
    assert (response.status_code, response.json()["code"]) == (409, "already_member")


def test_it_rate_limits_claims_per_account(registered, assigned, users, monkeypatch):
    monkeypatch.setattr(join_services, "CLAIM_LIMIT", (1, 3600))
    Enterprise.objects.filter(id=assigned.id).update(contact_mobile="")
    claim_id = claim(registered, assigned).json()["id"]
    admin = ApiClient()
    admin.force_login(users["admin"])
    admin.post_json(f"/api/join/claims/{claim_id}/reject", {"reason": "请补充材料"})
    response = claim(registered, assigned)
    assert response.status_code == 429
    assert "认领提交过于频繁" in response.json()["detail"]


def test_it_refuses_claims_from_staff_accounts(users, enterprise):
    staff = ApiClient()
    staff.force_login(users["staff"])
    assert claim(staff, enterprise).status_code == 403


# --- who verifies what ----------------------------------------------------------------------------


def test_it_hides_another_teams_claims_from_staff_and_their_manager(registered, assigned, users):
    Enterprise.objects.filter(id=assigned.id).update(contact_mobile="")
    claim_id = claim(registered, assigned).json()["id"]
    other_team = OrgUnit.objects.create(code="T9", name="招商九组", kind="team")
    outsiders = [
        make_user("other_staff", "staff", org_unit=other_team),
        make_user("other_manager", "manager", org_unit=other_team),
    ]
    for outsider in outsiders:
        client = ApiClient()
        client.force_login(outsider)
        assert client.get("/api/join/claims").json()["count"] == 0
        response = client.post_json(f"/api/join/claims/{claim_id}/approve", {})
        assert response.status_code == 404
    assert Claim.objects.get(id=claim_id).status == "pending"
    enterprise_user = ApiClient()
    enterprise_user.force_login(users["enterprise"])
    assert enterprise_user.get("/api/join/claims").status_code == 403


# --- until verified: no company data --------------------------------------------------------------


def test_it_shows_an_unverified_account_no_company_data_but_lets_it_browse_sites(registered, assigned):
    Enterprise.objects.filter(id=assigned.id).update(contact_mobile="")
    assert claim(registered, assigned).status_code == 201
    assert registered.get("/api/auth/me").json()["enterprise_id"] is None
    assert registered.get("/api/enterprises").json()["count"] == 0
    assert registered.get(f"/api/enterprises/{assigned.id}").status_code == 404
    assert registered.get("/api/visits").json()["count"] == 0
    assert registered.get("/api/enterprises/nearby", {"lat": 31.12, "lng": 121.42}).status_code == 403
    assert registered.get("/api/reports/dashboard").status_code == 403
    # Browsing idle sites is open to anyone.
    assert registered.get("/api/sites", {"bbox": "121.3,31.0,121.5,31.2"}).status_code == 200
    assert registered.get("/api/sites/options").status_code == 200


def test_it_lists_claims_and_pending_entries_in_the_admin_site(registered, users):
    claim(registered, name="上海新来的科技有限公司", uscc=valid_uscc("91310112NEWC000"))
    admin = ApiClient()
    admin.force_login(User.objects.create_superuser("root", password="x" * 12))
    assert "上海新来的科技有限公司" in admin.get("/admin/join/claim/").content.decode()
    page = admin.get("/admin/enterprises/enterprise/", {"pending__exact": "1"}).content.decode()
    assert "上海新来的科技有限公司" in page
    assert admin.get(f"/admin/join/claim/{Claim.objects.get().id}/change/").status_code == 200
