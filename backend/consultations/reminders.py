"""Reminders of consultation deadlines, as for demands: the named official on the morning
the first answer is due, the managers of its department once it is overdue without an answer
(backend/workdays/reminders.py says when and how each goes out once; the batch key names the
official too, so a reassigned consultation reminds its new holder)."""

import datetime as dt

from django.utils import timezone

from backend import access
from backend.workdays.reminders import deadline_reminders_send

from .models import Consultation


def _remind(c: Consultation) -> dict:
    return {
        "key": f"consultations.remind:{c.id}:{c.official_id}:{c.deadline.isoformat()}",
        "kind": "consultations.remind",
        "title": f"在线咨询今天 {timezone.localtime(c.deadline):%H:%M} 前需答复",
        "body": f"「{c.subject}」时限：{c.deadline_explained}",
        "user_ids": [c.official_id],
        "url": f"#/consultations/{c.id}",
    }


def _escalate(c: Consultation) -> dict:
    asker = c.enterprise.name if c.enterprise_id else c.asked_by.shown_name
    return {
        "key": f"consultations.overdue:{c.id}:{c.official_id}:{c.deadline.isoformat()}",
        "kind": "consultations.overdue",
        "title": f"在线咨询已超期未答复：{asker}",
        "body": f"「{c.subject}」负责人：{c.official.shown_name}；时限：{c.deadline_explained}",
        "user_ids": [*access.consultations.supervisor_ids(c), c.official_id],
        "url": f"#/consultations/{c.id}",
    }


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the reminders and escalations due at `now`; nothing at all outside working time."""
    return deadline_reminders_send(
        open_items=Consultation.objects.filter(status=Consultation.Status.WAITING, first_answer_at__isnull=True),
        related=("official", "enterprise", "asked_by"),
        remind=_remind,
        escalate=_escalate,
        now=now,
    )
