"""An SMS whose worker is killed with kill -9 mid-send is neither lost nor sent twice.

The fake Alibaba Cloud SMS accepts one number's message and sits on its answer; the
worker waiting for that answer is killed. The next worker requeues the orphaned task,
finds the delivery's attempt interrupted, asks the provider by our id whether it went
out (QuerySendDetails), and records it as sent without sending it again.
"""

import pytest

from apisupport import make_user
from backend.accounts.models import User
from backend.notifications.models import Delivery
from backend.notifications.services import batch_send
from fakes.aliyun_sms import FakeAliyunSms
from workerproc import WorkerProcess, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fake():
    fake = FakeAliyunSms().start()
    yield fake
    fake.stop()


@pytest.fixture
def workers():
    started: list[WorkerProcess] = []

    def start(name: str, env: dict[str, str]) -> WorkerProcess:
        worker = WorkerProcess(name, env=env)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_it_neither_loses_nor_doubles_an_sms_whose_worker_was_killed_mid_send(fake, workers, enterprise):
    mobiles = ["13900000001", "13900000002", "13900000003"]
    users = [make_user(f"kill{i}", "enterprise", enterprise=enterprise, mobile=m) for i, m in enumerate(mobiles)]
    held = mobiles[1]
    fake.hold_answer[held] = 300  # accepted, then no answer until long after the test
    # Sending waits far longer than the hold; the lease (how long a dead attempt blocks its delivery) is short here.
    env = {**fake.environ(), "SMS_TIMEOUT_S": "600", "NOTIFY_SEND_LEASE_S": "2"}
    sent = batch_send(key="kill:sms", kind="policies.campaign", title="稳岗补贴开始申报", user_ids=[u.id for u in users])

    first = workers("w-first", env)
    wait_for(lambda: fake.per_number()[held] == 1, timeout=60, what="the provider to accept the held message")
    assert Delivery.objects.get(batch=sent.batch, address=held).status == "sending"
    first.kill()

    workers("w-second", env)
    wait_for(
        lambda: not Delivery.objects.filter(batch=sent.batch, status__in=["queued", "sending"]).exists(),
        timeout=90, what="every delivery to settle", interval=0.3,
    )
    assert fake.per_number() == {m: 1 for m in mobiles}, "each number got exactly one message"
    statuses = dict(Delivery.objects.filter(batch=sent.batch).values_list("address", "status"))
    assert set(statuses.values()) <= {"sent", "delivered"}, statuses
    recovered = Delivery.objects.get(batch=sent.batch, address=held)
    assert [(a.outcome, a.code) for a in recovered.attempt_log.order_by("number")] == [("unknown", ""), ("ok", "found")]
