"""Sending the SMS and push deliveries of a batch: attempts, retries with backoff, receipts.

What "exactly once" means here
------------------------------
- **In our records, exactly once.** A delivery is one row per batch, channel and address
  (a unique constraint), and it reaches `sent` at most once: every step is a conditional
  UPDATE on its status, so two workers, a rerun task or a resent batch cannot send a
  message that is already sent, or count one twice.
- **Towards the provider, at least once.** A worker may die (or a read time out) after the
  provider accepted a message and before we recorded it. Before the next attempt we ask
  the provider by our own id (`out_id`, Alibaba's OutId) whether it went out
  (QuerySendDetails), and record it as sent if so; only if the provider has no record do
  we send again. A provider that records late can still receive it twice. Push services
  keep no record to ask; the notification's tag makes a repeat replace the first.

The life of a delivery: queued → sending (claimed, an attempt row written and committed
before the network call) → sent (→ delivered, from an SMS receipt) or back to queued
with a later `next_attempt_at` (a temporary failure, NOTIFY_MAX_ATTEMPTS at most) or
failed with a reason (a permanent failure, or the attempts used up). A delivery left in
`sending` past its lease by a dead worker is taken up by the next run of its chunk.

Work is cut into chunks of NOTIFY_CHUNK deliveries, one task each; a chunk's task sends
what is due and queues its own follow-up for the next due time (`run_after`).
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from backend.jobs.services import enqueue

from .channels import Outcome, channel
from .models import Batch, Delivery, DeliveryAttempt, PushSubscription

log = logging.getLogger(__name__)

Status = Delivery.Status
Result = DeliveryAttempt.Outcome
OPEN = (Status.QUEUED, Status.SENDING)
# This many temporary failures in a row and the provider is struggling: the rest of the
# chunk waits for the next round instead of hammering it.
BREAKER = 10
MAX_ROUNDS = 500


def backoff(*, attempt: int, retry_after: float | None = None) -> dt.timedelta:
    """Delay before attempt `attempt + 1`: base × 3^(attempt-1), capped, with up to 25 % jitter.

    Jitter spreads a throttled campaign's retries; a provider's Retry-After is a floor.
    """
    delay = min(settings.NOTIFY_RETRY_MAX_S, settings.NOTIFY_RETRY_BASE_S * 3 ** max(0, attempt - 1))
    delay *= 1 + random.random() / 4
    if retry_after:
        delay = max(delay, min(retry_after, settings.NOTIFY_RETRY_MAX_S))
    return dt.timedelta(seconds=delay)


# --- queueing ---------------------------------------------------------------------------------


def chunks_queue(*, batch: Batch, round: int = 0, key_suffix: str = "") -> int:
    """Queue one send task per chunk of the batch's open deliveries; returns how many tasks."""
    from . import tasks

    rows = (
        Delivery.objects.filter(batch=batch, status__in=OPEN).order_by("channel", "id").values_list("channel", "id")
    )
    queued = 0
    current: tuple[str, list[int]] | None = None
    size = settings.NOTIFY_CHUNK

    def flush(name: str, ids: list[int]) -> None:
        nonlocal queued
        key = f"notify:{batch.id}:{name}:{ids[0]}:{round}{key_suffix}"
        if enqueue(tasks.send_chunk, key=key, batch_id=batch.id, channel=name, first_id=ids[0], last_id=ids[-1], round=round):
            queued += 1

    for name, delivery_id in rows.iterator(chunk_size=5000):
        if current is None or current[0] != name or len(current[1]) >= size:
            if current is not None:
                flush(*current)
            current = (name, [])
        current[1].append(delivery_id)
    if current is not None:
        flush(*current)
    return queued


def _chunk(*, batch_id: int, name: str, first_id: int, last_id: int):
    return Delivery.objects.filter(batch_id=batch_id, channel=name, id__gte=first_id, id__lte=last_id)


# --- one chunk ----------------------------------------------------------------------------------


def chunk_send(*, batch_id: int, name: str, first_id: int, last_id: int, round: int) -> dict[str, int]:
    """Send what is due in one chunk, then queue the chunk's next round (or its receipt check)."""
    from . import tasks

    sender = channel(name)
    counts: dict[str, int] = {}
    streak = 0
    broke = False
    rows = _chunk(batch_id=batch_id, name=name, first_id=first_id, last_id=last_id).filter(status__in=OPEN)
    for delivery_id, status, due, locked_until in rows.order_by("id").values_list("id", "status", "next_attempt_at", "locked_until"):
        now = timezone.now()
        if status == Status.SENDING:
            if locked_until is not None and locked_until > now:
                continue  # a live attempt elsewhere
            if not delivery_recover(delivery_id=delivery_id):
                continue
        elif due > now:
            continue
        result = delivery_attempt(delivery_id=delivery_id, sender=sender)
        if result is None:
            continue
        counts[result] = counts.get(result, 0) + 1
        streak = streak + 1 if result in (Result.TEMPORARY, Result.UNKNOWN) else 0
        if streak >= BREAKER:
            broke = True
            log.warning("batch %s %s chunk %s: %d temporary failures in a row, pausing", batch_id, name, first_id, streak)
            break

    now = timezone.now()
    left = rows.aggregate(
        n=Count("id"),
        due=Min("next_attempt_at", filter=Q(status=Status.QUEUED)),
        locked=Min("locked_until", filter=Q(status=Status.SENDING)),
    )
    if left["n"]:
        when = min((t for t in (left["due"], left["locked"]) if t is not None), default=now)
        if broke:
            when = max(when, now + backoff(attempt=1))
        if round + 1 >= MAX_ROUNDS:
            log.error("batch %s %s chunk %s: %d rounds, giving up on its %d open deliveries", batch_id, name, first_id, round, left["n"])
        else:
            enqueue(
                tasks.send_chunk, key=f"notify:{batch_id}:{name}:{first_id}:{round + 1}", run_after=max(when, now),
                batch_id=batch_id, channel=name, first_id=first_id, last_id=last_id, round=round + 1,
            )
    elif sender.receipts and settings.NOTIFY_RECEIPT_DELAYS_S:
        receipts_queue(batch_id=batch_id, name=name, first_id=first_id, last_id=last_id, round=0)
    return counts


# --- one delivery -------------------------------------------------------------------------------


def delivery_attempt(*, delivery_id: int, sender) -> str | None:
    """Claim a due delivery, try it once, record the outcome; None if it was not ours to try."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Delivery.objects.filter(id=delivery_id, status=Status.QUEUED, next_attempt_at__lte=now).update(
            status=Status.SENDING, attempts=F("attempts") + 1,
            locked_until=now + dt.timedelta(seconds=settings.NOTIFY_SEND_LEASE_S),
        )
        if not claimed:
            return None
        delivery = Delivery.objects.select_related("batch", "subscription").get(id=delivery_id)
        # Committed before the network call: a worker killed mid-send leaves this trace.
        attempt = DeliveryAttempt.objects.create(delivery=delivery, number=delivery.attempts, started_at=now)

    outcome = None
    if delivery.attempts > 1:
        lost = DeliveryAttempt.objects.filter(delivery=delivery, outcome=Result.UNKNOWN).order_by("number").first()
        if lost is not None:
            outcome = sender.look_up(delivery, lost.started_at)
    if outcome is None:
        outcome = sender.send(delivery)
    outcome_record(delivery=delivery, attempt=attempt, outcome=outcome)
    return outcome.result


def outcome_record(*, delivery: Delivery, attempt: DeliveryAttempt, outcome: Outcome) -> None:
    now = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.filter(id=attempt.id).update(
            outcome=outcome.result, code=outcome.code[:64], request_id=outcome.request_id[:300],
            detail=outcome.detail[:200], finished_at=now,
        )
        # Only while this attempt still owns the delivery (its lease did not run out meanwhile).
        mine = Delivery.objects.filter(id=delivery.id, status=Status.SENDING, attempts=attempt.number)
        if outcome.result == Result.OK:
            changed = mine.update(status=Status.SENT, sent_at=now, provider_id=outcome.provider_id[:64], reason="", locked_until=None)
            if changed and delivery.subscription_id:
                PushSubscription.objects.filter(id=delivery.subscription_id).update(last_success_at=now)
        elif outcome.result in (Result.TEMPORARY, Result.UNKNOWN) and attempt.number < settings.NOTIFY_MAX_ATTEMPTS:
            changed = mine.update(
                status=Status.QUEUED, next_attempt_at=now + backoff(attempt=attempt.number, retry_after=outcome.retry_after),
                reason=outcome.detail[:200], locked_until=None,
            )
        else:
            reason = outcome.detail or "发送失败"
            if outcome.result != Result.PERMANENT:
                reason = f"{reason}（已尝试{attempt.number}次）"
            changed = mine.update(status=Status.FAILED, reason=reason[:200], locked_until=None)
        if outcome.gone and delivery.subscription_id:
            # An expired subscription: forget it, so no later batch tries it again.
            PushSubscription.objects.filter(id=delivery.subscription_id).delete()
    if not changed:
        log.warning("delivery %s: attempt %s ended after its lease; its outcome (%s) is recorded on the attempt only",
                    delivery.id, attempt.number, outcome.result)


def delivery_recover(*, delivery_id: int) -> bool:
    """Take up a delivery whose worker died mid-attempt; True if it is queued again, due now.

    The dead attempt becomes "unknown": the next attempt first asks the provider.
    """
    now = timezone.now()
    with transaction.atomic():
        stale = Delivery.objects.filter(id=delivery_id, status=Status.SENDING, locked_until__lt=now)
        row = stale.values_list("attempts", flat=True).first()
        if row is None:
            return False
        if row >= settings.NOTIFY_MAX_ATTEMPTS:
            changed = stale.update(status=Status.FAILED, locked_until=None, reason=f"发送过程中断（已尝试{row}次）")
        else:
            changed = stale.update(status=Status.QUEUED, next_attempt_at=now, locked_until=None, reason="发送过程中断，补查后重发")
        if changed:
            DeliveryAttempt.objects.filter(delivery_id=delivery_id, outcome=Result.PENDING).update(
                outcome=Result.UNKNOWN, finished_at=now, detail="发送进程中断，结果未知"
            )
            log.warning("delivery %s: attempt %s was interrupted; taken up again", delivery_id, row)
    return bool(changed) and row < settings.NOTIFY_MAX_ATTEMPTS


# --- receipts -----------------------------------------------------------------------------------


def receipts_queue(*, batch_id: int, name: str, first_id: int, last_id: int, round: int) -> None:
    from . import tasks

    delays = settings.NOTIFY_RECEIPT_DELAYS_S
    if round >= len(delays):
        return
    enqueue(
        tasks.check_receipts, key=f"receipts:{batch_id}:{name}:{first_id}:{round}",
        run_after=timezone.now() + dt.timedelta(seconds=delays[round]),
        batch_id=batch_id, channel=name, first_id=first_id, last_id=last_id, round=round,
    )


def receipts_check(*, batch_id: int, name: str, first_id: int, last_id: int, round: int) -> dict[str, int]:
    """Read the carrier's delivery reports for a chunk's sent messages; ask again later for the rest."""
    from backend.sms import SmsError

    sender = channel(name)
    counts = {"delivered": 0, "failed": 0, "waiting": 0}
    sent = _chunk(batch_id=batch_id, name=name, first_id=first_id, last_id=last_id).filter(status=Status.SENT)
    for delivery in sent.order_by("id"):
        try:
            receipt = sender.receipt(delivery)
        except SmsError as error:
            log.warning("receipt for delivery %s: %s", delivery.id, error.detail)
            receipt = None
        Delivery.objects.filter(id=delivery.id).update(receipt_checks=F("receipt_checks") + 1)
        if receipt is None or receipt.state == "waiting":
            counts["waiting"] += 1
            continue
        if receipt.state == "delivered":
            Delivery.objects.filter(id=delivery.id, status=Status.SENT).update(status=Status.DELIVERED, delivered_at=timezone.now())
        else:
            # The carrier could not deliver it (phone off too long, number closed): not retried,
            # a second message would meet the same fate; the reason tells the admin why.
            Delivery.objects.filter(id=delivery.id, status=Status.SENT).update(status=Status.FAILED, reason=receipt.detail[:200])
        counts[receipt.state] += 1
    if counts["waiting"]:
        receipts_queue(batch_id=batch_id, name=name, first_id=first_id, last_id=last_id, round=round + 1)
    return counts


# --- safety net ---------------------------------------------------------------------------------


def deliveries_resume(*, now: dt.datetime | None = None) -> int:
    """Queue again the open deliveries that should have moved an hour ago (their task was lost)."""
    now = now or timezone.now()
    late = now - dt.timedelta(hours=1)
    batch_ids = (
        Delivery.objects.filter(status=Status.QUEUED, next_attempt_at__lt=late).values_list("batch_id", flat=True).distinct()
        .union(Delivery.objects.filter(status=Status.SENDING, locked_until__lt=late).values_list("batch_id", flat=True).distinct())
    )
    queued = 0
    for batch in Batch.objects.filter(id__in=list(batch_ids)):
        queued += chunks_queue(batch=batch, round=0, key_suffix=f":resume:{now:%Y%m%d%H%M}")
    return queued
