"""Reminders and escalation of anything with a deadline counted in working days (a demand,
a consultation, an application …).

The holder is reminded on the morning of the day it falls due; once it is overdue, their
supervisors are told. Nothing goes out outside working hours on working days: a deadline
passed at 17:30 on Friday is escalated at 09:00 on the next working day, and a reminder due
in a year without an official schedule waits until an admin enters it. Each reminder and
escalation goes out once per deadline: the row is claimed by a conditional UPDATE (still open,
not yet claimed) and the batch key names the deadline, so two workers, a rerun task or a
later tick send nothing more.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils import timezone

from backend.notifications.services import batch_send

from .selectors import is_working_time

Message = Callable[[Model], dict]


def deadline_reminders_send(
    *, open_items: QuerySet, related: tuple[str, ...], remind: Message, escalate: Message, now: dt.datetime | None = None
) -> dict[str, int]:
    """Claim and send what is due at `now`. `open_items`: the items still waiting on their
    holder, each with `deadline`, `reminded_at` and `escalated_at`; remind/escalate(item) →
    batch_send's keyword arguments (key, kind, title, body, user_ids, url)."""
    now = now or timezone.now()
    sent = {"reminded": 0, "escalated": 0}
    if is_working_time(moment=now) is not True:
        return sent
    local = timezone.localtime(now)
    end_of_today = dt.datetime.combine(local.date(), dt.time.fromisoformat(settings.WORKDAY_END), tzinfo=local.tzinfo)
    due = open_items.filter(deadline__isnull=False).select_related(*related)
    rounds = (
        ("reminded", "reminded_at", {"deadline__gt": now, "deadline__lte": end_of_today}, remind),
        ("escalated", "escalated_at", {"deadline__lte": now}, escalate),
    )
    for count, field, window, message in rounds:
        for item in due.filter(**{f"{field}__isnull": True}, **window):
            # The claim re-checks "still open": an answer that came meanwhile wins.
            if open_items.filter(id=item.id, **{f"{field}__isnull": True}).update(**{field: now}):
                batch_send(**message(item))
                sent[count] += 1
    return sent
