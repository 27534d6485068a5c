import pytest

from apisupport import valid_uscc
from backend.enterprises.services import enterprise_create
from geo.distance import distance_m

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring(enterprise):
    """Enterprises at known distances north of (31.12, 121.42)."""
    made = [enterprise]
    for i, metres in enumerate([120, 800, 2500, 9000, 40000]):
        made.append(
            enterprise_create(
                uscc=valid_uscc(f"9131011200000{i:02d}"),
                name=f"青枫测试{i}号有限公司",
                lat=31.12 + metres / 111_320,
                lng=121.42,
                industry="C",
            )
        )
    return made


def test_it_lists_enterprises_nearest_first_with_distances(client, users, ring):
    client.login_as("demo_staff")
    here = (31.12 + 100 / 111_320, 121.42)
    rows = client.get("/api/enterprises/nearby", {"lat": here[0], "lng": here[1], "limit": 4}).json()["items"]
    assert [r["name"] for r in rows] == ["青枫测试0号有限公司", "上海青枫示范科技有限公司", "青枫测试1号有限公司", "青枫测试2号有限公司"]
    for row in rows:
        assert row["distance_m"] == pytest.approx(distance_m(*here, row["lat"], row["lng"]), abs=0.1)


def test_it_reaches_far_enterprises_when_few_are_near(client, users, ring):
    client.login_as("demo_staff")
    rows = client.get("/api/enterprises/nearby", {"lat": 31.12, "lng": 121.42, "limit": 10}).json()["items"]
    assert len(rows) == 6
    assert rows[-1]["distance_m"] > 39_000


def test_it_filters_nearby_by_pinyin_initials(client, users, ring):
    client.login_as("demo_staff")
    rows = client.get("/api/enterprises/nearby", {"lat": 31.12, "lng": 121.42, "q": "shqfsf"}).json()["items"]
    assert [r["name"] for r in rows] == ["上海青枫示范科技有限公司"]


def test_it_keeps_enterprise_users_out_of_nearby(client, users, ring):
    client.login_as("demo_enterprise")
    assert client.get("/api/enterprises/nearby", {"lat": 31.12, "lng": 121.42}).status_code == 403


def test_it_validates_nearby_coordinates(client, users):
    client.login_as("demo_staff")
    response = client.get("/api/enterprises/nearby", {"lat": 95, "lng": 121.42})
    assert response.status_code == 422
    assert "lat" in response.json()["errors"]


def test_it_finds_enterprises_by_name_or_initials_before_a_fix(client, users, ring):
    client.login_as("demo_staff")
    by_initials = client.get("/api/enterprises/nearby", {"q": "qfcs", "limit": 3}).json()
    assert [r["name"] for r in by_initials["items"]] == ["青枫测试0号有限公司", "青枫测试1号有限公司", "青枫测试2号有限公司"]
    assert all(r["distance_m"] is None for r in by_initials["items"])
    by_name = client.get("/api/enterprises/nearby", {"q": "示范"}).json()["items"]
    assert [r["name"] for r in by_name] == ["上海青枫示范科技有限公司"]


def test_it_wants_a_name_or_both_coordinates_without_a_fix(client, users, ring):
    client.login_as("demo_staff")
    no_query = client.get("/api/enterprises/nearby")
    assert no_query.status_code == 422
    assert "q" in no_query.json()["errors"]
    half = client.get("/api/enterprises/nearby", {"lat": 31.12, "q": "qf"})
    assert half.status_code == 422
    assert "lng" in half.json()["errors"]


def test_it_leaves_pending_registrations_out_of_a_name_search(client, users, ring):
    from backend.enterprises.models import Enterprise

    Enterprise.objects.filter(name="青枫测试4号有限公司").update(lat=None, lng=None, pending=True)
    client.login_as("demo_staff")
    rows = client.get("/api/enterprises/nearby", {"q": "qfcs"}).json()["items"]
    assert "青枫测试4号有限公司" not in [r["name"] for r in rows]
