from django_tasks import task

from backend.jobs.services import once

from .services import locations_coarsen


@task()
def coarsen_locations(*, key: str) -> int:
    """Daily (JOBS_DAILY): positions past the retention period become ~100 m coarse."""
    with once(key) as first:
        return locations_coarsen() if first else 0
