"""Reminders of consultation deadlines, as for demands (backend/demands/reminders.py).

The official is reminded on the morning of the day the first answer is due; once it is
overdue without an answer, the managers of its department are told. Nothing goes out
outside working hours on working days; each once per deadline and holder (a conditional
UPDATE claims the row, the batch key names the deadline and the official).
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from backend import access
from backend.notifications.services import batch_send
from backend.workdays.selectors import is_working_time

from .models import Consultation

S = Consultation.Status


def _claim(c: Consultation, field: str, now: dt.datetime) -> bool:
    return bool(
        Consultation.objects.filter(
            id=c.id, status=S.WAITING, first_answer_at__isnull=True, **{f"{field}__isnull": True}
        ).update(**{field: now})
    )


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the reminders and escalations due at `now`; nothing at all outside working time."""
    now = now or timezone.now()
    if is_working_time(moment=now) is not True:
        return {"reminded": 0, "escalated": 0}
    local = timezone.localtime(now)
    end_of_today = dt.datetime.combine(local.date(), dt.time.fromisoformat(settings.WORKDAY_END), tzinfo=local.tzinfo)
    due = Consultation.objects.filter(
        status=S.WAITING, first_answer_at__isnull=True, deadline__isnull=False
    ).select_related("official", "enterprise", "asked_by")
    reminded = escalated = 0
    for c in due.filter(reminded_at__isnull=True, deadline__gt=now, deadline__lte=end_of_today):
        if _claim(c, "reminded_at", now):
            batch_send(
                key=f"consultations.remind:{c.id}:{c.official_id}:{c.deadline.isoformat()}",
                kind="consultations.remind",
                title=f"在线咨询今天 {timezone.localtime(c.deadline):%H:%M} 前需答复",
                body=f"「{c.subject}」时限：{c.deadline_explained}",
                user_ids=[c.official_id],
                url=f"#/consultations/{c.id}",
            )
            reminded += 1
    for c in due.filter(escalated_at__isnull=True, deadline__lte=now):
        if _claim(c, "escalated_at", now):
            asker = c.enterprise.name if c.enterprise_id else c.asked_by.shown_name
            batch_send(
                key=f"consultations.overdue:{c.id}:{c.official_id}:{c.deadline.isoformat()}",
                kind="consultations.overdue",
                title=f"在线咨询已超期未答复：{asker}",
                body=f"「{c.subject}」负责人：{c.official.shown_name}；时限：{c.deadline_explained}",
                user_ids=[*access.consultations.supervisor_ids(c), c.official_id],
                url=f"#/consultations/{c.id}",
            )
            escalated += 1
    return {"reminded": reminded, "escalated": escalated}
