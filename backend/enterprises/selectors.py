from django.db.models import Q, QuerySet

from backend import access
from backend.accounts.models import User
from backend.errors import NotFound

from .models import Enterprise


def enterprises_visible_to(*, user: User) -> QuerySet[Enterprise]:
    """backend.access.enterprises.enterprises_q: the town team all, an enterprise user their own."""
    return Enterprise.objects.filter(access.enterprises.enterprises_q(user))


def enterprise_list(*, user: User, q: str = "") -> QuerySet[Enterprise]:
    access.enterprises.require_directory_reader(user)
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
