import re

import pytest

from backend.accounts.sms import LocmemSmsBackend

pytestmark = pytest.mark.django_db


def test_it_answers_401_to_anonymous_me(client):
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录"


@pytest.mark.parametrize("role", ["staff", "manager", "enterprise", "owner", "admin"])
def test_it_logs_in_each_role(client, users, role):
    user = users[role]
    response = client.login_as(user.username)
    assert response.json()["role"] == role
    assert response.json()["username"] == user.username
    me = client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["id"] == user.id


def test_it_refuses_a_session_post_without_csrf(client, users):
    client.login_as("demo_staff")
    response = client.post("/api/auth/logout", content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert client.get("/api/auth/me").status_code == 200  # still logged in


def test_it_refuses_login_without_csrf(client, users):
    response = client.post_json("/api/auth/login", {"username": "demo_staff", "password": "dianxiaoer-demo"}, csrf=False)
    assert response.status_code == 403


def test_it_logs_out(client, users):
    client.login_as("demo_staff")
    assert client.post_json("/api/auth/logout").status_code == 204
    assert client.get("/api/auth/me").status_code == 401


def test_it_answers_bad_credentials_with_a_clear_message(client, users):
    response = client.post_json("/api/auth/login", {"username": "demo_staff", "password": "wrong"})
    assert response.status_code == 401
    assert response.json()["detail"] == "用户名或密码错误"
    unknown = client.post_json("/api/auth/login", {"username": "nobody", "password": "wrong"})
    assert unknown.status_code == 401
    assert unknown.json()["detail"] == "用户名或密码错误"


def test_it_throttles_repeated_failures(client, users, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert client.post_json("/api/auth/login", {"username": "demo_staff", "password": "x"}).status_code == 401
    response = client.post_json("/api/auth/login", {"username": "demo_staff", "password": "dianxiaoer-demo"})
    # Even the right password is refused while throttled: the guesser learns nothing.
    assert response.status_code == 429
    assert "登录失败次数过多" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    # Another account from the same address is not locked by one user's failures.
    assert client.post_json("/api/auth/login", {"username": "demo_manager", "password": "dianxiaoer-demo"}).status_code == 200


def test_it_throttles_one_address_trying_many_accounts(client, users, settings):
    for i in range(settings.LOGIN_FAILURE_LIMIT * 4):
        client.post_json("/api/auth/login", {"username": f"guess{i}", "password": "x"})
    response = client.post_json("/api/auth/login", {"username": "demo_manager", "password": "dianxiaoer-demo"})
    assert response.status_code == 429


def test_it_refuses_unknown_fields_in_login(client, users):
    response = client.post_json("/api/auth/login", {"username": "demo_staff", "password": "p", "role": "admin"})
    assert response.status_code == 422
    assert response.json()["errors"]["role"] == "不允许提交此字段"


def _sent_code() -> str:
    return re.search(r"验证码是(\d{6})", LocmemSmsBackend.outbox[-1]["text"]).group(1)


def test_it_logs_in_an_enterprise_user_by_sms(client, users):
    response = client.post_json("/api/auth/sms/send", {"mobile": "13800001234"})
    assert response.status_code == 200
    assert response.json()["sent"] is True
    assert LocmemSmsBackend.outbox[-1]["mobile"] == "13800001234"
    response = client.post_json("/api/auth/sms/verify", {"mobile": "13800001234", "code": _sent_code()})
    assert response.status_code == 200
    assert response.json()["role"] == "enterprise"
    assert client.get("/api/auth/me").json()["username"] == "demo_enterprise"


def test_it_answers_unknown_numbers_like_known_ones_without_sending(client, users):
    response = client.post_json("/api/auth/sms/send", {"mobile": "13900009999"})
    assert response.status_code == 200
    assert LocmemSmsBackend.outbox == []


def test_it_rejects_a_wrong_sms_code_and_burns_it_after_five_tries(client, users):
    client.post_json("/api/auth/sms/send", {"mobile": "13800001234"})
    code = _sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        response = client.post_json("/api/auth/sms/verify", {"mobile": "13800001234", "code": wrong})
        assert response.status_code == 401
        assert response.json()["detail"] == "验证码错误"
    assert client.post_json("/api/auth/sms/verify", {"mobile": "13800001234", "code": wrong}).status_code == 401
    # After five wrong tries even the right code no longer works, from another
    # address too (this one is throttled by the login limiter by now).
    response = client.post_json("/api/auth/sms/verify", {"mobile": "13800001234", "code": code}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 401
    assert "重新获取" in response.json()["detail"]


def test_it_expires_sms_codes(client, users, settings):
    settings.SMS_CODE_TTL = 1
    client.post_json("/api/auth/sms/send", {"mobile": "13800001234"})
    code = _sent_code()
    from django.core.cache import cache

    cache.delete("smscode:13800001234")  # what the cache does when the TTL passes
    response = client.post_json("/api/auth/sms/verify", {"mobile": "13800001234", "code": code})
    assert response.status_code == 401
    assert "过期" in response.json()["detail"]


def test_it_rate_limits_sms_sending(client, users):
    assert client.post_json("/api/auth/sms/send", {"mobile": "13800001234"}).status_code == 200
    response = client.post_json("/api/auth/sms/send", {"mobile": "13800001234"})
    assert response.status_code == 429
    assert "频繁" in response.json()["detail"]
    assert len(LocmemSmsBackend.outbox) == 1


def test_it_rejects_a_malformed_mobile(client, users):
    response = client.post_json("/api/auth/sms/send", {"mobile": "12345"})
    assert response.status_code == 422
    assert response.json()["errors"]["mobile"] == "格式不正确"


def test_it_asks_for_the_privacy_notice_once_per_version(client, users, settings):
    client.login_as("demo_staff")
    me = client.get("/api/auth/me").json()
    assert me["privacy_acknowledged"] is False
    assert client.post_json("/api/auth/privacy-ack", {"version": "1999-01"}).status_code == 422
    assert client.post_json("/api/auth/privacy-ack", {"version": me["privacy_notice_version"]}).status_code == 204
    assert client.post_json("/api/auth/privacy-ack", {"version": me["privacy_notice_version"]}).status_code == 204
    assert client.get("/api/auth/me").json()["privacy_acknowledged"] is True
    settings.PRIVACY_NOTICE_VERSION = "2027-01"
    assert client.get("/api/auth/me").json()["privacy_acknowledged"] is False


def test_it_tells_the_notice_how_long_positions_are_kept(client, users, settings):
    settings.LOCATION_RETENTION_DAYS = 180
    client.login_as("demo_staff")
    assert client.get("/api/auth/me").json()["location_retention_days"] == 180
