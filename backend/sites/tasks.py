from django.utils import timezone
from django_tasks import task

from backend.jobs.services import once
from backend.workdays.selectors import is_workday_or_weekday

from .services import saved_searches_notify, sites_remind_unconfirmed


@task()
def remind_unconfirmed_sites(*, key: str) -> int:
    """Daily (JOBS_DAILY) at office hours, on working days only: nobody wants a nag on a Sunday."""
    if not is_workday_or_weekday(timezone.localdate()):
        return 0
    with once(key) as first:
        return sites_remind_unconfirmed() if first else 0


@task()
def saved_search_alerts(*, key: str, site_ids: list[int]) -> int:
    """Notices to the saved searches new sites match (services.saved_search_alerts_queue).

    The notices and the "already told" marks commit with the key, all or nothing:
    a worker killed midway leaves nothing, and the rerun sends every notice once.
    """
    with once(key) as first:
        return saved_searches_notify(site_ids=site_ids) if first else 0
