from django.utils import timezone
from django_tasks import task

from backend.jobs.services import once
from backend.workdays import is_workday

from .services import sites_remind_unconfirmed


@task()
def remind_unconfirmed_sites(*, key: str) -> int:
    """Daily (JOBS_DAILY) at office hours, on working days only: nobody wants a nag on a Sunday."""
    if not is_workday(timezone.localdate()):
        return 0
    with once(key) as first:
        return sites_remind_unconfirmed() if first else 0
