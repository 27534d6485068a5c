from django_tasks import task

from backend.jobs.services import once

from .reminders import reminders_send


@task()
def demand_reminders(*, key: str) -> dict[str, int]:
    """Every 15 minutes (JOBS_EVERY): reminders and escalations due now, held outside working hours."""
    with once(key) as first:
        return reminders_send() if first else {"reminded": 0, "escalated": 0}
