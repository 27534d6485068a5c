"""Writes for notices: sending a batch, reading the inbox.

Domain apps call `batch_send()` (or `notice_create()`/`notices_create()` for one message);
notifications imports no domain app. A batch writes the inbox rows at once, in the
caller's transaction (the inbox always works, and a rolled-back inquiry notifies no
one), and queues the SMS and push deliveries for the workers in the same transaction.
"""

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.errors import NotFound

from . import delivery
from .models import Batch, Delivery, Notice, PushSubscription
from .policy import CHANNELS, channels_for, push_configured

log = logging.getLogger(__name__)

BATCH = 2000
ID_CHUNK = 5000  # ids per IN (...): SQLite allows 32,766 variables, PostgreSQL is happier with fewer


@dataclass(frozen=True)
class BatchSent:
    batch: Batch
    # False: this key was sent before, and nothing new was written or queued.
    created: bool
    notices: int


def _check_url(url: str) -> None:
    # The service worker opens it on a tap: an in-app route only, never another site.
    if url and not url.startswith("#/"):
        raise ValueError(f"a notice's url must be an in-app route starting with '#/', not {url!r}")


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def batch_send(
    *,
    key: str | None,
    kind: str,
    title: str,
    user_ids: Iterable[int],
    body: str = "",
    url: str = "",
    channels: Sequence[str] | None = None,
) -> BatchSent:
    """Send one message to `user_ids`: inbox rows now, SMS and push by the workers.

    `key` is the batch's idempotency key (e.g. "policies.campaign:42"): a second call
    with the same key — a resent form, a rerun task — delivers nothing more. None makes
    a one-off batch. `channels` overrides the per-kind policy (NOTIFY_CHANNELS).
    """
    _check_url(url)
    key = key or f"once:{uuid.uuid4().hex}"
    if len(key) > 200:
        raise ValueError("batch key longer than 200 characters")
    ids = list(dict.fromkeys(user_ids))  # once per user, order kept
    if channels is None:
        chosen = channels_for(kind)
    else:
        chosen = tuple(c for c in CHANNELS if c in {"inbox", *channels} and (c != "push" or push_configured()))
    with transaction.atomic():
        try:
            with transaction.atomic():
                batch = Batch.objects.create(
                    key=key, kind=kind, title=title[:200], body=body, url=url[:500], channels=",".join(chosen), recipients=len(ids)
                )
        except IntegrityError:
            # The conditional insert is the claim: of two concurrent sends, one writes, the other finds it.
            batch = Batch.objects.get(key=key)
            if (batch.kind, batch.title) != (kind, title[:200]):
                log.warning("batch %s sent again with other content (%s: %s); the first one stands", key, kind, title)
            return BatchSent(batch=batch, created=False, notices=0)
        now = timezone.now()
        notices = [
            Notice(user_id=user_id, batch=batch, kind=kind, title=batch.title, body=body, url=batch.url, created_at=now)
            for user_id in ids
        ]
        Notice.objects.bulk_create(notices, batch_size=BATCH)
        rows: list[Delivery] = []
        for chunk in _chunks(ids):
            if "sms" in chosen:
                reachable = User.objects.filter(id__in=chunk, is_active=True).exclude(mobile="")
                rows += [
                    Delivery(batch=batch, user_id=user_id, channel=Delivery.Channel.SMS, address=mobile, next_attempt_at=now)
                    for user_id, mobile in reachable.values_list("id", "mobile")
                ]
            if "push" in chosen:
                subscriptions = PushSubscription.objects.filter(user_id__in=chunk, user__is_active=True)
                rows += [
                    Delivery(batch=batch, user_id=user_id, channel=Delivery.Channel.PUSH, address=str(sub_id), subscription_id=sub_id, next_attempt_at=now)
                    for sub_id, user_id in subscriptions.values_list("id", "user_id")
                ]
        Delivery.objects.bulk_create(rows, batch_size=BATCH)
        delivery.chunks_queue(batch=batch)
    return BatchSent(batch=batch, created=True, notices=len(notices))


def notice_create(*, user: User, kind: str, title: str, body: str = "", url: str = "", key: str | None = None) -> Notice:
    """One message to one user; returns the inbox row (or the first one, if `key` was sent before)."""
    sent = batch_send(key=key, kind=kind, title=title, body=body, url=url, user_ids=[user.id])
    return Notice.objects.filter(batch=sent.batch, user=user).order_by("id").first()


def notices_create(
    *, user_ids: Iterable[int], kind: str, title: str, body: str = "", url: str = "", key: str | None = None
) -> int:
    """The same message to many users (a policy push reaches tens of thousands); returns how many notices were written."""
    return batch_send(key=key, kind=kind, title=title, body=body, url=url, user_ids=user_ids).notices


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
