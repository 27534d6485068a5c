"""Reminders and escalation of demand deadlines (issue 13 item 3).

The assignee is reminded on the morning of the day a demand falls due; once it is
overdue, their manager is told. Nothing goes out outside working hours on working
days (`backend/workdays`): a deadline passed at 17:30 on Friday is escalated at 09:00
on the next working day, and a reminder due in a year without an official schedule
waits until an admin enters it. Each reminder and escalation goes out once per
deadline: the row is claimed by a conditional UPDATE and the batch key names the
deadline, so two workers, a rerun task or a later tick send nothing more.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from backend import access
from backend.notifications.services import batch_send
from backend.workdays.selectors import is_working_time

from .models import Demand
from .services import OPEN, _describe


def _claim(demand: Demand, field: str, now: dt.datetime) -> bool:
    return bool(Demand.objects.filter(id=demand.id, status__in=OPEN, **{f"{field}__isnull": True}).update(**{field: now}))


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the reminders and escalations due at `now`; nothing at all outside working time."""
    now = now or timezone.now()
    if is_working_time(moment=now) is not True:
        return {"reminded": 0, "escalated": 0}
    local = timezone.localtime(now)
    end_of_today = dt.datetime.combine(local.date(), dt.time.fromisoformat(settings.WORKDAY_END), tzinfo=local.tzinfo)
    due = Demand.objects.filter(status__in=OPEN, deadline__isnull=False).select_related("assignee", "enterprise")
    reminded = escalated = 0
    for demand in due.filter(reminded_at__isnull=True, deadline__gt=now, deadline__lte=end_of_today):
        if _claim(demand, "reminded_at", now):
            batch_send(
                key=f"demands.remind:{demand.id}:{demand.deadline.isoformat()}",
                kind="demands.remind",
                title=f"诉求今天 {timezone.localtime(demand.deadline):%H:%M} 到期",
                body=f"{demand.enterprise.name}：{_describe(demand)}。时限：{demand.deadline_explained}",
                user_ids=access.demands.assignee_ids(demand),
                url=f"#/demands/{demand.id}",
            )
            reminded += 1
    for demand in due.filter(escalated_at__isnull=True, deadline__lte=now):
        if _claim(demand, "escalated_at", now):
            who = demand.assignee.shown_name if demand.assignee_id else "承办部门"
            batch_send(
                key=f"demands.overdue:{demand.id}:{demand.deadline.isoformat()}",
                kind="demands.overdue",
                title=f"诉求已超期：{demand.enterprise.name}",
                body=f"{_describe(demand)}。承办：{who}；时限：{demand.deadline_explained}",
                user_ids=[*access.demands.supervisor_ids(demand), *access.demands.assignee_ids(demand)],
                url=f"#/demands/{demand.id}",
            )
            escalated += 1
    return {"reminded": reminded, "escalated": escalated}
