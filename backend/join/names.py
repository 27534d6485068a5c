"""Does the name a company typed match the registry's? Tolerant of how people write it.

The USCC already identifies the company; the name is a check that the claimant
knows which company that is, so it forgives what varies between a licence, a
letterhead and a phone keyboard: full- or half-width brackets and spaces, brackets
left out, and the legal-form suffix (有限公司 / 有限责任公司 / 股份有限公司).
"""

import re
import unicodedata

# Longest first: "有限责任公司" must not leave "有限责任" behind after "公司" is cut.
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")
_DROP = re.compile(r"[\s()\[\]【】〔〕<>《》·.,，。、\-—_]")


def name_key(name: str) -> str:
    # NFKC folds full-width brackets, letters, digits and the ideographic space to ASCII.
    key = _DROP.sub("", unicodedata.normalize("NFKC", name or "")).upper()
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def names_match(typed: str, registered: str) -> bool:
    return bool(name_key(typed)) and name_key(typed) == name_key(registered)
