from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Status

from backend.errors import Conflict, Invalid
from backend.kernel.paging import page

from . import push, selectors, services
from .models import PushSubscription
from .policy import push_configured
from .schemas import (
    BatchSummaryOut,
    MarkedOut,
    NoticeListOut,
    NoticeListQuery,
    NoticeOut,
    PushConfigOut,
    PushEndpointIn,
    PushRemovedOut,
    PushSubscribedOut,
    PushSubscriptionIn,
)

router = Router(tags=["notifications"])


@router.get("", response=NoticeListOut, summary="My in-app notices, newest first, with the unread count")
def list_notices(request: HttpRequest, params: Query[NoticeListQuery]):
    qs = selectors.notice_list(user=request.user, unread_only=params.unread_only)
    return page(qs, limit=params.limit, offset=params.offset, unread=selectors.unread_count(user=request.user))


@router.post("/{id:notice_id}/read", response=NoticeOut, summary="Mark one notice read")
def mark_read(request: HttpRequest, notice_id: int):
    return services.notice_mark_read(user=request.user, notice_id=notice_id)


@router.post("/read-all", response=MarkedOut, summary="Mark all my notices read")
def mark_all_read(request: HttpRequest):
    return {"marked": services.notices_mark_all_read(user=request.user)}


# --- delivery: batch summaries for admins ---------------------------------------------------------


@router.get("/batches/{id:batch_id}", response=BatchSummaryOut, summary="A sent batch: delivery counts by status per channel (admins)")
def batch_detail(request: HttpRequest, batch_id: int):
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    return selectors.batch_summary(batch=batch)


# --- delivery: Web Push subscriptions -------------------------------------------------------------


@router.get("/push/config", response=PushConfigOut, summary="Whether push is on, its VAPID public key, my subscribed devices")
def push_config(request: HttpRequest):
    enabled = push_configured()
    return {
        "enabled": enabled,
        "public_key": settings.VAPID_PUBLIC_KEY if enabled else None,
        "subscribed": PushSubscription.objects.filter(user=request.user).count(),
    }


@router.post("/push/subscriptions", response={200: PushSubscribedOut, 201: PushSubscribedOut}, summary="Subscribe this browser to push")
def push_subscribe(request: HttpRequest, payload: PushSubscriptionIn):
    if not push_configured():
        raise Conflict("服务器未配置推送（VAPID 密钥），暂不能开启", code="push_unconfigured")
    _, created = push.push_subscribe(
        user=request.user, endpoint=payload.endpoint, p256dh=payload.keys.p256dh, auth=payload.keys.auth,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201 if created else 200, {"subscribed": True, "created": created})


@router.post("/push/unsubscribe", response=PushRemovedOut, summary="Unsubscribe this browser from push")
def push_unsubscribe(request: HttpRequest, payload: PushEndpointIn):
    return {"removed": push.push_unsubscribe(user=request.user, endpoint=payload.endpoint)}
