"""Delivery per channel: inbox + SMS through the fake Alibaba Cloud SMS, retries, receipts, summaries.

Tasks run through the real task path (`run_tasks`, the worker's claim-and-run) while
the clock moves to each task's `run_after`, so backoff and receipt delays are real.
"""

import datetime as dt
import statistics
import time

import pytest
import time_machine
from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apisupport import ApiClient, run_tasks
from backend.accounts.models import User
from backend.notifications import delivery as delivery_module
from backend.notifications.models import Batch, Delivery, DeliveryAttempt, Notice
from backend.notifications.policy import channels_for
from backend.notifications.services import batch_send, notice_create, notices_create
from backend.sms.aliyun import AliyunSmsBackend
from fakes.fixtures import fake_sms  # noqa: F401  (fixture)
from notify_support import make_recipients, run_tasks_through_time

pytestmark = pytest.mark.django_db

CAMPAIGN = dict(kind="policies.campaign", title="2026年度小微企业稳岗补贴开始申报", body="符合条件的企业请于12月31日前申报。", url="#/messages")


def campaign(user_ids, key="policies.campaign:1"):
    return batch_send(key=key, user_ids=user_ids, **CAMPAIGN)


def test_it_delivers_one_inbox_row_and_one_sms_per_recipient_despite_temporary_failures(fake_sms, enterprise, settings, capsys):
    """Acceptance: 1,000 recipients × (inbox + SMS), the provider failing 10 % with temporary errors."""
    # Receipts are read one number at a time: their own test below, and bench/notify_delivery.py.
    settings.NOTIFY_RECEIPT_DELAYS_S = []
    fake_sms.temporary_fraction = 0.10
    ids = make_recipients(1000, enterprise=enterprise)

    started = time.perf_counter()
    sent = campaign(ids)
    queued_s = time.perf_counter() - started
    assert sent.created and sent.notices == 1000
    run = run_tasks_through_time()
    total_s = time.perf_counter() - started

    assert Notice.objects.filter(batch=sent.batch).values("user_id").distinct().count() == 1000
    assert Notice.objects.filter(batch=sent.batch).count() == 1000
    per_number = fake_sms.per_number()
    mobiles = set(User.objects.filter(id__in=ids).values_list("mobile", flat=True))
    assert set(per_number) == mobiles and set(per_number.values()) == {1}, "every number gets exactly one SMS"
    statuses = dict(Delivery.objects.filter(batch=sent.batch).values_list("status").annotate(n=Count("id")))
    assert statuses == {"sent": 1000}, statuses
    attempts = DeliveryAttempt.objects.filter(delivery__batch=sent.batch)
    assert attempts.filter(outcome="ok").count() == 1000
    temporary = attempts.filter(outcome="temporary").count()
    assert 50 <= temporary <= 200, "about 10 % of ~1,100 calls failed and were retried"
    failed_calls = sum(1 for call in fake_sms.calls if call.get("action") == "SendSms" and call["code"] != "OK")
    assert failed_calls == temporary

    # The same batch again: nothing more to anyone.
    calls_before = len(fake_sms.calls)
    again = campaign(ids)
    assert not again.created and again.batch.id == sent.batch.id and again.notices == 0
    assert run_tasks() == 0
    assert Notice.objects.filter(batch=sent.batch).count() == 1000 and Delivery.objects.count() == 1000
    assert len(fake_sms.calls) == calls_before

    with capsys.disabled():
        print(
            f"\n[delivery] 1,000 recipients × inbox+SMS: {total_s:.1f} s ({queued_s:.2f} s to write the batch), "
            f"{attempts.count() / 1000:.3f} attempts per success ({temporary} temporary failures), "
            f"{run['tasks']} tasks, clock moved {run['moved']}"
        )


def test_it_fails_a_permanent_error_at_once_with_the_reason(fake_sms, enterprise):
    ids = make_recipients(3, enterprise=enterprise)
    bad = User.objects.get(id=ids[1]).mobile
    fake_sms.invalid_numbers.add(bad)
    sent = campaign(ids)
    run_tasks_through_time()
    failed = Delivery.objects.get(batch=sent.batch, address=bad)
    assert (failed.status, failed.attempts, failed.reason) == ("failed", 1, "手机号码无效")
    [attempt] = failed.attempt_log.all()
    assert (attempt.outcome, attempt.code) == ("permanent", "isv.MOBILE_NUMBER_ILLEGAL") and attempt.request_id
    assert Delivery.objects.filter(batch=sent.batch, status="delivered").count() == 2


def test_it_retries_temporary_errors_with_growing_delays_up_to_the_limit(fake_sms, enterprise, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 4
    fake_sms.temporary_fraction = 1.0
    sent = campaign(make_recipients(1, enterprise=enterprise))
    run_tasks_through_time()
    delivery = Delivery.objects.get(batch=sent.batch)
    assert delivery.status == "failed" and delivery.attempts == 4
    assert delivery.reason.endswith("（已尝试4次）")
    starts = list(delivery.attempt_log.order_by("number").values_list("started_at", flat=True))
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:])]
    base = settings.NOTIFY_RETRY_BASE_S
    for n, gap in enumerate(gaps, start=1):
        assert base * 3 ** (n - 1) <= gap <= base * 3 ** (n - 1) * 1.25 + 1, gaps
    assert fake_sms.accepted == []


def test_it_never_sends_a_success_again(fake_sms, enterprise):
    sent = campaign(make_recipients(5, enterprise=enterprise))
    run_tasks_through_time()
    assert len(fake_sms.accepted) == 5
    # A rerun of every chunk (a duplicate task, the daily resume) finds nothing to send.
    first, last = Delivery.objects.filter(batch=sent.batch).order_by("id").values_list("id", flat=True)[::4]
    delivery_module.chunk_send(batch_id=sent.batch.id, name="sms", first_id=first, last_id=last, round=99)
    delivery_module.chunks_queue(batch=sent.batch, key_suffix=":again")
    run_tasks_through_time()
    assert len(fake_sms.accepted) == 5
    assert DeliveryAttempt.objects.count() == 5


def interrupted(delivery: Delivery, *, minutes_ago: int = 5) -> None:
    """What a worker killed mid-attempt leaves: sending, an expired lease, a pending attempt."""
    then = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Delivery.objects.filter(id=delivery.id).update(status="sending", attempts=1, locked_until=then)
    DeliveryAttempt.objects.create(delivery=delivery, number=1, started_at=then)


def test_it_sends_an_interrupted_attempt_the_provider_never_got(fake_sms, enterprise):
    sent = campaign(make_recipients(1, enterprise=enterprise))
    delivery = Delivery.objects.get(batch=sent.batch)
    interrupted(delivery)
    run_tasks_through_time()
    assert len(fake_sms.accepted) == 1
    assert [(a.number, a.outcome) for a in delivery.attempt_log.order_by("number")] == [(1, "unknown"), (2, "ok")]
    looked_up = [c for c in fake_sms.calls if c.get("action") == "QuerySendDetails"]
    assert looked_up, "the provider was asked before sending again"


def test_it_does_not_resend_an_interrupted_attempt_the_provider_took(fake_sms, enterprise):
    sent = campaign(make_recipients(1, enterprise=enterprise))
    delivery = Delivery.objects.get(batch=sent.batch)
    interrupted(delivery)
    # The provider got it just before the worker died.
    AliyunSmsBackend().send(mobile=delivery.address, text="x", template="notice", params={"title": "x"}, out_id=delivery.out_id)
    run_tasks_through_time()
    delivery.refresh_from_db()
    assert len(fake_sms.accepted) == 1
    assert delivery.status == "delivered"
    assert [(a.number, a.outcome, a.code) for a in delivery.attempt_log.order_by("number")] == [(1, "unknown", ""), (2, "ok", "found")]


def test_it_asks_the_provider_after_a_timeout_instead_of_sending_twice(fake_sms, enterprise, settings):
    settings.SMS_TIMEOUT_S = 0.3
    ids = make_recipients(1, enterprise=enterprise)
    fake_sms.hold_answer[User.objects.get(id=ids[0]).mobile] = 1.0
    sent = campaign(ids)
    run_tasks_through_time()
    delivery = Delivery.objects.get(batch=sent.batch)
    assert len(fake_sms.accepted) == 1 and delivery.status == "delivered"
    assert [(a.outcome, a.code) for a in delivery.attempt_log.order_by("number")] == [("unknown", "no_answer"), ("ok", "found")]


def test_it_reads_receipts_and_fails_what_the_carrier_could_not_deliver(fake_sms, enterprise):
    ids = make_recipients(2, enterprise=enterprise)
    lost = User.objects.get(id=ids[0]).mobile
    fake_sms.undelivered[lost] = "MK:0001"
    sent = campaign(ids)
    with time_machine.travel(timezone.now(), tick=True):
        run_tasks()
        assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    run_tasks_through_time()
    statuses = dict(Delivery.objects.filter(batch=sent.batch).values_list("address", "status"))
    assert statuses[lost] == "failed"
    assert Delivery.objects.get(address=lost).reason == "运营商回执：未送达（MK:0001）"
    assert set(statuses.values()) == {"failed", "delivered"}


def test_it_gives_up_on_receipts_that_never_come(fake_sms, enterprise, settings):
    settings.NOTIFY_RECEIPT_DELAYS_S = [60, 300]
    fake_sms.receipts_pending = True
    sent = campaign(make_recipients(1, enterprise=enterprise))
    run_tasks_through_time()
    delivery = Delivery.objects.get(batch=sent.batch)
    assert (delivery.status, delivery.receipt_checks) == ("sent", 2)


def test_it_keeps_the_existing_callers_working(users):
    notice = notice_create(user=users["owner"], kind="sites.inquiry", title="新的场地咨询", url="#/inquiries/1")
    assert Notice.objects.get(id=notice.id).batch.kind == "sites.inquiry"
    assert notices_create(user_ids=[users["owner"].id, users["owner"].id, users["admin"].id], kind="sites.confirm_reminder", title="请确认") == 2
    # With a key, a second call adds nothing.
    first = notice_create(user=users["enterprise"], kind="sites.inquiry_answer", title="有了回复", key="answer:1")
    second = notice_create(user=users["enterprise"], kind="sites.inquiry_answer", title="有了回复", key="answer:1")
    assert first.id == second.id and Notice.objects.filter(user=users["enterprise"]).count() == 1
    with pytest.raises(ValueError):
        notice_create(user=users["owner"], kind="x.y", title="t", url="https://evil.example/")


def test_it_picks_channels_by_kind(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "pub", "priv"
    assert channels_for("sites.inquiry") == ("inbox", "push")
    assert channels_for("policies.campaign") == ("inbox", "sms", "push")
    assert channels_for("demands.assigned") == ("inbox", "push")
    settings.VAPID_PUBLIC_KEY = ""
    assert channels_for("policies.campaign") == ("inbox", "sms")
    settings.NOTIFY_CHANNELS = {"*": []}
    assert channels_for("anything") == ("inbox",)


def test_it_sends_sms_only_to_active_recipients_with_a_mobile(fake_sms, users):
    users["admin"].mobile = ""
    users["admin"].save()
    User.objects.filter(id=users["staff"].id).update(mobile="13700000001", is_active=False)
    sent = batch_send(key="k", user_ids=[u.id for u in users.values()], **CAMPAIGN)
    assert sent.notices == 5
    assert list(Delivery.objects.filter(batch=sent.batch).values_list("user_id", flat=True)) == [users["enterprise"].id]


def test_it_summarizes_a_batch_for_admins_only(fake_sms, enterprise, users):
    ids = make_recipients(4, enterprise=enterprise)
    fake_sms.invalid_numbers.add(User.objects.get(id=ids[0]).mobile)
    sent = campaign(ids)
    run_tasks_through_time()
    Notice.objects.filter(user_id=ids[1]).update(read_at=timezone.now())

    admin, manager = ApiClient(), ApiClient()
    admin.force_login(users["admin"])
    manager.force_login(users["manager"])
    body = admin.get(f"/api/notifications/batches/{sent.batch.id}").json()
    assert body["recipients"] == 4 and body["channels"] == ["inbox", "sms"]
    assert body["summary"]["inbox"]["counts"] == {"sent": 3, "read": 1}
    sms = body["summary"]["sms"]
    assert (sms["total"], sms["counts"], sms["attempts"], sms["overdue"]) == (4, {"delivered": 3, "failed": 1}, 4, 0)
    assert sms["reasons"] == [{"reason": "手机号码无效", "count": 1}]
    assert manager.get(f"/api/notifications/batches/{sent.batch.id}").status_code == 403
    assert admin.get("/api/notifications/batches/999999").status_code == 404


def test_it_shows_stuck_deliveries_and_the_daily_job_resumes_them(fake_sms, enterprise, users):
    sent = campaign(make_recipients(3, enterprise=enterprise))
    DBTaskResult.objects.all().delete()  # the tasks were lost (say, failed for good)
    later = timezone.now() + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=True):
        admin = ApiClient()
        admin.force_login(users["admin"])
        assert admin.get(f"/api/notifications/batches/{sent.batch.id}").json()["summary"]["sms"]["overdue"] == 3
        assert delivery_module.deliveries_resume() == 1
    run_tasks_through_time()
    assert len(fake_sms.accepted) == 3


def test_it_sends_a_batch_of_a_rolled_back_transaction_to_no_one(fake_sms, enterprise):
    from django.db import transaction

    ids = make_recipients(2, enterprise=enterprise)
    with pytest.raises(RuntimeError), transaction.atomic():
        campaign(ids)
        raise RuntimeError("the campaign's own write failed")
    assert not Batch.objects.exists() and not Notice.objects.exists() and not DBTaskResult.objects.exists()
    assert campaign(ids).created


def test_it_shows_batches_and_their_deliveries_in_the_admin(fake_sms, enterprise, users):
    sent = campaign(make_recipients(2, enterprise=enterprise))
    run_tasks_through_time()
    User.objects.filter(id=users["admin"].id).update(is_staff=True, is_superuser=True)
    admin = ApiClient()
    admin.force_login(users["admin"])
    page = admin.get("/admin/notifications/batch/").content.decode()
    assert "投递情况" in page and "sms: delivered 2" in page
    delivery = Delivery.objects.filter(batch=sent.batch).first()
    page = admin.get(f"/admin/notifications/delivery/{delivery.id}/change/").content.decode()
    assert delivery.attempt_log.get().request_id in page
