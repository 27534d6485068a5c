"""Column names as a Shapefile's DBF leaves them: at most 10 bytes, clashes renamed by GDAL."""

from __future__ import annotations

from collections.abc import Callable, Iterable

DBF_NAME_BYTES = 10
ENCODINGS = ("utf-8", "gb18030")  # the bytes GDAL counts are in the DBF's encoding


def _cut(name: str, size: int, encoding: str) -> str:
    return name.encode(encoding)[:size].decode(encoding, errors="ignore")


def dbf_names(name: str) -> set[str]:
    """Every name GDAL's Shapefile driver may give a field called ``name``.

    Longer than 10 bytes → its first 10; when that clashes with an earlier field,
    the first 8 bytes + ``_1`` … ``_9`` (``owner_unit_code`` → ``owner_unit``,
    ``owner_unit_name`` after it → ``owner_un_1``).
    """
    found: set[str] = set()
    for encoding in ENCODINGS:
        try:
            size = len(name.encode(encoding))
        except UnicodeEncodeError:
            continue
        if size <= DBF_NAME_BYTES:
            continue
        found.add(_cut(name, DBF_NAME_BYTES, encoding))
        stem = _cut(name, DBF_NAME_BYTES - 2, encoding)
        found.update(f"{stem}_{n}" for n in range(1, 10))
    return found


def match_truncated(
    columns: Iterable[str], aliases: dict[str, tuple[str, ...]], *, norm: Callable[[str], str]
) -> dict[str, list[str]]:
    """File column → the canonical fields whose (long) alias GDAL may have cut to it, in alias order.

    Only columns that match no alias exactly are considered; more than one
    candidate means the name alone cannot tell (``owner_unit`` is the code or the
    name, whichever came first): the caller decides by content or order.
    """
    exact = {norm(a) for names in aliases.values() for a in names}
    cut: dict[str, list[str]] = {}
    for canonical, names in aliases.items():
        for alias in names:
            for short in dbf_names(alias):
                key = norm(short)
                if canonical not in cut.setdefault(key, []):
                    cut[key].append(canonical)
    found: dict[str, list[str]] = {}
    for column in columns:
        key = norm(column)
        if key not in exact and key in cut:
            found[column] = cut[key]
    return found
