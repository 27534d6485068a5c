"""Revealing an owner's contact: logged in only, limited per user, organisation and
network, logged, watched (issue #4 acceptance 2; issue 11 item 6)."""

import datetime as dt
import threading

import pytest
import time_machine

from apisupport import PASSWORD, ApiClient, valid_uscc
from backend.accounts.models import User
from backend.enterprises.services import enterprise_create, enterprise_member_add
from backend.errors import RateLimited
from backend.notifications.models import Notice
from backend.ratelimit import Limit, network_of
from backend.sites import reveals
from backend.sites.models import ContactReveal

from sites_support import make_site

pytestmark = pytest.mark.django_db

# The limits count in fixed windows: start well inside a minute (and a day) so a test never straddles one.
START = dt.datetime(2026, 10, 30, 2, 0, 5, tzinfo=dt.UTC)


def at(seconds=0):
    return time_machine.travel(START + dt.timedelta(seconds=seconds), tick=False)


@pytest.fixture
def sites(owner_unit):
    return [make_site(owner_unit, name=f"东湾村{i}号厂房", contact_mobile=f"1380000{i:04d}") for i in range(12)]


@pytest.fixture
def many_sites(owner_unit):
    return [make_site(owner_unit, name=f"南塘村{i}号仓库", contact_mobile=f"1390000{i:04d}") for i in range(100)]


def make_users(n, *, prefix, enterprise=None, role=User.Role.ENTERPRISE):
    """n accounts, logged in; enterprise users of `enterprise` (one each of their own when None)."""
    clients = []
    for i in range(n):
        own = enterprise or enterprise_create(
            uscc=valid_uscc(f"91310112{len(prefix)}{ord(prefix[-1]) % 100:02d}{i:04d}"), name=f"{prefix}公司{i}", lat=31.12, lng=121.42, industry="C"
        )
        user = User.objects.create_user(username=f"{prefix}{i}", password=PASSWORD, role=role)
        if role == User.Role.ENTERPRISE:
            enterprise_member_add(user=user, enterprise=own)
        client = ApiClient()
        client.login_as(f"{prefix}{i}")
        clients.append(client)
    return clients


def reveal(client, site, ip="198.51.100.7"):
    return client.post_json(f"/api/sites/{site.id}/contact", REMOTE_ADDR=ip)


def test_it_refuses_anonymous_reveals_with_401(client, sites):
    response = client.post_json(f"/api/sites/{sites[0].id}/contact")
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录"
    assert not ContactReveal.objects.exists()


def test_it_reveals_the_full_contact_and_logs_who_when_and_from_where(client, users, sites, enterprise):
    client.login_as("demo_enterprise")
    with at():
        response = reveal(client, sites[3], ip="203.0.113.7")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "site_id": sites[3].id,
        "owner_name": "青枫镇东湾村经济合作社",
        "contact_name": "胡春倩",
        "contact_phone": "13800000003",
        "tel_url": "tel:13800000003",
    }
    row = ContactReveal.objects.get()
    assert (row.user.username, row.site_id, row.at, row.ip, row.network, row.enterprise_id, row.repeat) == (
        "demo_enterprise", sites[3].id, START, "203.0.113.7", "203.0.113.0/24", enterprise.id, False
    )


def test_it_answers_429_to_the_eleventh_reveal_in_a_minute(client, users, sites):
    client.login_as("demo_enterprise")
    with at():
        for site in sites[:10]:
            assert reveal(client, site).status_code == 200
        response = reveal(client, sites[10])
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "每分钟最多10次" in response.json()["detail"]
    assert ContactReveal.objects.count() == 10  # the refused one saw nothing, so it is not a reveal
    # Another user (no enterprise, same network) has their own allowance.
    client.post_json("/api/auth/logout")
    client.login_as("demo_staff")
    with at(1):
        assert reveal(client, sites[10]).status_code == 200


def test_it_does_not_count_the_same_site_twice_but_logs_every_reveal(client, users, sites):
    client.login_as("demo_enterprise")
    with at():
        for _ in range(12):
            assert reveal(client, sites[0]).status_code == 200
        for site in sites[1:10]:
            assert reveal(client, site).status_code == 200  # 10 distinct sites: the minute's allowance
        assert reveal(client, sites[10]).status_code == 429
        assert reveal(client, sites[5]).status_code == 200  # one already seen still shows
    assert ContactReveal.objects.count() == 22
    assert ContactReveal.objects.filter(repeat=True).count() == 12


def test_it_bounds_repeated_reveals_so_they_cannot_flood_the_log(client, users, sites):
    client.login_as("demo_enterprise")
    with at():
        codes = [reveal(client, sites[0]).status_code for _ in range(reveals.REPEAT_REVEALS_PER_MINUTE + 2)]
    assert codes.count(200) == reveals.REPEAT_REVEALS_PER_MINUTE + 1 and codes[-1] == 429


def test_it_allows_fifty_distinct_sites_a_day(client, users, many_sites):
    client.login_as("demo_enterprise")
    # Ten every other minute: the per-minute limit slides, so back-to-back minutes would not do.
    for batch in range(5):
        with at(120 * batch):
            for site in many_sites[10 * batch : 10 * batch + 10]:
                assert reveal(client, site).status_code == 200
    # Twenty minutes on: the counters outlive the cache's default 5-minute timeout.
    with at(20 * 60):
        response = reveal(client, many_sites[50])
        assert reveal(client, many_sites[0]).status_code == 200  # seen today: not counted again
    assert response.status_code == 429
    assert "今日上限" in response.json()["detail"]
    assert ContactReveal.objects.filter(repeat=False).count() == 50


def test_it_holds_the_organisations_limits_over_all_its_accounts(users, enterprise, many_sites, client, monkeypatch):
    """8 accounts × 10 reveals of one enterprise (in the finding, 8.7 s for 80 numbers), each
    from a network of its own: together no more than the organisation's limits."""
    accounts = make_users(8, prefix="org", enterprise=enterprise)
    with at():
        answers = [reveal(c, many_sites[10 * i + j], ip=f"10.0.{i}.1") for j in range(10) for i, c in enumerate(accounts)]
    assert sum(a.status_code == 200 for a in answers) == reveals.ORG_REVEALS_PER_MINUTE
    refused = next(a for a in answers if a.status_code == 429)
    assert "贵单位" in refused.json()["detail"] and 1 <= int(refused["Retry-After"]) <= 60
    # The day (made 30 here, to need fewer sites): two minutes on, the accounts together get 10 more.
    monkeypatch.setattr(reveals, "ORG_REVEALS_PER_DAY", 30)
    with at(120):
        answers = [reveal(c, many_sites[80 + 2 * i + j], ip=f"10.0.{i}.1") for j in range(2) for i, c in enumerate(accounts)]
    assert sum(a.status_code == 200 for a in answers) == 10
    assert "贵单位的账号查看联系方式次数已达今日上限（合计每天30次）" in answers[-1].json()["detail"]
    assert ContactReveal.objects.filter(enterprise=enterprise).values("site").distinct().count() == 30
    # Someone of another organisation and network is not locked out by any of it.
    client.login_as("demo_staff")
    with at(121):
        assert reveal(client, many_sites[1], ip="192.0.2.1").status_code == 200


def test_it_holds_the_networks_limit_over_all_accounts_in_one_slash_24(users, many_sites, client):
    accounts = make_users(8, prefix="net")  # eight enterprises: the organisation limit is not what trips
    with at():
        answers = [reveal(c, many_sites[10 * i + j], ip=f"203.0.113.{i + 1}") for j in range(10) for i, c in enumerate(accounts)]
    assert sum(a.status_code == 200 for a in answers) == reveals.NETWORK_REVEALS_PER_MINUTE
    refused = next(a for a in answers if a.status_code == 429)
    assert "您所在的网络" in refused.json()["detail"] and int(refused["Retry-After"]) >= 1
    # The next /24 is another network, and people there are not locked out.
    client.login_as("demo_enterprise")
    with at(1):
        assert reveal(client, many_sites[0], ip="203.0.114.1").status_code == 200


def test_it_groups_addresses_by_slash_24_and_slash_64():
    assert network_of("203.0.113.77") == network_of("203.0.113.1") == "203.0.113.0/24"
    assert network_of("::ffff:203.0.113.9") == "203.0.113.0/24"
    assert network_of("2001:db8:1:2:aaaa::1") == network_of("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert network_of("2001:db8:1:3::1") != network_of("2001:db8:1:2::1")
    assert network_of(None) is None and network_of("unix:") is None


@pytest.mark.django_db(transaction=True)
def test_it_lets_racing_accounts_of_one_organisation_through_no_more_than_its_limit(users, enterprise, many_sites):
    from django.db import connection

    members = [User.objects.create_user(username=f"race{i}", role=User.Role.ENTERPRISE) for i in range(8)]
    for member in members:
        enterprise_member_add(user=member, enterprise=enterprise)
    barrier = threading.Barrier(8)
    outcomes = []

    def harvest(user, offset):
        barrier.wait()
        try:
            for j in range(5):
                try:
                    reveals.site_contact_reveal(user=user, site_id=many_sites[offset + j].id, ip=None)
                    outcomes.append("shown")
                except RateLimited:
                    outcomes.append("refused")
        finally:
            connection.close()

    with at():
        threads = [threading.Thread(target=harvest, args=(u, 5 * i)) for i, u in enumerate(members)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(outcomes) == 40 and outcomes.count("shown") == reveals.ORG_REVEALS_PER_MINUTE, outcomes
    assert ContactReveal.objects.count() == reveals.ORG_REVEALS_PER_MINUTE


def test_it_needs_the_csrf_token_to_reveal(client, users, sites):
    client.login_as("demo_enterprise")
    assert client.post_json(f"/api/sites/{sites[0].id}/contact", csrf=False).status_code == 403


def test_it_answers_404_when_revealing_an_unknown_site(client, users):
    client.login_as("demo_enterprise")
    assert client.post_json("/api/sites/999999/contact").status_code == 404


def test_it_names_the_limit_that_tripped_whatever_the_wait():
    message = reveals._reveal_message
    # A sliding day window can free a slot in seconds: still the daily limit speaking.
    day = Limit("reveal:user:1:day", 50, 24 * 3600)
    assert "今日上限" in message(day, 30) and "30秒" in message(day, 30)
    assert "每分钟最多10次" in message(Limit("reveal:user:1:min", 10, 60), 30)
    assert "贵单位" in message(Limit("reveal:org:7:day", 100, 24 * 3600), 7200) and "3小时" in message(Limit("reveal:org:7:day", 100, 24 * 3600), 7200)
    assert "您所在的网络" in message(Limit("reveal:network:203.0.113.0/24:min", 30, 60), 5)


# --- alerts and the audit log ------------------------------------------------------------


def alerts():
    return list(Notice.objects.filter(kind="sites.reveal_alert").order_by("id").values_list("user__username", "title", "body"))


def test_it_alerts_every_admin_once_an_hour_when_an_organisation_reveals_many_sites(users, enterprise, many_sites, monkeypatch):
    monkeypatch.setattr(reveals, "ORG_ALERT_SITES_PER_HOUR", 6)
    second_admin = User.objects.create_user(username="admin2", role=User.Role.ADMIN)
    User.objects.create_user(username="gone_admin", role=User.Role.ADMIN, is_active=False)
    accounts = make_users(2, prefix="alrt", enterprise=enterprise)
    with at():
        for j in range(5):
            assert reveal(accounts[j % 2], many_sites[j], ip=f"10.1.{j}.1").status_code == 200
        assert reveal(accounts[0], many_sites[0], ip="10.1.9.1").status_code == 200  # a repeat: still 5 sites
        assert alerts() == []
        assert reveal(accounts[1], many_sites[5], ip="10.1.5.1").status_code == 200  # the sixth site in the hour
    got = alerts()
    assert sorted(u for u, _, _ in got) == ["admin2", "demo_admin"] and second_admin.is_active
    assert "上海青枫示范科技有限公司" in got[0][1] and "6处场地" in got[0][2]
    with at(600):  # more in the same hour: no second alert
        for j in range(6, 9):
            assert reveal(accounts[0], many_sites[j], ip=f"10.1.{j}.1").status_code == 200
    assert len(alerts()) == 2
    with at(3600):  # the next hour, still more than the threshold within an hour: alerted again
        for j in range(9, 12):
            assert reveal(accounts[1], many_sites[j], ip=f"10.1.{j}.1").status_code == 200
    assert len(alerts()) == 4


def test_it_alerts_the_admins_about_a_busy_network_and_a_busy_user(users, many_sites, client, monkeypatch):
    monkeypatch.setattr(reveals, "NETWORK_ALERT_SITES_PER_HOUR", 4)
    monkeypatch.setattr(reveals, "USER_ALERT_SITES_PER_DAY", 7)
    accounts = make_users(2, prefix="busy")
    with at():
        for j in range(4):
            assert reveal(accounts[j % 2], many_sites[j], ip=f"2001:db8:5:5::{j + 1}").status_code == 200
    assert [t for _, t, _ in alerts()] == ["疑似批量获取联系电话：网络 2001:db8:5:5::/64"]
    client.login_as("demo_enterprise")
    for j in range(7):  # a few hours apart: no network or organisation alert, but one user's day
        with at(4 * 3600 * (j % 3) + 300 + j):
            assert reveal(client, many_sites[10 + j], ip=f"10.2.{j}.1").status_code == 200
    titles = [t for _, t, _ in alerts()]
    assert titles[1:] == ["疑似批量获取联系电话：用户 demo_enterprise（demo_enterprise）"]


def test_it_shows_the_reveal_log_to_admins_only(users, sites, client):
    client.login_as("demo_enterprise")
    with at():
        assert reveal(client, sites[0], ip="203.0.113.7").status_code == 200
    User.objects.filter(id=users["admin"].id).update(is_staff=True, is_superuser=True)
    admin = ApiClient()
    admin.force_login(users["admin"])
    page = admin.get("/admin/sites/contactreveal/").content.decode()
    assert "203.0.113.0/24" in page and "上海青枫示范科技有限公司" in page and sites[0].name in page
    assert admin.get("/admin/sites/contactreveal/?q=203.0.113.0/24").status_code == 200
    assert client.get("/admin/sites/contactreveal/").status_code == 302  # not staff: to the admin login
