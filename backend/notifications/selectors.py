import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from backend.access import core as access_core
from backend.accounts.models import User
from backend.errors import NotFound

from .models import Batch, Delivery, Notice


def notice_list(*, user: User, unread_only: bool = False) -> QuerySet[Notice]:
    qs = Notice.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


# --- delivery ------------------------------------------------------------------------------------


def batch_get(*, user: User, batch_id: int) -> Batch:
    # Who got what is for admins (a campaign's delivery states name every recipient's channel).
    access_core.require_admin(user, "只有管理员可以查看发送批次")
    batch = Batch.objects.filter(id=batch_id).first()
    if batch is None:
        raise NotFound("发送批次不存在")
    return batch


def batch_summary(*, batch: Batch, now: dt.datetime | None = None) -> dict:
    """Counts by status per channel, attempts, stuck deliveries and the commonest failure reasons."""
    now = now or timezone.now()
    stuck_before = now - dt.timedelta(minutes=10)
    inbox = Notice.objects.filter(batch=batch).aggregate(total=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)))
    summary = {
        "inbox": {
            "total": inbox["total"],
            "counts": {"sent": inbox["total"] - inbox["read"], "read": inbox["read"]},
            "attempts": inbox["total"],
            "overdue": 0,
            "reasons": [],
        }
    }
    for channel in batch.channels.split(","):
        if channel != "inbox":
            summary[channel] = {"total": 0, "counts": {}, "attempts": 0, "overdue": 0, "reasons": []}
    rows = Delivery.objects.filter(batch=batch).values("channel", "status").annotate(n=Count("id"), attempts=Sum("attempts"))
    for row in rows:
        entry = summary.setdefault(row["channel"], {"total": 0, "counts": {}, "attempts": 0, "overdue": 0, "reasons": []})
        entry["total"] += row["n"]
        entry["counts"][row["status"]] = row["n"]
        entry["attempts"] += row["attempts"] or 0
    stuck = (
        Delivery.objects.filter(batch=batch)
        .filter(
            Q(status=Delivery.Status.QUEUED, next_attempt_at__lt=stuck_before)
            | Q(status=Delivery.Status.SENDING, locked_until__lt=stuck_before)
        )
        .values("channel")
        .annotate(n=Count("id"))
    )
    for row in stuck:
        summary[row["channel"]]["overdue"] = row["n"]
    reasons = (
        Delivery.objects.filter(batch=batch, status=Delivery.Status.FAILED)
        .values("channel", "reason")
        .annotate(n=Count("id"))
        .order_by("-n", "reason")
    )
    for row in reasons:
        listed = summary[row["channel"]]["reasons"]
        if len(listed) < 10:
            listed.append({"reason": row["reason"], "count": row["n"]})
    return {
        "id": batch.id,
        "kind": batch.kind,
        "title": batch.title,
        "created_at": batch.created_at,
        "recipients": batch.recipients,
        "channels": batch.channels.split(","),
        "summary": summary,
    }
