"""The external channels: each turns one Delivery into one try at its provider.

A channel has `send(delivery) -> Outcome`, `look_up(delivery, since) -> Outcome | None`
(did an attempt whose answer was lost go out? None when it cannot tell or did not)
and, where the provider reports delivery, `receipt(delivery) -> Receipt | None`.
Channels never touch the database: `delivery.py` records what they report.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    # A DeliveryAttempt.Outcome value: ok, temporary, permanent, or unknown (answer lost).
    result: str
    code: str = ""
    detail: str = ""
    request_id: str = ""
    provider_id: str = ""
    retry_after: float | None = None
    # The address is gone for good (an expired push subscription): forget it.
    gone: bool = False


@dataclass(frozen=True)
class Receipt:
    state: str  # waiting, delivered, failed
    code: str = ""
    detail: str = ""


def channel(name: str):
    from .push import PushChannel
    from .sms import SmsChannel

    return {"sms": SmsChannel, "push": PushChannel}[name]()
