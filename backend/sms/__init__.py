"""The SMS gateway: one interface for login codes (accounts) and notices (notifications).

A plain package on the ground floor, beside `accounts`: no models, no domain imports,
so both the login code and the delivery of notices use the same provider adapter.
`SMS_BACKEND` is the dotted path of a class with

    send(*, mobile, text, template, params, out_id="") -> SmsSent

and, where the provider offers them (Alibaba Cloud does), two look-ups:

    find(*, mobile, out_id, sent_on) -> SmsSent | None   # did a lost attempt go out?
    receipt(*, mobile, provider_id, sent_on) -> SmsReceipt  # the carrier's delivery report

`text` is the whole message (what the console backend prints); providers in mainland
China send only approved templates, so `template` names one of ours ("login_code",
"notice") and `params` fills its variables; each adapter maps it to its own template.
A failed send raises `SmsTemporaryError` (throttled, busy: worth retrying later) or
`SmsPermanentError` (bad number, template not approved: retrying cannot help).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Literal

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsSent:
    """The provider accepted a message: its id for receipts, and the request's id for support."""

    provider_id: str = ""
    request_id: str = ""
    code: str = "OK"


@dataclass(frozen=True)
class SmsReceipt:
    """The carrier's report on one message: still waiting, delivered, or not delivered."""

    state: Literal["waiting", "delivered", "failed"]
    code: str = ""
    at: dt.datetime | None = None
    request_id: str = ""


class SmsError(Exception):
    temporary = False

    def __init__(
        self, detail: str, *, code: str = "", request_id: str = "", retry_after: float | None = None, maybe_sent: bool = False
    ):
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.request_id = request_id
        self.retry_after = retry_after
        # The request may have reached the provider before its answer was lost (a read
        # timeout): the next attempt first asks the provider whether it went out.
        self.maybe_sent = maybe_sent


class SmsTemporaryError(SmsError):
    """Throttled, busy, unreachable: the same message may go through later."""

    temporary = True


class SmsPermanentError(SmsError):
    """The provider refused this message for good (bad number, unapproved template, bad key)."""


@cache
def _backend_class(path: str) -> type:
    return import_string(path)


def sms_backend():
    return _backend_class(settings.SMS_BACKEND)()


def send_sms(*, mobile: str, text: str, template: str, params: dict[str, str], out_id: str = "") -> SmsSent:
    return sms_backend().send(mobile=mobile, text=text, template=template, params=params, out_id=out_id)
