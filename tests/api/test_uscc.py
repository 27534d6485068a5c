"""统一社会信用代码 (GB 32100-2015): the check character, on codes of real companies."""

import pytest

from backend.enterprises.services import enterprise_create
from backend.enterprises.uscc import ALPHABET, _WEIGHTS, check_character, is_valid_uscc
from backend.errors import Invalid

# Published on the licences of well-known companies (National Enterprise Credit Information Publicity System).
REAL = [
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "914403001922038216",  # 华为技术有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91310000717866186P",
    "91350100M000100Y43",  # the standard's own sample
]


def test_it_uses_the_weights_and_alphabet_of_the_standard():
    assert _WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert ALPHABET == "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z


@pytest.mark.parametrize("code", REAL)
def test_it_computes_the_check_character_of_real_codes(code):
    assert check_character(code[:17]) == code[17]
    assert is_valid_uscc(code)
    assert is_valid_uscc(code.lower())


def test_it_maps_a_sum_divisible_by_31_to_the_check_character_0():
    # 31 - 0 = 31 is not a character: the standard wraps it to 0.
    body = next(b for b in (f"9131011200000{i:04d}" for i in range(10_000)) if sum(
        ALPHABET.index(c) * w for c, w in zip(b, _WEIGHTS)) % 31 == 0)
    assert check_character(body) == "0"


@pytest.mark.parametrize("code", [c[:17] + ("0" if c[17] != "0" else "1") for c in REAL] + [c[1:] + c[0] for c in REAL])
def test_it_refuses_a_wrong_check_character_or_a_shifted_code(code):
    assert not is_valid_uscc(code)


@pytest.mark.django_db
def test_it_checks_the_code_in_the_service_too_not_only_in_the_api_schema():
    with pytest.raises(Invalid, match="校验位不正确"):
        enterprise_create(uscc="91350100M000100Y44", name="某公司", lat=31.1, lng=121.4, industry="C")
    assert enterprise_create(uscc="91350100m000100y43", name="某公司", lat=31.1, lng=121.4, industry="C").uscc == "91350100M000100Y43"
