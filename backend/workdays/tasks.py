from django_tasks import task

from backend.jobs.services import once

from . import hooks, selectors, services


@task()
def recompute_deadlines(*, key: str, years: list[int]) -> dict:
    """After an admin enters a year: every registered app recomputes its open deadlines.

    Recomputing is idempotent, so a rerun after a dead worker simply does it again.
    """
    # This worker may have cached the old schedule a moment ago.
    selectors.schedule_cache_clear()
    return hooks.recompute_all(years=years)


@task()
def warn_missing_schedule(*, key: str) -> int:
    """Daily (JOBS_DAILY): from 1 November, tell the admins when next year has no schedule."""
    with once(key) as first:
        return services.missing_schedule_warn() if first else 0
