"""Idle sites and inquiries: an owner unit's members manage its listings and answer its inquiries."""

from django.db.models import Q

from backend.accounts.memberships import current_target_id
from backend.accounts.models import User
from backend.errors import Forbidden
from backend.sites.models import OwnerUnitMember

from . import core
from .core import rule


def owner_unit_id_of(user) -> int | None:
    """The owner unit an owner account currently manages (their open OwnerUnitMember row), or None."""
    if not core.is_owner(user):
        return None
    return current_target_id(OwnerUnitMember, user)


@rule
def can_manage_site(*, user, owner_unit_id: int) -> bool:
    return core.is_admin(user) or (owner_unit_id is not None and owner_unit_id_of(user) == owner_unit_id)


@rule
def require_listing_manager(user) -> None:
    if not (core.is_admin(user) or core.is_owner(user)):
        raise Forbidden("只有资源持有单位和管理员可以管理场地", code="not_site_owner")


@rule
def managed_sites_q(user) -> Q:
    """The listings an owner (admin: every one) may change."""
    if core.is_admin(user):
        return Q()
    own = owner_unit_id_of(user)
    if own:
        return Q(owner_unit_id=own)
    return Q(pk__in=[])


@rule
def inquiries_q(user) -> Q:
    """Town team and admins: all; an owner: their unit's sites' and their own; anyone else: their own."""
    if core.is_admin(user) or core.is_field_staff(user):
        return Q()
    own = owner_unit_id_of(user)
    if own:
        # Their unit's sites' inquiries, and any they sent themselves (found by the authorization matrix).
        return Q(site__owner_unit_id=own) | Q(user=user)
    return Q(user=user)


@rule
def unit_owners(*, owner_unit_ids) -> "list[tuple[int, int]]":
    """(user id, owner unit id) of the active owners of these units: who is told about their sites."""
    return list(
        OwnerUnitMember.objects.filter(
            owner_unit_id__in=owner_unit_ids, until__isnull=True, user__role=User.Role.OWNER, user__is_active=True
        ).values_list("user_id", "owner_unit_id")
    )


@rule
def require_site_importer(user) -> None:
    core.require_admin(user, "只有管理员可以导入场地数据")
