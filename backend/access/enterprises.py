"""Enterprises: the town team works with all of them, an enterprise user with their own."""

from django.db.models import Q

from backend.accounts.memberships import current_target_id
from backend.accounts.models import User
from backend.enterprises.models import Enterprise, EnterpriseMember
from backend.errors import Forbidden

from . import core
from .core import rule


def enterprise_id_of(user) -> int | None:
    """The enterprise a user currently acts for (their open EnterpriseMember row), or None."""
    return current_target_id(EnterpriseMember, user)


def enterprise_of(user) -> Enterprise | None:
    own = enterprise_id_of(user)
    return Enterprise.objects.filter(id=own).first() if own else None


def is_member(*, user, enterprise_id: int) -> bool:
    return enterprise_id is not None and enterprise_id_of(user) == enterprise_id


@rule
def enterprises_q(user) -> Q:
    """Staff, managers and admins: every enterprise in the town; an enterprise user: their own; others: none."""
    if core.is_admin(user) or core.is_field_staff(user):
        return Q()
    own = enterprise_id_of(user)
    if core.is_enterprise_user(user) and own:
        return Q(id=own)
    return Q(pk__in=[])


@rule
def require_directory_reader(user) -> None:
    if not (core.is_admin(user) or core.is_field_staff(user) or core.is_enterprise_user(user)):
        raise Forbidden("当前角色无权查看企业名录")


@rule
def require_nearby_reader(user) -> None:
    if not (core.is_admin(user) or core.is_field_staff(user)):
        raise Forbidden("只有招商干部和科室负责人可以查看附近企业")


@rule
def registered_enterprises_q() -> Q:
    """Enterprises with at least one current, active enterprise user (the dashboard's "registered")."""
    return Q(members__until__isnull=True, members__user__is_active=True, members__user__role=User.Role.ENTERPRISE)


@rule
def enterprise_users(*, enterprise_id: int) -> list[int]:
    """Ids of the active users who currently act for this enterprise: who is told about its demands."""
    return list(
        EnterpriseMember.objects.filter(
            enterprise_id=enterprise_id, until__isnull=True, user__is_active=True, user__role=User.Role.ENTERPRISE
        ).values_list("user_id", flat=True)
    )
