"""What /me tells about a user beyond accounts' own fields.

accounts knows no domain, so the domains that hold a user's links (enterprises:
EnterpriseMember, sites: OwnerUnitMember) add their part here from their AppConfig.ready().
"""

from collections.abc import Callable

_parts: list[Callable[[object], dict]] = []


def profile_part_add(part: Callable[[object], dict]) -> None:
    if part not in _parts:
        _parts.append(part)


def profile_parts(user) -> dict:
    merged: dict = {}
    for part in _parts:
        merged.update(part(user))
    return merged
