from django_tasks import task

from backend.jobs.services import once

from .reminders import reminders_send
from .services import consultations_auto_close


@task()
def consultation_reminders(*, key: str) -> dict[str, int]:
    """Every 15 minutes (JOBS_EVERY): reminders and escalations due now (held outside working
    hours), and closing what was answered long ago."""
    with once(key) as first:
        if not first:
            return {"reminded": 0, "escalated": 0, "closed": 0}
        return {**reminders_send(), "closed": consultations_auto_close()}
