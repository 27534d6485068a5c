"""Policies (政策) and enterprise facts: who edits, who reads, whose matches and facts one sees.

- Admins edit policies (the brief's "admin: … policies"; there is no separate editor role)
  and see drafts; staff, managers and enterprise users read published ones; owner units
  and anonymous callers: none (policies are for enterprises and the people who serve them).
- Matches and facts follow the enterprise directory (`enterprises.enterprises_q`): an
  enterprise user those of their own company, the town team those of any enterprise.
- Facts written by an enterprise user are its own and marked 企业自报; by staff or an
  admin, 工作人员登记.
"""

from django.db.models import Q

from backend.enterprises.models import Enterprise
from backend.errors import Forbidden, Invalid, NotFound

from . import core, enterprises
from .core import rule


@rule
def require_policy_editor(user) -> None:
    if not core.is_admin(user):
        raise Forbidden("只有管理员可以编辑政策")


@rule
def policies_q(user) -> Q:
    """Which policies a user reads: admins all (drafts too), the town team and enterprises published ones."""
    if core.is_admin(user):
        return Q()
    if core.is_field_staff(user) or core.is_enterprise_user(user):
        return Q(status="published")
    return Q(pk__in=[])


@rule
def require_policy_reader(user) -> None:
    if not (core.is_admin(user) or core.is_field_staff(user) or core.is_enterprise_user(user)):
        raise Forbidden("当前角色无权查看政策")


@rule
def subject_enterprise(user, *, enterprise_id: int | None) -> int:
    """Whose facts and matches a request is about: an enterprise user's own company (another
    company's id answers like one that does not exist); for the town team, the one named."""
    if core.is_enterprise_user(user):
        own = enterprises.enterprise_id_of(user)
        if not own:
            raise Forbidden("您的账号尚未关联企业，认领企业后即可使用政策计算器", code="no_enterprise")
        if enterprise_id is not None and enterprise_id != own:
            raise NotFound("企业不存在或无权查看")
        return own
    if core.is_admin(user) or core.is_field_staff(user):
        if enterprise_id is None:
            raise Invalid("请选择企业", field="enterprise_id")
        if not Enterprise.objects.filter(enterprises.enterprises_q(user), id=enterprise_id).exists():
            raise NotFound("企业不存在或无权查看")
        return enterprise_id
    raise Forbidden("当前角色无权查看企业的政策匹配")


@rule
def fact_source(user) -> str:
    """The provenance a fact written by this user carries."""
    return "enterprise" if core.is_enterprise_user(user) else "staff"
