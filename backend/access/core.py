"""Role and scope primitives.

`staff_scope` answers the question every manager read asks, "whose field data
may this user see?", once: admins everyone, a manager their org unit, staff
themselves. A manager with no org unit sees only themselves (never "every staff
member without a unit", which a NULL comparison used to give one report), and
the scope carries a Chinese explanation the API returns so the screen can say why.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, TypeVar

from django.db.models import Q

from backend.accounts.models import User
from backend.errors import Forbidden

F = TypeVar("F", bound=Callable)

# Set only by `trace()` (tests): which access rules a call went through.
_trace: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("access_trace", default=None)


def rule(fn: F) -> F:
    """Mark an access decision, so a test can prove a selector asked this package."""
    name = f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        seen = _trace.get()
        if seen is not None:
            seen.append(name)
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@contextlib.contextmanager
def trace() -> Iterator[list[str]]:
    seen: list[str] = []
    token = _trace.set(seen)
    try:
        yield seen
    finally:
        _trace.reset(token)


# --- roles ------------------------------------------------------------------------------------

FIELD_ROLES = (User.Role.STAFF, User.Role.MANAGER)


def is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (user.role == User.Role.ADMIN or user.is_superuser)


def is_field_staff(user) -> bool:
    """招商干部/网格员 and 科室负责人: the people who check in at enterprises."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in FIELD_ROLES


def is_manager(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role == User.Role.MANAGER


def is_enterprise_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role == User.Role.ENTERPRISE and not is_admin(user)


def is_owner(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role == User.Role.OWNER


def role_name(user) -> str:
    """The role the PWA builds its tabs from ("admin" for a superuser too)."""
    return "admin" if is_admin(user) else user.role


@rule
def require_admin(user, message: str = "只有管理员可以进行此操作") -> None:
    if not is_admin(user):
        raise Forbidden(message)


@rule
def admins_q() -> Q:
    """The users who get the admins' alerts (harvesting, stuck deliveries): admins and superusers."""
    return Q(role=User.Role.ADMIN) | Q(is_superuser=True)


@rule
def field_staff_q(prefix: str = "") -> Q:
    """Users who are field staff (for "assign to", "trail of", "team of")."""
    return Q(**{f"{prefix}role__in": FIELD_ROLES})


# --- whose field data -----------------------------------------------------------------------

ScopeKind = Literal["all", "unit", "self", "none"]

EXPLAIN = {
    "all": "管理员：可查看全部人员的走访与轨迹",
    "unit": "科室负责人：可查看本单位人员的走访与轨迹",
    "self_staff": "招商干部/网格员：只能查看自己的走访与轨迹",
    "self_no_unit": "您的账号尚未设置所属科室/小组，只能查看自己的走访与轨迹；请联系管理员设置所属单位后再查看团队",
    "none": "当前角色不能查看人员的走访与轨迹",
}


@dataclass(frozen=True)
class StaffScope:
    """Whose field data (visits, trails, statistics) a user may see."""

    kind: ScopeKind
    user_id: int | None = None
    org_unit_id: int | None = None
    reason: str = ""

    def q(self, prefix: str = "") -> Q:
        """A filter on a User relation: prefix "" for User itself, "staff__" for Visit, "visit__staff__" ..."""
        if self.kind == "all":
            return Q()
        if self.kind == "unit":
            return Q(**{f"{prefix}org_unit_id": self.org_unit_id})
        if self.kind == "self":
            # staff_id rather than staff__id: no join for the commonest read.
            return Q(**{(prefix[:-2] + "_id") if prefix else "id": self.user_id})
        return Q(pk__in=[])

    def sql(self, column: str) -> tuple[str, list]:
        """The same scope for raw SQL: a predicate on a column holding a user id, and its parameters."""
        if self.kind == "all":
            return "1 = 1", []
        if self.kind == "unit":
            return f"{column} IN (SELECT id FROM accounts_user WHERE org_unit_id = %s)", [self.org_unit_id]
        if self.kind == "self":
            return f"{column} = %s", [self.user_id]
        return "1 = 0", []

    def as_dict(self) -> dict:
        return {"kind": self.kind, "explanation": self.reason}


@rule
def staff_scope(user) -> StaffScope:
    if is_admin(user):
        return StaffScope("all", reason=EXPLAIN["all"])
    if is_manager(user):
        if user.org_unit_id:
            return StaffScope("unit", user_id=user.id, org_unit_id=user.org_unit_id, reason=EXPLAIN["unit"])
        return StaffScope("self", user_id=user.id, reason=EXPLAIN["self_no_unit"])
    if is_field_staff(user):
        return StaffScope("self", user_id=user.id, reason=EXPLAIN["self_staff"])
    return StaffScope("none", reason=EXPLAIN["none"])
