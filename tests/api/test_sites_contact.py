"""Revealing an owner's contact: logged in only, limited, logged (issue #4, acceptance 2)."""

import datetime as dt

import pytest
import time_machine

from backend.sites.models import ContactReveal

from sites_support import make_site

pytestmark = pytest.mark.django_db

# The limits count in fixed windows: start well inside a minute (and a day) so a test never straddles one.
START = dt.datetime(2026, 10, 30, 2, 0, 5, tzinfo=dt.UTC)


@pytest.fixture
def sites(owner_unit):
    return [make_site(owner_unit, name=f"东湾村{i}号厂房", contact_mobile=f"1380000{i:04d}") for i in range(12)]


def test_it_refuses_anonymous_reveals_with_401(client, sites):
    response = client.post_json(f"/api/sites/{sites[0].id}/contact")
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录"
    assert not ContactReveal.objects.exists()


def test_it_reveals_the_full_contact_and_logs_who_when_and_from_where(client, users, sites):
    client.login_as("demo_enterprise")
    with time_machine.travel(START, tick=False):
        response = client.post_json(f"/api/sites/{sites[3].id}/contact", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "site_id": sites[3].id,
        "owner_name": "青枫镇东湾村经济合作社",
        "contact_name": "胡春倩",
        "contact_phone": "13800000003",
        "tel_url": "tel:13800000003",
    }
    reveal = ContactReveal.objects.get()
    assert (reveal.user.username, reveal.site_id, reveal.at, reveal.ip) == ("demo_enterprise", sites[3].id, START, "203.0.113.7")


def test_it_answers_429_to_the_eleventh_reveal_in_a_minute(client, users, sites):
    client.login_as("demo_enterprise")
    with time_machine.travel(START, tick=False):
        for site in sites[:10]:
            assert client.post_json(f"/api/sites/{site.id}/contact").status_code == 200
        response = client.post_json(f"/api/sites/{sites[10].id}/contact")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "每分钟最多10次" in response.json()["detail"]
    assert ContactReveal.objects.count() == 10  # the refused one saw nothing, so it is not a reveal
    # Another user has their own allowance.
    client.post_json("/api/auth/logout")
    client.login_as("demo_staff")
    with time_machine.travel(START + dt.timedelta(seconds=1), tick=False):
        assert client.post_json(f"/api/sites/{sites[10].id}/contact").status_code == 200


def test_it_counts_the_same_site_revealed_twice_as_two_reveals(client, users, sites):
    client.login_as("demo_enterprise")
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            assert client.post_json(f"/api/sites/{sites[0].id}/contact").status_code == 200
        assert client.post_json(f"/api/sites/{sites[0].id}/contact").status_code == 429


def test_it_allows_fifty_reveals_a_day(client, users, sites):
    client.login_as("demo_enterprise")
    # Ten every other minute: the per-minute limit slides, so back-to-back minutes would not do.
    for minute in range(0, 10, 2):
        with time_machine.travel(START + dt.timedelta(minutes=minute), tick=False):
            for site in sites[:10]:
                assert client.post_json(f"/api/sites/{site.id}/contact").status_code == 200
    # Twenty minutes on: the counters outlive the cache's default 5-minute timeout.
    with time_machine.travel(START + dt.timedelta(minutes=20), tick=False):
        response = client.post_json(f"/api/sites/{sites[0].id}/contact")
    assert response.status_code == 429
    assert "今日上限" in response.json()["detail"]
    assert ContactReveal.objects.count() == 50


def test_it_needs_the_csrf_token_to_reveal(client, users, sites):
    client.login_as("demo_enterprise")
    assert client.post_json(f"/api/sites/{sites[0].id}/contact", csrf=False).status_code == 403


def test_it_answers_404_when_revealing_an_unknown_site(client, users):
    client.login_as("demo_enterprise")
    assert client.post_json("/api/sites/999999/contact").status_code == 404


def test_it_names_the_limit_that_tripped_whatever_the_wait():
    from backend.ratelimit import Limit
    from backend.sites.services import _reveal_message

    # A sliding day window can free a slot in seconds: still the daily limit speaking.
    assert "今日上限" in _reveal_message(Limit("d", 50, 24 * 3600), 30) and "30秒" in _reveal_message(Limit("d", 50, 24 * 3600), 30)
    assert "每分钟" in _reveal_message(Limit("m", 10, 60), 30)
