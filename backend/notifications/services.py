"""Writes for the in-app inbox. Other apps call notice_create()/notices_create()."""

from collections.abc import Iterable

from django.utils import timezone

from backend.accounts.models import User
from backend.errors import NotFound

from .models import Notice

BATCH = 2000


def notice_create(*, user: User, kind: str, title: str, body: str = "", url: str = "") -> Notice:
    return Notice.objects.create(user=user, kind=kind, title=title[:200], body=body, url=url[:500])


def notices_create(*, user_ids: Iterable[int], kind: str, title: str, body: str = "", url: str = "") -> int:
    """The same notice for many users in bulk inserts (a policy push reaches tens of thousands)."""
    now = timezone.now()
    notices = [
        Notice(user_id=user_id, kind=kind, title=title[:200], body=body, url=url[:500], created_at=now)
        for user_id in dict.fromkeys(user_ids)  # once per user, order kept
    ]
    Notice.objects.bulk_create(notices, batch_size=BATCH)
    return len(notices)


def notice_mark_read(*, user: User, notice_id: int) -> Notice:
    notice = Notice.objects.filter(id=notice_id, user=user).first()
    if notice is None:
        # Another user's notice is "not found", not "forbidden": ids must not reveal anything.
        raise NotFound("消息不存在")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_mark_all_read(*, user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
