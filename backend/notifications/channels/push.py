"""Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291), by pywebpush.

Push services report acceptance, not delivery: a push delivery ends "sent". Each
notification carries a tag per batch, so a repeat after a lost answer replaces the
first on the phone instead of showing twice.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
from functools import cache

import requests
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from ..models import Delivery
from ..push import endpoint_allowed
from . import Outcome, Receipt

log = logging.getLogger(__name__)


@cache
def _session() -> requests.Session:
    session = requests.Session()
    # Allowed push services only: a redirect elsewhere is refused, not followed.
    session.max_redirects = 0
    return session


@cache
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key=private_key)


def payload(delivery: Delivery) -> str:
    batch = delivery.batch
    return json.dumps(
        {"title": batch.title, "body": batch.body[:300], "url": batch.url, "tag": f"batch-{batch.id}"},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


class PushChannel:
    name = "push"
    receipts = False

    def send(self, delivery: Delivery) -> Outcome:
        subscription = delivery.subscription
        if subscription is None:
            return Outcome("permanent", code="unsubscribed", detail="用户已关闭推送")
        if not endpoint_allowed(subscription.endpoint):
            return Outcome("permanent", code="endpoint_refused", detail="推送地址不属于允许的推送服务")
        try:
            response = webpush(
                subscription_info={"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
                data=payload(delivery),
                vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
                # A fresh dict each time: pywebpush writes aud and exp into it.
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=settings.WEBPUSH_TTL_S,
                timeout=settings.SMS_TIMEOUT_S,
                requests_session=_session(),
            )
        except WebPushException as error:
            status = error.status_code or 0
            request_id = ""
            if error.response is not None:
                request_id = str(getattr(error.response, "headers", {}).get("Location", ""))[:300]
            if status in (404, 410):
                return Outcome("permanent", code=str(status), detail="推送订阅已失效", request_id=request_id, gone=True)
            if status == 429 or status >= 500:
                return Outcome("temporary", code=str(status), detail=f"推送服务暂时不可用（HTTP {status}）",
                               retry_after=_retry_after(error.retry_after))
            return Outcome("permanent", code=str(status or "error"), detail=f"推送服务拒绝（HTTP {status}）")
        except requests.TooManyRedirects:
            return Outcome("permanent", code="redirect", detail="推送服务要求跳转，已拒绝")
        except requests.RequestException as error:
            log.warning("push to subscription %s failed: %s", subscription.id, error)
            return Outcome("temporary", code="network", detail="推送服务无响应")
        return Outcome("ok", code=str(response.status_code), request_id=str(response.headers.get("Location", ""))[:300])

    def look_up(self, delivery: Delivery, since: dt.datetime) -> Outcome | None:
        return None  # push services keep no record to ask; the tag collapses a repeat on the phone

    def receipt(self, delivery: Delivery) -> Receipt | None:
        return None
