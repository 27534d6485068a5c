import pytest

from backend.enterprises.models import Enterprise
from backend.enterprises.services import enterprise_create
from backend.enterprises.uscc import USCCError, check_character, is_valid_uscc, normalize_uscc

pytestmark = pytest.mark.django_db

SAMPLE = "91350100M000100Y43"  # widely cited valid code (shared/reference/README.md)
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def test_it_accepts_the_published_sample_code():
    assert is_valid_uscc(SAMPLE)
    assert normalize_uscc(SAMPLE.lower()) == SAMPLE


def test_it_rejects_every_single_character_change_of_the_sample():
    for i, original in enumerate(SAMPLE):
        for replacement in ALPHABET:
            if replacement != original:
                code = SAMPLE[:i] + replacement + SAMPLE[i + 1 :]
                assert not is_valid_uscc(code), code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "统一社会信用代码应为18位，当前为17位"),
        ("91350100M000100Y4O", "统一社会信用代码含有非法字符：O（不使用 I、O、S、V、Z）"),
        ("91350100M000100Y44", "统一社会信用代码校验位不正确，请核对后重新输入"),
    ],
)
def test_it_explains_why_a_code_is_wrong_in_chinese(code, message):
    with pytest.raises(USCCError, match=message):
        normalize_uscc(code)


def _payload(**overrides):
    return {"uscc": SAMPLE, "name": "上海青枫新材料有限公司", "lat": 31.12, "lng": 121.42, "industry": "C"} | overrides


def test_it_refuses_a_malformed_credit_code_with_a_chinese_message(client, users):
    client.login_as("demo_admin")
    response = client.post_json("/api/enterprises", _payload(uscc="91350100M000100Y44"))
    assert response.status_code == 422
    body = response.json()
    assert body["errors"]["uscc"] == "统一社会信用代码校验位不正确，请核对后重新输入"
    assert "统一社会信用代码" in body["detail"]


def test_it_registers_an_enterprise_with_pinyin_initials(client, users):
    client.login_as("demo_admin")
    response = client.post_json("/api/enterprises", _payload(uscc=_valid("91310112MA1GBXY")))
    assert response.status_code == 201, response.content
    enterprise = Enterprise.objects.get(id=response.json()["id"])
    assert enterprise.name_initials == "shqfxclyxgs"


def test_it_answers_409_for_a_duplicate_code(client, users, enterprise):
    client.login_as("demo_admin")
    response = client.post_json("/api/enterprises", _payload())
    assert response.status_code == 409
    assert response.json()["errors"]["uscc"] == "该统一社会信用代码的企业已存在"


def test_it_lets_only_admins_register_enterprises(client, users):
    client.login_as("demo_staff")
    assert client.post_json("/api/enterprises", _payload()).status_code == 403


def test_it_refuses_out_of_range_coordinates(client, users):
    client.login_as("demo_admin")
    response = client.post_json("/api/enterprises", _payload(lat=91))
    assert response.status_code == 422
    assert response.json()["errors"]["lat"] == "应不大于 90.0"


def test_it_shows_an_enterprise_user_only_their_own_enterprise(client, users, enterprise):
    other = enterprise_create(uscc=_valid("911100001000000"), name="别家公司", lat=31.1, lng=121.4, industry="F")
    client.login_as("demo_enterprise")
    listed = client.get("/api/enterprises").json()
    assert [e["id"] for e in listed["items"]] == [enterprise.id]
    assert client.get(f"/api/enterprises/{other.id}").status_code == 404
    assert client.get(f"/api/enterprises/{enterprise.id}").status_code == 200


def test_it_lets_staff_search_by_name_and_pinyin_initials(client, users, enterprise):
    client.login_as("demo_staff")
    assert client.get("/api/enterprises", {"q": "示范"}).json()["count"] == 1
    assert client.get("/api/enterprises", {"q": "shqf"}).json()["count"] == 1
    assert client.get("/api/enterprises", {"q": "zzz"}).json()["count"] == 0


def test_it_keeps_owners_and_anonymous_out_of_the_registry(client, users, enterprise):
    assert client.get("/api/enterprises").status_code == 401
    client.login_as("demo_owner")
    assert client.get("/api/enterprises").status_code == 403
    assert client.get(f"/api/enterprises/{enterprise.id}").status_code == 404


def _valid(prefix15: str) -> str:
    body = prefix15 + "00"
    return body + check_character(body)
