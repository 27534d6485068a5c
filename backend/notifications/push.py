"""Web Push subscriptions: a browser hands us its endpoint and keys; we POST notices to it.

The endpoint is a URL the server will call, so only push services we know are accepted
(WEBPUSH_ENDPOINT_ORIGINS): anything else would let a user make the server call an
intranet address. The keys must be a real P-256 point and a 16-byte secret, or the
encryption would fail at every send.
"""

import base64
import binascii
import hashlib
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction

from backend.accounts.models import User
from backend.errors import Invalid

from .models import PushSubscription

SUBSCRIPTIONS_PER_USER = 10
DEFAULT_PORTS = {"https": 443, "http": 80}


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _origin_matches(parts, pattern: str) -> bool:
    allowed = urlsplit(pattern)
    if not allowed.scheme or not allowed.hostname or parts.scheme != allowed.scheme:
        return False
    port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    if port != (allowed.port or DEFAULT_PORTS.get(allowed.scheme)):
        return False
    host, want = parts.hostname or "", allowed.hostname
    if want.startswith("*."):
        return host.endswith(want[1:]) and len(host) > len(want) - 1
    return host == want


def endpoint_allowed(endpoint: str) -> bool:
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return False
    if parts.username or parts.password or not parts.hostname:
        return False
    return any(_origin_matches(parts, pattern) for pattern in settings.WEBPUSH_ENDPOINT_ORIGINS)


def _checked_keys(*, p256dh: str, auth: str) -> None:
    try:
        point = b64url_decode(p256dh)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, binascii.Error):
        raise Invalid("不是有效的推送公钥（P-256）", field="keys.p256dh") from None
    if len(point) != 65:
        raise Invalid("不是有效的推送公钥（P-256）", field="keys.p256dh")
    try:
        secret = b64url_decode(auth)
    except (ValueError, binascii.Error):
        secret = b""
    if len(secret) != 16:
        raise Invalid("推送密钥应为 16 字节", field="keys.auth")


def endpoint_hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


def push_subscribe(*, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> tuple[PushSubscription, bool]:
    """Store (or move to this user) a browser's subscription; returns it and whether it is new."""
    if not endpoint_allowed(endpoint):
        raise Invalid("推送地址不属于允许的推送服务", field="endpoint")
    _checked_keys(p256dh=p256dh, auth=auth)
    with transaction.atomic():
        # A browser has one subscription per site: after another login on the same phone it is this user's.
        subscription, created = PushSubscription.objects.update_or_create(
            endpoint_hash=endpoint_hash(endpoint),
            defaults={"user": user, "endpoint": endpoint, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:200]},
        )
        stale = PushSubscription.objects.filter(user=user).order_by("-created_at", "-id").values_list("id", flat=True)[SUBSCRIPTIONS_PER_USER:]
        PushSubscription.objects.filter(id__in=list(stale)).delete()
    return subscription, created


def push_unsubscribe(*, user: User, endpoint: str) -> int:
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint_hash=endpoint_hash(endpoint)).delete()
    return deleted
