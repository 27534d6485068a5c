"""Background tasks of notifications: send a chunk of deliveries, read receipts, resume lost work."""

from django_tasks import task

from . import delivery


@task()
def send_chunk(*, key: str, batch_id: int, channel: str, first_id: int, last_id: int, round: int = 0) -> dict:
    return delivery.chunk_send(batch_id=batch_id, name=channel, first_id=first_id, last_id=last_id, round=round)


@task()
def check_receipts(*, key: str, batch_id: int, channel: str, first_id: int, last_id: int, round: int = 0) -> dict:
    return delivery.receipts_check(batch_id=batch_id, name=channel, first_id=first_id, last_id=last_id, round=round)


@task()
def resume(*, key: str) -> int:
    """Daily safety net (JOBS_DAILY): deliveries whose task was lost are queued again."""
    return delivery.deliveries_resume()
