"""Demands (诉求): who sees one, who may raise one, and what a user is to a demand.

- Admins see every demand.
- Staff see the demands they raised and those assigned to them or to their department.
- Staff and managers also keep seeing every demand they took a step on.
- A manager sees their team's (raised by or assigned to someone in their unit, or
  assigned to the unit itself; without a unit, only their own, as `core.staff_scope`)
  plus the intake queue: every demand an enterprise raised in the app or staff took by
  phone that is still waiting to be assigned (待交办) — someone has to hand those out.
- An enterprise user sees their enterprise's.

What a user may *do* to a demand is `relations()` matched against `demands.flow.TRANSITIONS`.
"""

from django.db.models import Exists, OuterRef, Q

from backend.accounts.models import User
from backend.demands.models import DemandTransition
from backend.errors import Forbidden, Invalid, NotFound

from . import core, enterprises
from .core import rule

INTAKE_CHANNELS = ("app", "phone")


def _intake_q() -> Q:
    return Q(channel__in=INTAKE_CHANNELS, status="pending")


@rule
def demands_q(user) -> Q:
    if core.is_admin(user):
        return Q()
    if core.is_field_staff(user):
        scope = core.staff_scope(user)
        q = scope.q("raised_by__") | scope.q("assignee__")
        if user.org_unit_id:
            # A department's demand is every member's to see (and a manager's via the unit).
            q |= Q(assignee_unit_id=user.org_unit_id)
        if core.is_manager(user):
            q |= _intake_q()
        # And whatever they took a step on: a manager who handed a demand to another
        # department keeps following it.
        return q | Q(Exists(DemandTransition.objects.filter(demand_id=OuterRef("pk"), actor_id=user.id)))
    own = enterprises.enterprise_id_of(user) if core.is_enterprise_user(user) else None
    if own:
        return Q(enterprise_id=own)
    return Q(pk__in=[])


@rule
def assigned_to_q(user) -> Q:
    """Demands this user is to work on: assigned to them, or to their department."""
    q = Q(assignee_id=user.id)
    if core.is_field_staff(user) and user.org_unit_id:
        q |= Q(assignee_unit_id=user.org_unit_id)
    return q


@rule
def visit_demands_q(user) -> Q:
    """Demands recorded on visits by the staff in this user's scope: what reports count."""
    return core.staff_scope(user).q("visit__staff__")


@rule
def desk_demands_q(user) -> Q:
    """Demands assigned to an official in this user's staff scope: what the team report counts per desk."""
    return core.staff_scope(user).q("assignee__")


@rule
def relations(user, demand) -> frozenset[str]:
    """What `user` is to `demand` (the names `flow.TRANSITIONS` grants actions to)."""
    found: set[str] = set()
    if core.is_admin(user):
        found.add("admin")
    if core.is_manager(user):
        found.add("dispatcher")
    if core.is_field_staff(user):
        unit = user.org_unit_id
        assignee_unit = demand.assignee.org_unit_id if demand.assignee_id else None
        if demand.assignee_id == user.id or (unit and demand.assignee_unit_id == unit):
            found.add("assignee")
        if core.is_manager(user) and unit and unit in (demand.assignee_unit_id, assignee_unit):
            found.add("supervisor")
    if core.is_enterprise_user(user) and enterprises.is_member(user=user, enterprise_id=demand.enterprise_id):
        found.add("enterprise")
    return frozenset(found)


@rule
def raise_for(user, *, enterprise_id: int | None) -> tuple[int, str]:
    """(enterprise id, channel) of a demand this user raises: an enterprise user for
    their own company in the app; staff, managers and admins for a company that called."""
    if core.is_enterprise_user(user):
        own = enterprises.enterprise_id_of(user)
        if not own:
            raise Forbidden("您的账号尚未关联企业，暂时不能提出诉求", code="no_enterprise")
        if enterprise_id is not None and enterprise_id != own:
            # Another company's id answers like one that does not exist.
            raise NotFound("企业不存在")
        return own, "app"
    if core.is_field_staff(user) or core.is_admin(user):
        if enterprise_id is None:
            raise Invalid("请选择提出诉求的企业", field="enterprise_id")
        return enterprise_id, "phone"
    raise Forbidden("当前角色不能登记诉求")


@rule
def assignable_official(*, user_id: int) -> User:
    """An official a demand may be assigned to: an active staff member or manager."""
    official = User.objects.filter(core.field_staff_q(), id=user_id, is_active=True).first()
    if official is None:
        raise Invalid("交办对象不存在或不是在职的工作人员", field="assignee_id")
    return official


@rule
def assignee_ids(demand) -> list[int]:
    """Who a reminder about `demand` goes to: its official, or the active staff of its department."""
    if demand.assignee_id:
        return [demand.assignee_id]
    if demand.assignee_unit_id:
        return list(
            User.objects.filter(core.field_staff_q(), org_unit_id=demand.assignee_unit_id, is_active=True)
            .values_list("id", flat=True)
        )
    return []


@rule
def supervisor_ids(demand) -> list[int]:
    """Who hears of an overdue `demand`: the managers its `relations` call supervisor
    (of its department, or of its official's unit); the admins when there are none."""
    units = {demand.assignee_unit_id, demand.assignee.org_unit_id if demand.assignee_id else None} - {None}
    found = list(
        User.objects.filter(role=User.Role.MANAGER, org_unit_id__in=units, is_active=True).values_list("id", flat=True)
    )
    return found or list(User.objects.filter(core.admins_q(), is_active=True).values_list("id", flat=True))


@rule
def board_scope(user) -> tuple[Q, Q, str]:
    """What a manager's overdue board counts: (the demands on their team's desks, the 待交办
    ones waiting for them to hand out).

    Desks: assigned to an official of the manager's unit or to the unit itself (a manager
    without a unit: to themselves); admins: every demand. Waiting: raised by someone of the
    unit, or the intake queue every manager shares. Only managers and admins read it.
    """
    if core.is_admin(user):
        return Q(), Q(), "管理员：全部诉求"
    if not core.is_manager(user):
        raise Forbidden("只有科室负责人和管理员可以查看督办看板")
    if not user.org_unit_id:
        return Q(assignee_id=user.id), Q(raised_by_id=user.id) | _intake_q(), "您的账号尚未设置所属单位：只统计交办给您本人的诉求"
    members = User.objects.filter(org_unit_id=user.org_unit_id).values("id")
    return (
        Q(assignee_id__in=members) | Q(assignee_unit_id=user.org_unit_id),
        Q(raised_by_id__in=members) | _intake_q(),
        "科室负责人：交办给本单位人员或本单位的诉求；待交办含本单位人员登记的和企业在线/电话提出的",
    )


@rule
def ledger_export_q(user) -> Q:
    """Who may export the ledger, and which rows: managers and admins, what they may see."""
    if not (core.is_admin(user) or core.is_manager(user)):
        raise Forbidden("只有科室负责人和管理员可以导出诉求台账")
    return demands_q(user)
