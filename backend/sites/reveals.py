"""Revealing a site owner's phone: limits per user, organisation and network, the
audit log, and alerts to the admins when someone seems to be harvesting numbers.

Why three scopes (issue 11 item 6): one enterprise account revealed all 37 distinct
owner phones of a town in under four minutes, and 8 accounts × 10 reveals took
8.7 s. A limit per user alone is beaten by more accounts; so the same reveals also
count against the user's organisation (its enterprise) and the network the request
came from (IPv4 /24, IPv6 /64), each with a burst (per minute) and a daily limit.

Who can lock whom out: the per-user limits only by the user themself; the
organisation's only by its own members; the network's only by people behind the
same /24 or /64 (an office, a carrier's NAT). That sharing is the trade-off: a
harvester in a big carrier NAT can use up the network's allowance for its other
users that day; the per-network limits are set high enough (150 a day) that
ordinary use of a network never meets them, and an alert tells the admins.

Limits count distinct sites, not clicks: a site this user (organisation, network)
already saw within REPEAT_FREE_DAYS does not count again for that scope, and the
number is as good as known there anyway. Repeats are still logged, and bounded
per minute so that they cannot flood the log.

The counters are backend.ratelimit's atomic upserts in the database (not the cache,
Redis or not): of racing reveals exactly the limit get through, on SQLite and
PostgreSQL alike; a refused reveal is counted nowhere (take_all gives back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from backend.accounts.models import User
from backend import access
from backend.enterprises.models import Enterprise
from backend.errors import NotFound, RateLimited
from backend.notifications.services import batch_send
from backend.ratelimit import Limit, network_of, take_all

from .models import ContactReveal, Site

REVEALS_PER_MINUTE = 10
REVEALS_PER_DAY = 50
ORG_REVEALS_PER_MINUTE = 20
ORG_REVEALS_PER_DAY = 100
NETWORK_REVEALS_PER_MINUTE = 30
NETWORK_REVEALS_PER_DAY = 150
REPEAT_REVEALS_PER_MINUTE = 30
REPEAT_FREE_DAYS = 30

# Alert the admins (once per window and scope) when, within the window, one
# organisation or network has revealed this many distinct sites in an hour, or one
# user in a day: far above what a company looking for space does.
ORG_ALERT_SITES_PER_HOUR = 30
NETWORK_ALERT_SITES_PER_HOUR = 30
USER_ALERT_SITES_PER_DAY = 30

DAY = 24 * 3600


def organisation_of(user: User) -> int | None:
    """The id of the organisation (enterprise) a user reveals contacts for, or None.

    The current enterprise membership, through the access package (a user may belong
    to several enterprises over time; the reveal counts for the current one).
    """
    return access.enterprises.enterprise_id_of(user)


@dataclass(frozen=True)
class _Scope:
    kind: str  # "user", "org" or "network": also the limits' key prefix and the message
    ident: str
    per_minute: int
    per_day: int

    def limits(self) -> list[Limit]:
        return [
            Limit(f"reveal:{self.kind}:{self.ident}:min", self.per_minute, 60),
            Limit(f"reveal:{self.kind}:{self.ident}:day", self.per_day, DAY),
        ]


def _seen(*, site: Site, user: User, org_id: int | None, network: str | None) -> dict[str, bool]:
    """For each scope, whether it already saw this site's contact within REPEAT_FREE_DAYS."""
    recent = ContactReveal.objects.filter(site=site, at__gte=timezone.now() - dt.timedelta(days=REPEAT_FREE_DAYS))
    return {
        "user": recent.filter(user=user).exists(),
        "org": org_id is not None and recent.filter(enterprise_id=org_id).exists(),
        "network": network is not None and recent.filter(network=network).exists(),
    }


def site_contact_reveal(*, user: User, site_id: int, ip: str | None) -> dict:
    """The full contact of a site, for a logged-in user: limited, logged, watched.

    The phone is an owner's personal data (PIPL): whoever sees it is recorded.
    """
    site = Site.objects.select_related("owner_unit").filter(id=site_id).first()
    if site is None:
        raise NotFound("场地不存在或已下架")
    org_id = organisation_of(user)
    network = network_of(ip)
    seen = _seen(site=site, user=user, org_id=org_id, network=network)
    scopes = [_Scope("user", str(user.id), REVEALS_PER_MINUTE, REVEALS_PER_DAY)]
    if org_id is not None:
        scopes.append(_Scope("org", str(org_id), ORG_REVEALS_PER_MINUTE, ORG_REVEALS_PER_DAY))
    if network is not None:
        scopes.append(_Scope("network", network, NETWORK_REVEALS_PER_MINUTE, NETWORK_REVEALS_PER_DAY))
    limits = [limit for scope in scopes if not seen[scope.kind] for limit in scope.limits()]
    if seen["user"]:
        limits.append(Limit(f"reveal:repeat:{user.id}:min", REPEAT_REVEALS_PER_MINUTE, 60))
    # Counted and checked in one statement per limit: racing reveals can't all pass;
    # when one limit is full, the hits already taken in the others are given back.
    _, tripped = take_all(limits)
    if tripped is not None:
        wait = max(1, tripped.exceeded())
        raise RateLimited(_reveal_message(tripped, wait), retry_after=wait, code="reveal_throttled")
    ContactReveal.objects.create(
        user=user, site=site, ip=ip, network=network or "", enterprise_id=org_id, repeat=seen["user"]
    )
    _alert_if_unusual(user=user, org_id=org_id, network=network, new_for=[k for k, v in seen.items() if not v])
    phone = site.contact_mobile_shown
    return {
        "site_id": site.id,
        "owner_name": site.owner_unit.name,
        "contact_name": site.contact_name_shown,
        "contact_phone": phone,
        "tel_url": f"tel:{phone}" if phone else None,
    }


# What a refused reveal is told, by the scope and window of the limit that tripped
# (not by the wait: a sliding day window can free a slot in seconds).
_MESSAGES = {
    ("user", "min"): "查看联系方式过于频繁（每分钟最多{n}次），请{wait}秒后再试",
    ("user", "day"): "查看联系方式次数已达今日上限（每天{n}次），{later}后再试",
    ("org", "min"): "贵单位的账号查看联系方式过于频繁（合计每分钟最多{n}次），请{wait}秒后再试",
    ("org", "day"): "贵单位的账号查看联系方式次数已达今日上限（合计每天{n}次），{later}后再试",
    ("network", "min"): "您所在的网络查看联系方式过于频繁（每分钟最多{n}次），请{wait}秒后再试",
    ("network", "day"): "您所在的网络查看联系方式次数已达今日上限（每天{n}次），{later}后再试",
    ("repeat", "min"): "重复查看过于频繁，请{wait}秒后再试",
}


def _reveal_message(limit: Limit, wait: int) -> str:
    parts = limit.key.split(":")
    kind = parts[1] if len(parts) > 2 and parts[0] == "reveal" else "user"
    window = "min" if limit.window_s <= 60 else "day"
    return _MESSAGES[(kind, window)].format(n=limit.limit, wait=wait, later=_wait_text(wait))


def _wait_text(wait: int) -> str:
    if wait < 60:
        return f"请{wait}秒"
    if wait < 3600:
        return f"请{wait // 60 + 1}分钟"
    return f"请{wait // 3600 + 1}小时"


# --- alerts -----------------------------------------------------------------------


def _alert_if_unusual(*, user: User, org_id: int | None, network: str | None, new_for: list[str]) -> None:
    """Tell every admin when a scope passes its threshold; once per scope and window.

    Only a reveal that was new for a scope can move that scope's count, so only
    those are checked. The window is a clock hour (a day for a user, Asia/Shanghai):
    its start is in the notice batch's idempotency key, so a second reveal past the
    threshold, or two racing ones, alert no one again within that window.
    """
    now = timezone.now()
    checks = []
    if "org" in new_for and org_id is not None:
        checks.append(("org", str(org_id), Q(enterprise_id=org_id), ORG_ALERT_SITES_PER_HOUR, 3600))
    if "network" in new_for and network is not None:
        checks.append(("network", network, Q(network=network), NETWORK_ALERT_SITES_PER_HOUR, 3600))
    if "user" in new_for:
        checks.append(("user", str(user.id), Q(user=user), USER_ALERT_SITES_PER_DAY, DAY))
    for kind, ident, who, threshold, window_s in checks:
        since = now - dt.timedelta(seconds=window_s)
        sites = ContactReveal.objects.filter(who, at__gte=since).values("site_id").distinct().count()
        if sites < threshold:
            continue
        start = _window_start(now, window_s)
        admins = User.objects.filter(access.core.admins_q(), is_active=True)
        batch_send(
            key=f"sites.reveal_alert:{kind}:{ident}:{start:%Y%m%d%H}",
            kind="sites.reveal_alert",
            title=f"疑似批量获取联系电话：{_who(kind, ident, user)}",
            body=(
                f"{_who(kind, ident, user)}在{'24小时' if window_s == DAY else '1小时'}内查看了{sites}处场地的联系电话"
                f"（提醒阈值{threshold}处）。请在管理后台“场地联系方式查看记录”中核查，必要时停用相关账号。"
                f"本{'日' if window_s == DAY else '小时'}内不再重复提醒。"
            ),
            user_ids=admins.values_list("id", flat=True),
        )


def _window_start(now: dt.datetime, window_s: int) -> dt.datetime:
    local = timezone.localtime(now)
    if window_s == DAY:
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    return local.replace(minute=0, second=0, microsecond=0)


def _who(kind: str, ident: str, user: User) -> str:
    if kind == "org":
        name = Enterprise.objects.filter(id=int(ident)).values_list("name", flat=True).first()
        return f"企业“{name or ident}”的账号"
    if kind == "network":
        return f"网络 {ident}"
    return f"用户 {user.username}（{user.shown_name}）"
