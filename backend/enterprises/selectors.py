from django.db.models import Q, QuerySet

from backend.accounts.models import User
from backend.errors import Forbidden, NotFound

from .models import Enterprise


def enterprises_visible_to(*, user: User) -> QuerySet[Enterprise]:
    """Staff, managers and admins work with every enterprise in the town;
    an enterprise user sees only their own; owners see none."""
    qs = Enterprise.objects.all()
    if user.is_admin or user.role in (User.Role.STAFF, User.Role.MANAGER):
        return qs
    if user.role == User.Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(id=user.enterprise_id)
    return qs.none()


def enterprise_list(*, user: User, q: str = "") -> QuerySet[Enterprise]:
    if not (user.is_admin or user.role in (User.Role.STAFF, User.Role.MANAGER, User.Role.ENTERPRISE)):
        raise Forbidden("当前角色无权查看企业名录")
    qs = enterprises_visible_to(user=user)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(name_initials__startswith=q.lower()) | Q(uscc=q.upper()))
    return qs.order_by("id")


def enterprise_get(*, user: User, enterprise_id: int) -> Enterprise:
    # 404 rather than 403 for another's record: an id must not reveal that it exists.
    enterprise = enterprises_visible_to(user=user).filter(id=enterprise_id).first()
    if enterprise is None:
        raise NotFound("企业不存在或无权查看")
    return enterprise
