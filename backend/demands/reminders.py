"""Reminders and escalation of demand deadlines (issue 13 item 3): the assignee on the
morning of the due day, their manager once overdue (backend/workdays/reminders.py says when
and how each goes out once)."""

import datetime as dt

from django.utils import timezone

from backend import access
from backend.workdays.reminders import deadline_reminders_send

from .models import Demand
from .services import OPEN, _describe


def _remind(demand: Demand) -> dict:
    return {
        "key": f"demands.remind:{demand.id}:{demand.deadline.isoformat()}",
        "kind": "demands.remind",
        "title": f"诉求今天 {timezone.localtime(demand.deadline):%H:%M} 到期",
        "body": f"{demand.enterprise.name}：{_describe(demand)}。时限：{demand.deadline_explained}",
        "user_ids": access.demands.assignee_ids(demand),
        "url": f"#/demands/{demand.id}",
    }


def _escalate(demand: Demand) -> dict:
    who = demand.assignee.shown_name if demand.assignee_id else "承办部门"
    return {
        "key": f"demands.overdue:{demand.id}:{demand.deadline.isoformat()}",
        "kind": "demands.overdue",
        "title": f"诉求已超期：{demand.enterprise.name}",
        "body": f"{_describe(demand)}。承办：{who}；时限：{demand.deadline_explained}",
        "user_ids": [*access.demands.supervisor_ids(demand), *access.demands.assignee_ids(demand)],
        "url": f"#/demands/{demand.id}",
    }


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the reminders and escalations due at `now`; nothing at all outside working time."""
    return deadline_reminders_send(
        open_items=Demand.objects.filter(status__in=OPEN),
        related=("assignee", "enterprise"),
        remind=_remind,
        escalate=_escalate,
        now=now,
    )
