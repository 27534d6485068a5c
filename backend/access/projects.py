"""招商项目: who sees a project, who moves it, who approves, who reassigns.

- Projects are the town team's internal pipeline: enterprise users, owner units and the
  anonymous never see one (403 on every project endpoint).
- Admins see every project.
- Staff see the projects they lead and those of their team (the project's `team`).
- A manager sees their unit's (led by a member, or of the unit as team); without a unit,
  only their own (as `core.staff_scope`).
- Whoever sees a project may record follow-ups and request moves on it; a move into a
  stage that needs approval waits for a manager of the project's team (or lead's unit) or
  an admin, who is never the one who asked.
- Reassigning the lead is a manager's (of the project's team) or an admin's.
"""

from django.db.models import Q

from backend.accounts.models import OrgUnit, User
from backend.errors import Forbidden, Invalid

from . import core
from .core import rule

NOT_FOR_ROLE = "只有招商干部、科室负责人和管理员可以使用招商项目"


@rule
def require_pipeline_user(user) -> None:
    if not (core.is_field_staff(user) or core.is_admin(user)):
        raise Forbidden(NOT_FOR_ROLE)


@rule
def projects_q(user) -> Q:
    require_pipeline_user(user)
    if core.is_admin(user):
        return Q()
    q = core.staff_scope(user).q("lead__")
    if user.org_unit_id:
        q |= Q(team_id=user.org_unit_id)
    return q


def _units_of(project) -> set[int]:
    return {project.team_id, project.lead.org_unit_id} - {None}


@rule
def is_supervisor(user, project) -> bool:
    """A manager of the project's team or of its lead's unit, or an admin."""
    if core.is_admin(user):
        return True
    return core.is_manager(user) and bool(user.org_unit_id) and user.org_unit_id in _units_of(project)


@rule
def require_approver(user, request) -> None:
    if not is_supervisor(user, request.project):
        raise Forbidden("只有本组科室负责人或管理员可以审批", code="not_approver")
    if request.requested_by_id == user.id:
        raise Forbidden("不能审批自己提交的申请，请由其他负责人审批", code="own_request")


@rule
def require_reassigner(user, project) -> None:
    if not is_supervisor(user, project):
        raise Forbidden("只有本组科室负责人或管理员可以更换项目负责人", code="not_supervisor")


@rule
def lead_for(user, *, lead_id: int | None) -> User:
    """The official a new (or reassigned) project is led by: staff lead their own; a manager
    picks a member of their unit (or themselves); an admin any active official."""
    require_pipeline_user(user)
    if lead_id is None or lead_id == user.id:
        if core.is_field_staff(user):
            return user
        raise Invalid("请选择项目负责人", field="lead_id")
    lead = User.objects.filter(core.field_staff_q(), id=lead_id, is_active=True).first()
    if lead is None:
        raise Invalid("项目负责人不存在或不是在职的工作人员", field="lead_id")
    if core.is_admin(user):
        return lead
    if core.is_manager(user) and user.org_unit_id and lead.org_unit_id == user.org_unit_id:
        return lead
    raise Invalid("只能指定本单位的工作人员为项目负责人", field="lead_id")


@rule
def team_and_town_of(lead: User) -> tuple[int | None, int | None]:
    """A project's team (its lead's unit) and town (that unit's town): the town picks the stages."""
    unit = lead.org_unit
    if unit is None:
        return None, None
    if unit.kind == OrgUnit.Kind.TOWN:
        return unit.id, unit.id
    return unit.id, unit.parent_id


@rule
def approver_ids(project) -> list[int]:
    """Who hears of a stage request: the managers of the project's team and of its lead's
    unit; the admins when there are none."""
    units = _units_of(project)
    found = list(
        User.objects.filter(role=User.Role.MANAGER, org_unit_id__in=units, is_active=True).values_list("id", flat=True)
    )
    return found or list(User.objects.filter(core.admins_q(), is_active=True).values_list("id", flat=True))
