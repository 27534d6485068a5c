"""Unified social credit code (统一社会信用代码, GB 32100-2015).

Pure Python, no Django: the demo-town generator imports it too.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Weight of position i is 3**i mod 31 (GB 32100-2015, clause 5.2).
_WEIGHTS = [pow(3, i, 31) for i in range(17)]


class USCCError(ValueError):
    """Why a code is not a valid unified social credit code, in Chinese."""


def check_character(body: str) -> str:
    """The 18th character for the 17-character ``body``."""
    total = sum(_VALUE[ch] * w for ch, w in zip(body, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(code: str) -> str:
    """Return the upper-cased code, or raise USCCError with a Chinese message."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        raise USCCError(f"统一社会信用代码应为18位，当前为{len(code)}位")
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        raise USCCError(
            "统一社会信用代码含有非法字符：" + "、".join(bad) + "（不使用 I、O、S、V、Z）"
        )
    if check_character(code[:17]) != code[17]:
        raise USCCError("统一社会信用代码校验位不正确，请核对后重新输入")
    return code


def is_valid_uscc(code: str) -> bool:
    try:
        normalize_uscc(code)
    except USCCError:
        return False
    return True
