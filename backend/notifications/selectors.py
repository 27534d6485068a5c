from django.db.models import QuerySet

from backend.accounts.models import User

from .models import Notice


def notice_list(*, user: User, unread_only: bool = False) -> QuerySet[Notice]:
    qs = Notice.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()
