"""One login limiter for every login path (issue 11, items 1 and 2):
/api/auth/login, /api/auth/sms/verify and /admin/login/, keyed on (account, IP)
with a per-account ceiling for new devices, counted atomically."""

import datetime as dt
import re
import threading

import pytest
import requests
import time_machine

from apisupport import PASSWORD, ApiClient
from backend.accounts.sms import LocmemSmsBackend
from backend.accounts.throttle import DEVICE_COOKIE

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


def login(client, username="demo_admin", password="wrong", ip="203.0.113.7"):
    return client.post_json("/api/auth/login", {"username": username, "password": password}, REMOTE_ADDR=ip)


def admin_login(client, username="demo_admin", password="wrong", ip="203.0.113.7"):
    client.get("/admin/login/", REMOTE_ADDR=ip)
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        REMOTE_ADDR=ip,
    )


def test_it_throttles_the_admin_login_page_and_refuses_even_the_right_password(users, settings):
    client = ApiClient()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = admin_login(client)
        assert response.status_code == 200 and "请输入一个正确的" in response.content.decode()
    response = admin_login(client, password=PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_it_counts_admin_api_and_sms_failures_in_one_limiter(users, settings):
    client = ApiClient()
    assert settings.LOGIN_FAILURE_LIMIT == 5
    for _ in range(3):
        admin_login(client, username="demo_enterprise")
    assert login(client, username="demo_enterprise").status_code == 401
    client.post_json("/api/auth/sms/send", {"mobile": "13800001234"}, REMOTE_ADDR="203.0.113.7")
    code = re.search(r"验证码是(\d{6})", LocmemSmsBackend.outbox[-1]["text"]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post_json("/api/auth/sms/verify", {"mobile": "13800001234", "code": wrong}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 401
    # Five failures on three paths: each path now refuses this account from this address.
    assert login(client, username="demo_enterprise", password=PASSWORD).status_code == 429
    response = client.post_json("/api/auth/sms/verify", {"mobile": "13800001234", "code": code}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert admin_login(client, username="demo_enterprise", password=PASSWORD).status_code == 429


def test_it_lets_the_official_in_from_another_address_while_a_guesser_is_throttled(users, settings):
    users["admin"].is_staff = True
    users["admin"].save()
    guesser, official = ApiClient(), ApiClient()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert login(guesser).status_code == 401
    assert login(guesser, password=PASSWORD).status_code == 429
    assert login(official, password=PASSWORD, ip="198.51.100.20").status_code == 200
    assert admin_login(ApiClient(), password=PASSWORD, ip="198.51.100.21").status_code == 302


def test_it_keeps_one_address_below_the_accounts_daily_ceiling(users, settings):
    assert settings.LOGIN_FAILURE_PAIR_DAILY < settings.LOGIN_FAILURE_ACCOUNT_DAILY
    guesser = ApiClient()
    failures = 0
    with time_machine.travel(START, tick=False) as clock:
        # A patient guesser keeps under the fast limit for hours.
        for _ in range(10):
            for _ in range(settings.LOGIN_FAILURE_LIMIT):
                failures += login(guesser).status_code == 401
            clock.shift(dt.timedelta(minutes=31))
        assert failures == settings.LOGIN_FAILURE_PAIR_DAILY
        response = login(guesser, password=PASSWORD)
        assert response.status_code == 429
        # The account itself is not locked: the official logs in on a new phone elsewhere.
        assert login(ApiClient(), password=PASSWORD, ip="198.51.100.20").status_code == 200


def test_it_stops_a_guess_spread_over_many_addresses_except_on_a_known_device(users, settings):
    settings.LOGIN_FAILURE_ACCOUNT_DAILY = 12
    phone = ApiClient()
    assert login(phone, password=PASSWORD, ip="198.51.100.20").status_code == 200
    assert phone.cookies[DEVICE_COOKIE]["httponly"]
    phone.post_json("/api/auth/logout")
    botnet = ApiClient()
    for n in range(settings.LOGIN_FAILURE_ACCOUNT_DAILY):
        assert login(botnet, ip=f"192.0.2.{n}").status_code == 401
    response = login(botnet, password=PASSWORD, ip="192.0.2.200")
    assert response.status_code == 429
    assert "新设备" in response.json()["detail"]
    # A new device is refused even with the right password, the official's own phone is not.
    assert login(ApiClient(), password=PASSWORD, ip="198.51.100.20").status_code == 429
    assert login(phone, password=PASSWORD, ip="198.51.100.20").status_code == 200
    # A forged or foreign cookie does not count as known.
    forged = ApiClient()
    forged.cookies[DEVICE_COOKIE] = phone.cookies[DEVICE_COOKIE].value[:-2] + "xx"
    assert login(forged, password=PASSWORD, ip="198.51.100.20").status_code == 429


def test_it_gives_back_the_attempt_of_a_right_password(users, settings):
    client = ApiClient()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert login(client).status_code == 401
    assert login(client, password=PASSWORD).status_code == 200
    # A success starts this address afresh for this account.
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert login(client).status_code == 401
    assert login(client).status_code == 429


def test_it_sends_sms_codes_at_least_a_minute_apart_across_a_minute_boundary(users):
    client = ApiClient()
    edge = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(edge - dt.timedelta(seconds=0.5), tick=False):
        assert client.post_json("/api/auth/sms/send", {"mobile": "13800001234"}).status_code == 200
    with time_machine.travel(edge + dt.timedelta(seconds=1), tick=False):
        response = client.post_json("/api/auth/sms/send", {"mobile": "13800001234"})
        assert response.status_code == 429
        assert 58 <= int(response["Retry-After"]) <= 59
    with time_machine.travel(edge + dt.timedelta(seconds=59.4), tick=False):
        assert client.post_json("/api/auth/sms/send", {"mobile": "13800001234"}).status_code == 429
    with time_machine.travel(edge + dt.timedelta(seconds=59.5), tick=False):
        assert client.post_json("/api/auth/sms/send", {"mobile": "13800001234"}).status_code == 200
    assert len(LocmemSmsBackend.outbox) == 2


# --- real concurrency against a live server (both databases) -------------------


def _parallel(n, fn):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _sessions(base, n):
    sessions = []
    for _ in range(n):
        session = requests.Session()
        session.get(f"{base}/api/auth/csrf", timeout=30)
        sessions.append(session)
    return sessions


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_the_limit_of_parallel_wrong_passwords_be_tried(live_server, users, settings):
    sessions = _sessions(live_server.url, 12)

    def guess(i):
        session = sessions[i]
        response = session.post(
            f"{live_server.url}/api/auth/login",
            json={"username": "demo_admin", "password": f"guess-{i}"},
            headers={"X-CSRFToken": session.cookies["csrftoken"]},
            timeout=60,
        )
        return response.status_code

    with time_machine.travel(START + dt.timedelta(seconds=100), tick=False):  # mid-window: no edge slack
        statuses = _parallel(12, guess)
    assert sorted(statuses) == [401] * settings.LOGIN_FAILURE_LIMIT + [429] * (12 - settings.LOGIN_FAILURE_LIMIT)


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_the_limit_of_parallel_wrong_sms_codes_be_tried(live_server, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 50  # here the code's own five tries are what is tested
    settings.LOGIN_FAILURE_IP_LIMIT = 50
    sessions = _sessions(live_server.url, 12)
    first = sessions[0]
    first.post(f"{live_server.url}/api/auth/sms/send", json={"mobile": "13800001234"}, headers={"X-CSRFToken": first.cookies["csrftoken"]}, timeout=30)
    code = re.search(r"验证码是(\d{6})", LocmemSmsBackend.outbox[-1]["text"]).group(1)

    def guess(i):
        wrong = f"{(int(code) + 1 + i) % 10**6:06d}"
        session = sessions[i]
        response = session.post(
            f"{live_server.url}/api/auth/sms/verify",
            json={"mobile": "13800001234", "code": wrong},
            headers={"X-CSRFToken": session.cookies["csrftoken"]},
            timeout=60,
        )
        return response.json()["code"]

    codes = _parallel(12, guess)
    assert codes.count("sms_code_wrong") == settings.SMS_CODE_MAX_ATTEMPTS, codes
