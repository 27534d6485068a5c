from django_tasks import task

from backend.jobs.services import once

from .services import metrics_snapshot


@task()
def snapshot_metrics(*, key: str) -> float:
    """Daily (JOBS_DAILY): today's vacant site area, for the trends' 环比/同比."""
    with once(key):
        # Rewriting the same day's figure is harmless, so no need to skip a rerun.
        return metrics_snapshot().value
