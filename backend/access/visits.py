"""Visits, trails and flag reviews: built on the staff scope."""

from django.db.models import Q

from backend.accounts.models import User
from backend.errors import Forbidden, NotFound

from . import core, enterprises
from .core import rule


@rule
def visits_q(user) -> Q:
    """Staff see their own visits; a manager their unit's (only their own without a unit); admins all."""
    return core.staff_scope(user).q("staff__")


@rule
def require_field_staff(user, message: str = "只有招商干部和科室负责人可以走访签到") -> None:
    if not core.is_field_staff(user):
        raise Forbidden(message)


@rule
def trail_subject(*, viewer, staff_id: int) -> User:
    """The staff member whose trail `viewer` asks for, if `viewer` may see it.

    Anything outside the viewer's scope is 404, so an id does not reveal that a person exists.
    """
    if not (core.is_field_staff(viewer) or core.is_admin(viewer)):
        raise Forbidden("当前角色无权查看走访轨迹")
    scope = core.staff_scope(viewer)
    subject = User.objects.filter(core.field_staff_q(), scope.q(), id=staff_id).first()
    if subject is None:
        raise NotFound("人员不存在或无权查看")
    return subject


@rule
def require_flag_reviewer(*, reviewer, visit) -> None:
    """A manager reviews flags on their team's visits (found through visits_q), never their own."""
    if not (core.is_admin(reviewer) or core.is_manager(reviewer)):
        raise Forbidden("只有科室负责人可以审核标记")
    if visit.staff_id == reviewer.id and not core.is_admin(reviewer):
        raise Forbidden("不能审核自己的走访")


STAFF_MAY_NOT_RATE = "工作人员不能评价走访，请企业人员用自己的手机扫码评价"


@rule
def rating_standing(*, visit, user, official_device: bool) -> tuple[str, str | None]:
    """How a rating from this person would count: ("verified", None) from a user
    of the visited enterprise, ("unverified", None) from someone not logged in,
    ("refused", why) from staff, from another enterprise's user, or from the
    official's own phone (it has logged in as them: `official_device`)."""
    if user is not None and user.is_authenticated:
        if not core.is_enterprise_user(user):
            return "refused", STAFF_MAY_NOT_RATE
        if not enterprises.is_member(user=user, enterprise_id=visit.enterprise_id):
            return "refused", f"您登录的企业账号不属于{visit.enterprise.name}，不能评价这次走访"
        return "verified", None
    if official_device:
        return "refused", STAFF_MAY_NOT_RATE
    return "unverified", None
