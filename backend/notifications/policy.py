"""Who gets which channel: a per-kind table in settings (NOTIFY_CHANNELS), nothing cleverer.

Look-up order: the exact kind ("policies.campaign"), then its app ("sites.*"), then "*".
The inbox is always included; a channel that is not configured (push without VAPID
keys) is left out. Whether a given recipient is reachable on a channel is decided when
the batch is made: SMS needs a mobile number, push a subscription.
"""

from django.conf import settings

CHANNELS = ("inbox", "sms", "push")


def push_configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def channels_for(kind: str) -> tuple[str, ...]:
    table = settings.NOTIFY_CHANNELS
    app = kind.split(".", 1)[0]
    chosen = table.get(kind) or table.get(f"{app}.*") or table.get("*") or []
    wanted = {"inbox", *chosen}
    if not push_configured():
        wanted.discard("push")
    return tuple(channel for channel in CHANNELS if channel in wanted)
