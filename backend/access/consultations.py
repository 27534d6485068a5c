"""Consultations (在线咨询): who may ask, who sees one, where a question is routed, what a user is to one.

- Admins see every consultation.
- Staff see those they hold (the named official) and those they took part in
  (answered, reassigned away, converted).
- A manager sees their department's — routed to their unit or held by someone in it
  (a manager without a unit: only their own, as `core.staff_scope`) — and those they took part in.
- An enterprise user sees what they asked, and what their company asked while they
  act for it. An account not verified yet may ask and sees only its own questions.
- Owners and anonymous callers: none.

Routing (`route`): the department is the category's entry in CONSULTATION_ROUTES
(category → org unit code), else the unit of the enterprise's assigned staff member,
else CONSULTATION_DEFAULT_UNIT. The named official is the enterprise's assigned staff
member when they work in that department (they know the company), else the
department's manager, else any active member of it, else any active manager, else an admin.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from backend.accounts.models import OrgUnit, User
from backend.errors import Conflict, Forbidden, Invalid

from . import core, enterprises
from .core import rule


@rule
def consultations_q(user) -> Q:
    from backend.consultations.models import ConsultationMessage

    if core.is_admin(user):
        return Q()
    took_part = Q(Exists(ConsultationMessage.objects.filter(consultation_id=OuterRef("pk"), author_id=user.id)))
    if core.is_field_staff(user):
        q = Q(official_id=user.id) | took_part
        if core.is_manager(user):
            q |= core.staff_scope(user).q("official__")
            if user.org_unit_id:
                q |= Q(unit_id=user.org_unit_id)
        return q
    if core.is_enterprise_user(user):
        q = Q(asked_by_id=user.id)
        own = enterprises.enterprise_id_of(user)
        if own:
            q |= Q(enterprise_id=own)
        return q
    return Q(pk__in=[])


@rule
def held_by_q(user) -> Q:
    """Consultations this user is to answer."""
    return Q(official_id=user.id)


@rule
def relations(user, consultation) -> frozenset[str]:
    """official (holds it), supervisor (manages its department or its official's), admin, enterprise (asked it)."""
    found: set[str] = set()
    if core.is_admin(user):
        found.add("admin")
    if core.is_field_staff(user):
        if consultation.official_id == user.id:
            found.add("official")
        units = {consultation.unit_id, consultation.official.org_unit_id} - {None}
        if core.is_manager(user) and user.org_unit_id in units:
            found.add("supervisor")
    if core.is_enterprise_user(user) and (
        consultation.asked_by_id == user.id
        or (consultation.enterprise_id and enterprises.is_member(user=user, enterprise_id=consultation.enterprise_id))
    ):
        found.add("enterprise")
    return frozenset(found)


@rule
def may_attach(user, consultation) -> None:
    """Who adds a file to a consultation: who asked it (their company), the official holding
    it, their supervisors and admins — until it is closed."""
    if consultation.status == "closed":
        raise Conflict("咨询已关闭，不能再添加附件", code="consultation_closed")
    if not relations(user, consultation):
        raise Forbidden("只有提问的企业和回复的工作人员可以添加附件")


@rule
def asker_enterprise(user) -> int | None:
    """The company a consultation is asked for: an enterprise user's, or None while not verified.
    Only enterprise accounts ask (staff take questions by phone as demands)."""
    if not core.is_enterprise_user(user):
        raise Forbidden("只有企业账号可以在线咨询", code="not_enterprise")
    return enterprises.enterprise_id_of(user)


def _active_field(q: Q) -> Q:
    return q & core.field_staff_q() & Q(is_active=True)


@rule
def route(*, category: str, enterprise_id: int | None) -> tuple[OrgUnit | None, User]:
    """(department, named official) for a new question (rules in the module docstring)."""
    from backend.enterprises.models import Enterprise

    assigned = None
    if enterprise_id:
        ent = Enterprise.objects.select_related("assigned_staff").filter(id=enterprise_id).first()
        if ent and ent.assigned_staff_id and ent.assigned_staff.is_active and core.is_field_staff(ent.assigned_staff):
            assigned = ent.assigned_staff
    code = settings.CONSULTATION_ROUTES.get(category)
    unit = OrgUnit.objects.filter(code=code).first() if code else None
    if unit is None and assigned is not None and assigned.org_unit_id:
        unit = assigned.org_unit
    if unit is None and settings.CONSULTATION_DEFAULT_UNIT:
        unit = OrgUnit.objects.filter(code=settings.CONSULTATION_DEFAULT_UNIT).first()
    if assigned is not None and (unit is None or assigned.org_unit_id == unit.id):
        return unit, assigned
    candidates = []
    if unit is not None:
        candidates += [
            User.objects.filter(_active_field(Q(role=User.Role.MANAGER, org_unit_id=unit.id))),
            User.objects.filter(_active_field(Q(org_unit_id=unit.id))),
        ]
    candidates += [
        User.objects.filter(role=User.Role.MANAGER, is_active=True),
        User.objects.filter(core.admins_q(), is_active=True),
    ]
    for qs in candidates:
        official = qs.order_by("id").first()
        if official is not None:
            return unit, official
    raise Conflict("暂无可受理咨询的工作人员，请稍后再试", code="no_official")


@rule
def reassign_target(*, official_id: int | None, unit_id: int | None) -> tuple[OrgUnit | None, User]:
    """A reassignment to an official (their unit follows) or to a department (its manager answers)."""
    if (official_id is None) == (unit_id is None):
        raise Invalid("请选择一位工作人员或一个部门（二选一）", field="official_id")
    if official_id is not None:
        official = User.objects.filter(_active_field(Q(id=official_id))).select_related("org_unit").first()
        if official is None:
            raise Invalid("转派对象不存在或不是在职的工作人员", field="official_id")
        return official.org_unit, official
    unit = OrgUnit.objects.filter(id=unit_id).first()
    if unit is None:
        raise Invalid("部门不存在", field="unit_id")
    official = (
        User.objects.filter(_active_field(Q(role=User.Role.MANAGER, org_unit_id=unit.id))).order_by("id").first()
        or User.objects.filter(_active_field(Q(org_unit_id=unit.id))).order_by("id").first()
    )
    if official is None:
        raise Invalid("该部门没有在职的工作人员", field="unit_id")
    return unit, official


TARGETS_MAX = 500  # a town's officials; a city would search instead


@rule
def reassign_targets(user) -> tuple[list[OrgUnit], list[User]]:
    """Whom the staff who may hand a consultation on (its official, a manager, an admin) can
    choose: the departments with an active official, and the active officials (name and unit)."""
    if not (core.is_field_staff(user) or core.is_admin(user)):
        raise Forbidden("只有工作人员可以转派咨询")
    officials = list(
        User.objects.filter(_active_field(Q())).select_related("org_unit").order_by("org_unit__name", "id")[:TARGETS_MAX]
    )
    staffed = User.objects.filter(_active_field(Q(org_unit_id=OuterRef("pk"))))
    units = list(OrgUnit.objects.filter(Exists(staffed)).order_by("name", "id")[:TARGETS_MAX])
    return units, officials


@rule
def supervisor_ids(consultation) -> list[int]:
    """Who hears of an overdue consultation: the managers of its department and of its
    official's unit; the admins when there are none."""
    units = {consultation.unit_id, consultation.official.org_unit_id} - {None}
    found = list(
        User.objects.filter(role=User.Role.MANAGER, org_unit_id__in=units, is_active=True).values_list("id", flat=True)
    )
    return found or list(User.objects.filter(core.admins_q(), is_active=True).values_list("id", flat=True))


@rule
def askers(consultation) -> list[int]:
    """Who is told of an answer: the asker, if still active."""
    return list(User.objects.filter(id=consultation.asked_by_id, is_active=True).values_list("id", flat=True))


@rule
def stats_scope(user) -> core.StaffScope:
    """Whose on-time rates a user may read: admin all, manager their unit, staff themselves."""
    scope = core.staff_scope(user)
    if scope.kind == "none":
        raise Forbidden("只有工作人员可以查看咨询答复及时率")
    return scope
