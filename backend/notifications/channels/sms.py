"""SMS through the gateway (`backend.sms`, SMS_BACKEND): the "notice" template, our out id for look-ups."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from backend.sms import SmsError, sms_backend

from ..models import Delivery
from . import Outcome, Receipt

log = logging.getLogger(__name__)

# Providers cap a template variable's length (Alibaba: 35 characters for notices).
TITLE_PARAM_MAX = 30


def sms_text(title: str) -> str:
    return f"【店小二】{title}。详情请打开店小二查看。"


def title_param(title: str) -> str:
    return title if len(title) <= TITLE_PARAM_MAX else title[: TITLE_PARAM_MAX - 1] + "…"


class SmsChannel:
    name = "sms"

    def __init__(self) -> None:
        self.backend = sms_backend()

    @property
    def receipts(self) -> bool:
        return hasattr(self.backend, "report")

    def send(self, delivery: Delivery) -> Outcome:
        title = delivery.batch.title
        try:
            sent = self.backend.send(
                mobile=delivery.address,
                text=sms_text(title),
                template="notice",
                params={"title": title_param(title)},
                out_id=delivery.out_id,
            )
        except SmsError as error:
            result = "unknown" if error.maybe_sent else "temporary" if error.temporary else "permanent"
            return Outcome(result, code=error.code, detail=error.detail, request_id=error.request_id, retry_after=error.retry_after)
        except Exception:  # a broken adapter: retried within the attempt limit, and logged
            log.exception("SMS backend failed on delivery %s", delivery.id)
            return Outcome("temporary", code="error", detail="短信发送程序出错")
        return Outcome("ok", code=sent.code, request_id=sent.request_id, provider_id=sent.provider_id)

    def look_up(self, delivery: Delivery, since: dt.datetime) -> Outcome | None:
        """Ask the provider whether an earlier attempt whose answer was lost went out (by our out id)."""
        if not self.receipts:
            return None
        days = dict.fromkeys([timezone.localdate(since), timezone.localdate()])
        try:
            for day in days:
                found = self.backend.report(mobile=delivery.address, out_id=delivery.out_id, sent_on=day)
                if found is not None:
                    return Outcome("ok", code="found", detail="平台已受理（补查）", request_id=found.request_id)
        except SmsError as error:
            return Outcome("temporary", code=error.code, detail=f"补查发送记录失败：{error.detail}", request_id=error.request_id)
        return None

    def receipt(self, delivery: Delivery) -> Receipt | None:
        if not self.receipts or delivery.sent_at is None:
            return None
        report = self.backend.report(
            mobile=delivery.address, out_id=delivery.out_id, provider_id=delivery.provider_id,
            sent_on=timezone.localdate(delivery.sent_at),
        )
        if report is None:
            return None
        detail = "" if report.state != "failed" else f"运营商回执：未送达（{report.code}）"
        return Receipt(state=report.state, code=report.code, detail=detail)
