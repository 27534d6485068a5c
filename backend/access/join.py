"""Joining (企业入驻): who verifies which company's claims.

A claim is for its enterprise's assigned staff member, that person's team manager
(the same unit scope as their visits), and admins. A company with no assigned
staff member — every pending entry a new company created by claiming itself —
is the admins' alone, until one is assigned.
"""

from django.db.models import Q

from backend.accounts.models import User
from backend.errors import Forbidden

from . import core
from .core import rule


@rule
def require_claim_reviewer(user) -> None:
    if not (core.is_admin(user) or core.is_field_staff(user)):
        raise Forbidden("只有工作人员可以核实企业认领")


@rule
def claims_q(user) -> Q:
    """The claims `user` may see and decide: through the enterprise's assigned staff member."""
    scope = core.staff_scope(user)
    if scope.kind == "all":
        return Q()
    if scope.kind == "none":
        return Q(pk__in=[])
    return scope.q("enterprise__assigned_staff__")


@rule
def claim_reviewers_q(enterprise) -> Q:
    """Who is told that a claim awaits: the assigned staff member and their team's managers,
    or the admins when nobody is assigned."""
    staff = enterprise.assigned_staff
    if staff is None or not staff.is_active:
        return core.admins_q()
    reviewers = Q(id=staff.id)
    if staff.org_unit_id:
        reviewers |= Q(role=User.Role.MANAGER, org_unit_id=staff.org_unit_id)
    return reviewers & Q(is_active=True)


@rule
def claimant_is_member(user) -> bool:
    """Whether the claimant already acts for an enterprise (a verified member)."""
    from .enterprises import enterprise_id_of

    return enterprise_id_of(user) is not None


@rule
def enterprise_has_verified_member(enterprise_id: int) -> bool:
    """A current, active enterprise user already acts for it: a new claimant needs staff, even with a matching mobile."""
    from backend.enterprises.models import Enterprise

    from .enterprises import registered_enterprises_q

    return Enterprise.objects.filter(registered_enterprises_q(), id=enterprise_id).exists()


@rule
def claim_verifies_itself(user, enterprise) -> bool:
    """Verified at once: the claimant's own (SMS-proven) mobile is the registry's contact
    mobile, the entry is from the registry, and nobody acts for the company yet."""
    return (
        not enterprise.pending
        and bool(enterprise.contact_mobile)
        and bool(user.mobile)
        and user.mobile == enterprise.contact_mobile
        and not enterprise_has_verified_member(enterprise.id)
    )
