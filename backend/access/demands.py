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

from django.db.models import Case, Exists, OuterRef, Q, When
from django.db.models.functions import Coalesce

from backend.accounts.models import OrgUnit, User
from backend.demands.models import DemandTransition
from backend.errors import Conflict, Forbidden, Invalid, NotFound

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
def board_scope(user, *, unit_id: int | None = None) -> tuple[Q, Q, str, bool]:
    """What an overdue board counts: (the demands on the desks it covers, the 待交办 ones
    waiting to be handed out, the scope in words, whether its rows are departments).

    A unit's desks: assigned to an official of the unit or to the unit itself. A manager
    reads their own unit's (without a unit: what is assigned to them); waiting: raised by
    someone of the unit, or the intake queue every manager shares. An admin reads the whole
    city with one row per department (a thousand officials' rows help nobody on a phone,
    and cost the city's board its 50 ms) or, with `unit_id`, one unit as its manager would.
    Only managers and admins read it.
    """
    if core.is_admin(user):
        if unit_id is None:
            return Q(), Q(), "管理员：全部诉求，按承办部门分行（承办人未设单位的单独成行）", True
        unit = OrgUnit.objects.filter(id=unit_id).values_list("name", flat=True).first()
        if unit is None:
            raise NotFound("没有这个单位")
        desks, waiting = _unit_desks(unit_id)
        return desks, waiting, f"管理员：{unit}——交办给该单位人员或该单位的诉求", False
    if not core.is_manager(user):
        raise Forbidden("只有科室负责人和管理员可以查看督办看板")
    if unit_id is not None and unit_id != user.org_unit_id:
        raise Forbidden("科室负责人只能查看本单位的督办看板")
    if not user.org_unit_id:
        return (
            Q(assignee_id=user.id), Q(raised_by_id=user.id) | _intake_q(),
            "您的账号尚未设置所属单位：只统计交办给您本人的诉求", False,
        )
    desks, waiting = _unit_desks(user.org_unit_id)
    return desks, waiting, "科室负责人：交办给本单位人员或本单位的诉求；待交办含本单位人员登记的和企业在线/电话提出的", False


def _unit_desks(unit_id: int) -> tuple[Q, Q]:
    # The unit's members as a list, not a subquery: PostgreSQL cannot use the assignee and
    # raiser indexes under `IN (SELECT …) OR …` (a hashed subplan over a sequential scan,
    # 39 ms at 100,000 demands) but combines two index scans for `= ANY(list) OR …` (12 ms).
    members = list(User.objects.filter(org_unit_id=unit_id).values_list("id", flat=True))
    return (
        Q(assignee_id__in=members) | Q(assignee_unit_id=unit_id),
        Q(raised_by_id__in=members) | _intake_q(),
    )




def desk_unit_q(unit_id: int) -> Q:
    """The demands on a department's desks: assigned to it or to one of its officials."""
    return Q(assignee_unit_id=unit_id) | Q(assignee__org_unit_id=unit_id)


def desk_unit_annotations() -> dict:
    """A demand's department desk (its own unit, or its official's) as `desk_unit`, and
    `loose`: the official, when the demand sits with one who has no unit."""
    return {
        "desk_unit": Coalesce("assignee_unit_id", "assignee__org_unit_id"),
        "loose": Case(When(assignee_unit_id__isnull=True, assignee__org_unit_id__isnull=True, then="assignee_id")),
    }


@rule
def may_attach(user, demand) -> None:
    """Who adds a photo or a file to a demand: the enterprise, whoever raised it, whoever it
    is assigned to and their supervisors, admins — while it is open (已回访 closes it)."""
    if demand.status == "closed":
        raise Conflict("诉求已回访办结，不能再添加附件", code="demand_closed")
    if demand.raised_by_id == user.id or relations(user, demand) & {"enterprise", "assignee", "supervisor", "admin"}:
        return
    raise Forbidden("只有提出诉求的企业、登记人、承办人及其负责人可以添加附件")


@rule
def ledger_export_q(user) -> Q:
    """Who may export the ledger, and which rows: managers and admins, what they may see."""
    if not (core.is_admin(user) or core.is_manager(user)):
        raise Forbidden("只有科室负责人和管理员可以导出诉求台账")
    return demands_q(user)


# --- a 场地 demand's suggested sites (backend/demands/sites.py) ------------------------
# Seeing the suggestions is seeing the demand (demands_q): its enterprise, its official or
# department, the managers and admins who see it. Writing is narrower:

NEEDS_EDITORS = frozenset({"enterprise", "assignee", "supervisor", "dispatcher", "admin"})


@rule
def can_set_site_needs(user, demand) -> bool:
    """Who may state or correct what site a demand needs: its enterprise, and the officials
    who handle or hand it out (an old demand, or one taken by phone, has none yet)."""
    return bool(relations(user, demand) & NEEDS_EDITORS)


@rule
def can_inquire_for(user, demand) -> bool:
    """Who may send a site inquiry from a demand: a user of its enterprise only. The inquiry
    goes to the owner unit under the sender's name, phone and company, and counts against
    the sender's daily inquiry limit; an official sending it would speak for the company."""
    return "enterprise" in relations(user, demand)


@rule
def require_site_needs_editor(user, demand) -> None:
    if not can_set_site_needs(user, demand):
        raise Forbidden("您无权修改这条诉求的场地需求", code="forbidden")


@rule
def require_inquirer(user, demand) -> None:
    if not can_inquire_for(user, demand):
        raise Forbidden("只有提出诉求的企业可以从这里发出场地咨询；承办人可以填写场地需求，企业会收到推荐提醒", code="forbidden")
